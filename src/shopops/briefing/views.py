"""The daily report (日报) pages: the report of a day (default yesterday) as a page and as an xlsx, and the
administrators' settings page (send time, group robots, test sends, the sent log). Secrets and webhook tokens
are shown masked, never in full."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shopops.briefing import selectors, services
from shopops.briefing.domain import SIGNED, mask_secret, mask_url
from shopops.briefing.models import RobotTarget
from shopops.core import roles
from shopops.core.errors import ShopOpsError
from shopops.core.money import fen_to_decimal
from shopops.ui.params import business_date_problem, parse_business_date, tell_bad_query
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column, xlsx_response

MANAGE = roles.MANAGE_USERS  # the robots and the send time are the administrators' (admin role only)


def _report(request: HttpRequest) -> dict:
    shop = request.shop
    default = selectors.report_day(shop)
    problem = business_date_problem(request.GET.get("date"), default=default)
    if problem:
        tell_bad_query(request, _("Date"), problem)
    day = parse_business_date(request.GET.get("date"), default=default)
    return selectors.briefing_report(shop=shop, day=day, top=20)


@page_requires(roles.VIEW_DASHBOARD)
def briefing_page(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    return render(request, "briefing/report.html", {
        "report": report, "can_manage": request.user.has_perm(MANAGE),
        "prev_day": report["date"] - dt.timedelta(days=1), "next_day": report["date"] + dt.timedelta(days=1)})


def _kpi_number(card: dict) -> object:
    """A KPI value as a spreadsheet number: yuan for money, a fraction for rates."""
    if card["value"] is None:
        return None
    return fen_to_decimal(card["value"]) if card["kind"] == "money" else card["value"]


def _ratio(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


@page_requires(roles.VIEW_DASHBOARD)
def briefing_xlsx(request: HttpRequest) -> HttpResponse:
    """The same report as one sheet: the KPIs with both comparisons, the open items by severity, the top items."""
    report = _report(request)
    kpis = _("Key metrics")
    rows: list[dict] = [{"section": kpis, "name": str(c["label"]), "value": _kpi_number(c),
                         "prev": _ratio(c["change_prev"]), "wow": _ratio(c["change_wow"]), "note": ""}
                        for c in report["kpis"]["cards"]]
    todos = report["todos"]
    rows += [{"section": _("Open alerts and to-dos"), "name": row["label"], "value": row["count"],
              "prev": None, "wow": None, "note": ""} for row in todos["by_severity"]]
    rows += [{"section": _("Most pressing"), "name": item["title"], "value": None, "prev": None, "wow": None,
              "note": " · ".join(filter(None, [item["severity_label"], item["source_label"],
                                               item["due_date"].isoformat() if item["due_date"] else "",
                                               item["assignee"]]))} for item in todos["top"]]
    columns = [Column("section", _("Section"), lambda r: r["section"]),
               Column("name", _("Item"), lambda r: r["name"]),
               Column("value", _("Value"), lambda r: r["value"]),
               Column("prev", _("vs day before"), lambda r: r["prev"]),
               Column("wow", _("vs same weekday last week"), lambda r: r["wow"]),
               Column("note", _("Details"), lambda r: r["note"])]
    return xlsx_response(filename=f"daily-report-{report['date'].isoformat()}.xlsx", sheet=_("Daily report"),
                         columns=columns, rows=rows)


def _robot_rows(shop: object) -> list[dict]:
    return [{"target": t, "url": mask_url(t.webhook_url), "secret": mask_secret(t.secret),
             "signed": t.kind in SIGNED} for t in selectors.robot_targets(shop=shop)]


@page_requires(MANAGE)
def briefing_settings(request: HttpRequest) -> HttpResponse:
    """Send time and on/off (POST saves them), the robots with their forms, the last pushes."""
    shop = request.shop
    if request.method == "POST":
        try:
            send_time = dt.time.fromisoformat(request.POST.get("send_time", "").strip())
        except ValueError:
            messages.error(request, _("Send time: enter a time such as 09:00."))
        else:
            services.briefing_setting_save(shop=shop, enabled=bool(request.POST.get("enabled")),
                                           send_time=send_time, actor=request.user)
            messages.success(request, _("Saved."))
        return redirect("web:briefing_settings")
    return render(request, "briefing/settings.html", {
        "setting": selectors.briefing_setting(shop=shop), "robots": _robot_rows(shop),
        "sends": selectors.recent_sends(shop=shop),
        "kinds": RobotTarget.Kind.choices, "signed_kinds": SIGNED})


def _robot_or_404(request: HttpRequest, pk: int) -> RobotTarget:
    """This shop's robot; another shop's is as absent as a missing one."""
    target = selectors.robot_target(shop=request.shop, pk=pk)
    if target is None:
        raise Http404
    return target


def _say_error(request: HttpRequest, exc: ShopOpsError) -> None:
    messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))


@page_requires(MANAGE)
@require_POST
def robot_save(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a robot (no pk) or change one; empty address or secret fields keep the stored ones."""
    post = request.POST
    if pk is not None:
        _robot_or_404(request, pk)
    try:
        services.robot_target_save(
            shop=request.shop, actor=request.user, target_id=pk, kind=post.get("kind", ""),
            name=post.get("name", ""), webhook_url=post.get("webhook_url", ""), secret=post.get("secret", ""),
            clear_secret=bool(post.get("clear_secret")), active=bool(post.get("active")))
    except ShopOpsError as exc:
        _say_error(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("web:briefing_settings")


@page_requires(MANAGE)
@require_POST
def robot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _robot_or_404(request, pk)
    try:
        services.robot_target_delete(shop=request.shop, target_id=pk, actor=request.user)
    except ShopOpsError as exc:
        _say_error(request, exc)
    return redirect("web:briefing_settings")


@page_requires(MANAGE)
@require_POST
def robot_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Push yesterday's report to this robot now (logged as sent by hand) and say what the platform answered."""
    target = _robot_or_404(request, pk)
    result = services.briefing_push(shop=request.shop, day=selectors.report_day(request.shop), targets=[target])[0]
    if result["ok"]:
        messages.success(request, _("Sent to %(name)s.") % {"name": target.name})
    else:
        messages.error(request, _("Sending to %(name)s failed: %(answer)s") % {"name": target.name,
                                                                             "answer": result["answer"]})
    return redirect("web:briefing_settings")

