"""设置: the shop's profile (name, time zone) and its channel accounts — administrators only, every save audited.

Steps 1 and 2 of the first-run checklist on the dashboard (``analytics.selectors.setup``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shopops.channels import selectors as channel_selectors
from shopops.channels import services as channel_services
from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core import services as core_services
from shopops.core.errors import FieldError, ShopOpsError
from shopops.ui.params import parse_id
from shopops.ui.permissions import page_requires

# The time zones a shop selling in and from China most often keeps its books in; Asia/Shanghai first.
COMMON_TIMEZONES = (
    ("Asia/Shanghai", gettext_lazy("China (Beijing time)")),
    ("Asia/Hong_Kong", gettext_lazy("Hong Kong")),
    ("Asia/Taipei", gettext_lazy("Taipei")),
    ("Asia/Singapore", gettext_lazy("Singapore")),
    ("Asia/Tokyo", gettext_lazy("Tokyo")),
    ("Asia/Seoul", gettext_lazy("Seoul")),
    ("Asia/Bangkok", gettext_lazy("Bangkok")),
    ("Asia/Dubai", gettext_lazy("Dubai")),
    ("Europe/London", gettext_lazy("London")),
    ("Europe/Berlin", gettext_lazy("Berlin")),
    ("America/New_York", gettext_lazy("New York")),
    ("America/Los_Angeles", gettext_lazy("Los Angeles")),
    ("Australia/Sydney", gettext_lazy("Sydney")),
    ("UTC", gettext_lazy("Coordinated Universal Time (UTC)")),
)
CURRENCY_NAMES = {"CNY": gettext_lazy("Renminbi (CNY)")}


def _by_field(errors: list[FieldError]) -> dict[str, list[str]]:
    """Field name → its messages, so each shows beside its own input."""
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(error.field, []).append(error.message)
    return out


def _zone_choices(current: str) -> list[tuple[str, str]]:
    choices = [(zone, f"{label} · {zone}") for zone, label in COMMON_TIMEZONES]
    if current and current not in dict(COMMON_TIMEZONES):
        choices.append((current, current))  # a zone set from the command line stays choosable
    return choices


@page_requires(roles.CHANGE_SHOP)
@require_http_methods(["GET", "POST"])
def shop_profile(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    form = {"name": shop.name, "timezone": shop.timezone}
    detail, errors = "", []
    if request.method == "POST":
        form = {"name": request.POST.get("name", ""), "timezone": request.POST.get("timezone", "")}
        try:
            core_services.shop_profile_update(shop=shop, name=form["name"], timezone=form["timezone"],
                                              actor=request.user)
        except ShopOpsError as exc:
            detail, errors = exc.detail, exc.errors
            shop.refresh_from_db()
        else:
            messages.success(request, _("Shop profile saved."))
            return redirect("web:settings_shop")
    return render(request, "accounts/settings_shop.html", {
        "form": form, "zones": _zone_choices(shop.timezone), "detail": detail, "field_errors": _by_field(errors),
        "currency": CURRENCY_NAMES.get(shop.currency, shop.currency),
    }, status=422 if detail else 200)


@page_requires(roles.CHANGE_CHANNEL_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def channel_accounts(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    form = {"channel": "", "name": "", "external_id": ""}
    detail, errors, failed_row = "", [], None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                form = {key: request.POST.get(key, "") for key in form}
                account = channel_services.channel_account_create(shop=shop, actor=request.user, **form)
            else:
                failed_row = parse_id(request.POST.get("account"))
                found = channel_selectors.channel_account_in_shop(shop=shop, pk=failed_row or 0)
                if found is None or action not in ("rename", "active"):
                    raise Http404
                if action == "rename":
                    account = channel_services.channel_account_update(
                        account=found, name=request.POST.get("name", ""),
                        external_id=request.POST.get("external_id", ""), actor=request.user)
                else:
                    account = channel_services.channel_account_update(
                        account=found, active=request.POST.get("active") == "1", actor=request.user)
        except ShopOpsError as exc:
            detail, errors = exc.detail, exc.errors
        else:
            messages.success(request, _("Channel account %(name)s saved.") % {"name": account.name})
            return redirect("web:settings_channels")
    rows = [{"account": a, "channel": channel_label(a.channel), "failed": a.pk == failed_row}
            for a in channel_selectors.channel_accounts(shop=shop)]
    return render(request, "accounts/settings_channels.html", {
        "rows": rows, "channels": channel_selectors.channel_options(), "form": form, "detail": detail,
        "field_errors": _by_field(errors),
        # wide enough for the longest name (a Chinese character takes about two of size's average characters)
        "name_size": min(48, max([20, *(2 * len(r["account"].name) + 2 for r in rows)])),
    }, status=422 if detail else 200)
