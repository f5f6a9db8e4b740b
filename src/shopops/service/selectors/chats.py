"""Reads of chats: the KPIs per agent and per channel over a period, and the orders a session's buyer paid
(docs/rules/service-chats.md).

A session's buyer is known as an order's buyer when the session was linked to a customer (by the buyer nick at
import, or by hand) or when the nick is the buyer's id on the session's channel now (an order import after the
chat import); then that customer's orders on the same channel are the buyer's paid times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from shopops.analytics.selectors.metrics import parse_period
from shopops.core.clock import day_bounds, local_date, today
from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop
from shopops.members import selectors as member_selectors
from shopops.orders import selectors as order_selectors
from shopops.service.conversations import (
    ChatRules,
    GroupBy,
    Message,
    PaidTimes,
    SessionStats,
    chat_kpis,
    converted_orders,
    p50,
    sessions_of,
)
from shopops.service.models import ChatMessage, ChatSession
from shopops.service.selectors.returns import refund_waits

DEFAULT_DAYS = 30


def chat_period(*, shop: Shop, date_from: object = None, date_to: object = None) -> tuple[dt.date, dt.date]:
    """The period asked (both dates, checked as every analytics period), or by default the 30 days up to the
    last chat's day (today when there is none)."""
    if date_from in (None, "") and date_to in (None, ""):
        last = ChatSession.objects.filter(shop=shop).order_by("-started_at").values_list("started_at", flat=True)
        end = local_date(last[0], shop.timezone) if last else today(shop.timezone)
        return end - dt.timedelta(days=DEFAULT_DAYS - 1), end
    errors = ErrorCollector()
    period = parse_period(date_from, date_to, errors=errors)
    errors.raise_if_any(_("The period is not valid."))
    assert period is not None
    return period


def _sessions(shop: Shop, start: dt.date, end: dt.date) -> list[Mapping[str, Any]]:
    first, last = day_bounds(start, shop.timezone)[0], day_bounds(end, shop.timezone)[1]
    return list(ChatSession.objects.filter(shop=shop, started_at__gte=first, started_at__lt=last)
                .values("pk", "session_id", "channel", "buyer_nick", "customer_id", "agent"))


def _messages(sessions: Sequence[Mapping[str, Any]]) -> list[Message]:
    heads = {s["pk"]: s for s in sessions}
    keys = list(heads)
    out: list[Message] = []
    for start in range(0, len(keys), 900):
        for session_id, side, agent, sent_at in ChatMessage.objects.filter(
                session_id__in=keys[start : start + 900]).order_by("session_id", "seq").values_list(
                "session_id", "side", "agent", "sent_at"):
            head = heads[session_id]
            out.append(Message(session=f"{head['channel']}:{head['session_id']}", side=side, sent_at=sent_at,
                               buyer=head["buyer_nick"], agent=agent or head["agent"], channel=head["channel"]))
    return out


def _customers(shop: Shop, sessions: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], int]:
    """(channel, buyer nick) → customer id: the sessions' links, else the buyer's id on the channel."""
    found: dict[tuple[str, str], int] = {}
    unlinked: dict[str, set[str]] = {}
    for session in sessions:
        key = (session["channel"], session["buyer_nick"])
        if session["customer_id"] is not None:
            found.setdefault(key, session["customer_id"])
        else:
            unlinked.setdefault(session["channel"], set()).add(session["buyer_nick"])
    for channel, nicks in unlinked.items():
        for nick, customer_id in member_selectors.customer_ids_by_channel_id(
                shop=shop, channel=channel, external_ids=nicks - {n for c, n in found if c == channel}).items():
            found[(channel, nick)] = customer_id
    return found


def _paid_orders(shop: Shop, buyers: dict[tuple[str, str], int], start: dt.datetime, end: dt.datetime
                 ) -> dict[tuple[str, str], list[order_selectors.PaidOrder]]:
    """(channel, buyer nick) → the orders that buyer paid on that channel in [start, end), by payment time."""
    keys_of: dict[int, list[tuple[str, str]]] = {}
    for key, customer_id in buyers.items():
        keys_of.setdefault(customer_id, []).append(key)
    paid: dict[tuple[str, str], list[order_selectors.PaidOrder]] = {}
    for order in order_selectors.paid_orders_of_customers(shop=shop, customer_ids=keys_of, start=start, end=end):
        for channel, nick in keys_of[order.customer_id]:
            if channel == order.channel:
                paid.setdefault((channel, nick), []).append(order)
    return paid


def _chat_world(shop: Shop, start: dt.date, end: dt.date, rules: ChatRules
                ) -> tuple[list[SessionStats], dict[tuple[str, str], list[order_selectors.PaidOrder]]]:
    """The sessions started in [start, end] (local days) with their figures, and their buyers' paid orders over
    the lookback before and the conversion window after."""
    sessions = _sessions(shop, start, end)
    stats = sessions_of(_messages(sessions))
    buyers = _customers(shop, sessions)
    first = day_bounds(start, rules.tz)[0] - dt.timedelta(hours=rules.presale_lookback_hours)
    last = day_bounds(end + dt.timedelta(days=rules.conversion_days), rules.tz)[1]
    return stats, _paid_orders(shop, buyers, first, last)


