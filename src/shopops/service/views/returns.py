"""The returns pages (售后): the list with its filters, one return with the step its status allows next
(approve, reject with a reason, returned with the tracking number, received with each line sellable or
defective, refund, exchange) and its history, a new return from an order, and the returns of one SKU with
its top reasons (the SKU page links here: catalog and inventory are below service and cannot show it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.catalog.selectors import sku_by_code
from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_options
from shopops.core import roles
from shopops.core.domain import parse_amount
from shopops.core.errors import FieldError, InvalidInput, ShopOpsError
from shopops.core.i18n import say
from shopops.core.models import Shop
from shopops.core.money import MoneyError
from shopops.orders import selectors as order_selectors
from shopops.service import return_rules as rules
from shopops.service import selectors, services
from shopops.service.models import ReturnRequest
from shopops.service.views.common import page_period
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.params import local_time, query_date, tell_bad_query
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column

FROM, TO = gettext_lazy("Requested from"), gettext_lazy("Requested to")


def _link(r: ReturnRequest) -> str:
    return reverse("web:service_return", args=[r.pk])


COLUMNS = [
    Column("id", gettext_lazy("Return no."), lambda r: f"#{r.pk}", link=_link),
    Column("order_no", gettext_lazy("Order number"), lambda r: r.order.order_no,
           link=lambda r: reverse("web:order_detail", args=[r.order_id])),
    Column("channel", gettext_lazy("Channel"), lambda r: channel_label(r.channel)),
    Column("kind", gettext_lazy("Type"), lambda r: say(rules.KINDS[r.kind])),
    Column("reason", gettext_lazy("Reason"), lambda r: selectors.reason_label(r.reason)),
    Column("status", gettext_lazy("Status"), lambda r: say(rules.STATUSES[r.status])),
    Column("requested_at", gettext_lazy("Requested at"), lambda r: local_time(r.requested_at)),
    Column("refunded", gettext_lazy("Refunded"), lambda r: r.refunded_fen, money=True),
]


def reason_options(shop: Shop) -> list[tuple[str, str]]:
    services.return_reasons_ensure(shop=shop)
    return [(r.code, selectors.reason_label(r)) for r in selectors.return_reasons(shop=shop)]


@page_requires(roles.VIEW_REFUNDS)
def service_returns(request: HttpRequest) -> HttpResponse:
    g = request.GET
    date_from, date_to = query_date(request, "date_from", label=FROM), query_date(request, "date_to", label=TO)
    if date_from and date_to and date_to < date_from:
        tell_bad_query(request, TO, _("The end date is before the start date."))
        date_to = None
    qs = selectors.return_list(shop=request.shop, status=g.get("status", ""), kind=g.get("kind", ""),
                               reason=g.get("reason", ""), channel=g.get("channel", ""), q=g.get("q", "")[:100],
                               date_from=date_from, date_to=date_to)
    page = ListPage(
        title=gettext_lazy("Returns"), columns=COLUMNS,
        filters=[
            Filter("status", gettext_lazy("Status"), [(k, say(v)) for k, v in rules.STATUSES.items()]),
            Filter("kind", gettext_lazy("Type"), [(k, say(v)) for k, v in rules.KINDS.items()]),
            Filter("reason", gettext_lazy("Reason"), reason_options(request.shop)),
            Filter("channel", gettext_lazy("Channel"), channel_options()),
            Filter("date_from", FROM, kind="date"), Filter("date_to", TO, kind="date"),
        ],
        export_name="returns", search_placeholder=gettext_lazy("Order number, after-sale number"),
        empty_text=gettext_lazy("No returns yet: they are created from an order's page or imported from the "
                                "platforms' after-sale exports."),
    )
    return render_list(request, page, qs, "")


def _history(r: ReturnRequest) -> list[tuple[str, str]]:
    decided = _("Rejected") if r.status == rules.REJECTED else _("Approved")
    steps = [(_("Requested"), r.requested_at), (decided, r.decided_at), (_("Returned by the buyer"), r.shipped_at),
             (_("Received and inspected"), r.received_at), (say(rules.STATUSES[r.status]), r.completed_at)]
    return [(name, local_time(at)) for name, at in steps if at is not None]


@page_requires(roles.VIEW_REFUNDS)
def service_return(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.return_detail(shop=request.shop, pk=pk)
    if found is None:
        raise Http404
    if request.method == "POST":
        return _step(request, found)
    lines = list(found.lines.all())
    context: dict[str, Any] = {
        "r": found, "lines": lines, "tab": "returns", "channel_name": channel_label(found.channel),
        "kind_name": say(rules.KINDS[found.kind]), "status_name": say(rules.STATUSES[found.status]),
        "reason_name": selectors.reason_label(found.reason), "history": _history(found),
        "asked_fen": sum(line.amount_fen for line in lines), "next": rules.next_statuses(found.kind, found.status),
        "conditions": [(k, say(v)) for k, v in rules.CONDITIONS.items()],
        "condition_names": {k: say(v) for k, v in rules.CONDITIONS.items()},
        "can_change": request.user.has_perm(roles.CHANGE_REFUNDS),
    }
    return render(request, "service/return_detail.html", context)


def _step(request: HttpRequest, found: ReturnRequest) -> HttpResponse:
    if not request.user.has_perm(roles.CHANGE_REFUNDS):
        raise PermissionDenied
    p, shop, actor = request.POST, request.shop, request.user
    action = p.get("action", "")
    steps = {
        "approve": lambda: services.return_approve(shop=shop, return_id=found.pk, actor=actor),
        "reject": lambda: services.return_reject(shop=shop, return_id=found.pk, reason=p.get("reason", ""),
                                                 actor=actor),
        "ship": lambda: services.return_ship(shop=shop, return_id=found.pk, actor=actor,
                                             logistics_company=p.get("logistics_company", ""),
                                             logistics_no=p.get("logistics_no", "")),
        "receive": lambda: services.return_receive(shop=shop, return_id=found.pk, actor=actor, conditions={
            line.pk: p.get(f"condition_{line.pk}", rules.SELLABLE) for line in found.lines.all()}),
        "refund": lambda: services.return_refund(shop=shop, return_id=found.pk, actor=actor),
        "exchange": lambda: services.return_exchange(shop=shop, return_id=found.pk, actor=actor),
    }
    step = steps.get(action)
    if step is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            step()
            messages.success(request, _("Saved: the return is now %(status)s.") % {
                "status": say(rules.STATUSES[ReturnRequest.objects.get(pk=found.pk).status])})
        except ShopOpsError as exc:
            messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))
    return redirect("web:service_return", pk=found.pk)


def _wanted(request: HttpRequest, lines: list[services.ReturnableLine]) -> list[services.ReturnLineInput]:
    """The lines the form asks to return (a quantity above 0), with an amount when one was typed."""
    p, out, errors = request.POST, [], []
    for index, line in enumerate(lines):
        text = p.get(f"qty_{line.line_id}", "").strip()
        if not text or text == "0":
            continue
        if not text.isdigit():
            errors.append(FieldError(f"lines[{index}].qty", _("Enter a whole number of units.")))
            continue
        amount_text, amount = p.get(f"amount_{line.line_id}", "").strip(), None
        if amount_text:
            try:
                amount = parse_amount(amount_text)
            except MoneyError:
                errors.append(FieldError(f"lines[{index}].amount", _("Enter an amount like 129.00.")))
                continue
        out.append(services.ReturnLineInput(line.line_id, int(text), amount, p.get(f"exchange_{line.line_id}", "")))
    if errors:
        raise InvalidInput(_("The return was not created."), errors)
    return out


@page_requires(roles.CHANGE_REFUNDS)
def service_return_new(request: HttpRequest, order_id: int) -> HttpResponse:
    order = order_selectors.order_detail(shop=request.shop, pk=order_id)
    if order is None:
        raise Http404
    lines = services.returnable_lines(shop=request.shop, order_id=order.pk)
    problem: ShopOpsError | None = None
    if request.method == "POST":
        try:
            created, _new = services.return_request(
                shop=request.shop, order_id=order.pk, kind=request.POST.get("kind", ""),
                reason=request.POST.get("reason", ""), lines=_wanted(request, lines),
                note=request.POST.get("note", ""), actor=request.user)
            messages.success(request, _("Return #%(id)s created.") % {"id": created.pk})
            return redirect("web:service_return", pk=created.pk)
        except ShopOpsError as exc:
            problem = exc
    return render(request, "service/return_new.html", {
        "order": order, "lines": lines, "tab": "returns", "channel_name": channel_label(order.channel),
        "kinds": [(k, say(v)) for k, v in rules.KINDS.items()], "reasons": reason_options(request.shop),
        "problem": problem, "posted": request.POST, "exchange": rules.EXCHANGE,
    }, status=422 if problem else 200)


@page_requires(roles.VIEW_REFUNDS)
def service_sku_returns(request: HttpRequest, code: str) -> HttpResponse:
    sku = sku_by_code(shop=request.shop, sku_code=code)
    if sku is None:
        raise Http404
    start, end = page_period(request, default_days=365)
    return render(request, "service/sku_returns.html", {
        "sku": sku, "tab": "returns", "start": start, "end": end,
        "reasons": selectors.top_return_reasons(request.shop, sku.pk, date_from=start, date_to=end, limit=10),
    })
