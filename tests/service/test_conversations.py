"""The chat rules (docs/rules/service-chats.md) on hand-computed vectors, and their invariants under Hypothesis."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.service.conversations import (
    ChatRules,
    Message,
    chat_kpis,
    converted,
    delimit_sessions,
    is_inquiry,
    p50,
    session_stats,
    sessions_of,
)

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=SH)


def msg(session: str, side: str, when: dt.datetime, *, buyer: str = "b", agent: str = "",
        channel: str = "taobao") -> Message:
    return Message(session=session, side=side, sent_at=when, buyer=buyer, agent=agent, channel=channel)


SESSION = [
    msg("s1", "buyer", at(10, 10, 0, 0)),
    msg("s1", "system", at(10, 10, 0, 5), agent="店小蜜"),  # an auto reply: the clock runs on
    msg("s1", "buyer", at(10, 10, 0, 30)),
    msg("s1", "agent", at(10, 10, 1, 0), agent="小美"),  # 60 s
    msg("s1", "buyer", at(10, 10, 5, 0)),
    msg("s1", "agent", at(10, 10, 7, 0), agent="小美"),  # 120 s
    msg("s1", "buyer", at(10, 10, 20, 0)),
    msg("s1", "agent", at(10, 10, 30, 0), agent="阿强"),  # 600 s (a colleague took over)
    msg("s1", "buyer", at(10, 10, 31, 0)),  # unanswered
]


def test_a_session_by_hand():
    stats = session_stats(SESSION)
    assert stats.first_response_seconds == 60
    assert stats.response_seconds == (60, 120, 600)
    assert stats.average_response_seconds == 260
    assert len(stats.waits) == 4 and stats.waits[-1].answered_at is None
    assert stats.agent == "小美"  # the first agent who replied owns the session
    assert (stats.started_at, stats.ended_at, stats.first_buyer_at) == (at(10, 10), at(10, 10, 31), at(10, 10))
    (kpi,) = chat_kpis([stats], {}, by="agent")
    assert kpi.quick_replies == 2 and kpi.waits == 4 and kpi.reply_3min_rate == 0.5
    assert kpi.first_response_avg_seconds == 60 and kpi.response_avg_seconds == 260


def test_the_shop_writing_first_is_no_reply_and_order_of_input_does_not_matter():
    messages = [msg("s", "agent", at(10, 11), agent="小美"), msg("s", "buyer", at(10, 11, 2)),
                msg("s", "agent", at(10, 11, 2), agent="小美")]
    assert session_stats(messages).first_response_seconds == 0
    # equal times keep the export's order: a reply printed before the question answers nothing
    swapped = session_stats([messages[0], messages[2], messages[1]])
    assert swapped.first_response_seconds is None and len(swapped.waits) == 1


def test_no_reply_session_belongs_to_the_named_agent_or_nobody():
    assert session_stats([msg("s", "buyer", at(10, 9), agent="接待A")]).agent == "接待A"
    lonely = session_stats([msg("s", "buyer", at(10, 9))])
    assert lonely.agent == "" and lonely.first_response_seconds is None and lonely.waits[0].seconds is None


def test_business_time_is_a_parameter():
    """A caller measuring business time passes its own measure: here only seconds counted as half."""
    stats = session_stats(SESSION, elapsed=lambda a, b: int((b - a).total_seconds()) // 2)
    assert stats.response_seconds == (30, 60, 300)


def test_p50_is_nearest_rank():
    assert p50([]) is None
    assert p50([5]) == 5
    assert p50([40, 10, 30, 20]) == 20
    assert p50([3, 1, 2]) == 2


def test_sessions_without_ids_are_cut_by_a_30_minute_silence_of_the_buyer():
    rows = [("x", at(10, 10), True), ("y", at(10, 10, 5), True), ("x", at(10, 10, 20), True),
            ("x", at(10, 10, 51), True), ("x", at(10, 11, 21), True),
            ("x", at(10, 13), False),  # a reply 99 minutes later stays in the session it answers
            ("x", at(10, 13, 40), True)]
    keys = delimit_sessions(rows)
    assert keys[0] == keys[2] != keys[3] == keys[4] == keys[5] != keys[6]  # 31 min after 10:20 is a new session
    assert keys[1] != keys[0] and keys[1].startswith("y@")
    assert keys[0] == "x@20261110T020000Z"  # stable: the buyer and the first message (UTC)
    assert delimit_sessions(list(reversed(rows))) == list(reversed(keys))
    assert delimit_sessions([("z", at(10, 9), False), ("z", at(10, 12), True)]) == [
        "z@20261110T010000Z", "z@20261110T040000Z"]  # the shop writing first opens one too


def _asked(session: str, buyer: str, when: dt.datetime, channel: str = "taobao") -> list[Message]:
    return [msg(session, "buyer", when, buyer=buyer, channel=channel),
            msg(session, "agent", when + dt.timedelta(seconds=40), buyer=buyer, agent="小美", channel=channel)]


INQUIRY_MESSAGES = [*_asked("1", "b1", at(10, 10)), *_asked("2", "b2", at(10, 10)), *_asked("3", "b3", at(10, 10)),
                    *_asked("4", "b4", at(10, 10)), *_asked("5a", "b5", at(10, 10)),
                    *_asked("5b", "b5", at(10, 14)), *_asked("6", "b6", at(10, 12))]
PAID = {
    ("taobao", "b1"): [at(10, 15)],  # the same day: converted
    ("taobao", "b2"): [at(11, 9)],  # the next day: 次日 only
    ("taobao", "b3"): [at(10, 9, 30)],  # paid 30 min before asking: after-sales, no 询单
    ("jd", "b4"): [at(10, 11)],  # paid on another channel: not this chat's conversion
    ("taobao", "b5"): [at(10, 16)],  # asked twice that day: one buyer-day, converted
    ("taobao", "b6"): [at(10, 23, 59, 59)],  # the last second of the day still counts
}


def test_inquiries_and_conversion_by_hand():
    stats = sessions_of(INQUIRY_MESSAGES)
    assert [is_inquiry(s, PAID) for s in stats if s.buyer == "b3"] == [False]
    (kpi,) = chat_kpis(stats, PAID, by="agent")
    assert (kpi.sessions, kpi.inquiries, kpi.converted) == (7, 5, 3)  # b1, b5, b6 of b1, b2, b4, b5, b6
    assert kpi.inquiry_conversion == 0.6
    (two_days,) = chat_kpis(stats, PAID, by="agent", rules=ChatRules(conversion_days=2))
    assert (two_days.inquiries, two_days.converted) == (5, 4)
    assert not converted("taobao", "b6", at(10, 12), {("taobao", "b6"): [at(11, 0)]})
    assert not converted("taobao", "b1", at(10, 15, 0, 1), PAID)  # paid before asking


def test_a_paid_order_25_hours_before_still_leaves_a_new_inquiry():
    stats = session_stats(_asked("x", "b", at(10, 10)))
    assert is_inquiry(stats, {("taobao", "b"): [at(9, 8, 59)]})
    assert not is_inquiry(stats, {("taobao", "b"): [at(9, 10, 0)]})


def test_effective_reply_rate_pdd_vector():
    """docs/rules/service-chats.md#effective-reply: 100 buyers asked in the window, 7 invalid → 93%."""
    messages: list[Message] = []
    for n in range(100):
        start = at(10, 9) + dt.timedelta(minutes=n)
        messages.append(msg(f"s{n}", "buyer", start, buyer=f"b{n}"))
        if n < 93:
            messages.append(msg(f"s{n}", "agent", start + dt.timedelta(seconds=30), buyer=f"b{n}", agent="A"))
        elif n < 98:
            messages.append(msg(f"s{n}", "agent", start + dt.timedelta(hours=1, seconds=1), buyer=f"b{n}", agent="A"))
        # the last two are never answered
    messages.append(msg("night", "buyer", at(10, 23, 30), buyer="owl"))  # outside 08:00–23:00: not counted
    messages += [msg("again", "buyer", at(10, 15), buyer="b0"),  # b0 again that day, unanswered: b0's day invalid
                 msg("again", "agent", at(10, 17), buyer="b0", agent="A")]
    (kpi,) = chat_kpis(sessions_of(messages), {}, by="channel")
    assert kpi.effective_units == 100
    assert kpi.effective_valid == 92
    messages = [m for m in messages if m.session != "again"]
    (kpi,) = chat_kpis(sessions_of(messages), {}, by="channel")
    assert (kpi.effective_valid, kpi.effective_units, kpi.effective_reply_rate) == (93, 100, 0.93)
    assert kpi.as_dict("channel")["effective_reply_rate"] == 0.93


