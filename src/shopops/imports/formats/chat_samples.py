"""Realistic chat exports in each chat format (``shopops export-sample qianniu-chats …``), from a shop's stored
chats or, when it has none, made up from its orders: each buyer asks before paying and an agent answers.

Each writer keeps its platform's habits: 千牛 in GBK without a session id, the sender printed as a nick (the buyer's,
or the agent's sub-account “店铺:客服”); 京东咚咚 in GBK with 会话ID and 顾客/客服 as the sender; 抖店飞鸽 in UTF-8 with a
BOM, tab-prefixed session ids and “-” for an empty message. Text cells pass the formula rule (``neutralize_formula``).
Pure code apart from the file it writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from shopops.core.domain import neutralize_formula


@dataclass(frozen=True, slots=True)
class SampleMessage:
    side: str  # buyer | agent | system
    sent_at: dt.datetime
    text: str
    agent: str = ""


@dataclass(frozen=True, slots=True)
class SampleChat:
    session_id: str
    buyer: str
    messages: tuple[SampleMessage, ...]


QUESTIONS = ("在吗？这款还有货吗", "请问什么时候发货", "尺码偏大还是偏小", "能便宜点吗", "有没有优惠券")
ANSWERS = ("亲，在的，有现货哦", "亲，48小时内发货", "亲，按平时尺码拍就好", "亲，可以领店铺券哦", "亲，下单自动减")
AGENTS = ("小美", "阿强", "晓雪")


def _pick(seed: str, n: int) -> int:
    return int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % n


def chats_before_orders(orders: Iterable[tuple[str, str, dt.datetime]], *, shop_name: str = "") -> list[SampleChat]:
    """A made-up session per (order no, buyer, paid at): the buyer asks 10–40 minutes before paying, the agent
    answers within 5–200 seconds and closes the chat, the platform's greeting in between (what the demo world's orders imply)."""
    chats = []
    for order_no, buyer, paid_at in orders:
        k = _pick(order_no, 997)
        asked = paid_at - dt.timedelta(minutes=10 + k % 31)
        answer = asked + dt.timedelta(seconds=5 + k % 196)
        agent = f"{shop_name}:{AGENTS[k % len(AGENTS)]}" if shop_name else AGENTS[k % len(AGENTS)]
        question = QUESTIONS[k % len(QUESTIONS)]
        chats.append(SampleChat(session_id=f"S{order_no}", buyer=buyer, messages=(
            SampleMessage("buyer", asked, question),
            SampleMessage("system", asked + dt.timedelta(seconds=1), "您好，欢迎光临，客服马上为您服务"),
            SampleMessage("agent", answer, ANSWERS[k % len(ANSWERS)], agent),
            SampleMessage("buyer", answer + dt.timedelta(seconds=30), "好的谢谢"),
            SampleMessage("agent", answer + dt.timedelta(seconds=45), "不客气，祝您购物愉快", agent))))
    return chats


def _local(moment: dt.datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def _agent_of(chat: SampleChat) -> str:
    return next((m.agent for m in chat.messages if m.agent), "")


def qianniu_rows(chat: SampleChat, tz: str) -> list[list[str]]:
    agent = _agent_of(chat)
    sender = {"buyer": chat.buyer, "system": "系统消息"}
    return [[chat.buyer, m.agent or agent, sender.get(m.side, m.agent or agent), _local(m.sent_at, tz), m.text]
            for m in chat.messages]


def jd_rows(chat: SampleChat, tz: str) -> list[list[str]]:
    agent = _agent_of(chat)
    sender = {"buyer": "顾客", "agent": "客服", "system": "系统"}
    return [[chat.session_id, chat.buyer, m.agent or agent, sender[m.side], _local(m.sent_at, tz), m.text]
            for m in chat.messages]


def douyin_rows(chat: SampleChat, tz: str) -> list[list[str]]:
    agent = _agent_of(chat)
    sender = {"buyer": "用户", "agent": "客服", "system": "系统"}
    return [[f"\t{chat.session_id}", chat.buyer, m.agent or agent or "-", sender[m.side], _local(m.sent_at, tz),
             m.text or "-"] for m in chat.messages]


@dataclass(frozen=True)
class ChatWriter:
    header: Sequence[str]
    rows: Callable[[SampleChat, str], list[list[str]]]
    encoding: str


CHAT_WRITERS: dict[str, ChatWriter] = {
    "qianniu-chats": ChatWriter(["买家昵称", "客服昵称", "发送者", "发送时间", "消息内容"], qianniu_rows, "gbk"),
    "jd-dongdong-chats": ChatWriter(["会话ID", "顾客账号", "客服账号", "发送方", "发送时间", "消息内容"], jd_rows, "gbk"),
    "douyin-feige-chats": ChatWriter(["会话ID", "用户昵称", "客服昵称", "发送者", "发送时间", "消息内容"], douyin_rows,
                                     "utf-8-sig"),
}


def write_chat_sample(format_name: str, path: str | Path, chats: Iterable[SampleChat], *,
                      tz: str = "Asia/Shanghai") -> dict[str, object]:
    """Write ``chats`` in the format; returns the rows and sessions written."""
    writer = CHAT_WRITERS[format_name]
    rows = count = 0
    with Path(path).open("w", encoding=writer.encoding, newline="", errors="replace") as out:
        csv_out = csv.writer(out)
        csv_out.writerow(writer.header)
        for chat in chats:
            count += 1
            for row in writer.rows(chat, tz):
                csv_out.writerow([cell if cell in ("", "-") or cell.startswith("\t") else neutralize_formula(cell)
                                  for cell in row])
                rows += 1
    return {"format": format_name, "file": str(path), "rows": rows, "sessions": count}
