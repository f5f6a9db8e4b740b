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

from .gen_orders import HOURLY
from .gen_random import stream
from .spec import World

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


def build_events(world: World) -> EventLog:
    rng = stream(world.config.seed, "events")
    tz = ZoneInfo(world.config.tz)
    spu_category = {p.spu_code: p.category_code for p in world.products}
    sku_info = {s.sku_code: (s.spu_code, spu_category.get(s.spu_code, ""), s.price_fen) for s in world.skus}
    sku_codes = [s.sku_code for s in world.skus]
    if not sku_codes:
        return EventLog()
    orders = [o for o in world.orders if o.channel == CHANNEL]
    own_id = {c.code: dict(c.identities).get(CHANNEL) for c in world.customers}
    popularity = np.ones(len(sku_codes))
    index_of = {code: i for i, code in enumerate(sku_codes)}
    for o in orders:
        for line in o.lines:
            popularity[index_of[line.sku_code]] += 4.0
    cumulative = np.cumsum(popularity)
    hours = np.cumsum(HOURLY / HOURLY.sum())

    def browse(k: int) -> list[str]:
        picks = np.searchsorted(cumulative, rng.random(k) * cumulative[-1], side="right")
        return [sku_codes[min(int(i), len(sku_codes) - 1)] for i in picks]

    log = EventLog()
    sessions = [0]
    window_start = dt.datetime.combine(world.start_date, dt.time(), tz)

    def session() -> str:
        sessions[0] += 1
        return f"S{sessions[0]:09d}"

    def emit(ts: dt.datetime, user: str, sku: str, behavior: str, source: str, sid: str, price: str = "") -> None:
        spu, category, _price = sku_info[sku]
        log.rows.append((ts, user, spu, category, behavior, sku, source, sid, price))

    def steps(k: int) -> list[int]:
        return rng.integers(STEP_S[0], STEP_S[1], k).tolist()

    # --- buyers: one session per paid order, ending with its buys at the payment time
    for o in orders:
        user = own_id.get(o.customer_code) or o.customer_code
        sid = session()
        plan: list[tuple[str, str]] = [(sku, "pv") for sku in browse(int(rng.poisson(BUYER_EXTRA_VIEWS)))]
        for line in o.lines:
            plan.append((line.sku_code, "pv"))
            if rng.random() < 0.3:
                plan.append((line.sku_code, "pv"))  # back to the item after comparing
            if rng.random() < BUYER_CART:
                plan.append((line.sku_code, "cart"))
        gaps = steps(len(plan))
        t = o.placed_at - dt.timedelta(seconds=sum(gaps))
        for (sku, behavior), gap in zip(plan, gaps, strict=True):
            emit(t, user, sku, behavior, o.source, sid, _yuan(sku_info[sku][2]) if behavior == "cart" else "")
            t += dt.timedelta(seconds=gap)
        last = t - dt.timedelta(seconds=gaps[-1])
        if (o.paid_at - last).total_seconds() >= IDLE_GAP_S - 60:  # paid long after ordering: came back to pay
            emit(last + dt.timedelta(seconds=int((o.paid_at - last).total_seconds()) // 2), user, o.lines[0].sku_code, "pv", o.source, sid)
        for line in o.lines:
            emit(o.paid_at, user, line.sku_code, "buy", o.source, sid, _yuan(line.unit_price_fen))
        earlier = o.placed_at - dt.timedelta(seconds=int(rng.integers(2 * 3600, 72 * 3600)) + sum(gaps))
        if rng.random() < BUYER_EARLIER_VISIT and earlier >= window_start:
            sid = session()
            look = [line.sku_code for line in o.lines] + browse(int(rng.integers(0, 3)))
            for sku, gap in zip(look, steps(len(look)), strict=True):
                emit(earlier, user, sku, "pv", o.source, sid)
                if rng.random() < 0.3:
                    emit(earlier + dt.timedelta(seconds=5), user, sku, "fav", o.source, sid)
                earlier += dt.timedelta(seconds=gap)

    # --- everybody else in the reported traffic: visitors who did not buy that day
    known = [u for u in (own_id.get(o.customer_code) for o in orders) if u]
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
        starts = (np.searchsorted(hours, rng.random(n)) * 3600 + rng.integers(0, 3600, n)).tolist()
        pages = rng.geometric(min(1.0, 1.0 / ratio), n).tolist()
        who = rng.integers(0, pool, n).tolist()
        is_known = (rng.random(n) < KNOWN_CUSTOMER_SHARE).tolist()
        for k in range(n):
            user = known[who[k] % len(known)] if is_known[k] and known else f"v{who[k]:08d}"
            sid = session()
            ts = (midnight + dt.timedelta(seconds=starts[k])).astimezone(dt.UTC)
            viewed = browse(int(pages[k]))
            for sku, gap in zip(viewed, steps(len(viewed)), strict=True):
                emit(ts, user, sku, "pv", t.source, sid)
                ts += dt.timedelta(seconds=gap)
            roll = rng.random(3)
            if roll[0] < VISITOR_CART:
                emit(ts, user, viewed[-1], "cart", t.source, sid, _yuan(sku_info[viewed[-1]][2]))
            if roll[1] < VISITOR_FAV:
                emit(ts + dt.timedelta(seconds=3), user, viewed[0], "fav", t.source, sid)
            if roll[2] < VISITOR_SECOND_SESSION:
                ts += dt.timedelta(seconds=int(rng.integers(IDLE_GAP_S + 60, 6 * 3600)))
                sid = session()
                for sku, gap in zip(browse(int(rng.integers(1, 4))), steps(3), strict=False):
                    emit(ts, user, sku, "pv", t.source, sid)
                    ts += dt.timedelta(seconds=gap)
    log.rows.sort(key=lambda row: (row[0], row[7]))
    return log


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
