"""API authentication (browser session or ``Authorization: Bearer``) with the permission check built in.

Each endpoint passes ``auth=needs(PERMISSION)``. The check runs during authentication, before ninja reads
the body, so a role without the permission gets 403 whatever it sends. The API's default auth is
``needs(UNDECLARED)``, which refuses everyone: an endpoint that forgets to declare is closed, not open.
The role-walk test reads ``.permission`` from every operation's auth.

One principal per request. A request with a Bearer token is the token's user, and only that: its shop
comes from that user's memberships (``X-Shop`` picks one of them), never from the browser session; an
invalid token is refused (401) even when a session rides along; a session and a token of two different
users in one request are refused (400). A request without a token is the session's user, in the shop
chosen in the web UI (or named by ``X-Shop``, checked against that user's memberships).
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from shopops.core.errors import FieldError, ShopOpsError
from shopops.core.middleware import ShopRequest, bearer_token
from shopops.core.models import Shop, User
from shopops.core.selectors import shop_for_user, token_find
from shopops.core.services import token_touch

UNDECLARED = "undeclared"
VIA_TOKEN = "token"
VIA_SESSION = "session"


class TwoPrincipals(ShopOpsError):
    """A session and a token of different users in one request: which one is meant cannot be guessed."""

    http_status = 400
    exit_code = 2


def _admit(request: ShopRequest, user: User, permission: str, via: str) -> User:
    """Check the permission, then fix the request's shop for this principal (and only this one)."""
    if permission == UNDECLARED or not user.has_perm(permission):
        raise HttpError(403, _("You do not have permission to do this."))
    request.shopops_via = via
    code = request.headers.get("X-Shop", "").strip()
    if code:
        shop = shop_for_user(user=user, code=code)
        if shop is None:  # a shop this user does not work in, or none at all: the same answer
            raise HttpError(404, _("No such shop for this user."))
        request.shop = shop
    elif via == VIA_TOKEN:
        request.shop = shop_for_user(user=user)  # the token user's first shop; None → 403 in current_shop
    # else: the session's shop, set (and checked against the session's user) by CurrentShopMiddleware
    return user


class BearerToken(HttpBearer):
    """Per-user API tokens; only their SHA-256 is stored."""

    def __init__(self, permission: str) -> None:
        super().__init__()
        self.permission = permission

    def __call__(self, request: HttpRequest) -> Any:
        token = bearer_token(request)
        return None if token is None else self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_find(clear=token)
        if found is None:
            return None  # 401: BrowserSession stands aside when a token was presented
        session_user = getattr(request, "user", None)
        if session_user is not None and session_user.is_authenticated and session_user.pk != found.user_id:
            raise TwoPrincipals(
                _("This request carries a session and an API token of two different users."),
                [FieldError("Authorization", _("Send the token without the session cookie, or log out."))],
            )
        token_touch(token=found)
        request.user = found.user
        shop_request = cast(ShopRequest, request)  # the base class's signature names a plain HttpRequest
        shop_request.shop = None  # never the session's shop, even the same user's: see _admit
        return _admit(shop_request, found.user, self.permission, VIA_TOKEN)


class BrowserSession(APIKeyCookie):
    """The browser's Django session; CSRF is checked for unsafe methods."""

    def __init__(self, permission: str) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__()
        self.permission = permission

    def __call__(self, request: HttpRequest) -> Any:
        if bearer_token(request) is not None:
            return None  # a token was presented: it is the only principal (an invalid one gives 401)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return _admit(cast(ShopRequest, request), user, self.permission, VIA_SESSION)


def needs(permission: str) -> list:
    """The auth of an endpoint that requires ``permission`` (a Django permission name)."""
    return [BearerToken(permission), BrowserSession(permission)]


def current_shop(request: HttpRequest) -> Shop:
    """The shop of this request's principal, as fixed by its authentication (see the module docstring)."""
    shop = getattr(request, "shop", None)
    if getattr(request, "shopops_via", None) is None or shop is None:
        raise HttpError(403, _("No shop access."))
    return shop
