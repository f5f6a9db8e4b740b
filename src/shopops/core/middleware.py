"""Per-request language and shop."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation

from shopops.core.models import Shop, User
from shopops.core.selectors import shop_for_user

SHOP_SESSION_KEY = "shopops_shop_id"


class ShopRequest(HttpRequest):
    """A request as our middleware and the API's authentication leave it: a type for annotations only (Django
    builds plain HttpRequests; these attributes are set on them).

    ``shop``: the shop the request works in, or None; set on every request by CurrentShopMiddleware, fixed
    again by the API's authentication (``core.api_auth``) for its principal.
    ``shopops_via``: how the API authenticated the principal (``api_auth.VIA_TOKEN`` or ``VIA_SESSION``);
    API only.
    ``auth``: the principal django-ninja's authentication returned, the user; API only.
    """

    shop: Shop | None
    shopops_via: str
    auth: User


class UserLanguageMiddleware:
    """Activate the language chosen in the user's profile (zh-Hans when none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            language = profile.language if profile else "zh-hans"
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an ``Authorization: Bearer …`` header ("" when empty), or None without one.

    A request that presents a Bearer token is authenticated by that token alone: the browser session that
    may travel with it is never a second principal (other schemes, e.g. a proxy's Basic auth, are ignored).
    """
    value = request.headers.get("Authorization", "")
    scheme, _sep, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


class CurrentShopMiddleware:
    """Set ``request.shop``: the shop chosen in the session, if the session's user may work in it.

    Not for requests that present a Bearer token: their shop comes from the token's user (the API's
    authentication sets it), so a session riding along can never lend its shop to another principal, and
    pages, which accept only the session, refuse them (no shop → 403).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: ShopRequest) -> HttpResponse:
        request.shop = None
        user = getattr(request, "user", None)
        if bearer_token(request) is None and user is not None and user.is_authenticated:
            request.shop = shop_for_user(user=user, shop_id=request.session.get(SHOP_SESSION_KEY))
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """Refuse input containing NUL characters (PostgreSQL text cannot hold them; no real input has them).

    Checked once for every request, in the path, the query string and the body (raw or JSON-escaped), so
    no view, filter or importer can be handed one: 400 instead of a database error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        suspicious = "\x00" in request.path or "%00" in query or "\x00" in query
        content_type = request.META.get("CONTENT_TYPE", "")
        if not suspicious and request.method in ("POST", "PUT", "PATCH") and not content_type.startswith(
            "multipart/"  # uploaded files are binary; importers check their own content
        ):
            body = request.body
            suspicious = b"\x00" in body or b"\\u0000" in body or (
                content_type.startswith("application/x-www-form-urlencoded") and b"%00" in body
            )
        if suspicious:
            detail = "Input must not contain NUL characters."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail, "errors": []}, status=400)
            return HttpResponseBadRequest(detail)
        return self.get_response(request)


class ApiJsonErrorsMiddleware:
    """Under /api/, every error is JSON ``{"detail", "errors"}``: also Django's own 404, 405 and 500 pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replacement = JsonResponse({"detail": response.reason_phrase, "errors": []}, status=response.status_code)
            for header in ("Allow", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
