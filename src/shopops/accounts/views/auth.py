"""Log in and out; a paused log-in (too many wrong passwords) shows the log-in page with the reason."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shopops.ui.permissions import public_page


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def login_locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """django-axes calls this instead of its bare 403 text: the log-in page again, with why and for how long.

    The answer is the same whether the password was right or not, so a locked-out guesser learns nothing.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, "")),
        "locked_out": _(
            "Too many failed log-in attempts: logging in is paused for %(minutes)d minutes. "
            "Try again later, or ask an administrator to unlock it."
        ) % {"minutes": minutes},
    }
    return render(request, "accounts/login.html", context, status=429)


login_view = public_page(LoginView.as_view())
logout_view = public_page(auth_views.LogoutView.as_view())
