"""Chat exports (``target="chats"``, run by ``imports/chat_import.py``): 千牛 (Taobao/Tmall), 京东咚咚 (JD) and
抖店飞鸽 (Douyin) 聊天记录 — one row per message (docs/formats.md#chat-formats).

Pure code: the columns, which side a sender is, and how rows become sessions (the platform's 会话ID, else
docs/rules/service-chats.md#sessions). Problems are ``RowProblem`` s naming row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from shopops.core.text import gettext_noop
from shopops.imports.columns import Column
from shopops.imports.formats.base import Format, Record, RowProblem, need, text
from shopops.service.conversations import delimit_sessions

SESSION, BUYER, AGENT, SENDER, TIME, CONTENT = "会话ID", "买家", "客服", "发送方", "发送时间", "消息内容"

# What a sender cell says → the side (docs/rules/service-chats.md#sides); a cell equal to the row's buyer or agent
# names that side too (exports that print the sender's nick).
SENDER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("system", ("系统", "自动回复", "客服机器人", "机器人", "店小蜜", "智能客服", "系统消息", "system", "bot", "auto")),
    ("buyer", ("买家", "顾客", "客户", "用户", "消费者", "buyer", "customer")),
    ("agent", ("客服", "卖家", "商家", "人工客服", "店铺", "agent", "seller")),
)


def _columns(session: tuple[str, ...], buyer: tuple[str, ...], agent: tuple[str, ...]) -> tuple[Column, ...]:
    return (
        Column(SESSION, aliases=("会话编号", "会话ID号", *session, "session_id"), kind="id"),
        Column(BUYER, aliases=(*buyer, "buyer"), required=True, nullable=False),
        Column(AGENT, aliases=(*agent, "agent")),
        Column(SENDER, aliases=("发送者", "发送人", "消息发送方", "发送角色", "sender"), required=True, nullable=False),
        Column(TIME, aliases=("时间", "消息时间", "聊天时间", "sent_at", "time"), required=True, kind="datetime",
               nullable=False),
        Column(CONTENT, aliases=("内容", "聊天内容", "消息", "content", "text")),
    )


QUIRKS = (
    "CSV (UTF-8 or GBK) or xlsx; one row per message, rows of a session anywhere in the file",
    "发送方: 买家/顾客/用户 → buyer, 客服/商家/卖家 → agent, 系统/自动回复/机器人/店小蜜 → system (or the row's buyer or "
    "agent nick itself)",
    "without 会话ID, a buyer's messages are one session until the buyer writes after a silence of more than 30 minutes",
    "all or nothing: a bad row rejects the file; the same file again changes nothing",
)


@dataclass(frozen=True, slots=True)
class MessageDraft:
    side: str
    sent_at: dt.datetime
    agent: str
    text: str
    row: int


@dataclass(frozen=True, slots=True)
class SessionDraft:
    session_id: str
    buyer: str
    messages: tuple[MessageDraft, ...]
    row: int


def sender_side(value: str, buyer: str, agent: str) -> str | None:
    """The side a sender cell names, or None when it names none."""
    cell = value.strip()
    if cell and cell == buyer:
        return "buyer"
    if cell and agent and cell == agent:
        return "agent"
    folded = cell.casefold()
    for side, words in SENDER_WORDS:
        if folded in words:
            return side
    for side, words in SENDER_WORDS:  # “客服-小美”, “买家(tb123)”
        if any(folded.startswith(word) for word in words):
            return side
    return None


def chat_sessions(records: Sequence[Record], *, gap_minutes: int = 30) -> list[SessionDraft]:
    """The file's rows as sessions (in order of first row); RowProblem on the first bad row."""
    drafts: list[tuple[str, str, MessageDraft]] = []  # (session id or "", buyer, message)
    for record in records:
        row = int(record["_row"])  # type: ignore[call-overload]
        buyer, agent = str(need(record, BUYER)).strip(), text(record, AGENT)
        sender = str(need(record, SENDER))
        side = sender_side(sender, buyer, agent)
        if side is None:
            raise RowProblem(row, SENDER, gettext_noop(
                "unknown sender “%(sender)s”: 买家 (buyer), 客服 (agent) or 系统 (system)", sender=sender[:40]))
        sent_at = need(record, TIME)
        assert isinstance(sent_at, dt.datetime)
        drafts.append((text(record, SESSION), buyer, MessageDraft(side, sent_at, agent, text(record, CONTENT), row)))
    missing = [i for i, (session, _b, _m) in enumerate(drafts) if not session]
    made = delimit_sessions([(drafts[i][1], drafts[i][2].sent_at, drafts[i][2].side == "buyer") for i in missing],
                            gap_minutes=gap_minutes)
    ids = [session for session, _b, _m in drafts]
    for index, key in zip(missing, made, strict=True):
        ids[index] = key
    sessions: dict[str, tuple[str, int, list[MessageDraft]]] = {}
    for session_id, (_s, buyer, message) in zip(ids, drafts, strict=True):
        found = sessions.get(session_id)
        if found is None:
            sessions[session_id] = (buyer, message.row, [message])
            continue
        if found[0] != buyer:
            raise RowProblem(message.row, BUYER, gettext_noop(
                "the session %(session)s is with “%(buyer)s” on row %(row)s, not with “%(other)s”",
                session=session_id, buyer=found[0], row=found[1], other=buyer))
        found[2].append(message)
    return [SessionDraft(key, buyer, tuple(messages), row) for key, (buyer, row, messages) in sessions.items()]


QIANNIU_CHATS = Format(
    name="qianniu-chats", title=gettext_noop("Qianniu chat records (Taobao/Tmall)"), channel="tmall",
    target="chats", columns=_columns(("会话标识",), ("买家昵称", "买家账号", "买家旺旺", "顾客"),
                                     ("客服昵称", "客服账号", "接待客服", "子账号")),
    quirks=QUIRKS, doc="qianniu-chats")
JD_DONGDONG_CHATS = Format(
    name="jd-dongdong-chats", title=gettext_noop("JD Dongdong chat records"), channel="jd", target="chats",
    columns=_columns(("咚咚会话ID",), ("顾客账号", "顾客pin", "用户账号", "客户账号", "用户pin"),
                     ("客服账号", "咚咚账号", "接待客服账号")),
    quirks=QUIRKS, doc="jd-dongdong-chats")
DOUYIN_FEIGE_CHATS = Format(
    name="douyin-feige-chats", title=gettext_noop("Douyin Feige chat records"), channel="douyin", target="chats",
    columns=_columns(("飞鸽会话ID",), ("用户昵称", "买家昵称", "顾客昵称", "用户名"), ("客服昵称", "客服名称", "接待客服")),
    quirks=QUIRKS, doc="douyin-feige-chats")

CHAT_FORMATS: tuple[Format, ...] = (QIANNIU_CHATS, JD_DONGDONG_CHATS, DOUYIN_FEIGE_CHATS)
