"""Pages of signing in, the profile, the shop's users and its audit log."""

from __future__ import annotations

from django.urls import path

from shopops.accounts.views import account, auth, settings, users

urlpatterns: list = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("users/", users.user_list, name="user_list"),
    path("audit/", account.audit_log, name="audit_log"),
    path("profile/", account.profile, name="profile"),
    path("language/", account.switch_language, name="switch_language"),
    path("shop/", account.switch_shop, name="switch_shop"),
    path("settings/shop/", settings.shop_profile, name="settings_shop"),
    path("settings/channels/", settings.channel_accounts, name="settings_channels"),
]
