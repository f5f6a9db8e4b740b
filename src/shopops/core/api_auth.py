"""API authentication (browser session or ``Authorization: Bearer``) with the permission check built in.

Each endpoint passes ``auth=needs(PERMISSION)``. The check runs during authentication, before ninja reads
the body, so a role without the permission gets 403 whatever it sends. The API's default auth is
``needs(UNDECLARED)``, which refuses everyone: an endpoint that forgets to declare is closed, not open.
The role-walk test reads ``.permission`` from every operation's auth.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from shopops.core.models import Shop
from shopops.core.selectors import shop_for_user, token_find
from shopops.core.services import token_touch

UNDECLARED = "undeclared"


def _allowed(user: Any, permission: str) -> Any:
    if permission == UNDECLARED or not user.has_perm(permission):
        raise HttpError(403, "You do not have permission to do this.")
    return user


class BearerToken(HttpBearer):
    """Per-user API tokens; only their SHA-256 is stored."""

    def __init__(self, permission: str) -> None:
        super().__init__()
        self.permission = permission

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_find(clear=token)
        if found is None:
            return None
        token_touch(token=found)
        request.user = found.user
        return _allowed(found.user, self.permission)


class BrowserSession(APIKeyCookie):
    """The browser's Django session; CSRF is checked for unsafe methods."""

    def __init__(self, permission: str) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__()
        self.permission = permission

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return _allowed(user, self.permission)


def needs(permission: str) -> list:
    """The auth of an endpoint that requires ``permission`` (a Django permission name)."""
    return [BearerToken(permission), BrowserSession(permission)]


def current_shop(request: HttpRequest) -> Shop:
    """The shop named by the ``X-Shop`` header (its code), else the session's shop, else the user's first."""
    code = request.headers.get("X-Shop", "").strip() or None
    if code is None and getattr(request, "shop", None) is not None:
        return request.shop  # a browser session: the shop chosen in the web UI (checked by the middleware)
    shop = shop_for_user(user=request.auth, code=code)
    if shop is None:
        raise HttpError(404 if code else 403, "No such shop for this user." if code else "No shop access.")
    return shop
