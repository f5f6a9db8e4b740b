"""Writes of chat sessions: an import's sessions, created or brought up to date by their natural keys, in one
transaction (docs/rules/service-chats.md#sessions).

The same sessions again change nothing: a stored session whose messages, buyer and agent equal the input's is
left alone; one that differs gets the input's messages (the export is the record). Every problem is found before
anything is written and named by row and field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.channels.domain import CHANNEL_CODES
from shopops.core import selectors as core_selectors
from shopops.core.errors import ErrorCollector, FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.members import selectors as member_selectors
from shopops.service.conversations import SIDES
from shopops.service.models import ChatMessage, ChatSession

MAX_TEXT = 10_000  # characters of one message (a pasted novel is not a chat message)
MAX_MESSAGES = 5_000  # messages of one session


@dataclass(frozen=True, slots=True)
class ChatMessageInput:
    side: str  # buyer | agent | system
    sent_at: dt.datetime
    agent: str = ""
    text: str = ""
    row: int = 0


@dataclass(frozen=True, slots=True)
class ChatSessionInput:
    session_id: str
    buyer_nick: str
    messages: tuple[ChatMessageInput, ...]
    row: int = 0  # the session's first row in the file


@dataclass
class ChatImportResult:
    """Sessions and message rows by outcome (rows count the input's messages)."""

    sessions: dict[str, int] = field(default_factory=lambda: {"inserted": 0, "updated": 0, "unchanged": 0})
    rows: dict[str, int] = field(default_factory=lambda: {"inserted": 0, "updated": 0, "unchanged": 0})
    customers_linked: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"sessions": dict(self.sessions), "messages": dict(self.rows),
                "customers_linked": self.customers_linked}


def _check(channel: str, sessions: Sequence[ChatSessionInput]) -> None:
    errors = ErrorCollector()
    if channel not in CHANNEL_CODES:
        errors.add("channel", _("Unknown channel %(code)s.") % {"code": channel})
    seen: dict[str, int] = {}
    for session in sessions:
        if not session.session_id or len(session.session_id) > 120:
            errors.add("session_id", _("A session id must have 1 to 120 characters."), session.row)
        elif session.session_id in seen:
            errors.add("session_id", _("The session %(id)s is also on row %(row)s.")
                       % {"id": session.session_id, "row": seen[session.session_id]}, session.row)
        seen.setdefault(session.session_id, session.row)
        if not session.buyer_nick or len(session.buyer_nick) > 80:
            errors.add("buyer", _("The buyer must have 1 to 80 characters."), session.row)
        if not session.messages or len(session.messages) > MAX_MESSAGES:
            errors.add("session_id", _("A session must have 1 to %(n)s messages.") % {"n": MAX_MESSAGES},
                       session.row)
        for message in session.messages:
            if message.side not in SIDES:
                errors.add("side", _("Unknown sender %(side)s: buyer, agent or system.") % {"side": message.side},
                           message.row)
            if message.sent_at.tzinfo is None:
                errors.add("sent_at", _("The time has no time zone."), message.row)
            if len(message.agent) > 80:
                errors.add("agent", _("The agent's name is longer than 80 characters."), message.row)
            if len(message.text) > MAX_TEXT:
                errors.add("text", _("The message is longer than %(n)s characters.") % {"n": MAX_TEXT},
                           message.row)
    errors.raise_if_any(_("The chats were not imported: nothing was written."))


def _ordered(session: ChatSessionInput) -> list[ChatMessageInput]:
    return sorted(session.messages, key=lambda m: (m.sent_at, m.row))


def _values(messages: Sequence[ChatMessageInput]) -> list[tuple[str, str, dt.datetime, str]]:
    return [(m.side, m.agent, m.sent_at, m.text) for m in messages]


