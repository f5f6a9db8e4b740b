"""The audit log, the user's profile (language, colour rule, password, tokens) and shop switching."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from shopops.accounts.views.audit_text import audit_row
from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core import services as core_services
from shopops.core.errors import ShopOpsError
from shopops.core.i18n import say
from shopops.core.middleware import SHOP_SESSION_KEY
from shopops.core.models import UserProfile
from shopops.ui.params import parse_id
from shopops.ui.permissions import LOGIN_ONLY, page_requires


@page_requires(roles.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = core_selectors.audit_entries(shop=request.shop)
    names = {s.code: s.name for s in core_selectors.shops_for_user(user=request.user)}
    return render(request, "accounts/audit_log.html", {"rows": [audit_row(e, names) for e in entries]})


# The profile's one-field preferences: form action (also the field's name) → how it is kept.
_PREFERENCES: dict[str, Callable[[Any, str], None]] = {
    "language": lambda user, value: core_services.user_set_language(user=user, language=value),
    "color_rule": lambda user, value: core_services.user_set_color_rule(user=user, color_rule=value),
}


@page_requires(LOGIN_ONLY)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    new_token = None
    password_form = PasswordChangeForm(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "password":
            password_form = PasswordChangeForm(request.user, request.POST)
            if password_form.is_valid():
                revoked = core_services.user_change_password(user=request.user, form=password_form)
                update_session_auth_hash(request, request.user)
                messages.success(request, _("Password changed."))
                if revoked:
                    messages.warning(request, ngettext(
                        "Your %(count)d API token was revoked with the old password: create a new one for "
                        "your integrations.",
                        "Your %(count)d API tokens were revoked with the old password: create new ones for "
                        "your integrations.", revoked) % {"count": revoked})
                return redirect("web:profile")
        elif action in _PREFERENCES:
            try:
                _PREFERENCES[action](request.user, request.POST.get(action, ""))
            except ShopOpsError as exc:
                messages.error(request, exc.detail)
            else:
                return redirect("web:profile")
        elif action == "token":
            _token, new_token = core_services.token_create(user=request.user, name=request.POST.get("name", ""))
        elif action == "revoke":
            token = core_selectors.user_token(user=request.user, pk=parse_id(request.POST.get("token")) or 0)
            if token is None:
                raise Http404
            core_services.token_revoke(token=token, actor=request.user)
            messages.success(request, _("Token revoked."))
            return redirect("web:profile")
    tokens = core_selectors.user_tokens(user=request.user)
    return render(request, "accounts/profile.html", {
        "tokens": tokens, "new_token": new_token, "password_form": password_form,
        "color_rules": UserProfile.COLOR_RULE_CHOICES,
        "role_label": say(roles.ROLE_LABELS.get(core_selectors.user_role(user=request.user) or "", "")),
    })


@page_requires(LOGIN_ONLY)
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    try:
        core_services.user_set_language(user=request.user, language=request.POST.get("language", ""))
    except ShopOpsError as exc:
        messages.error(request, exc.detail)
    return _back(request)


@page_requires(LOGIN_ONLY)
@require_POST
def switch_shop(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's shops (the topbar's switcher); a shop they are not a member of: 403."""
    code = request.POST.get("shop", "").strip()
    shop = core_selectors.shop_for_user(user=request.user, code=code) if code else None
    if shop is None:
        raise PermissionDenied
    request.session[SHOP_SESSION_KEY] = shop.pk
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or "/"
    # Only paths on this site: never trust the Host header to decide what counts as "ours".
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts=set()):
        target = "/"
    return redirect(target)
