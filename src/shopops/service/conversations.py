"""Chat KPIs from messages: sessions, waits, first and average response, 3-minute reply rate, PDD-style 有效回复率,
询单 and 询单转化率 — per agent and per channel (docs/rules/service-chats.md).

Pure code (no Django, no I/O): the selectors pass the stored messages and the buyers' paid times; the import uses
:func:`delimit_sessions` to cut an export without session ids. Every threshold is a field of :class:`ChatRules`;
how seconds are measured is the ``elapsed`` argument (wall clock by default, a business calendar if the caller
has one: docs/rules/service-chats.md#response-times).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from shopops.core.clock import DEFAULT_TZ, day_bounds, local_date

Side = Literal["buyer", "agent", "system"]
SIDES: tuple[str, ...] = ("buyer", "agent", "system")
Elapsed = Callable[[dt.datetime, dt.datetime], int]
GroupBy = Literal["agent", "channel", "shop"]  # "shop": one row, key ""


def wall_seconds(start: dt.datetime, end: dt.datetime) -> int:
    """Wall-clock seconds from ``start`` to ``end`` (the default measure of a response)."""
    return int((end - start).total_seconds())


@dataclass(frozen=True, slots=True)
class ChatRules:
    """The parameters of the rules, defaults as docs/rules/service-chats.md gives them."""

    session_gap_minutes: int = 30  # docs/rules/service-chats.md#sessions
    quick_reply_seconds: int = 180  # docs/rules/service-chats.md#reply-3min
    valid_reply_seconds: int = 3600  # docs/rules/service-chats.md#effective-reply
    reply_window: tuple[dt.time, dt.time] = (dt.time(8), dt.time(23))
    presale_lookback_hours: int = 24  # docs/rules/service-chats.md#inquiries
    conversion_days: int = 1  # docs/rules/service-chats.md#inquiry-conversion
    tz: str = DEFAULT_TZ


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message as the rules need it (the text is not needed)."""

    session: str
    side: str  # buyer | agent | system
    sent_at: dt.datetime
    buyer: str = ""
    agent: str = ""
    channel: str = ""


@dataclass(frozen=True, slots=True)
class Wait:
    """A buyer waiting for an agent: from the first unanswered buyer message to the next agent message."""

    started_at: dt.datetime
    answered_at: dt.datetime | None = None
    seconds: int | None = None  # None: unanswered


@dataclass(frozen=True, slots=True)
class SessionStats:
    """One session's figures; ``agent`` is the agent it belongs to (docs/rules/service-chats.md#sessions)."""

    session: str
    channel: str
    buyer: str
    agent: str
    started_at: dt.datetime
    ended_at: dt.datetime
    first_buyer_at: dt.datetime | None
    waits: tuple[Wait, ...]

    @property
    def first_response_seconds(self) -> int | None:
        """The first wait's response time (None: the buyer never wrote, or the first wait went unanswered)."""
        return self.waits[0].seconds if self.waits else None

    @property
    def response_seconds(self) -> tuple[int, ...]:
        return tuple(w.seconds for w in self.waits if w.seconds is not None)

    @property
    def average_response_seconds(self) -> float | None:
        answered = self.response_seconds
        return sum(answered) / len(answered) if answered else None


def delimit_sessions(messages: Sequence[tuple[str, dt.datetime, bool]], *, gap_minutes: int = 30) -> list[str]:
    """Session ids for an export without them: per buyer, a buyer's message after a silence longer than
    ``gap_minutes`` starts a new session; the shop's messages always join the buyer's current session (a late
    reply is a slow reply, not a new session). The id is the buyer and the session's first time (UTC), stable
    across re-imports. ``messages`` are (buyer, sent_at, from the buyer); the answer is parallel to them."""
    gap = dt.timedelta(minutes=gap_minutes)
    order = sorted(range(len(messages)), key=lambda i: (messages[i][0], messages[i][1], i))
    keys = [""] * len(messages)
    current, last_buyer, last_at = "", None, None
    for i in order:
        buyer, at, from_buyer = messages[i]
        if buyer != last_buyer or last_at is None or (from_buyer and at - last_at > gap):
            current = f"{buyer}@{at.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}"
        keys[i] = current
        last_buyer, last_at = buyer, at
    return keys