def test_per_agent_and_per_channel_split():
    messages = [*_asked("t", "b1", at(10, 10)),
                msg("j", "buyer", at(10, 10), buyer="j1", channel="jd"),
                msg("j", "agent", at(10, 10, 5), buyer="j1", agent="京东客服1", channel="jd")]
    stats = sessions_of(messages)
    by_agent = {k.key: k for k in chat_kpis(stats, {}, by="agent")}
    by_channel = {k.key: k for k in chat_kpis(stats, {}, by="channel")}
    assert set(by_agent) == {"小美", "京东客服1"} and set(by_channel) == {"taobao", "jd"}
    assert by_channel["jd"].first_response_avg_seconds == 300
    (shop,) = chat_kpis(stats, {}, by="shop")
    assert shop.key == "" and shop.sessions == 2 and shop.first_response_p50_seconds == 40


# ---------------------------------------------------------------------------------------------------- invariants

SIDES = st.sampled_from(["buyer", "agent", "system"])
AGENTS = st.sampled_from(["", "A", "B"])


@st.composite
def chats(draw: st.DrawFn) -> list[Message]:
    messages = []
    for n in range(draw(st.integers(1, 6))):
        buyer = draw(st.sampled_from(["x", "y", "z"]))
        channel = draw(st.sampled_from(["taobao", "jd"]))
        start = at(10, 0) + dt.timedelta(minutes=draw(st.integers(0, 60 * 47)))
        offsets = sorted(draw(st.sets(st.integers(0, 7200), min_size=1, max_size=12)))  # distinct times
        for offset in offsets:
            messages.append(Message(f"s{n}", draw(SIDES), start + dt.timedelta(seconds=offset), buyer=buyer,
                                    agent=draw(AGENTS), channel=channel))
    return messages


