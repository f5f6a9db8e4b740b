"""Which imported chats are after-sales requests that deserve a ticket: the buyer's words say a return, a
complaint, a quality problem or a parcel that did not arrive (docs/rules/service-chats.md#chat-tickets).

Pure code (no Django): the keyword lists are the rule's single home; ``services.chat_tickets`` opens the tickets.
The type codes are ticket types (``models.TicketKind`` values)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# type → its words, in precedence order: a chat saying several is of the first type it says
# (a complaint is escalated; a return is the action asked for; then the goods; then the parcel)
INTENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("complaint", ("投诉", "差评", "举报", "12315", "骗子", "欺骗")),
    ("return", ("退货", "退款", "换货", "退换", "退钱", "仅退款")),
    ("quality", ("破损", "坏了", "假货", "瑕疵", "质量问题", "少件", "漏发", "发错")),
    ("logistics", ("没收到", "未收到", "还没到", "没到货", "丢件", "物流不动", "快递不动")),
)
# words of a question before buying (询单): a message with one of these is not an after-sales request
PRESALE_WORDS: tuple[str, ...] = ("支持退", "支持换", "包退", "包换", "可以退吗", "能退吗", "可以换吗", "能换吗",
                                  "七天无理由吗")


@dataclass(frozen=True, slots=True)
class ChatIntent:
    """A chat's after-sales request: the ticket type, the first buyer message that says it, and the word."""

    kind: str
    index: int
    word: str


def _words_in(text: str) -> list[tuple[int, str]]:
    """(precedence, word) of each intent word in an after-sales message (none in a pre-sales question)."""
    if any(w in text for w in PRESALE_WORDS):
        return []
    return [(rank, word) for rank, (_kind, words) in enumerate(INTENT_WORDS) for word in words if word in text]


def chat_intent(buyer_texts: Sequence[str]) -> ChatIntent | None:
    """The after-sales request in a session's buyer messages (in order), or None for a chat that asks nothing
    of the kind (a pre-sales 询单 among them). The type is the highest-precedence one said anywhere in the
    chat; ``index`` is the first message that says any."""
    first: int | None = None
    best: tuple[int, str] | None = None
    for index, text in enumerate(buyer_texts):
        found = _words_in(text)
        if not found:
            continue
        first = index if first is None else first
        best = min([*found, *([best] if best else [])])
    if first is None or best is None:
        return None
    return ChatIntent(kind=INTENT_WORDS[best[0]][0], index=first, word=best[1])
