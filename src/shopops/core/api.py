"""Health and who-am-I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from shopops.core.api_auth import needs
from shopops.core.middleware import ShopRequest
from shopops.core.roles import VIEW_DASHBOARD
from shopops.core.schemas import ERRORS
from shopops.core.selectors import shops_for_user, user_role

router = Router(tags=["core"])


class HealthOut(Schema):
    status: str


class ShopOut(Schema):
    code: str
    name: str
    timezone: str


class MeOut(Schema):
    username: str
    role: str | None
    shops: list[ShopOut]


@router.get("/health", auth=None, response=HealthOut)
def health(request: HttpRequest) -> dict:
    return {"status": "ok"}


@router.get("/me", response={200: MeOut, **ERRORS}, auth=needs(VIEW_DASHBOARD))
def me(request: ShopRequest) -> dict:
    user = request.auth
    return {"username": user.get_username(), "role": user_role(user=user), "shops": list(shops_for_user(user=user))}