def session_stats(messages: Sequence[Message], *, elapsed: Elapsed = wall_seconds) -> SessionStats:
    """The figures of ONE session's messages (any order: sorted by time, ties kept in the given order)."""
    if not messages:
        raise ValueError("a session has at least one message")
    ordered = sorted(messages, key=lambda m: m.sent_at)  # stable: equal times keep the export's order
    waits: list[Wait] = []
    open_since: dt.datetime | None = None
    first_agent = ""
    for message in ordered:
        if message.side == "buyer":
            if open_since is None:
                open_since = message.sent_at
        elif message.side == "agent" and open_since is not None:
            waits.append(Wait(open_since, message.sent_at, max(0, elapsed(open_since, message.sent_at))))
            first_agent = first_agent or message.agent
            open_since = None
    if open_since is not None:
        waits.append(Wait(open_since))
    named = next((m.agent for m in ordered if m.agent), "")
    return SessionStats(
        session=ordered[0].session, channel=ordered[0].channel,
        buyer=next((m.buyer for m in ordered if m.buyer), ""), agent=first_agent or named,
        started_at=ordered[0].sent_at, ended_at=ordered[-1].sent_at,
        first_buyer_at=next((m.sent_at for m in ordered if m.side == "buyer"), None), waits=tuple(waits))


def sessions_of(messages: Iterable[Message], *, elapsed: Elapsed = wall_seconds) -> list[SessionStats]:
    """Each session's figures, in the order of their start."""
    grouped: dict[str, list[Message]] = {}
    for message in messages:
        grouped.setdefault(message.session, []).append(message)
    return sorted((session_stats(rows, elapsed=elapsed) for rows in grouped.values()),
                  key=lambda s: (s.started_at, s.session))


PaidTimes = Mapping[tuple[str, str], Sequence[dt.datetime]]  # (channel, buyer) → paid instants, sorted


def _paid_between(paid: Sequence[dt.datetime], start: dt.datetime, end: dt.datetime) -> bool:
    """Whether a paid instant lies in [start, end) (``paid`` sorted)."""
    index = bisect.bisect_left(paid, start)
    return index < len(paid) and paid[index] < end


def is_inquiry(stats: SessionStats, paid: PaidTimes, rules: ChatRules = ChatRules()) -> bool:
    """The buyer wrote and had paid no order of the channel in the lookback before
    (docs/rules/service-chats.md#inquiries)."""
    if stats.first_buyer_at is None:
        return False
    times = paid.get((stats.channel, stats.buyer), ())
    start = stats.first_buyer_at - dt.timedelta(hours=rules.presale_lookback_hours)
    return not _paid_between(times, start, stats.first_buyer_at)


def converted(channel: str, buyer: str, asked_at: dt.datetime, paid: PaidTimes,
              rules: ChatRules = ChatRules()) -> bool:
    """The buyer paid on the channel from ``asked_at`` to the end of the window's last local day
    (docs/rules/service-chats.md#inquiry-conversion)."""
    return _paid_between(paid.get((channel, buyer), ()), asked_at, conversion_end(asked_at, rules))


def conversion_end(asked_at: dt.datetime, rules: ChatRules = ChatRules()) -> dt.datetime:
    """Where an inquiry's conversion window ends: the end of its last local day."""
    last_day = local_date(asked_at, rules.tz) + dt.timedelta(days=rules.conversion_days - 1)
    return day_bounds(last_day, rules.tz)[1]


def _in_window(moment: dt.datetime, rules: ChatRules) -> bool:
    """Whether a wait started inside the daily reply window, in the shop's time zone."""
    local = moment.astimezone(ZoneInfo(rules.tz)).time()
    opens, closes = rules.reply_window
    return opens <= local < closes


