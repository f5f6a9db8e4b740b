"""The after-sales intent of a chat (docs/rules/service-chats.md#chat-tickets): the type by precedence, the
first message that says it, pre-sales questions and plain chats saying nothing."""

from __future__ import annotations

import pytest

from shopops.service.chat_intents import INTENT_WORDS, chat_intent
from shopops.service.models import TicketKind


def test_the_types_are_ticket_types():
    assert {kind for kind, _words in INTENT_WORDS} <= set(TicketKind.values)


@pytest.mark.parametrize(("texts", "kind", "index"), [
    (["在吗", "我要退货"], "return", 1),
    (["快递三天了还没到"], "logistics", 0),
    (["收到的杯子破损了", "能退款吗？"], "return", 0),  # 退款 outranks 破损; the first message said one
    (["质量太差了", "假货吧", "我要投诉"], "complaint", 1),
    (["没收到货", "再不发我就给差评"], "complaint", 0),
])
def test_intent_and_type(texts, kind, index):
    intent = chat_intent(texts)
    assert intent is not None and (intent.kind, intent.index) == (kind, index)


@pytest.mark.parametrize("texts", [
    [], ["有优惠吗", "什么时候发货"], ["这款支持退货吗"], ["七天无理由吗", "包邮吗"], ["可以换吗"],
])
def test_presale_and_plain_chats_say_nothing(texts):
    assert chat_intent(texts) is None
