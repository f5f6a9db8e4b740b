"""Template context every page needs: navigation for this user, the current shop, their shops, their colour rule."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from shopops.core.selectors import shops_for_user, user_color_rule, user_role
from shopops.ui.nav import NAV, active_url
from shopops.ui.permissions import LOGIN_ONLY


def workbench(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = [{"url": reverse(item.url_name), "label": item.label, "icon": item.icon}
           for item in NAV if item.perm == LOGIN_ONLY or user.has_perm(item.perm)]
    active = active_url(request.path, [entry["url"] for entry in nav])
    for entry in nav:
        entry["active"] = entry["url"] == active
    return {
        "nav": nav,
        "current_shop": getattr(request, "shop", None),
        "user_shops": list(shops_for_user(user=user)),
        "user_role": user_role(user=user),
        "color_rule": user_color_rule(user=user),  # base.html: <html data-color-rule> picks --rise/--fall
    }
