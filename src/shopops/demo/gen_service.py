"""The demo shop's customer service (客服): chats, reviews, after-sales and tickets, drawn from the world's orders
and refunds so that every record points at a real order (docs/architecture.md#data).

* chats (千牛 / 京东咚咚 / 抖店飞鸽): a 询单 before some orders by the buyer's id on that channel (it converts: the
  buyer paid within the hour), and as many again by visitors who never bought (they do not convert);
* reviews (天猫 评价): some completed 天猫 orders, mostly 5s, some 4s, a few default ones and a few bad ones with
  text; one buyer reviews every order of their busiest month (more than the three a month that count in DSR);
* returns (售后 exports): the world's after-delivery refunds of the last ``RETURN_DAYS`` days on the channels with an
  after-sale format, with the refund's reason, kind, amount and outcome;
* tickets: consultations, logistics questions and complaints about recent orders; on the chat channels their
  conversation is a chat session (the chats import adds it to the ticket), elsewhere replies typed in ShopOps.
  Most are resolved within the SLA, some replied to late (breached), the last days' ones still open.

Pure and deterministic: one random stream (``service``), nothing read but the world.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from shopops.demo.spec import OrderSpec, World

CHAT_CHANNELS = ("tmall", "jd", "douyin")
REVIEW_CHANNEL = "tmall"
RETURN_CHANNELS = ("tmall", "jd", "douyin")
AGENTS = {"tmall": ("客服小美", "客服阿杰", "客服小夏"), "jd": ("客服阿杰", "客服小雨"), "douyin": ("客服小美", "客服小周")}
CHAT_SHARE = 0.03  # orders of the chat channels preceded by a 询单
REVIEW_SHARE = 0.25  # completed 天猫 orders reviewed
BAD_EVERY = 100  # one review in 100 is bad (差评), a few more at random
RETURN_DAYS = 30  # an after-sale export covers the last month
TICKET_DAYS = 45
TICKET_SHARE = 0.004  # recent orders with a ticket
MAX_TICKETS = 160
OPEN_DAYS = 3  # tickets of the world's last days are still open
MINUTE = dt.timedelta(minutes=1)

QUESTIONS = ("在吗？这款适合敏感肌吗", "请问有小样送吗", "这个和另一款有什么区别", "今天下单什么时候发货",
             "可以用优惠券吗", "孕妇可以用吗", "保质期到什么时候")
ANSWERS = ("亲，在的~这款温和无刺激，敏感肌也可以放心使用哦", "亲，下单会随机赠送小样哦", "亲，这款更清爽，适合油皮哦",
           "亲，16点前下单当天发货哦", "亲，可以的，结算时自动使用", "亲，成分温和，建议先做局部测试哦",
           "亲，都是最新批次，放心购买")
CLOSINGS = ("好的，我拍了", "好的谢谢", "那我下单了")
DROPS = ("我再看看", "有点贵，再考虑下", "好的")
REVIEW_TEXTS = ("很好用，回购了", "包装很精致，送人很有面子", "味道很好闻，物流也快", "质地清爽不油腻", "")
OK_TEXTS = ("还可以，物流有点慢", "效果一般，再用用看", "")
BAD_TEXTS = ("收到瓶子是破的，漏了一半", "用了过敏，脸上起红疹", "和图片颜色差别很大", "快递一个星期才到，客服也不回复",
             "味道很刺鼻，不像正品")
DEFAULT_TEXT = "评价方未及时做出评价,系统默认好评!"
# the refund reason (orders.models.Refund.Reason) → the text a buyer picks on the platform, which the returns
# import reads back into the same reason (service.return_rules.REASON_KEYWORDS; 发货太慢 has no code: other)
REASON_TEXTS = {"no_reason_7d": "七天无理由退换货", "quality": "质量问题", "size": "尺码不合适",
                "not_as_described": "与商品描述不符", "wrong_item": "商家发错货", "damaged": "商品破损",
                "changed_mind": "不想要了", "late": "发货太慢"}
TICKETS = {  # kind → (priority, subject, the buyer's message, the agent's reply)
    "inquiry": ("normal", "咨询：使用方法", "请问这个一天用几次？", "亲，早晚各一次，洁面后使用效果最好哦"),
    "logistics": ("normal", "物流：包裹三天没有更新", "快递三天没动了，能帮忙查一下吗", "亲，已联系快递加急派送，今天内会更新"),
    "complaint": ("high", "投诉：包装破损", "收到的盒子压坏了，很失望", "非常抱歉，已为您补发一份并赠送小样"),
}
TICKET_KINDS = ("inquiry", "logistics", "complaint")
TICKET_WEIGHTS = (0.45, 0.35, 0.20)


@dataclass(frozen=True, slots=True)
class ChatSpec:
    channel: str
    session_id: str
    buyer: str  # the buyer's id on the channel (a customer's identity, or a visitor's nick)
    agent: str
    messages: tuple[tuple[str, dt.datetime, str], ...]  # (side: 买家 | 客服 | 系统, sent at, text)


@dataclass(frozen=True, slots=True)
class ReviewSpec:
    order_no: str
    buyer: str
    reviewed_at: dt.datetime
    scores: tuple[int | None, int | None, int | None]  # 描述相符, 服务态度, 物流服务
    text: str


@dataclass(frozen=True, slots=True)
class ReturnSpec:
    channel: str
    external_no: str
    order_no: str
    sku_code: str
    title: str
    qty: int
    kind: str  # refund_only | return_refund
    status: str  # refunded | rejected | requested
    reason_text: str
    amount_fen: int
    requested_at: dt.datetime
    completed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class TicketSpec:
    order_no: str
    channel: str
    kind: str
    priority: str
    subject: str
    opened_at: dt.datetime
    question: str
    reply: str
    reply_at: dt.datetime | None  # None: nobody answered yet
    resolved_at: dt.datetime | None  # None: still open
    assigned: bool
    by_chat: bool  # the conversation comes from a chat export (the chats import adds it to the ticket)


@dataclass(slots=True)
class ServiceWorld:
    chats: list[ChatSpec] = field(default_factory=list)
    reviews: list[ReviewSpec] = field(default_factory=list)
    returns: list[ReturnSpec] = field(default_factory=list)
    tickets: list[TicketSpec] = field(default_factory=list)


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def build_service(rng: np.random.Generator, world: World, window_end: dt.datetime) -> ServiceWorld:
    """The service records of ``world``; nothing is dated at or after ``window_end`` (the window's end, UTC)."""
    identity = {c.code: dict(c.identities) for c in world.customers}
    out = ServiceWorld()
    out.tickets = _tickets(rng, world, window_end)
    out.chats = _chats(rng, world, identity, window_end) + _ticket_chats(out.tickets, world, identity)
    out.reviews = _reviews(rng, world, identity, window_end)
    out.returns = _returns(world, window_end)
    return out


def _chats(rng: np.random.Generator, world: World, identity: dict[str, dict[str, str]],
           window_end: dt.datetime) -> list[ChatSpec]:
    chats: list[ChatSpec] = []
    numbers: Counter[str] = Counter()
    asked = [o for o in world.orders if o.channel in CHAT_CHANNELS]
    chosen = [o for o, u in zip(asked, rng.random(len(asked)), strict=True) if u < CHAT_SHARE]
    span = (window_end - dt.datetime.combine(world.start_date, dt.time(), dt.UTC)).total_seconds()
    for order in chosen:  # 询单 that convert: the buyer paid within the hour
        start = order.placed_at - dt.timedelta(minutes=int(rng.integers(5, 60)))
        chats.append(_session(rng, order.channel, numbers, identity[order.customer_code][order.channel], start,
                              converted=True))
    for _ in range(len(chosen)):  # 询单 that do not convert: visitors who asked and left
        channel = _pick(rng, CHAT_CHANNELS)
        day_start = window_end - dt.timedelta(seconds=float(rng.random()) * span)
        start = day_start.replace(hour=int(rng.integers(1, 15)), minute=int(rng.integers(60)), second=0, microsecond=0)
        if start >= window_end - dt.timedelta(hours=1):
            continue
        chats.append(_session(rng, channel, numbers, f"访客{int(rng.integers(10**7, 10**8))}", start,
                              converted=False))
    return chats


def _session(rng: np.random.Generator, channel: str, numbers: Counter[str], buyer: str, start: dt.datetime,
             *, converted: bool) -> ChatSpec:
    numbers[channel] += 1
    agent = _pick(rng, AGENTS[channel])
    topic = int(rng.integers(len(QUESTIONS)))
    first_wait = dt.timedelta(seconds=int(rng.choice((15, 30, 45, 90, 240))))
    at = start + first_wait
    messages = [("买家", start, QUESTIONS[topic]), ("客服", at, ANSWERS[topic])]
    at += dt.timedelta(seconds=int(rng.integers(30, 300)))
    messages.append(("买家", at, _pick(rng, CLOSINGS if converted else DROPS)))
    messages.append(("客服", at + dt.timedelta(seconds=int(rng.integers(10, 60))), "好的亲，有问题随时联系我们~"))
    return ChatSpec(channel, f"{channel}-S{numbers[channel]:07d}", buyer, agent, tuple(messages))


def _tickets(rng: np.random.Generator, world: World, window_end: dt.datetime) -> list[TicketSpec]:
    since = window_end - dt.timedelta(days=TICKET_DAYS)
    recent = [o for o in world.orders if since <= o.paid_at < window_end - dt.timedelta(days=1)]
    n = min(MAX_TICKETS, max(6, round(len(recent) * TICKET_SHARE))) if recent else 0
    picked = sorted(rng.choice(len(recent), size=min(n, len(recent)), replace=False).tolist())
    open_since = window_end - dt.timedelta(days=OPEN_DAYS)
    out: list[TicketSpec] = []
    for k, index in enumerate(picked):
        order = recent[index]
        kind = TICKET_KINDS[int(rng.choice(len(TICKET_KINDS), p=TICKET_WEIGHTS))]
        priority, subject, question, reply = TICKETS[kind]
        opened = order.paid_at + dt.timedelta(hours=float(rng.uniform(20, 60)))
        opened = opened.replace(microsecond=0)
        if opened >= window_end - dt.timedelta(hours=2):
            continue
        late = k % 4 == 1  # a quarter are answered late: the SLA is breached
        reply_at: dt.datetime | None = opened + (dt.timedelta(hours=int(rng.integers(30, 54))) if late
                                                 else dt.timedelta(minutes=int(rng.integers(3, 25))))
        resolved_at: dt.datetime | None = None
        if reply_at is not None and reply_at >= window_end:
            reply_at = None
        if opened < open_since and reply_at is not None:
            resolved_at = reply_at + dt.timedelta(minutes=int(rng.integers(20, 180)))
            if resolved_at >= window_end:
                resolved_at = None
        out.append(TicketSpec(order.order_no, order.channel, kind, priority, subject, opened, question, reply,
                              reply_at, resolved_at, assigned=k % 5 != 4, by_chat=order.channel in CHAT_CHANNELS))
    return [*out[:-2], *(replace(t, resolved_at=None) for t in out[-2:])]  # the newest two are still being worked on


def _ticket_chats(tickets: list[TicketSpec], world: World, identity: dict[str, dict[str, str]]) -> list[ChatSpec]:
    """The chat session of each ticket on a chat channel: the buyer's question a minute after the ticket was opened
    (the agent opened it from the chat), the reply when it came."""
    customer = {(o.channel, o.order_no): o.customer_code for o in world.orders}
    chats: list[ChatSpec] = []
    for number, t in enumerate(t for t in tickets if t.by_chat):
        buyer = identity[customer[(t.channel, t.order_no)]][t.channel]
        messages: list[tuple[str, dt.datetime, str]] = [("买家", t.opened_at + MINUTE, t.question)]
        if t.reply_at is not None:
            messages.append(("客服", t.reply_at, t.reply))
        chats.append(ChatSpec(t.channel, f"{t.channel}-T{number + 1:06d}", buyer, AGENTS[t.channel][0],
                              tuple(messages)))
    return chats


def _reviews(rng: np.random.Generator, world: World, identity: dict[str, dict[str, str]],
             window_end: dt.datetime) -> list[ReviewSpec]:
    done = [o for o in world.orders if o.channel == REVIEW_CHANNEL and o.status == "completed"]
    months: Counter[tuple[str, str]] = Counter((o.customer_code, o.paid_at.strftime("%Y-%m")) for o in done)
    fan = max(months.items(), key=lambda item: (item[1], item[0]))[0] if months else None  # reviews them all
    reviews: list[ReviewSpec] = []
    for order, u in zip(done, rng.random(len(done)), strict=True):
        keen = fan is not None and (order.customer_code, order.paid_at.strftime("%Y-%m")) == fan
        if not keen and u >= REVIEW_SHARE:
            continue
        at = (order.paid_at + dt.timedelta(hours=float(rng.uniform(3 * 24, 12 * 24)))).replace(microsecond=0)
        if at >= window_end:
            continue
        bad = not keen and len(reviews) % BAD_EVERY == 7  # a bad one even in a small world
        reviews.append(ReviewSpec(order.order_no, identity[order.customer_code][REVIEW_CHANNEL], at,
                                  *_rating(rng, keen, bad)))
    return reviews


def _rating(rng: np.random.Generator, keen: bool, bad: bool) -> tuple[tuple[int | None, int | None, int | None], str]:
    u = 1.0 if bad else float(rng.random())
    if keen or u < 0.80:
        return (5, 5, 5), _pick(rng, REVIEW_TEXTS)
    if u < 0.93:
        scores = [5, 5, 5]
        scores[int(rng.integers(3))] = 4
        return (scores[0], scores[1], scores[2]), _pick(rng, OK_TEXTS)
    if u < 0.995:
        return (None, None, None), DEFAULT_TEXT
    text = _pick(rng, BAD_TEXTS)
    return (int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(2, 5))), text


def _returns(world: World, window_end: dt.datetime) -> list[ReturnSpec]:
    """One return per after-delivery refund of a line (a line refunded twice keeps its first live refund)."""
    since = window_end - dt.timedelta(days=RETURN_DAYS)
    orders: dict[tuple[str, str], OrderSpec] = {(o.channel, o.order_no): o for o in world.orders}
    claimed: set[tuple[str, str, int]] = set()
    out: list[ReturnSpec] = []
    for r in world.refunds:
        if r.channel not in RETURN_CHANNELS or r.line_index is None or not since <= r.requested_at < window_end:
            continue
        status = {"success": "refunded", "rejected": "rejected", "closed": "rejected"}.get(r.status, "requested")
        key = (r.channel, r.order_no, r.line_index)
        if status != "rejected":
            if key in claimed:
                continue
            claimed.add(key)
        line = orders[(r.channel, r.order_no)].lines[r.line_index]
        out.append(ReturnSpec(r.channel, r.refund_no, r.order_no, line.sku_code, line.title, line.qty, r.kind, status,
                              REASON_TEXTS.get(r.reason, r.reason), r.amount_fen, r.requested_at,
                              r.completed_at if status != "requested" else None))
    return out
