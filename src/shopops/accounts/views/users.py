"""User management for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core import services as core_services
from shopops.core.errors import ShopOpsError
from shopops.core.i18n import say
from shopops.ui.params import parse_id
from shopops.ui.permissions import page_requires


@page_requires(roles.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_list(request: HttpRequest) -> HttpResponse:
    errors: list = []
    detail = ""
    form = {"username": "", "role": roles.OPERATOR}
    initial = None  # a generated initial password: in this one answer only, never stored or redirected with
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                form = {"username": request.POST.get("username", "").strip(), "role": request.POST.get("role", "")}
                password = request.POST.get("password", "")
                generated = not password
                if generated:
                    password = core_services.initial_password()
                core_services.user_create(
                    username=form["username"], password=password, role=form["role"],
                    shops=[request.shop], actor=request.user,
                )
                messages.success(request, _("User %s created.") % form["username"])
                if not generated:
                    return redirect("web:user_list")
                initial = {"username": form["username"], "password": password}
                form = {"username": "", "role": roles.OPERATOR}
            else:
                return _change_user(request)
        except ShopOpsError as exc:
            detail, errors = exc.detail, exc.errors
    role_choices = [(k, say(label)) for k, label in roles.ROLE_LABELS.items()]
    users = [{"user": u, "role": core_selectors.user_role(user=u)} for u in core_selectors.users_of_shop(shop=request.shop)]
    response = render(request, "accounts/users.html", {
        "users": users, "role_choices": role_choices, "errors": errors, "detail": detail, "form": form,
        "initial": initial,
    }, status=422 if detail else 200)
    if initial:
        response["Cache-Control"] = "no-store"  # the password must not outlive this page
    return response


def _change_user(request: HttpRequest) -> HttpResponse:
    """A role, the active flag or a password reset of one user of the shop (ShopOpsError for bad input)."""
    action = request.POST.get("action")
    target = core_selectors.user_in_shop(shop=request.shop, pk=parse_id(request.POST.get("user")) or 0)
    if target is None:
        raise Http404
    if action == "role":
        core_services.user_set_role(user=target, role=request.POST.get("role", ""), actor=request.user)
    elif action == "active":
        core_services.user_set_active(user=target, active=request.POST.get("active") == "1",
                                      actor=request.user)
    elif action == "password":
        revoked = core_services.user_set_password(user=target, password=request.POST.get("password", ""),
                                                  actor=request.user)
        if target.pk == request.user.pk:
            update_session_auth_hash(request, target)  # resetting one's own: stay logged in
        if revoked:
            messages.warning(request, ngettext(
                "%(count)d API token of %(name)s was revoked with the old password.",
                "%(count)d API tokens of %(name)s were revoked with the old password.", revoked)
                % {"count": revoked, "name": target.get_username()})
    else:
        raise Http404
    messages.success(request, _("User %s saved.") % target.get_username())
    return redirect("web:user_list")