def chat_sessions_import(*, shop: Shop, channel: str, sessions: Sequence[ChatSessionInput],
                         channel_account_id: int | None = None) -> ChatImportResult:
    """Create or bring up to date the sessions of an import (atomic; InvalidInput names row and field). A
    session's buyer is linked to the customer whose id on ``channel`` is the buyer's nick, when there is one;
    a customer linked before is kept."""
    _check(channel, sessions)
    result = ChatImportResult()
    customers = member_selectors.customer_ids_by_channel_id(shop=shop, channel=channel,
                                                           external_ids=(s.buyer_nick for s in sessions))
    new: list[tuple[ChatSession, list[ChatMessageInput]]] = []
    changed: list[ChatSession] = []
    replaced: list[tuple[ChatSession, list[ChatMessageInput]]] = []
    with transaction.atomic():
        stored = _stored(shop, channel, [s.session_id for s in sessions])
        mapped = dict(ChatSession.objects.filter(shop=shop, agent_user__isnull=False).order_by("pk")
                      .values_list("agent", "agent_user_id"))
        for session in sessions:
            messages = _ordered(session)
            agent = next((m.agent for m in messages if m.agent and m.side == "agent"), "") or \
                next((m.agent for m in messages if m.agent), "")
            head = {"buyer_nick": session.buyer_nick, "agent": agent, "started_at": messages[0].sent_at,
                    "ended_at": messages[-1].sent_at, "channel_account_id": channel_account_id}
            found = stored.get(session.session_id)
            if found is None:
                record = ChatSession(shop=shop, channel=channel, session_id=session.session_id,
                                     customer_id=customers.get(session.buyer_nick), agent_user_id=mapped.get(agent),
                                     **head)
                result.customers_linked += record.customer_id is not None
                new.append((record, messages))
                _count(result, "inserted", len(messages))
                continue
            record, old = found
            linked = record.customer_id or customers.get(session.buyer_nick)
            same = old == _values(messages)
            if same and record.customer_id == linked and all(getattr(record, k) == v for k, v in head.items()
                                                             if k != "channel_account_id"):
                _count(result, "unchanged", len(messages))
                continue
            if record.agent != agent:  # another agent: their mapping, if any
                record.agent_user_id = mapped.get(agent)
            for name, value in head.items():
                setattr(record, name, value)
            result.customers_linked += record.customer_id is None and linked is not None
            record.customer_id = linked
            changed.append(record)
            if not same:
                replaced.append((record, messages))
            _count(result, "updated", len(messages))
        ChatSession.objects.bulk_create([record for record, _m in new], batch_size=500)
        ChatSession.objects.bulk_update(changed, [*_HEAD_FIELDS, "customer_id", "agent_user_id"], batch_size=500)
        stale = [record.pk for record, _m in replaced]
        for start in range(0, len(stale), 900):
            ChatMessage.objects.filter(session_id__in=stale[start : start + 900]).delete()
        ChatMessage.objects.bulk_create([
            ChatMessage(shop=shop, session=record, seq=index, side=m.side, agent=m.agent, sent_at=m.sent_at,
                        text=m.text) for record, messages in (*new, *replaced) for index, m in enumerate(messages)],
            batch_size=2000)
    return result


_HEAD_FIELDS = ("buyer_nick", "agent", "started_at", "ended_at", "channel_account_id")


def _count(result: ChatImportResult, outcome: str, rows: int) -> None:
    result.sessions[outcome] += 1
    result.rows[outcome] += rows


def _stored(shop: Shop, channel: str, ids: Sequence[str]
            ) -> dict[str, tuple[ChatSession, list[tuple[str, str, dt.datetime, str]]]]:
    """The stored sessions among ``ids`` with their messages' values, in order."""
    found: dict[str, tuple[ChatSession, list[tuple[str, str, dt.datetime, str]]]] = {}
    for start in range(0, len(ids), 900):
        for record in ChatSession.objects.filter(shop=shop, channel=channel, session_id__in=ids[start : start + 900]):
            found[record.session_id] = (record, [])
    by_pk = {record.pk: values for record, values in found.values()}
    keys = list(by_pk)
    for start in range(0, len(keys), 900):
        for session_id, side, agent, sent_at, text in ChatMessage.objects.filter(
                session_id__in=keys[start : start + 900]).order_by("session_id", "seq").values_list(
                "session_id", "side", "agent", "sent_at", "text"):
            by_pk[session_id].append((side, agent, sent_at, text))
    return found


def chat_session_link_customer(*, shop: Shop, session_pk: int, customer_id: int | None) -> None:
    """Link a session to a customer by hand (or unlink with None): what a buyer nick cannot tell."""
    if customer_id is not None and not member_selectors.customer_ids_in_shop(shop=shop, ids={customer_id}):
        raise InvalidInput(_("No such customer."), [])
    if not ChatSession.objects.filter(shop=shop, pk=session_pk).update(customer_id=customer_id):
        raise InvalidInput(_("No such chat session."), [])


def chat_agent_map_user(*, shop: Shop, agent: str, user_id: int | None) -> int:
    """Map a platform agent name (千牛 sub-account, 咚咚 account, 飞鸽 nick) to one of the shop's users (None
    unmaps) on every session of that agent; returns the sessions changed. Later imports keep the mapping."""
    if user_id is not None and core_selectors.user_in_shop(shop=shop, pk=user_id) is None:
        raise InvalidInput(_("No such user in this shop."), [FieldError("user", _("No such user in this shop."))])
    if not agent:
        raise InvalidInput(_("Name the agent."), [FieldError("agent", _("Name the agent."))])
    return ChatSession.objects.filter(shop=shop, agent=agent).update(agent_user_id=user_id)
