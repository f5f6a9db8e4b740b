"""The first-run setup checklist (开店设置): on the dashboard of a shop without orders, and on its own page.

Each step links to the real page that does it; a user without the permission to act sees the step read-only
with "ask an administrator". Whether a step is done comes from ``analytics.selectors.setup``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shopops.analytics.selectors.setup import SetupState, setup_state
from shopops.core import roles
from shopops.core import services as core_services
from shopops.ui.permissions import page_requires


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    hint: Promise
    url_name: str
    query: dict[str, str]
    perm: str


STEPS = (
    Step("profile", gettext_lazy("Shop profile"), gettext_lazy("Check the shop's name and time zone."),
         "web:settings_shop", {}, roles.CHANGE_SHOP),
    Step("channels", gettext_lazy("Channel accounts"),  # the name the sidebar gives the page
         gettext_lazy("Name your store on each platform you sell on; deactivate the ones you do not use."),
         "web:settings_channels", {}, roles.CHANGE_CHANNEL_ACCOUNTS),
    Step("catalog", gettext_lazy("Import products"),
         gettext_lazy("Your products and SKUs, from the product template or a platform's product export."),
         "web:import_new", {"format": "catalog-xlsx"}, roles.RUN_IMPORTS),
    Step("orders", gettext_lazy("Import orders"), gettext_lazy("A platform's order export (Tmall, JD, Douyin…)."),
         "web:import_new", {"target": "orders"}, roles.RUN_IMPORTS),
    Step("reports", gettext_lazy("Import traffic and ad reports"),
         gettext_lazy("生意参谋 traffic, ad reports, search terms: the visitors behind the orders."),
         "web:import_new", {"format": "sycm-traffic"}, roles.RUN_IMPORTS),
    Step("users", gettext_lazy("Invite colleagues"),
         gettext_lazy("Give each colleague their own user and role."), "web:user_list", {}, roles.MANAGE_USERS),
)


def checklist(request: HttpRequest, state: SetupState | None = None) -> dict[str, object]:
    """The template's view of the checklist for this user (``analytics/_setup_checklist.html``)."""
    state = state or setup_state(shop=request.shop)
    steps = []
    for number, step in enumerate(STEPS, start=1):
        url = reverse(step.url_name) + (f"?{urlencode(step.query)}" if step.query else "")
        steps.append({"number": number, "key": step.key, "title": step.title, "hint": step.hint,
                      "done": state.done[step.key], "url": url, "can_act": request.user.has_perm(step.perm)})
    return {"steps": steps, "done": state.done_count, "total": len(steps), "complete": state.complete,
            "dismissed": state.dismissed, "can_dismiss": request.user.has_perm(roles.CHANGE_SHOP)}


@page_requires(roles.VIEW_DASHBOARD)
@require_http_methods(["GET", "POST"])
def setup_page(request: HttpRequest) -> HttpResponse:
    """The checklist at any time; an administrator hides it from the dashboard (or shows it again) here."""
    if request.method == "POST":
        if not request.user.has_perm(roles.CHANGE_SHOP):
            raise PermissionDenied
        dismissed = request.POST.get("dismissed") == "1"
        core_services.shop_setup_dismiss(shop=request.shop, dismissed=dismissed, actor=request.user)
        messages.success(request, _("The setup checklist is hidden from the dashboard.") if dismissed
                         else _("The setup checklist shows on the dashboard again."))
        return redirect("web:dashboard" if dismissed else "web:setup")
    return render(request, "analytics/setup.html", {"setup": checklist(request)})


urlpatterns = [path("settings/", setup_page, name="setup")]