def _times(orders: Mapping[tuple[str, str], Sequence[order_selectors.PaidOrder]]) -> PaidTimes:
    return {key: [o.paid_at for o in found] for key, found in orders.items()}


def chat_stats(*, shop: Shop, start: dt.date, end: dt.date, rules: ChatRules
               ) -> tuple[list[SessionStats], PaidTimes]:
    """The sessions started in [start, end] (local days) with their figures, and their buyers' paid times over
    the lookback before and the conversion window after."""
    stats, orders = _chat_world(shop, start, end, rules)
    return stats, _times(orders)


def agent_refund_figures(*, shop: Shop, date_from: object = None, date_to: object = None,
                         rules: ChatRules | None = None) -> dict[str, dict[str, Any]]:
    """Per agent, the refunds of the orders its 询单 converted (docs/rules/service-chats.md#agent-orders): how
    many orders, their paid and refunded fen, the refund rate (refunded ÷ paid, None without orders) and the
    median seconds from a return's request to its refund on those orders (None when none was refunded)."""
    start, end = chat_period(shop=shop, date_from=date_from, date_to=date_to)
    rules = rules or ChatRules(tz=shop.timezone)
    stats, orders = _chat_world(shop, start, end, rules)
    credited = converted_orders(stats, _times(orders), {k: [(o.paid_at, o.pk) for o in v] for k, v in orders.items()},
                                rules)
    money = {o.pk: o for found in orders.values() for o in found}
    waited: dict[int, list[int]] = {}
    for order_id, seconds in refund_waits(shop=shop,
                                          order_id__in=list({pk for ids in credited.values() for pk in ids})):
        waited.setdefault(order_id, []).append(seconds)
    out: dict[str, dict[str, Any]] = {}
    for agent, ids in credited.items():
        paid = sum(money[pk].paid_fen for pk in ids)
        refunded = sum(money[pk].refunded_fen for pk in ids)
        out[agent] = {"orders": len(ids), "paid_fen": paid, "refunded_fen": refunded,
                      "refund_rate": round(refunded / paid, 4) if paid else None,
                      "refund_p50_seconds": p50([s for pk in ids for s in waited.get(pk, [])])}
    return out


def chat_kpis_report(*, shop: Shop, date_from: object = None, date_to: object = None,
                     rules: ChatRules | None = None) -> dict[str, object]:
    """``{"from", "to", "total", "agents": [...], "channels": [...]}``: each row the figures of
    ``ChatKpi.as_dict`` (seconds, rates in 0..1 or None); an unassigned session's agent is ""."""
    start, end = chat_period(shop=shop, date_from=date_from, date_to=date_to)
    rules = rules or ChatRules(tz=shop.timezone)
    stats, paid = chat_stats(shop=shop, start=start, end=end, rules=rules)

    def rows(by: GroupBy) -> list[dict[str, object]]:
        return [kpi.as_dict(by) for kpi in chat_kpis(stats, paid, by=by, rules=rules)]

    total = {k: v for k, v in rows("shop")[0].items() if k != "shop"} if stats else None
    return {"from": start.isoformat(), "to": end.isoformat(), "total": total, "agents": rows("agent"),
            "channels": rows("channel")}


def chat_session_orders(*, shop: Shop, pk: int, rules: ChatRules | None = None) -> list[order_selectors.PaidOrder]:
    """The orders the session's buyer paid on its channel from the lookback before the session to the end of
    the conversion window (empty when the buyer is not known as a customer)."""
    rules = rules or ChatRules(tz=shop.timezone)
    session = ChatSession.objects.filter(shop=shop, pk=pk).values(
        "pk", "session_id", "channel", "buyer_nick", "customer_id", "agent", "started_at").first()
    if session is None:
        return []
    customer = _customers(shop, [session]).get((session["channel"], session["buyer_nick"]))
    if customer is None:
        return []
    start = session["started_at"] - dt.timedelta(hours=rules.presale_lookback_hours)
    last_day = local_date(session["started_at"], rules.tz) + dt.timedelta(days=rules.conversion_days - 1)
    return [o for o in order_selectors.paid_orders_of_customers(
        shop=shop, customer_ids=[customer], start=start, end=day_bounds(last_day, rules.tz)[1])
        if o.channel == session["channel"]]


def chats_for_export(*, shop: Shop, channel: str, limit: int | None = None) -> list[dict]:
    """The channel's newest sessions with their messages in order (``{"session_id", "buyer_nick", "messages":
    [{"side", "agent", "sent_at", "text"}]}``): what a sample export writes back."""
    sessions = list(ChatSession.objects.filter(shop=shop, channel=channel).order_by("-started_at", "-pk")
                    .values("pk", "session_id", "buyer_nick")[:limit])
    messages: dict[int, list[dict]] = {s["pk"]: [] for s in sessions}
    keys = list(messages)
    for start in range(0, len(keys), 900):
        for session_id, side, agent, sent_at, text in ChatMessage.objects.filter(
                session_id__in=keys[start : start + 900]).order_by("session_id", "seq").values_list(
                "session_id", "side", "agent", "sent_at", "text"):
            messages[session_id].append({"side": side, "agent": agent, "sent_at": sent_at, "text": text})
    return [{**s, "messages": messages[s["pk"]]} for s in reversed(sessions)]