@dataclass(slots=True)
class ChatKpi:
    """The figures of one agent or channel over the sessions given (rates in 0..1, None when nothing to
    measure)."""

    key: str
    sessions: int = 0
    answered_sessions: int = 0
    first_response_avg_seconds: float | None = None
    first_response_p50_seconds: int | None = None
    response_avg_seconds: float | None = None
    waits: int = 0
    quick_replies: int = 0
    inquiries: int = 0
    converted: int = 0
    effective_units: int = 0
    effective_valid: int = 0
    _firsts: list[int] = field(default_factory=list, repr=False)
    _responses: list[int] = field(default_factory=list, repr=False)

    @property
    def reply_3min_rate(self) -> float | None:
        return self.quick_replies / self.waits if self.waits else None

    @property
    def inquiry_conversion(self) -> float | None:
        return self.converted / self.inquiries if self.inquiries else None

    @property
    def effective_reply_rate(self) -> float | None:
        return self.effective_valid / self.effective_units if self.effective_units else None

    def as_dict(self, name: str) -> dict[str, object]:
        """The JSON shape (``name``: "agent" or "channel")."""
        def rate(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        def secs(value: float | None) -> float | None:
            return None if value is None else round(value, 1)

        return {name: self.key, "sessions": self.sessions, "answered_sessions": self.answered_sessions,
                "first_response_avg_seconds": secs(self.first_response_avg_seconds),
                "first_response_p50_seconds": self.first_response_p50_seconds,
                "response_avg_seconds": secs(self.response_avg_seconds), "waits": self.waits,
                "reply_3min_rate": rate(self.reply_3min_rate), "inquiries": self.inquiries,
                "converted": self.converted, "inquiry_conversion": rate(self.inquiry_conversion),
                "effective_reply_units": self.effective_units, "effective_reply_valid": self.effective_valid,
                "effective_reply_rate": rate(self.effective_reply_rate)}


def p50(values: Sequence[int]) -> int | None:
    """Nearest-rank median: the ⌈n/2⌉-th smallest (docs/rules/service-chats.md#response-times)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) + 1) // 2 - 1]


InquiryUnit = tuple[str, str, dt.date]  # channel, buyer, local day


def inquiry_units(sessions: Sequence[SessionStats], paid: PaidTimes,
                  rules: ChatRules = ChatRules()) -> dict[InquiryUnit, tuple[dt.datetime, SessionStats]]:
    """Each 询单 buyer-day with the moment the buyer first wrote and the session it started in (the agent it
    counts for) — one home for what a 询单 is, read by the KPIs and by the orders' attribution."""
    asked: dict[InquiryUnit, tuple[dt.datetime, SessionStats]] = {}
    for stats in sessions:
        if stats.first_buyer_at is not None and is_inquiry(stats, paid, rules):
            unit = (stats.channel, stats.buyer, local_date(stats.first_buyer_at, rules.tz))
            if unit not in asked or stats.first_buyer_at < asked[unit][0]:
                asked[unit] = (stats.first_buyer_at, stats)
    return asked


def converted_orders(sessions: Sequence[SessionStats], paid: PaidTimes,
                     orders: Mapping[tuple[str, str], Sequence[tuple[dt.datetime, int]]],
                     rules: ChatRules = ChatRules()) -> dict[str, set[int]]:
    """Per agent, the orders its 询单 converted: those the buyer paid on the channel from the moment they asked
    to the end of the conversion window (赤兔's 客服销售额 attribution: the agent who served the inquiry is
    credited with what it sold; docs/rules/service-chats.md#agent-orders). ``orders``: (channel, buyer) →
    (paid at, order id)."""
    credited: dict[str, set[int]] = {}
    for (channel, buyer, _day), (at, stats) in inquiry_units(sessions, paid, rules).items():
        end = conversion_end(at, rules)
        won = {pk for paid_at, pk in orders.get((channel, buyer), ()) if at <= paid_at < end}
        if won:
            credited.setdefault(stats.agent, set()).update(won)
    return credited


def chat_kpis(sessions: Sequence[SessionStats], paid: PaidTimes, *, by: GroupBy,
              rules: ChatRules = ChatRules()) -> list[ChatKpi]:
    """Per agent, per channel or for the whole shop: sessions, first response (avg, p50), average response, 3-minute reply rate,
    询单 buyer-days and how many converted, 有效回复率 — each buyer-day counted once, for the session it
    started in (docs/rules/service-chats.md). Sorted by key."""
    kpis: dict[str, ChatKpi] = {}

    def kpi(stats: SessionStats) -> ChatKpi:
        key = stats.agent if by == "agent" else stats.channel if by == "channel" else ""
        found = kpis.get(key)
        if found is None:
            found = kpis[key] = ChatKpi(key)
        return found

    asked = inquiry_units(sessions, paid, rules)
    effective: dict[tuple[str, str, dt.date], tuple[dt.datetime, SessionStats, bool]] = {}
    for stats in sessions:
        row = kpi(stats)
        row.sessions += 1
        first = stats.first_response_seconds
        if first is not None:
            row.answered_sessions += 1
            row._firsts.append(first)
        row._responses.extend(stats.response_seconds)
        row.waits += len(stats.waits)
        row.quick_replies += sum(1 for w in stats.waits
                                 if w.seconds is not None and w.seconds <= rules.quick_reply_seconds)
        for wait in stats.waits:
            if not _in_window(wait.started_at, rules):
                continue
            unit = (stats.channel, stats.buyer, local_date(wait.started_at, rules.tz))
            bad = wait.seconds is None or wait.seconds > rules.valid_reply_seconds
            earlier = effective.get(unit)
            if earlier is None:
                effective[unit] = (wait.started_at, stats, bad)
            else:
                keep = (wait.started_at, stats) if wait.started_at < earlier[0] else earlier[:2]
                effective[unit] = (*keep, earlier[2] or bad)
    for (channel, buyer, _day), (at, stats) in asked.items():
        row = kpi(stats)
        row.inquiries += 1
        row.converted += converted(channel, buyer, at, paid, rules)
    for _at, stats, bad in effective.values():
        row = kpi(stats)
        row.effective_units += 1
        row.effective_valid += not bad
    for row in kpis.values():
        row.first_response_avg_seconds = sum(row._firsts) / len(row._firsts) if row._firsts else None
        row.first_response_p50_seconds = p50(row._firsts)
        row.response_avg_seconds = sum(row._responses) / len(row._responses) if row._responses else None
    return [kpis[key] for key in sorted(kpis)]
