"""Reads for shops, users and tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from shopops.core import roles
from shopops.core.domain import DEFAULT_COLOR_RULE, hash_token, looks_like_token
from shopops.core.models import ApiToken, AuditEntry, Shop, ShopMembership, User


def shops_for_user(*, user: User | AnonymousUser) -> QuerySet[Shop]:
    if not user.is_authenticated:
        return Shop.objects.none()
    if user.is_superuser:
        return Shop.objects.all()
    return Shop.objects.filter(memberships__user=user).order_by("id")


def shop_for_user(*, user: User | AnonymousUser, shop_id: int | None = None,
                  code: str | None = None) -> Shop | None:
    """The shop a request works in: the one asked for if the user may use it, else their first."""
    shops = shops_for_user(user=user)
    if code:
        return shops.filter(code=code).first()
    if shop_id:
        found = shops.filter(pk=shop_id).first()
        if found:
            return found
    return shops.first()


def user_role(*, user: User) -> str | None:
    names = {g.name for g in user.groups.all()}
    return next((role for role in roles.ROLES if role in names), None)


def user_color_rule(*, user: User | AnonymousUser) -> str:
    """The user's colour rule of changes (core.domain ``COLOR_RULES``); the default for anyone without a profile.
    Reads the profile the language middleware already loaded: no query of its own."""
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.color_rule if profile is not None else DEFAULT_COLOR_RULE


def token_find(*, clear: str) -> ApiToken | None:
    """The live token matching a presented clear token, or None."""
    if not looks_like_token(clear):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(clear), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def audit_entries(*, shop: Shop, limit: int = 200) -> QuerySet[AuditEntry]:
    """This shop's entries, plus the install-wide user events (roles, passwords, tokens) of its own users."""
    user_ids = [str(pk) for pk in ShopMembership.objects.filter(shop=shop).values_list("user_id", flat=True)]
    return (
        AuditEntry.objects.filter(Q(shop=shop) | Q(shop__isnull=True, object_type="user", object_id__in=user_ids))
        .select_related("actor")[:limit]
    )


def users_of_shop(*, shop: Shop) -> QuerySet[User]:
    return (
        get_user_model().objects.filter(shop_memberships__shop=shop)
        .prefetch_related("groups").order_by("username")
    )


def user_in_shop(*, shop: Shop, pk: int) -> User | None:
    return users_of_shop(shop=shop).filter(pk=pk).first()


def user_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def user_token(*, user: User, pk: int) -> ApiToken | None:
    return user_tokens(user=user).filter(pk=pk).first()


def all_shops() -> QuerySet[Shop]:
    return Shop.objects.order_by("pk")


def shop_by_code(*, code: str | None = None) -> Shop | None:
    """The shop with ``code``, or the install's first shop when no code is given (one-shop installs)."""
    qs = Shop.objects.order_by("id")
    return qs.filter(code=code).first() if code else qs.first()


def shops_overview() -> list[dict[str, object]]:
    """Every shop of the install with its members and administrators (``shopops shop list``)."""
    rows = []
    for shop in Shop.objects.order_by("id").prefetch_related("memberships__user__groups"):
        users = sorted((m.user for m in shop.memberships.all()), key=lambda u: u.get_username())
        rows.append({
            "code": shop.code, "name": shop.name, "timezone": shop.timezone, "members": len(users),
            "admins": [u.get_username() for u in users
                       if u.is_active and any(g.name == roles.ADMIN for g in u.groups.all())],
        })
    return rows


def shop_profile_saved(*, shop: Shop) -> bool:
    """Whether an administrator has saved the shop's profile (the setup checklist's first step)."""
    return AuditEntry.objects.filter(shop=shop, object_type="shop", action="shop.update").exists()
