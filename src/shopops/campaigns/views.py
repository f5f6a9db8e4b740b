"""Campaign pages: list, calendar, plan (create/edit with checklist), simulation, review, lottery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shopops.campaigns import domain, inputs, plan_form, selectors, services, simulation
from shopops.campaigns.models import Campaign, CampaignAsset, ChecklistItem
from shopops.campaigns.review_xlsx import review_workbook
from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core.clock import today
from shopops.core.errors import FieldError, ShopOpsError
from shopops.core.i18n import say
from shopops.core.money import format_yuan
from shopops.orders import selectors as order_selectors
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.params import parse_date, parse_id
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column, xlsx_response

STATUS_LABELS = {
    "planned": gettext_lazy("Planned"), "warmup": gettext_lazy("Warm-up"), "live": gettext_lazy("Live"),
    "return": gettext_lazy("Return period"), "ended": gettext_lazy("Ended"),
}
FLAG_LABELS = {
    "loss": gettext_lazy("Sells at a loss"), "below_floor": gettext_lazy("Below the price floor"),
    "reference_price": gettext_lazy("Claimed original price above the lowest recent price"),
    "below_min_margin": gettext_lazy("Below the minimum margin"),
}
LESSON_TEXT = {
    "incremental": gettext_lazy("Incremental GMV over the baseline: %(amount)s (%(share)s of the campaign GMV)."),
    "top_channel": gettext_lazy("%(channel)s added the most over its baseline: %(amount)s."),
    "weak_channel": gettext_lazy("%(channel)s sold less than in its baseline: %(amount)s."),
    "top_skus": gettext_lazy("The top three SKUs (%(skus)s) carried %(share)s of the GMV."),
    "top_mechanic": gettext_lazy("Most GMV came with %(label)s (%(share)s of the GMV)."),
    "unused_promotions": gettext_lazy("No order carried these planned promotions: %(promotions)s."),
    "goal_gmv": gettext_lazy("GMV goal reached to %(attainment)s."),
    "goal_new_buyers": gettext_lazy("New-buyer goal reached to %(attainment)s."),
}


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = selectors.campaign_detail(shop=request.shop, pk=pk)
    if campaign is None:
        raise Http404
    return campaign


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# --- list and calendar -------------------------------------------------------------------------------------


@page_requires(roles.VIEW_CAMPAIGNS)
def campaign_list(request: HttpRequest) -> HttpResponse:
    day = today(request.shop.timezone)
    qs = selectors.campaign_list(shop=request.shop, q=request.GET.get("q", ""), status=request.GET.get("status", ""))

    def status(c: Campaign) -> str:
        return str(STATUS_LABELS[domain.campaign_status(selectors.phases_of(c), day)])

    link = lambda c: reverse("web:campaign_detail", args=[c.pk])  # noqa: E731
    page = ListPage(
        title=gettext_lazy("Campaigns"),
        columns=[
            Column("name", gettext_lazy("Name"), lambda c: c.name, link=link),
            Column("status", gettext_lazy("Status"), status),
            Column("warmup", gettext_lazy("Warm-up starts"), lambda c: c.warmup_start),
            Column("main", gettext_lazy("Main period"), lambda c: f"{c.main_start} – {c.main_end}"),
            Column("return", gettext_lazy("Return period ends"), lambda c: c.return_end),
            Column("goal", gettext_lazy("GMV goal"), lambda c: c.goal_gmv_fen, money=True),
            Column("budget", gettext_lazy("Budget"), lambda c: c.budget_fen, money=True),
        ],
        filters=[Filter("status", gettext_lazy("Status"), [("upcoming", _("Upcoming")), ("running", _("Running")),
                                                           ("ended", _("Ended"))])],
        export_name="campaigns",
        search_placeholder=gettext_lazy("Campaign name"),
        actions=[{"url": reverse("web:campaign_calendar"), "label": _("Marketing calendar")}]
        + ([{"url": reverse("web:campaign_create"), "label": _("New campaign")}]
           if request.user.has_perm(roles.CHANGE_CAMPAIGNS) else []),
    )
    return render_list(request, page, qs, "")


@page_requires(roles.VIEW_CAMPAIGNS)
def campaign_calendar(request: HttpRequest) -> HttpResponse:
    day = today(request.shop.timezone)
    try:
        year = int(request.GET.get("year") or day.year)
    except ValueError:
        year = day.year
    year = min(max(year, 2000), 2100)
    entries = selectors.calendar_entries(shop=request.shop, year=year)
    occurrences = selectors.calendar_occurrences(shop=request.shop, start=dt.date(year, 1, 1),
                                                 end=dt.date(year, 12, 31))
    months = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        months.append({"month": first, "items": [o for o in occurrences if o["start"] <= last and o["end"] >= first]})
    return render(request, "campaigns/calendar.html", {
        "year": year, "entries": [e for e in entries if e["year"] == year], "themes": [e for e in entries if e["year"] is None],
        "months": months, "can_edit": request.user.has_perm(roles.CHANGE_CAMPAIGNS),
    })


@page_requires(roles.CHANGE_CAMPAIGNS)
@require_POST
def campaign_calendar_save(request: HttpRequest) -> HttpResponse:
    p = request.POST
    data = {k: p.get(k) for k in ("code", "name", "kind", "warmup_start", "main_start", "main_end", "return_end",
                                  "day_of_month", "length_days", "note") if k in p}
    data["year"] = p.get("year") or None
    data["hidden"] = p.get("hidden") == "on"
    try:
        services.calendar_entry_save(shop=request.shop, data=inputs.calendar_input(data), actor=request.user)
    except ShopOpsError as exc:
        messages.error(request, f"{exc.detail} " + " ".join(f"{e.field}: {e.message}" for e in exc.errors))
    else:
        messages.success(request, _("Calendar entry saved."))
    return redirect(f"{reverse('web:campaign_calendar')}?year={data['year'] or ''}")


# --- plan ---------------------------------------------------------------------------------------------------


def _form_data(request: HttpRequest) -> plan_form.PlanPost:
    """The plan form as the fields of ``inputs.CampaignIn`` (the API's body), with the problems the form
    itself finds (a row, a percentage, a cost cell that cannot be read)."""
    return plan_form.plan_post(request)


def _form_context(request: HttpRequest, campaign: Campaign | None, post: plan_form.PlanPost | None = None, *,
                  errors: Sequence[FieldError] = (), detail: str = "", extra_rows: int = 0) -> dict:
    context = plan_form.plan_context(request, campaign, post, errors=errors, extra_rows=extra_rows)
    return {**context, "errors": plan_form.said(list(errors)), "detail": detail}


def _plan_submit(request: HttpRequest, campaign: Campaign | None) -> tuple[Campaign | None, dict]:
    """Save the posted plan (a new one when ``campaign`` is None): the saved campaign, or the context of the
    form drawn again with its problems. "Add a row" draws the form again with one more row, saving nothing."""
    post = _form_data(request)
    if request.POST.get("add_row"):
        return None, _form_context(request, campaign, post, extra_rows=1)
    errors, detail = post.errors, ""
    if errors:
        detail = _("The campaign was not saved: some fields are invalid.")
    else:
        data = post.data if campaign is None else {k: v for k, v in post.data.items() if k != "preset"}
        try:
            saved = services.campaign_save(shop=request.shop, data=inputs.campaign_input(data), actor=request.user,
                                           campaign=campaign)
        except ShopOpsError as exc:
            detail, errors = exc.detail, post.located(exc.errors)
        else:
            return saved, {}
    return None, _form_context(request, campaign, post, errors=errors, detail=detail)


@page_requires(roles.CHANGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        campaign, context = _plan_submit(request, None)
        if campaign is not None:
            messages.success(request, _("Campaign %s created.") % campaign.name)
            return redirect("web:campaign_detail", pk=campaign.pk)
    else:
        context = _form_context(request, None)
    return render(request, "campaigns/form.html", context, status=422 if context["errors"] else 200)


@page_requires(roles.VIEW_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    can_edit = request.user.has_perm(roles.CHANGE_CAMPAIGNS)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        saved, context = _plan_submit(request, campaign)
        if saved is not None:
            messages.success(request, _("Campaign saved."))
            return redirect("web:campaign_detail", pk=campaign.pk)
    else:
        context = _form_context(request, campaign)
    phases = selectors.phases_of(campaign)
    users = core_selectors.users_of_shop(shop=request.shop)
    return render(request, "campaigns/detail.html", {
        **context, "can_edit": can_edit,
        "status": STATUS_LABELS[domain.campaign_status(phases, today(request.shop.timezone))],
        "checklist": campaign.checklist.all(), "kinds_checklist": ChecklistItem.Kind.choices, "users": users,
        **_asset_context(request, campaign),
        "data": selectors.campaign_dict(campaign),
        "channel_names": [channel_label(c) for c in campaign.channels],
    }, status=422 if context["errors"] else 200)


@page_requires(roles.VIEW_CAMPAIGNS)
@require_POST
def campaign_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """Add, tick off, reopen or remove a checklist item. Planners may do everything; an item's owner may tick
    their own item (the CS scripts owner is often 客服, who cannot change campaigns)."""
    campaign = _campaign(request, pk)
    can_edit = request.user.has_perm(roles.CHANGE_CAMPAIGNS)
    action = request.POST.get("action", "")
    try:
        if action == "add":
            if not can_edit:
                raise PermissionDenied
            owner_id = parse_id(request.POST.get("owner"))
            owner = core_selectors.user_in_shop(shop=request.shop, pk=owner_id) if owner_id else None
            services.checklist_item_add(campaign=campaign, kind=request.POST.get("kind", "other"),
                                        title=request.POST.get("title", ""), owner=owner,
                                        due_date=parse_date(request.POST.get("due_date")))
        else:
            item = selectors.checklist_item(campaign=campaign, pk=parse_id(request.POST.get("item")) or 0)
            if item is None:
                raise Http404
            if not (can_edit or (action in ("done", "undo") and item.owner_id == request.user.pk)):
                raise PermissionDenied
            if action in ("done", "undo"):
                services.checklist_item_set_done(item=item, done=action == "done")
            elif action == "delete":
                services.checklist_item_delete(item=item)
            else:
                raise Http404
    except ShopOpsError as exc:
        messages.error(request, f"{exc.detail} " + " ".join(e.message for e in exc.errors))
    return redirect(reverse("web:campaign_detail", args=[campaign.pk]) + "#checklist")


def _asset_context(request: HttpRequest, campaign: Campaign) -> dict:
    """The asset plan section (店铺视觉): rows with their labels and overdue flag, and the forms' choices."""
    day = today(request.shop.timezone)
    rows = [{"asset": a, "overdue": selectors.asset_overdue(a, day),
             "channel_name": channel_label(a.channel) if a.channel else ""}
            for a in selectors.campaign_assets(campaign=campaign)]
    return {"assets": rows, "asset_kinds": CampaignAsset.Kind.choices, "asset_statuses": CampaignAsset.Status.choices,
            "asset_channels": [(c, channel_label(c)) for c in campaign.channels]}


def _asset_fields(request: HttpRequest) -> dict:
    """The add / edit form's fields as the services take them (the owner resolved in this shop)."""
    owner_id = parse_id(request.POST.get("owner"))
    return {"kind": request.POST.get("kind", "other"), "title": request.POST.get("title", ""),
            "channel": request.POST.get("channel", ""),
            "owner": core_selectors.user_in_shop(shop=request.shop, pk=owner_id) if owner_id else None,
            "due_date": parse_date(request.POST.get("due_date")), "note": request.POST.get("note", "")}


@page_requires(roles.VIEW_CAMPAIGNS)
@require_POST
def campaign_assets(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or edit an asset of the plan, or move its status. Planners may do everything; an asset's owner may
    move its status (the designer who makes the banner is often not a planner)."""
    campaign = _campaign(request, pk)
    can_edit = request.user.has_perm(roles.CHANGE_CAMPAIGNS)
    action = request.POST.get("action", "")
    try:
        if action == "add":
            if not can_edit:
                raise PermissionDenied
            services.campaign_asset_add(campaign=campaign, status=request.POST.get("status") or "planned",
                                        **_asset_fields(request))
        else:
            asset = selectors.campaign_asset(campaign=campaign, pk=parse_id(request.POST.get("asset")) or 0)
            if asset is None:
                raise Http404
            if action == "status":
                if not (can_edit or asset.owner_id == request.user.pk):
                    raise PermissionDenied
                services.campaign_asset_set_status(asset=asset, status=request.POST.get("status", ""))
            elif action == "edit":
                if not can_edit:
                    raise PermissionDenied
                services.campaign_asset_update(asset=asset, status=request.POST.get("status") or asset.status,
                                               **_asset_fields(request))
            else:
                raise Http404
        messages.success(request, _("Asset plan saved."))
    except ShopOpsError as exc:
        messages.error(request, f"{exc.detail} " + " ".join(e.message for e in exc.errors))
    return redirect(reverse("web:campaign_detail", args=[campaign.pk]) + "#assets")


# --- simulation and review ------------------------------------------------------------------------------------


@page_requires(roles.VIEW_CAMPAIGNS)
def campaign_simulate(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    show_costs = request.user.has_perm(roles.VIEW_COSTS)
    export = request.GET.get("export") == "xlsx"
    report = selectors.campaign_simulation(campaign=campaign, fen=export)  # the export writes numbers, not text
    if not show_costs:
        report = selectors.strip_costs(report)
    rows = report["rows"]
    for row in rows:
        row["flag_labels"] = [str(FLAG_LABELS[f]) for f in row["flags"]]
        row["scenario_label"] = _scenario_label(row["worst_scenario"])
        row["channel_label"] = channel_label(row["worst_channel"]) if row.get("worst_channel") else ""
    if export:
        columns = [Column("sku", _("SKU code"), lambda r: r["sku"]), Column("title", _("Title"), lambda r: r["title"]),
                   Column("price", _("List price"), lambda r: r["price"], money=True),
                   Column("pay", _("Worst-case price paid per unit"), lambda r: r["worst_unit_pay"], money=True),
                   Column("floor", _("Price floor"), lambda r: r["floor"], money=True),
                   Column("reference", _("Lowest recent price"), lambda r: r["reference_price"], money=True)]
        if show_costs:
            columns += [Column("margin", _("Margin per unit"), lambda r: r["margin"], money=True),
                        Column("rate", _("Margin rate"), lambda r: r["margin_rate"])]
        columns.append(Column("flags", _("Flags"), lambda r: ", ".join(r["flag_labels"])))
        return xlsx_response(filename=f"simulation-{campaign.pk}.xlsx", sheet=_("Simulation"), columns=columns,
                             rows=rows)
    flagged = [r for r in rows if r["flags"]]
    return render(request, "campaigns/simulate.html", {
        "campaign": campaign, "report": report, "rows": rows[:300], "flagged": len(flagged), "show_costs": show_costs,
        "flag_counts": [(FLAG_LABELS[k], v) for k, v in report["flag_counts"].items()],
    })


def _lesson_text(lesson: dict) -> str:
    params = {k: (_pct(v) if k in ("share", "attainment") else (", ".join(v) if isinstance(v, list) else v))
              for k, v in lesson.items()}
    if "amount" in params:
        params["amount"] = format_yuan(params["amount"])
    if "channel" in params:
        params["channel"] = channel_label(params["channel"])
    return str(LESSON_TEXT[lesson["code"]]) % params


SCENARIO_SHAPES = {"unit": gettext_lazy("One unit"), "basket": gettext_lazy("Typical basket")}


def _scenario_label(name: str) -> str:
    """A simulation scenario in words: 单件 · 会员 · 2026-10-31 20:00 (local time), from its JSON name."""
    shape, member, instant = simulation.scenario_parts(name)
    if instant is None:
        return name
    parts = [str(SCENARIO_SHAPES.get(shape, shape))]
    if member:
        parts.append(_("member price"))
    parts.append(date_format(localtime(instant), "Y-m-d H:i"))
    return " · ".join(parts)


@page_requires(roles.VIEW_CAMPAIGNS)
def campaign_review(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    report = selectors.campaign_review(campaign=campaign)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(review_workbook(report),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="review-{campaign.pk}.xlsx"'
        return response
    chart = {
        "x": [d["date"] for d in report["daily"]], "gmv": [d["gmv"] for d in report["daily"]],
        "baseline": [d["baseline_gmv"] for d in report["daily"]],
        "channels": [channel_label(c["channel"]) for c in report["channels"]],
        "channel_gmv": [c["gmv"] for c in report["channels"]],
        "channel_baseline": [c["baseline_gmv"] for c in report["channels"]],
        "labels": {"gmv": _("GMV (¥)"), "baseline": _("Baseline (same weekdays before)"),
                   "campaign": _("Campaign")},
    }
    kpi_labels = {"gmv": _("GMV"), "orders": _("Paid orders"), "buyers": _("Buyers"), "aov": _("AOV"),
                  "promotion_cost": _("Promotion cost (allocated discounts)"), "refunded": _("Refunded"),
                  "new_buyers": _("New buyers"), "returning_buyers": _("Returning buyers")}
    kpis = [{"label": kpi_labels[k], "value": v, "baseline": report["baseline"][k],
             "money": k in ("gmv", "aov", "promotion_cost", "refunded")} for k, v in report["kpis"].items()]
    for row in report["channels"]:
        row["label"] = channel_label(row["channel"])
    return render(request, "campaigns/review.html", {
        "campaign": campaign, "report": report, "kpis": kpis, "chart": chart,
        # the SKU table leaves order lines not matched to a SKU out (docs/rules/sku-matching.md#unmatched-lines)
        "unmatched_lines": order_selectors.unmatched_line_count(shop=campaign.shop, start=campaign.warmup_start,
                                                                end=campaign.return_end),
        "lessons": [_lesson_text(lesson) for lesson in report["lessons"]],
        "source_notes": [say(report[k]["note"]) for k in ("ads", "traffic") if report[k]["note"]],
        "goals": [(_("GMV"), report["goals"]["gmv"], True), (_("New buyers"), report["goals"]["new_buyers"], False),
                  (_("Visitors (UV)"), report["goals"]["uv"], False)],
    })


# --- lottery ------------------------------------------------------------------------------------------------


@page_requires(roles.VIEW_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_lottery(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    can_edit = request.user.has_perm(roles.CHANGE_CAMPAIGNS)
    errors: list = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        p = request.POST
        try:
            if p.get("action") == "draw":
                lottery = selectors.lottery_detail(campaign=campaign, pk=parse_id(p.get("lottery")) or 0)
                if lottery is None:
                    raise Http404
                services.lottery_draw(lottery=lottery, seed=p.get("seed", ""), actor=request.user)
                messages.success(request, _("Lottery drawn."))
            else:
                prizes = [{"name": n, "value": v, "count": c or 1}
                          for n, v, c in zip(p.getlist("prize_name"), p.getlist("prize_value"),
                                             p.getlist("prize_count"), strict=False) if n.strip() or v.strip()]
                lottery_in = inputs.lottery_input({"name": p.get("name", ""), "min_paid": p.get("min_paid") or "0",
                                                   "prizes": prizes})
                services.lottery_create(campaign=campaign, data=lottery_in, actor=request.user)
                messages.success(request, _("Lottery created."))
            return redirect("web:campaign_lottery", pk=campaign.pk)
        except ShopOpsError as exc:
            errors = [{"field": "", "message": exc.detail}, *[e.as_dict() for e in exc.errors]]
    show_customers = request.user.has_perm(roles.VIEW_CUSTOMERS)
    return render(request, "campaigns/lottery.html", {
        "campaign": campaign, "lotteries": campaign.lotteries.all(), "can_edit": can_edit, "errors": errors,
        "show_customers": show_customers, "cap": domain.LOTTERY_PRIZE_CAP_FEN,
    }, status=422 if errors else 200)
