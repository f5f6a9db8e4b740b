"""The own-site behaviour log (行为日志): pv / fav / cart / buy events consistent with the orders.

* Every paid own-site order is one buying session of its customer (``user_id`` = the customer's own-site id):
  page views of its items and of a few others, a cart event for most lines, then one ``buy`` per line at the
  order's payment time, all within 30 idle minutes (the session rule of docs/rules/analytics.md#sessions /
  ``shopops paths``); some buyers also came back from an earlier research session hours before (pv, fav).
* Everybody else in the channel's reported traffic (``TrafficSpec.uv`` − buyers, per day × source) is a
  visitor who did not buy: a session of page views (PV/UV as the traffic report has it, so one-page visits
  make the bounce rate), sometimes a cart or fav, sometimes a second session after an idle gap. Visitors
  are drawn from a pool, so some come back on other days; a share are known customers browsing again.
* Traffic, and so visitors, follow the world's calendar: 双11 and the other campaigns lift UV and the
  conversion (buyers / UV) exactly as the traffic model made them (gen_traffic.CAMPAIGN_CVR_LIFT), and the
  funnel narrows: visitors ≫ people who cart > buyers.

Pure (no Django): the sink writes ``EventLog.rows`` as an ``events`` CSV and imports it (demo.export_sink).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from shopops.demo.gen_orders import HOURLY
from shopops.demo.gen_random import stream
from shopops.demo.spec import OrderSpec, World

CHANNEL = "own-site"
HEADER = ("ts", "user_id", "item_id", "category_id", "behavior", "sku_id", "channel", "source", "session_id",
          "price")
IDLE_GAP_S = 30 * 60  # a session ends after 30 idle minutes
STEP_S = (12, 240)  # seconds between two events of a session (uniform)
BUYER_CART = 0.75  # a bought line was carted first
BUYER_EXTRA_VIEWS = 1.5  # other items a buyer looks at (Poisson mean)
BUYER_EARLIER_VISIT = 0.35  # came once before to look (and sometimes fav) in the 2–72 h before buying
VISITOR_CART, VISITOR_FAV = 0.06, 0.03
VISITOR_SECOND_SESSION = 0.12
KNOWN_CUSTOMER_SHARE = 0.15  # visitors who are past buyers browsing again
VISITOR_POOL = 0.7  # distinct anonymous visitors per visit: some come back on other days


@dataclass(slots=True)
class EventLog:
    rows: list[tuple] = field(default_factory=list)  # (ts UTC, user, item, category, behavior, sku, source, session, price)

    def count(self, behavior: str) -> int:
        return sum(1 for row in self.rows if row[4] == behavior)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@dataclass(slots=True)
class _Writer:
    """The log being written and what every session shares: the ``events`` stream (one stream, drawn in the
    order the sessions are written, so the same world gives the same log), the SKUs' facts, the browsing
    weights and the session counter."""

    rng: np.random.Generator
    sku_codes: list[str]
    sku_info: dict[str, tuple[str, str, int]]  # sku → (spu, category, list price in fen)
    cumulative: np.ndarray  # cumulative browsing weight per SKU (sku_codes order)
    log: EventLog = field(default_factory=EventLog)
    sessions: int = 0

    def browse(self, k: int) -> list[str]:
        """``k`` SKUs looked at, by popularity (bought SKUs draw more views)."""
        picks = np.searchsorted(self.cumulative, self.rng.random(k) * self.cumulative[-1], side="right")
        return [self.sku_codes[min(int(i), len(self.sku_codes) - 1)] for i in picks]

    def session(self) -> str:
        self.sessions += 1
        return f"S{self.sessions:09d}"

    def emit(self, ts: dt.datetime, user: str, sku: str, behavior: str, source: str, sid: str,
             price: str = "") -> None:
        spu, category, _price = self.sku_info[sku]
        self.log.rows.append((ts, user, spu, category, behavior, sku, source, sid, price))

    def steps(self, k: int) -> list[int]:
        """Seconds between ``k`` consecutive events of a session."""
        return self.rng.integers(STEP_S[0], STEP_S[1], k).tolist()

    def price(self, sku: str) -> str:
        return _yuan(self.sku_info[sku][2])


def build_events(world: World) -> EventLog:
    """The own-site behaviour log of ``world`` (see the module docstring), sorted by time then session."""
    rng = stream(world.config.seed, "events")
    tz = ZoneInfo(world.config.tz)
    spu_category = {p.spu_code: p.category_code for p in world.products}
    sku_info = {s.sku_code: (s.spu_code, spu_category.get(s.spu_code, ""), s.price_fen) for s in world.skus}
    sku_codes = [s.sku_code for s in world.skus]
    if not sku_codes:
        return EventLog()
    orders = [o for o in world.orders if o.channel == CHANNEL]
    own_id = {c.code: dict(c.identities).get(CHANNEL) for c in world.customers}
    writer = _Writer(rng, sku_codes, sku_info, _browse_weights(sku_codes, orders))
    window_start = dt.datetime.combine(world.start_date, dt.time(), tz)
    for o in orders:
        _buyer_session(writer, o, own_id.get(o.customer_code) or o.customer_code, window_start)
    known = [u for u in (own_id.get(o.customer_code) for o in orders) if u]
    _visitor_sessions(writer, world, tz, known)
    writer.log.rows.sort(key=lambda row: (row[0], row[7]))
    return writer.log


def _browse_weights(sku_codes: list[str], orders: list[OrderSpec]) -> np.ndarray:
    """Cumulative browsing weight per SKU: 1 each, plus 4 per own-site order line, so what sells is what
    people look at."""
    popularity = np.ones(len(sku_codes))
    index_of = {code: i for i, code in enumerate(sku_codes)}
    for o in orders:
        for line in o.lines:
            popularity[index_of[line.sku_code]] += 4.0
    return np.cumsum(popularity)


def _buyer_session(w: _Writer, o: OrderSpec, user: str, window_start: dt.datetime) -> None:
    """One paid order's buying session: views (of its items and a few others) and carts ending at the order's
    placing, a view when the payment came much later, its buys at the payment time; then maybe an earlier
    research visit."""
    sid = w.session()
    plan: list[tuple[str, str]] = [(sku, "pv") for sku in w.browse(int(w.rng.poisson(BUYER_EXTRA_VIEWS)))]
    for line in o.lines:
        plan.append((line.sku_code, "pv"))
        if w.rng.random() < 0.3:
            plan.append((line.sku_code, "pv"))  # back to the item after comparing
        if w.rng.random() < BUYER_CART:
            plan.append((line.sku_code, "cart"))
    gaps = w.steps(len(plan))
    t = o.placed_at - dt.timedelta(seconds=sum(gaps))
    for (sku, behavior), gap in zip(plan, gaps, strict=True):
        w.emit(t, user, sku, behavior, o.source, sid, w.price(sku) if behavior == "cart" else "")
        t += dt.timedelta(seconds=gap)
    last = t - dt.timedelta(seconds=gaps[-1])
    if (o.paid_at - last).total_seconds() >= IDLE_GAP_S - 60:  # paid long after ordering: came back to pay
        back = last + dt.timedelta(seconds=int((o.paid_at - last).total_seconds()) // 2)
        w.emit(back, user, o.lines[0].sku_code, "pv", o.source, sid)
    for line in o.lines:
        w.emit(o.paid_at, user, line.sku_code, "buy", o.source, sid, _yuan(line.unit_price_fen))
    _earlier_visit(w, o, user, sum(gaps), window_start)


def _earlier_visit(w: _Writer, o: OrderSpec, user: str, session_s: int, window_start: dt.datetime) -> None:
    """Some buyers came once before, 2–72 h before the buying session, to look (and sometimes fav); the hour
    is drawn for every order so the stream does not depend on who came back."""
    earlier = o.placed_at - dt.timedelta(seconds=int(w.rng.integers(2 * 3600, 72 * 3600)) + session_s)
    if w.rng.random() < BUYER_EARLIER_VISIT and earlier >= window_start:
        sid = w.session()
        look = [line.sku_code for line in o.lines] + w.browse(int(w.rng.integers(0, 3)))
        for sku, gap in zip(look, w.steps(len(look)), strict=True):
            w.emit(earlier, user, sku, "pv", o.source, sid)
            if w.rng.random() < 0.3:
                w.emit(earlier + dt.timedelta(seconds=5), user, sku, "fav", o.source, sid)
            earlier += dt.timedelta(seconds=gap)


def _visitor_sessions(w: _Writer, world: World, tz: ZoneInfo, known: list[str]) -> None:
    """Everybody else in the reported own-site traffic: per day × source, ``uv − buyers`` visitors who did
    not buy, drawn from a pool (some come back on other days; a share are known customers)."""
    hours = np.cumsum(HOURLY / HOURLY.sum())
    visits = sum(max(t.uv - t.buyers, 0) for t in world.traffic if t.channel == CHANNEL)
    pool = max(int(visits * VISITOR_POOL), 1)
    for t in world.traffic:
        if t.channel != CHANNEL:
            continue
        n = max(t.uv - t.buyers, 0)
        if n == 0:
            continue
        ratio = max(t.pv - t.buyers * 4, n) / n  # the report's PV per visitor, less what buyers viewed
        midnight = dt.datetime.combine(t.date, dt.time(), tz)
        starts = (np.searchsorted(hours, w.rng.random(n)) * 3600 + w.rng.integers(0, 3600, n)).tolist()
        pages = w.rng.geometric(min(1.0, 1.0 / ratio), n).tolist()
        who = w.rng.integers(0, pool, n).tolist()
        is_known = (w.rng.random(n) < KNOWN_CUSTOMER_SHARE).tolist()
        for k in range(n):
            user = known[who[k] % len(known)] if is_known[k] and known else f"v{who[k]:08d}"
            ts = (midnight + dt.timedelta(seconds=starts[k])).astimezone(dt.UTC)
            _visit(w, user, ts, int(pages[k]), t.source)


def _visit(w: _Writer, user: str, ts: dt.datetime, pages: int, source: str) -> None:
    """One visitor's session of ``pages`` views (one page makes a bounce), sometimes a cart or a fav, and
    sometimes a second session after more than the idle gap."""
    sid = w.session()
    viewed = w.browse(pages)
    for sku, gap in zip(viewed, w.steps(len(viewed)), strict=True):
        w.emit(ts, user, sku, "pv", source, sid)
        ts += dt.timedelta(seconds=gap)
    roll = w.rng.random(3)
    if roll[0] < VISITOR_CART:
        w.emit(ts, user, viewed[-1], "cart", source, sid, w.price(viewed[-1]))
    if roll[1] < VISITOR_FAV:
        w.emit(ts + dt.timedelta(seconds=3), user, viewed[0], "fav", source, sid)
    if roll[2] < VISITOR_SECOND_SESSION:
        ts += dt.timedelta(seconds=int(w.rng.integers(IDLE_GAP_S + 60, 6 * 3600)))
        sid = w.session()
        for sku, gap in zip(w.browse(int(w.rng.integers(1, 4))), w.steps(3), strict=False):
            w.emit(ts, user, sku, "pv", source, sid)
            ts += dt.timedelta(seconds=gap)


def write_events_csv(log: EventLog, path: Path | str, tz: str = "Asia/Shanghai") -> int:
    """The log as an ``events`` file: UTF-8 CSV, ts in the shop's local time."""
    zone = ZoneInfo(tz)
    offsets: dict[dt.date, int] = {}  # the zone's UTC offset by UTC date (a day's rows share it but at a DST switch)

    def offset(ts: dt.datetime) -> int:
        day = ts.date()
        if day not in offsets:
            offsets[day] = int(ts.astimezone(zone).utcoffset().total_seconds())  # type: ignore[union-attr]
        return offsets[day]

    seconds = np.array([int(row[0].timestamp()) + offset(row[0]) for row in log.rows], dtype="datetime64[s]")
    stamps = np.char.replace(seconds.astype(str), "T", " ").tolist()
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows([stamp, user, item, category, behavior, sku, CHANNEL, source, sid, price]
                         for stamp, (_ts, user, item, category, behavior, sku, source, sid, price)
                         in zip(stamps, log.rows, strict=True))
    return len(log.rows)
