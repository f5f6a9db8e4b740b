"""Shops (tenants), who may work in them, API tokens and the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from shopops.core.clock import DEFAULT_TZ, now
from shopops.core.domain import DEFAULT_COLOR_RULE, GREEN_UP, RED_UP

if TYPE_CHECKING:
    # The model of settings.AUTH_USER_MODEL, as django-stubs types get_user_model(): Django's own User.
    from django.contrib.auth.models import User
else:
    User = get_user_model()  # the same class at run time, whatever AUTH_USER_MODEL names


class Shop(models.Model):
    """A brand's shop: the tenant every record belongs to. One install can hold several."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    timezone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TZ)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    created_at = models.DateTimeField(auto_now_add=True)
    # An administrator hid the first-run setup checklist from the dashboard (the checklist page still shows it).
    setup_dismissed = models.BooleanField(_("setup checklist dismissed"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        permissions = [
            ("view_dashboard", _("Can view the dashboard")),
            ("manage_users", _("Can manage users and roles")),
        ]

    def __str__(self) -> str:
        return self.name


class ShopScoped(models.Model):
    """Base for every business record: it belongs to exactly one shop."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+", verbose_name=_("shop"))

    class Meta:
        abstract = True


class ShopMembership(models.Model):
    """Which shops a user works in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "shop"], name="uniq_membership")]


class UserProfile(models.Model):
    """Per-user preferences: the UI language (zh-Hans by default, English switchable) and the colour rule of
    changes (red up by default, as Chinese platforms show them; core.domain ``COLOR_RULES``)."""

    COLOR_RULE_CHOICES = [(RED_UP, _("Red up, green down")), (GREEN_UP, _("Green up, red down"))]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    color_rule = models.CharField(_("colour of changes"), max_length=10, choices=COLOR_RULE_CHOICES,
                                  default=DEFAULT_COLOR_RULE)


class ApiToken(models.Model):
    """A per-user API token. Only its SHA-256 is stored; the token is shown once, at creation.

    A token dies with the password it was created under: any change of the user's password (profile, an
    administrator's reset, Django's admin, ``shopops changepassword``) revokes all of the user's tokens, so
    resetting a leaked account also shuts out whatever integration the intruder set up.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80, blank=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")


class AuditEntry(models.Model):
    """Who changed a price, stock or a user, when, from what to what."""

    shop = models.ForeignKey(Shop, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]


def _revoke_api_tokens_on_password_change(sender: Any, instance: Any, created: bool = False, raw: bool = False,
                                          update_fields: Any = None, **kwargs: Any) -> None:
    """Revoke a user's live API tokens when their password was changed (see ``ApiToken``).

    A model signal, not a service, because the rule must hold on every path that sets a password, Django's
    own included. ``set_password`` leaves the new clear password in ``_password`` until ``save``; Django's
    re-hash of an unchanged password at login (a hasher upgrade) clears it first, so that is not a change.
    """
    if created or raw or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    live = ApiToken.objects.filter(user_id=instance.pk, revoked_at__isnull=True)
    prefixes = list(live.values_list("prefix", flat=True))
    if prefixes:
        live.update(revoked_at=now())
        AuditEntry.objects.create(action="token.revoke", object_type="user", object_id=str(instance.pk),
                                  object_repr=instance.get_username()[:200],
                                  changes={"tokens": prefixes, "reason": "password changed"})


post_save.connect(_revoke_api_tokens_on_password_change, sender=settings.AUTH_USER_MODEL,
                  dispatch_uid="shopops.core.revoke_api_tokens_on_password_change")
