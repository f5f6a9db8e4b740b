"""The demo shop's customer service, written as a shop would get it: the default business calendar and two SLA
policies, then the platforms' exports (售后 after-sales, 天猫 reviews, chat records) imported through the import
pipeline, and the tickets the team works in ShopOps through the ticket services (``demo.gen_service`` draws them).

The order matters, because the service parts are wired (``service.services.*_tickets``): the after-sale imports open
退换货 tickets for the returns still in progress, the reviews import opens 差评 tickets, and the chats import adds
each ticket's chat to it; tickets are resolved once their conversation is on them. Everything is one bulk import
per file; only tickets (a few hundred at most) go one by one.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from shopops.channels import selectors as channel_selectors
from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core.clock import day_bounds
from shopops.core.clock import now as clock_now
from shopops.demo.export_sink import run_import
from shopops.demo.gen_random import stream
from shopops.demo.gen_service import (
    AGENTS,
    OPEN_DAYS,
    RETURN_CHANNELS,
    REVIEW_CHANNEL,
    ChatSpec,
    ReturnSpec,
    ServiceWorld,
    TicketSpec,
    build_service,
)
from shopops.demo.spec import World
from shopops.orders import selectors as order_selectors
from shopops.service.selectors.tickets import ticket_list
from shopops.service.services import chats as chat_services
from shopops.service.services import tickets as ticket_services
from shopops.service.services.calendars import calendar_default_ensure, sla_policy_create
from shopops.service.services.sla import sla_sweep

if TYPE_CHECKING:
    from shopops.core.models import Shop

Log = Callable[[dict[str, object]], None]
STAMP = "%Y-%m-%d %H:%M:%S"
CHAT_FORMAT = {"tmall": ("qianniu-chats", "买家昵称", "客服昵称"), "jd": ("jd-dongdong-chats", "顾客账号", "客服账号"),
               "douyin": ("douyin-feige-chats", "用户昵称", "客服昵称")}
# after-sale format → its headers of (number, order, seller code, title, qty, kind, status, reason, amount,
# requested, completed), its kind and status words (docs/formats.md#returns)
RETURN_FORMAT: dict[str, tuple[str, tuple[str, ...], dict[str, str], dict[str, str]]] = {
    "tmall": ("taobao-refunds",
              ("退款编号", "订单编号", "商家编码", "宝贝标题", "退货数量", "是否需要退货", "退款状态", "退款原因", "买家退款金额",
               "退款的申请时间", "退款完结时间"),
              {"refund_only": "否", "return_refund": "是"},
              {"refunded": "退款成功", "rejected": "退款关闭", "requested": "等待卖家同意"}),
    "jd": ("jd-aftersale",
           ("服务单号", "订单号", "商家编码", "商品名称", "申请数量", "服务类型", "服务单状态", "申请原因", "退款金额", "申请时间",
            "完成时间"),
           {"refund_only": "仅退款", "return_refund": "退货"},
           {"refunded": "已完成", "rejected": "审核不通过", "requested": "待审核"}),
    "douyin": ("douyin-aftersale",
               ("售后单号", "订单编号", "商家编码", "商品名称", "售后数量", "售后类型", "售后状态", "售后原因", "退款金额", "申请时间",
                "售后完结时间"),
               {"refund_only": "已发货仅退款", "return_refund": "退货退款"},
               {"refunded": "退款成功", "rejected": "售后关闭", "requested": "待商家处理"}),
}
BAD_REVIEW_REPLY = "亲，非常抱歉给您带来不好的体验，已为您安排退换，请查收私信"


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


class ServiceSeeder:
    """Write the world's service records into the shop; ``seed`` returns the counts for the demo's summary."""

    def __init__(self, shop: Shop, folder: Path, world: World, *, log: Log, progress: Callable[[str], None]) -> None:
        self.shop, self.folder, self.world, self.log, self.progress = shop, folder, world, log, progress
        self.tz = ZoneInfo(world.config.tz)
        self.imports: list[dict[str, object]] = []
        self.accounts = {a.channel: a.name for a in channel_selectors.channel_accounts(shop=shop)}

    def _import(self, format_name: str, path: Path, channel: str) -> dict[str, object]:
        summary = run_import(shop=self.shop, format_name=format_name, path=path, account=self.accounts[channel])
        self.imports.append(summary)
        self.log(summary)
        return summary

    def _local(self, at: dt.datetime | None) -> str:
        return at.astimezone(self.tz).strftime(STAMP) if at is not None else ""

    def seed(self) -> dict[str, Any]:
        started = time.perf_counter()
        world = self.world
        window_end = day_bounds(world.end_date, world.config.tz)[1]
        service = build_service(stream(world.config.seed, "service"), world, window_end)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.progress("service: business calendar and SLA policies")
        calendar_default_ensure(shop=self.shop)
        sla_policy_create(shop=self.shop, name="标准服务", first_response=30, next_response=60, resolution=480)
        sla_policy_create(shop=self.shop, name="投诉加急", kind="complaint", first_response=15, next_response=30,
                          resolution=240)
        agent = next((u for u in core_selectors.users_of_shop(shop=self.shop)
                      if core_selectors.user_role(user=u) == roles.SERVICE), None)
        self.progress("service: after-sales → taobao-refunds, jd-aftersale, douyin-aftersale")
        self._returns(service.returns)
        self.progress("service: reviews → reviews")
        bad = self._reviews(service)
        self._answer_bad_reviews(window_end, bad)
        self.progress("service: tickets")
        opened = self._tickets_open(service.tickets, agent)
        self.progress("service: chats → qianniu-chats, jd-dongdong-chats, douyin-feige-chats")
        self._chats(service.chats)
        if agent is not None:
            for name in sorted({a for names in AGENTS.values() for a in names}):
                chat_services.chat_agent_map_user(shop=self.shop, agent=name, user_id=agent.pk)
        resolved: set[int] = set()
        for spec, ticket_id in opened:  # a ticket two specs joined is resolved once
            if spec.resolved_at is not None and ticket_id not in resolved:
                resolved.add(ticket_id)
                ticket_services.ticket_resolve(shop=self.shop, ticket_id=ticket_id, at=spec.resolved_at,
                                               actor=agent)
        sweep = sla_sweep(shop=self.shop, now=clock_now())
        tickets = ticket_list(shop=self.shop)
        return {"chats": len(service.chats), "chat_messages": sum(len(c.messages) for c in service.chats),
                "reviews": len(service.reviews), "returns": len(service.returns), "tickets": tickets.count(),
                "tickets_open": tickets.filter(status__in=("open", "pending")).count(),
                "sla_breached": sweep.get("breached", 0), "sla_policies": 2,
                "seconds": round(time.perf_counter() - started, 2)}

    def _returns(self, returns: list[ReturnSpec]) -> None:
        for channel in RETURN_CHANNELS:
            rows = [r for r in returns if r.channel == channel]
            if not rows:
                continue
            name, header, kinds, statuses = RETURN_FORMAT[channel]
            path = self.folder / f"{channel}-{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(header)
                for r in rows:
                    writer.writerow([r.external_no, r.order_no, r.sku_code, r.title, r.qty, kinds[r.kind],
                                     statuses[r.status], r.reason_text, _yuan(r.amount_fen), self._local(r.requested_at),
                                     self._local(r.completed_at)])
            self._import(name, path, channel)

    def _reviews(self, service: ServiceWorld) -> int:
        if not service.reviews:
            return 0
        path = self.folder / f"{REVIEW_CHANNEL}-reviews.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["订单编号", "买家昵称", "评价时间", "宝贝与描述相符", "卖家服务态度", "物流服务质量", "评价内容"])
            for r in service.reviews:
                writer.writerow([r.order_no, r.buyer, self._local(r.reviewed_at),
                                 *("" if s is None else s for s in r.scores), r.text])
        summary = self._import("reviews", path, REVIEW_CHANNEL)
        changes = summary.get("changes") or {}
        return int(changes.get("bad_review_tickets", 0)) if isinstance(changes, dict) else 0

    def _answer_bad_reviews(self, window_end: dt.datetime, opened: int) -> None:
        """The team answers the 差评 tickets the reviews import opened: most the same hour and resolved, every
        third a day late; the last days' ones are still open."""
        if not opened:
            return
        tickets = list(ticket_list(shop=self.shop, kind="bad_review").order_by("created_at", "id"))
        for k, ticket in enumerate(tickets):
            late = k % 3 == 2
            reply_at = ticket.created_at + (dt.timedelta(days=1, hours=6) if late else dt.timedelta(minutes=25))
            if ticket.created_at >= window_end - dt.timedelta(days=OPEN_DAYS) or reply_at >= window_end:
                continue
            ticket_services.ticket_reply(shop=self.shop, ticket_id=ticket.pk, text=BAD_REVIEW_REPLY, at=reply_at)
            done = reply_at + dt.timedelta(hours=2)
            if done < window_end:
                ticket_services.ticket_resolve(shop=self.shop, ticket_id=ticket.pk, at=done)

    def _tickets_open(self, specs: list[TicketSpec], agent: Any) -> list[tuple[TicketSpec, int]]:
        """Open each ticket (assigned to the service user mostly); a ticket on a channel without chat exports gets
        its question and reply typed in ShopOps, the others through their chat."""
        ids: dict[str, dict[str, int]] = {}
        for channel in sorted({t.channel for t in specs}):
            ids[channel] = order_selectors.order_ids_by_no(shop=self.shop, channel=channel,
                                                           order_nos=[t.order_no for t in specs if t.channel == channel])
        opened = []
        for spec in specs:
            ticket, _new = ticket_services.ticket_open(
                shop=self.shop, subject=spec.subject, kind=spec.kind, priority=spec.priority,
                order_id=ids[spec.channel][spec.order_no], at=spec.opened_at, actor=agent,
                assignee_id=agent.pk if agent is not None and spec.assigned else None,
                text="" if spec.by_chat else spec.question)
            if not spec.by_chat and spec.reply_at is not None:
                ticket_services.ticket_reply(shop=self.shop, ticket_id=ticket.pk, text=spec.reply, at=spec.reply_at,
                                             actor=agent)
            opened.append((spec, ticket.pk))
        return opened

    def _chats(self, chats: list[ChatSpec]) -> None:
        for channel, (name, buyer_header, agent_header) in CHAT_FORMAT.items():
            rows = [c for c in chats if c.channel == channel]
            if not rows:
                continue
            path = self.folder / f"{channel}-{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["会话ID", buyer_header, agent_header, "发送方", "发送时间", "消息内容"])
                for chat in rows:
                    for side, at, text in chat.messages:
                        writer.writerow([chat.session_id, chat.buyer, chat.agent, side, self._local(at), text])
            self._import(name, path, channel)
