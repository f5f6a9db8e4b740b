"""Reads of returns (售后): the list, one return, and returns by status, by reason and by SKU over a period
("top return reasons for this SKU", for the product pages). Rejected requests are listed but not counted in
the by-reason and by-SKU figures: they returned nothing (docs/rules/returns.md#figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from shopops.channels.labels import channel_label
from shopops.core.i18n import say
from shopops.core.models import Shop
from shopops.core.money import format_fen
from shopops.service import return_rules as rules
from shopops.service.models import ReturnLine, ReturnReason, ReturnRequest

MAX_TOP = 50


def refund_waits(*, shop: Shop, **filters: Any) -> list[tuple[int, int]]:
    """``(order id, seconds from the request to the refund)`` of each refunded return matching ``filters``
    (docs/rules/returns.md#figures: the refund time of the service dashboard and of each agent's orders)."""
    refunded = ReturnRequest.objects.filter(shop=shop, status=rules.REFUNDED, completed_at__isnull=False,
                                            **filters)
    return [(order_id, int((done - asked).total_seconds()))
            for order_id, asked, done in refunded.values_list("order_id", "requested_at", "completed_at")
            if done is not None]  # the filter guarantees it; the type does not say so


def reason_label(reason: ReturnReason) -> str:
    """A reason's name in the user's language: the shop's own name, else the built-in one translated."""
    if reason.name:
        return reason.name
    text = rules.REASONS.get(reason.code)
    return say(text) if text is not None else reason.code


def return_reasons(*, shop: Shop) -> QuerySet[ReturnReason]:
    return ReturnReason.objects.filter(shop=shop, active=True)


def return_list(*, shop: Shop, status: str = "", kind: str = "", reason: str = "", channel: str = "",
                q: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None,
                order_id: int | None = None) -> QuerySet[ReturnRequest]:
    """The shop's returns, newest first, filtered; ``q`` matches the order number or the platform's number."""
    qs = ReturnRequest.objects.filter(shop=shop).select_related("reason", "order")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if reason:
        qs = qs.filter(reason__code=reason)
    if channel:
        qs = qs.filter(channel=channel)
    if order_id is not None:
        qs = qs.filter(order_id=order_id)
    if q:
        qs = qs.filter(Q(order__order_no__icontains=q) | Q(external_no__icontains=q))
    if date_from:
        qs = qs.filter(requested_date__gte=date_from)
    if date_to:
        qs = qs.filter(requested_date__lte=date_to)
    return qs


def return_detail(*, shop: Shop, pk: int) -> ReturnRequest | None:
    return (ReturnRequest.objects.filter(shop=shop, pk=pk).select_related("reason", "order")
            .prefetch_related(Prefetch("lines", queryset=ReturnLine.objects.select_related("sku", "exchange_sku")))
            .first())


def _counted_lines(shop: Shop, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet[ReturnLine]:
    lines = ReturnLine.objects.filter(shop=shop).exclude(request__status=rules.REJECTED)
    if date_from:
        lines = lines.filter(request__requested_date__gte=date_from)
    if date_to:
        lines = lines.filter(request__requested_date__lte=date_to)
    return lines


def _by_reason(lines: QuerySet[ReturnLine], limit: int | None = None) -> list[dict[str, Any]]:
    rows = (lines.values("request__reason_id").annotate(
        returns=Count("request_id", distinct=True), units=Sum("qty"), refunded_fen=Sum("refunded_fen"))
        .order_by("-returns", "-units", "request__reason_id"))
    found = list(rows if limit is None else rows[:limit])
    reasons = ReturnReason.objects.in_bulk([row["request__reason_id"] for row in found])
    return [{"reason": reasons[row["request__reason_id"]].code, "name": reason_label(reasons[row["request__reason_id"]]),
             "returns": row["returns"], "units": row["units"] or 0, "refunded_fen": row["refunded_fen"] or 0}
            for row in found]


def returns_by_reason(*, shop: Shop, date_from: dt.date | None = None,
                      date_to: dt.date | None = None) -> list[dict[str, Any]]:
    """Per reason: returns, units and money refunded (requests of the period, rejected ones left out)."""
    return _by_reason(_counted_lines(shop, date_from, date_to))


def returns_by_sku(*, shop: Shop, date_from: dt.date | None = None, date_to: dt.date | None = None,
                   limit: int = MAX_TOP) -> list[dict[str, Any]]:
    """Per SKU (returned lines without a SKU left out): returns, units, money refunded, most returns first."""
    rows = (_counted_lines(shop, date_from, date_to).filter(sku__isnull=False)
            .values("sku_id", "sku__sku_code").annotate(
                returns=Count("request_id", distinct=True), units=Sum("qty"), refunded_fen=Sum("refunded_fen"))
            .order_by("-returns", "-units", "sku_id")[:limit])
    return [{"sku_id": row["sku_id"], "sku_code": row["sku__sku_code"], "returns": row["returns"],
             "units": row["units"] or 0, "refunded_fen": row["refunded_fen"] or 0} for row in rows]


def top_return_reasons(shop: Shop, sku_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None,
                       limit: int = 3) -> list[dict[str, Any]]:
    """The most frequent return reasons of one SKU over a period (all time by default): what a product page
    shows beside the SKU ({reason, name, returns, units, refunded_fen}, most returns first)."""
    return _by_reason(_counted_lines(shop, date_from, date_to).filter(sku_id=sku_id), limit=max(1, min(limit, MAX_TOP)))


def returns_by_status(*, shop: Shop) -> list[dict[str, Any]]:
    """Per status, in the flow's order: returns, money asked and money refunded."""
    asked = dict(ReturnLine.objects.filter(shop=shop).values("request__status").annotate(s=Sum("amount_fen"))
                 .values_list("request__status", "s"))
    rows = {row["status"]: row for row in ReturnRequest.objects.filter(shop=shop).values("status").annotate(
        returns=Count("id"), refunded_fen=Sum("refunded_fen"))}
    return [{"status": status, "name": say(label), "returns": rows[status]["returns"],
             "asked_fen": asked.get(status) or 0, "refunded_fen": rows[status]["refunded_fen"] or 0}
            for status, label in rules.STATUSES.items() if status in rows]


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def return_dict(request: ReturnRequest, *, with_lines: bool = True) -> dict[str, Any]:
    """A return as the API and the CLI give it: codes with their names in the user's language, money as
    strings with two decimals, times in ISO 8601."""
    lines = list(request.lines.all()) if with_lines else []
    out: dict[str, Any] = {
        "id": request.pk, "order_id": request.order_id, "order_no": request.order.order_no,
        "channel": request.channel, "channel_name": channel_label(request.channel),
        "kind": request.kind, "kind_name": say(rules.KINDS[request.kind]),
        "reason": request.reason.code, "reason_name": reason_label(request.reason),
        "status": request.status, "status_name": say(rules.STATUSES[request.status]),
        "note": request.note, "reject_reason": request.reject_reason,
        "logistics_company": request.logistics_company, "logistics_no": request.logistics_no,
        "external_no": request.external_no, "requested_at": _when(request.requested_at),
        "decided_at": _when(request.decided_at), "shipped_at": _when(request.shipped_at),
        "received_at": _when(request.received_at), "completed_at": _when(request.completed_at),
        "refunded": format_fen(request.refunded_fen),
    }
    if with_lines:
        out["asked"] = format_fen(sum(line.amount_fen for line in lines))
        out["lines"] = [{
            "id": line.pk, "order_line_id": line.order_line_id, "sku_code": line.sku.sku_code if line.sku else None,
            "title": line.title, "qty": line.qty, "amount": format_fen(line.amount_fen),
            "refunded": format_fen(line.refunded_fen), "condition": line.condition,
            "exchange_sku_code": line.exchange_sku.sku_code if line.exchange_sku else None,
        } for line in lines]
    return out
