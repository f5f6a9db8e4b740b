"""Log in and out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from shopops.web.permissions import public_page


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


login_view = public_page(LoginView.as_view())
logout_view = public_page(auth_views.LogoutView.as_view())