PAIDS = st.dictionaries(st.tuples(st.sampled_from(["taobao", "jd"]), st.sampled_from(["x", "y", "z"])),
                        st.lists(st.integers(0, 3 * 86400).map(lambda s: at(9, 12) + dt.timedelta(seconds=s)),
                                 max_size=4).map(sorted))


@settings(max_examples=150, deadline=None)
@given(chats())
def test_session_invariants(messages):
    for stats in sessions_of(messages):
        mine = [m for m in messages if m.session == stats.session]
        buyers = sum(m.side == "buyer" for m in mine)
        agents = sum(m.side == "agent" for m in mine)
        assert len(stats.waits) <= buyers and len(stats.response_seconds) <= agents
        assert all(s >= 0 for s in stats.response_seconds)
        assert all(w.answered_at is not None for w in stats.waits[:-1])  # only the last wait can be open
        assert stats.first_response_seconds == (stats.waits[0].seconds if stats.waits else None)
        assert (stats.first_buyer_at is None) == (buyers == 0)
        assert stats.started_at <= stats.ended_at
        assert session_stats(list(reversed(mine))) == stats  # distinct times: the input's order does not matter


@settings(max_examples=150, deadline=None)
@given(chats(), PAIDS, st.integers(1, 3))
def test_grouping_invariants(messages, paid, days):
    rules = ChatRules(conversion_days=days)
    stats = sessions_of(messages)
    groups = {by: chat_kpis(stats, paid, by=by, rules=rules) for by in ("agent", "channel", "shop")}
    for field in ("sessions", "answered_sessions", "waits", "quick_replies", "inquiries", "converted",
                  "effective_units", "effective_valid"):
        totals = {by: sum(getattr(k, field) for k in rows) for by, rows in groups.items()}
        assert len(set(totals.values())) == 1, (field, totals)
    assert groups["shop"][0].sessions == len(stats)
    for rows in groups.values():
        for kpi in rows:
            assert kpi.converted <= kpi.inquiries and kpi.effective_valid <= kpi.effective_units
            for rate in (kpi.reply_3min_rate, kpi.inquiry_conversion, kpi.effective_reply_rate):
                assert rate is None or 0 <= rate <= 1
    longer = chat_kpis(stats, paid, by="shop", rules=ChatRules(conversion_days=days + 1))
    assert longer[0].converted >= groups["shop"][0].converted  # a longer window never converts fewer


@pytest.mark.parametrize("gap", [1, 30, 120])
@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["x", "y"]), st.integers(0, 20000), st.booleans()), min_size=1,
                     max_size=30))
def test_delimited_sessions_hold_one_buyer_and_no_long_silence_before_a_buyer(gap, rows):
    timed = [(buyer, at(10, 0) + dt.timedelta(seconds=s), from_buyer) for buyer, s, from_buyer in rows]
    keys = delimit_sessions(timed, gap_minutes=gap)
    for key in set(keys):
        members = sorted((t, b) for (_x, t, b), k in zip(timed, keys, strict=True) if k == key)
        assert len({x for (x, _t, _b), k in zip(timed, keys, strict=True) if k == key}) == 1
        assert all(b - a <= dt.timedelta(minutes=gap) for (a, _), (b, buyer) in zip(members, members[1:], strict=False)
                   if buyer)
