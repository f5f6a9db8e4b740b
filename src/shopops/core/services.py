"""Writes for shops, users, roles, tokens and the audit log."""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core import roles
from shopops.core.clock import DEFAULT_TZ, now
from shopops.core.domain import COLOR_RULES, TOKEN_PREFIX, hash_token
from shopops.core.errors import Conflict, FieldError, InvalidInput
from shopops.core.models import ApiToken, AuditEntry, Shop, ShopMembership, User, UserProfile
from shopops.core.selectors import user_role


def audit_record(
    *,
    action: str,
    object_type: str,
    object_id: object,
    shop: Shop | None = None,
    actor: User | AnonymousUser | None = None,
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (prices, stock, users and permissions)."""
    return AuditEntry.objects.create(
        shop=shop,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        changes=changes or {},
    )


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create or update the five role groups so they hold exactly the permissions of ``core.roles``."""
    groups = {}
    for role, perm_names in roles.ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = []
        for name in perm_names:
            app_label, codename = name.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
        groups[role] = group
    return groups


SHOP_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")  # a slug: it travels in X-Shop headers and CLI flags
MAX_SHOP_NAME = 120


def shop_fields_check(*, code: str, name: str, timezone: str = DEFAULT_TZ) -> tuple[str, str]:
    """A new shop's code and name, cleaned; InvalidInput naming every bad field. Writes nothing, so the CLI
    can check its arguments before it touches the database."""
    code, name = (code or "").strip(), (name or "").strip()
    errors = []
    if not SHOP_CODE.fullmatch(code):
        errors.append(FieldError("code", _("Use 1 to 40 lower-case letters, digits or hyphens, starting with a "
                                           "letter or digit.")))
    errors.extend(_shop_profile_problems(name=name, timezone=timezone))
    if errors:
        raise InvalidInput(_("The shop was not created."), errors)
    return code, name


def _shop_profile_problems(*, name: str, timezone: str) -> list[FieldError]:
    """What is wrong with a shop's name and time zone (an IANA name zoneinfo knows), for create and edit."""
    errors = []
    if not name or len(name) > MAX_SHOP_NAME:
        errors.append(FieldError("name", _("Give a name of 1 to %(max)d characters.") % {"max": MAX_SHOP_NAME}))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(FieldError("timezone", _("Unknown time zone: %s") % timezone))
    return errors


@transaction.atomic
def shop_profile_update(*, shop: Shop, name: str, timezone: str, actor: User | None = None) -> Shop:
    """Save the shop's name and time zone (the currency stays: amounts are stored in its fen). Audited as
    ``shop.update`` even when nothing changed, because saving the profile is the checklist's first step
    (``shop_profile_saved``)."""
    name, timezone = (name or "").strip(), (timezone or "").strip()
    errors = _shop_profile_problems(name=name, timezone=timezone)
    if errors:
        raise InvalidInput(_("The shop profile was not saved."), errors)
    changes = {field: [getattr(shop, field), value] for field, value in (("name", name), ("timezone", timezone))
               if getattr(shop, field) != value}
    shop.name, shop.timezone = name, timezone
    shop.save(update_fields=["name", "timezone"])
    audit_record(action="shop.update", object_type="shop", object_id=shop.pk, shop=shop, actor=actor,
                 object_repr=shop.code, changes=changes)
    return shop


@transaction.atomic
def shop_setup_dismiss(*, shop: Shop, dismissed: bool = True, actor: User | None = None) -> None:
    """Hide (or show again) the setup checklist on the shop's dashboard; audited."""
    if shop.setup_dismissed != dismissed:
        shop.setup_dismissed = dismissed
        shop.save(update_fields=["setup_dismissed"])
        audit_record(action="shop.setup", object_type="shop", object_id=shop.pk, shop=shop, actor=actor,
                     object_repr=shop.code, changes={"setup_dismissed": [not dismissed, dismissed]})


@transaction.atomic
def shop_create(*, code: str, name: str, timezone: str = DEFAULT_TZ, actor: User | None = None) -> Shop:
    """A new, empty shop (no members, no channel accounts: ``shopops shop create`` adds both)."""
    code, name = shop_fields_check(code=code, name=name, timezone=timezone)
    if Shop.objects.filter(code=code).exists():
        raise Conflict(_("A shop with code %(code)s already exists.") % {"code": code},
                       [FieldError("code", _("Already used."))])
    shop = Shop.objects.create(code=code, name=name, timezone=timezone)
    audit_record(action="shop.create", object_type="shop", object_id=shop.pk, shop=shop, actor=actor,
                 object_repr=shop.code, changes={"name": [None, name]})
    return shop


@transaction.atomic
def shop_member_add(*, shop: Shop, user: User, actor: User | None = None) -> bool:
    """Let ``user`` work in ``shop`` (with the role they hold everywhere); False if they already could."""
    _membership, created = ShopMembership.objects.get_or_create(user=user, shop=shop)
    if created:
        audit_record(action="user.shop", object_type="user", object_id=user.pk, shop=shop, actor=actor,
                     object_repr=user.get_username(), changes={"shop": [None, shop.code]})
    return created


@transaction.atomic
def shop_admin_ensure(
    *, shop: Shop, username: str, password: str | None = None, actor: User | None = None
) -> tuple[User, bool]:
    """Give ``shop`` an administrator: a new user ``username`` (the password must pass every validator,
    the user name included), or an existing administrator given access. Returns (user, created).

    Roles hold in every shop a user works in, so an existing user of another role is refused rather than
    promoted everywhere. An existing user keeps their password: when one is given it must be theirs.
    """
    name = unicodedata.normalize("NFKC", username or "").strip()
    user = User.objects.filter(username=name).first()
    if user is None:
        if not password:
            raise InvalidInput(_("A new user needs a password."),
                               [FieldError("password", _("Give the new administrator's password."))])
        return user_create(username=name, password=password, role=roles.ADMIN, shops=[shop], actor=actor), True
    problems = []
    if not user.is_active:
        problems.append(FieldError("user", _("%(name)s is deactivated.") % {"name": name}))
    role = user_role(user=user)
    if role != roles.ADMIN:
        problems.append(FieldError("user", _(
            "%(name)s has the role %(role)s; roles hold in every shop a user works in, so only an existing "
            "administrator can administer a new shop.") % {"name": name, "role": role or "—"}))
    if password and not user.check_password(password):
        problems.append(FieldError("password", _(
            "This is not %(name)s's password (an existing user keeps theirs: leave the password out).")
            % {"name": name}))
    if problems:
        raise InvalidInput(_("User %(name)s cannot administer the new shop.") % {"name": name}, problems)
    shop_member_add(shop=shop, user=user, actor=actor)
    return user, False


def initial_password() -> str:
    """A one-time initial password for a new colleague (16 URL-safe characters, about 96 bits): shown once to
    the administrator who created the user, never stored in clear; the colleague changes it in their profile."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    shops: list[Shop],
    actor: User | None = None,
    language: str = "zh-hans",
    validate: bool = True,
) -> User:
    """Create a user with one role and access to ``shops``; the password must pass the validators."""
    username = unicodedata.normalize("NFKC", username or "").strip()
    if role not in roles.ROLES:
        raise InvalidInput(_("Unknown role."), [FieldError("role", _("Unknown role: %s") % role)])
    try:
        if not username or len(username) > 150:
            raise ValidationError(_("Give a user name of 1 to 150 characters."))
        User.username_validator(username)
    except ValidationError as exc:
        raise InvalidInput(_("Invalid user name."), [FieldError("username", m) for m in exc.messages]) from exc
    if User.objects.filter(username=username).exists():
        raise Conflict(_("User %(name)s already exists.") % {"name": username})
    if validate:
        password_check(password=password, user=User(username=username))
    user = User.objects.create_user(username=username, password=password)
    UserProfile.objects.create(user=user, language=language)
    user_set_role(user=user, role=role, actor=actor, record=False)  # user.create records the role
    for shop in shops:
        ShopMembership.objects.get_or_create(user=user, shop=shop)
    audit_record(action="user.create", object_type="user", object_id=user.pk, actor=actor,
                 object_repr=username, changes={"role": [None, role]})
    return user


def _refuse_foreign_user(user: User, actor: User | None) -> None:
    """Roles are global: an administrator may only change users whose every shop they also work in."""
    if actor is None or actor.is_superuser:
        return
    theirs = set(ShopMembership.objects.filter(user=user).values_list("shop_id", flat=True))
    mine = set(ShopMembership.objects.filter(user=actor).values_list("shop_id", flat=True))
    if not theirs <= mine:
        raise InvalidInput(_("This user also works in shops you do not administer."),
                           [FieldError("user", _("Ask an administrator of all their shops."))])


def _refuse_self_lockout(user: User, actor: User | None) -> None:
    if actor is not None and actor.pk == user.pk:
        raise InvalidInput(_("You cannot take away your own administrator access."),
                           [FieldError("user", _("Ask another administrator to do this."))])


@transaction.atomic
def user_set_role(*, user: User, role: str, actor: User | None = None, record: bool = True) -> None:
    """Give ``user`` one role; audited as user.role unless ``record`` is off (a new user's entry has it)."""
    if role not in roles.ROLES:
        raise InvalidInput(_("Unknown role."), [FieldError("role", _("Unknown role: %s") % role)])
    _refuse_foreign_user(user, actor)
    if role != roles.ADMIN and user.groups.filter(name=roles.ADMIN).exists():
        _refuse_self_lockout(user, actor)
    groups = roles_sync() if not Group.objects.filter(name=role).exists() else None
    group = groups[role] if groups else Group.objects.get(name=role)
    old = list(user.groups.filter(name__in=roles.ROLES).values_list("name", flat=True))
    user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
    user.groups.add(group)
    if old != [role] and record:
        audit_record(action="user.role", object_type="user", object_id=user.pk, actor=actor,
                     object_repr=user.get_username(), changes={"role": [old[0] if old else None, role]})


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User | None = None) -> None:
    """Deactivate (never delete: the audit log keeps pointing at them) or reactivate a user."""
    _refuse_foreign_user(user, actor)
    if not active:
        _refuse_self_lockout(user, actor)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(action="user.active", object_type="user", object_id=user.pk, actor=actor,
                     object_repr=user.get_username(), changes={"active": [not active, active]})


def password_check(*, password: str, user: User) -> None:
    """Every password validator, with the user (so a password like the user name is refused too)."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput(
            _("The password is too weak."), [FieldError("password", m) for m in exc.messages]
        ) from exc


def user_change_password(*, user: User, form: Any) -> int:
    """Save a validated password-change form (old password checked, validators applied with the user) and
    audit it. Returns how many API tokens died with the old password (``ApiToken``: any password change
    revokes them all)."""
    live = user_tokens_live_count(user=user)
    form.save()
    audit_record(action="user.password", object_type="user", object_id=user.pk, actor=user,
                 object_repr=user.get_username())
    return live


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: User | None = None) -> int:
    """Set a user's password (an administrator's reset, or a command): validated with the user, audited.
    Only an administrator of every shop the user works in may. Returns the number of API tokens revoked."""
    _refuse_foreign_user(user, actor)
    password_check(password=password, user=user)
    live = user_tokens_live_count(user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(action="user.password", object_type="user", object_id=user.pk, actor=actor,
                 object_repr=user.get_username())
    return live


def user_tokens_live_count(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def user_set_language(*, user: User, language: str) -> None:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Unknown language."), [FieldError("language", _("Unknown language."))])
    UserProfile.objects.update_or_create(user=user, defaults={"language": language})


def user_set_color_rule(*, user: User, color_rule: str) -> None:
    """Keep the user's colour rule of changes (``red_up`` or ``green_up``); anything else changes nothing."""
    if color_rule not in COLOR_RULES:
        message = _("Unknown colour rule.")
        raise InvalidInput(message, [FieldError("color_rule", message)])
    UserProfile.objects.update_or_create(user=user, defaults={"color_rule": color_rule})


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the record and the clear token, which is never stored."""
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=clear[:12], key_hash=hash_token(clear))
    audit_record(action="token.create", object_type="user", object_id=user.pk, actor=user,
                 object_repr=user.get_username(), changes={"token": token.prefix})
    return token, clear


def token_revoke(*, token: ApiToken, actor: User | None = None) -> None:
    token.revoked_at = now()
    token.save(update_fields=["revoked_at"])
    audit_record(action="token.revoke", object_type="user", object_id=token.user_id, actor=actor,
                 changes={"token": token.prefix})


def token_touch(*, token: ApiToken) -> None:
    """Record use, at most once a minute, so a busy integration does not write on every request."""
    stamp = now()
    if token.last_used_at is None or (stamp - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=stamp)
