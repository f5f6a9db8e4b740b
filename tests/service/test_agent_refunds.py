"""Refund KPIs per agent (docs/rules/service-chats.md#agent-orders): an agent is credited with the orders its
询单 converted, and its refund rate and refund time are those orders'. Hand-computed vectors on the pure
attribution, and the dashboard's per-agent columns."""

from __future__ import annotations

from shopops.service.conversations import ChatRules, chat_kpis, converted_orders, sessions_of
from tests.service.test_conversations import at, msg

RULES = ChatRules(tz="Asia/Shanghai")


def _sessions():
    return sessions_of([
        # 小美 serves b1 on the 10th: b1 pays order 11 that day (credited) and order 12 two days later (not)
        msg("s1", "buyer", at(10, 10), buyer="b1"), msg("s1", "agent", at(10, 10, 1), buyer="b1", agent="小美"),
        # 阿强 serves b2, who had paid order 21 an hour before asking: after-sales, not a 询单 → nothing
        msg("s2", "buyer", at(10, 9), buyer="b2"), msg("s2", "agent", at(10, 9, 2), buyer="b2", agent="阿强"),
        # 阿强 serves b3 on the 11th: b3 pays order 31 that evening and order 32 on another channel (not)
        msg("s3", "buyer", at(11, 14), buyer="b3"), msg("s3", "agent", at(11, 14, 1), buyer="b3", agent="阿强"),
    ])


ORDERS = {("taobao", "b1"): [(at(10, 12), 11), (at(12, 9), 12)], ("taobao", "b2"): [(at(10, 8), 21)],
          ("taobao", "b3"): [(at(11, 20), 31)], ("jd", "b3"): [(at(11, 21), 32)]}
PAID = {key: [when for when, _pk in found] for key, found in ORDERS.items()}


def test_an_agent_is_credited_with_the_orders_its_inquiries_converted():
    assert converted_orders(_sessions(), PAID, ORDERS, RULES) == {"小美": {11}, "阿强": {31}}


def test_the_credit_agrees_with_the_conversion_kpi():
    """Every converted 询单 credits at least one order, and only converted ones credit any."""
    kpis = {k.key: k for k in chat_kpis(_sessions(), PAID, by="agent", rules=RULES)}
    credited = converted_orders(_sessions(), PAID, ORDERS, RULES)
    assert {agent for agent, kpi in kpis.items() if kpi.converted} == set(credited)
    assert kpis["阿强"].inquiries == 1 and kpis["阿强"].converted == 1  # b2's chat is after-sales


def test_a_longer_window_credits_the_later_order_too():
    assert converted_orders(_sessions(), PAID, ORDERS, ChatRules(tz="Asia/Shanghai", conversion_days=3))["小美"] == {11, 12}
