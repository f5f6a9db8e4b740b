"""Campaign computations over stored data: the calendar, the promotion contract, order history, the
simulation before launch, the post-mortem and lottery eligibility.

Used by both ``selectors`` (the faces' reads) and ``services`` (snapshots, the demo), which the layer
contract keeps apart; it reads other apps only through their selectors.

Other apps are read only through their selectors (catalog: SKUs, prices, costs; orders: orders with their
lines and allocated discounts; core: users). Money stays in fen here; the faces format it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from shopops.campaigns import domain, simulation
from shopops.campaigns.models import CalendarPreset, Campaign, CampaignSku
from shopops.catalog import selectors as catalog_selectors
from shopops.core.clock import today
from shopops.core.errors import InvalidInput
from shopops.core.models import Shop
from shopops.core.money import divide_half_up, format_fen
from shopops.core.text import gettext_noop
from shopops.orders import selectors as order_selectors
from shopops.pricing.contract import parse_cart
from shopops.pricing.domain import Gift, Promotion, Scope
from shopops.pricing.messages import say

CALENDAR_FILE = Path(__file__).resolve().parent / "data" / "calendar.json"
HISTORY_DAYS = 90  # typical baskets come from this many days before the campaign (or before today)


# --- calendar ---------------------------------------------------------------------------------------------


@cache
def calendar_defaults() -> tuple[dict, ...]:
    """The shipped presets (platform events per year, store themes), as data."""
    data = json.loads(CALENDAR_FILE.read_text(encoding="utf-8"))
    entries = []
    for entry in data["entries"]:
        row = dict(entry)
        row.pop("source", None)  # where the dates come from: for whoever edits the file, not for the pages
        for key in ("warmup_start", "main_start", "main_end", "return_end"):
            row[key] = dt.date.fromisoformat(row[key]) if row.get(key) else None
        row.setdefault("day_of_month", None)
        row.setdefault("length_days", 1)
        row["custom"] = False
        entries.append(row)
    return tuple(entries)


def _preset_row(preset: CalendarPreset) -> dict:
    return {"code": preset.code, "name": preset.name, "kind": preset.kind, "year": preset.year,
            "warmup_start": preset.warmup_start, "main_start": preset.main_start, "main_end": preset.main_end,
            "return_end": preset.return_end, "day_of_month": preset.day_of_month,
            "length_days": preset.length_days, "note": preset.note, "custom": True, "hidden": preset.hidden}


def calendar_entries(*, shop: Shop, year: int | None = None) -> list[dict]:
    """The shop's calendar: shipped presets overlaid by the shop's own rows (same code and year), for ``year``
    (None: every year) plus the recurring store themes."""
    rows: dict[tuple[str, int | None], dict] = {}
    for entry in calendar_defaults():
        rows[(entry["code"], entry["year"])] = {**entry, "hidden": False}
    for preset in CalendarPreset.objects.filter(shop=shop):
        rows[(preset.code, preset.year)] = _preset_row(preset)
    out = [r for r in rows.values() if year is None or r["year"] in (None, year)]
    return sorted(out, key=lambda r: (r["year"] is None, r["main_start"] or dt.date.max, r["code"]))


def calendar_entry(*, shop: Shop, code: str, year: int | None) -> dict | None:
    return next((r for r in calendar_entries(shop=shop) if r["code"] == code and r["year"] == year), None)


def promotion_days(*, shop: Shop, start: dt.date, end: dt.date) -> dict[dt.date, list[str]]:
    """Each day in ``start..end`` that lies in the main period (正式期) of a platform event, a store theme or one
    of the shop's campaigns, with the names of what runs that day.

    Analytics compares such days with other promotion days, never with ordinary ones (a 双11 day against a
    normal Tuesday is always an "anomaly"); forecasts treat them as known uplift events.
    """
    spans: list[tuple[dt.date, dt.date, str]] = []
    for row in calendar_entries(shop=shop):
        if row.get("hidden"):
            continue
        if row["year"] is not None and row["main_start"] and row["main_end"]:
            spans.append((row["main_start"], row["main_end"], row["name"]))
        elif row["day_of_month"]:
            length = max(row["length_days"] or 1, 1)
            for day in domain.monthly_occurrences(row["day_of_month"], length, start, end):
                spans.append((day, day + dt.timedelta(days=length - 1), row["name"]))
    for campaign in Campaign.objects.filter(shop=shop, main_start__lte=end, main_end__gte=start):
        spans.append((campaign.main_start, campaign.main_end, campaign.name))
    days: dict[dt.date, list[str]] = {}
    for first, last, name in spans:
        day = max(first, start)
        while day <= min(last, end):
            names = days.setdefault(day, [])
            if name not in names:
                names.append(name)
            day += dt.timedelta(days=1)
    return dict(sorted(days.items()))


def calendar_occurrences(*, shop: Shop, start: dt.date, end: dt.date) -> list[dict]:
    """What happens between ``start`` and ``end``: platform events, monthly store themes and the campaigns."""
    out = []
    for row in calendar_entries(shop=shop):
        if row.get("hidden"):
            continue
        if row["year"] is not None and row["warmup_start"] and row["return_end"]:
            if row["warmup_start"] <= end and row["return_end"] >= start:
                out.append({"kind": row["kind"], "name": row["name"], "code": row["code"], "year": row["year"],
                            "start": row["warmup_start"], "main_start": row["main_start"],
                            "end": row["return_end"], "note": row["note"]})
        elif row["day_of_month"]:
            for day in domain.monthly_occurrences(row["day_of_month"], row["length_days"], start, end):
                out.append({"kind": "store", "name": row["name"], "code": row["code"], "year": None, "start": day,
                            "main_start": day, "end": day + dt.timedelta(days=row["length_days"] - 1),
                            "note": row["note"]})
    for campaign in Campaign.objects.filter(shop=shop, warmup_start__lte=end, return_end__gte=start):
        out.append({"kind": "campaign", "name": campaign.name, "code": "", "year": None, "id": campaign.pk,
                    "start": campaign.warmup_start, "main_start": campaign.main_start, "end": campaign.return_end,
                    "note": ""})
    return sorted(out, key=lambda r: (r["start"], r["kind"], r["name"]))


# --- promotions: the pricing contract -------------------------------------------------------------------------


def promotions_parsed(*, shop: Shop, promotions: list[dict], prices: dict[str, int]) -> list[Promotion]:
    """Stored (already validated) promotion JSON as engine objects with their full SKU scope.

    The contract reads a promotion against the lines of a cart; a campaign's promotion may name thousands of
    SKUs, so it is read against a small cart (its most expensive SKU, or one line when it names none) and
    given its full SKU list afterwards.
    """
    out = []
    for item in promotions:
        parsed = promotion_parse(shop_code=shop.code, item=item, prices=prices)[0]
        if parsed is not None:
            out.append(parsed)
    return out


def promotion_parse(*, shop_code: str, item: dict, prices: dict[str, int]) -> tuple[Promotion | None, list]:
    """One promotion dict through ``pricing.contract``: (promotion, field errors with paths of the promotion)."""
    skus = [s for s in item.get("skus") or [] if isinstance(s, str) and s.strip() in prices]
    skus = [s.strip() for s in skus]
    sample = max(skus, key=lambda s: (prices[s], s)) if skus else None
    price = prices[sample] if sample else max(prices.values(), default=100_000_000)
    line_sku = sample or simulation.BASKET_SKU
    cart = {"lines": [{"line": "1", "sku": line_sku, "shop": shop_code, "price": format_fen(price), "qty": 1}],
            "promotions": [{**item, "skus": [sample] if sample else item.get("skus") or []}]}
    try:
        parsed = parse_cart(cart, now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).promotions[0]
    except InvalidInput as exc:
        errors = [(e.field.removeprefix("promotions[0]").lstrip("."), say(e.message)) for e in exc.errors]
        return None, errors
    return replace(parsed, scope=Scope(parsed.scope.shop, frozenset(skus))), []


# --- history from the orders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """Order lines of a date range as columns (money in fen)."""

    order_id: np.ndarray
    paid_at: list[dt.datetime]
    paid_date: list[dt.date]
    sku: np.ndarray
    qty: np.ndarray
    unit_price: np.ndarray
    amount: np.ndarray
    discount: np.ndarray
    paid: np.ndarray

    @classmethod
    def empty(cls) -> History:
        ints = np.zeros(0, dtype=np.int64)
        return cls(ints, [], [], np.zeros(0, dtype=object), ints, ints, ints, ints, ints)


def history(*, shop: Shop, start: dt.date, end: dt.date) -> History:
    """The order lines paid on start..end, in payment order (read in one joined query: no list of order ids
    goes back to the database, so any number of orders works)."""
    if end < start:
        return History.empty()
    cols = order_selectors.period_line_columns(shop=shop, start=start, end=end)
    as_int = {k: np.array(cols[k], dtype=np.int64) for k in ("order_id", "qty", "unit_price", "amount", "discount",
                                                             "paid")}
    return History(sku=np.array(cols["sku"], dtype=object), paid_at=cols["paid_at"], paid_date=cols["paid_date"],
                   **as_int)


def reference_prices(hist: History, skus: list[str], *, window_start: dt.date, basis: str) -> dict[str, int]:
    """Per SKU, the lowest transaction price per unit (fen, floor) on or after ``window_start``; when it did
    not sell in the window, the price of its last transaction before (《规范促销行为暂行规定》 art. 6,
    docs/rules/campaigns.md#reference-price). ``basis`` "paid": what the buyer paid per unit after every
    discount; "unit": the unit price after single-item offers. ``hist`` must end the day before the
    campaign."""
    wanted = set(skus)
    per_unit = hist.paid // np.maximum(hist.qty, 1) if basis == "paid" else hist.unit_price
    lowest: dict[str, int] = {}
    last: dict[str, tuple[dt.datetime, int]] = {}
    for sku, day, at, price in zip(hist.sku.tolist(), hist.paid_date, hist.paid_at, per_unit.tolist(),
                                   strict=True):
        if sku not in wanted:
            continue
        if day >= window_start:
            lowest[sku] = min(lowest.get(sku, price), price)
        seen = last.get(sku)
        if seen is None or at > seen[0] or (at == seen[0] and price < seen[1]):
            last[sku] = (at, price)
    return {sku: lowest[sku] if sku in lowest else last[sku][1] for sku in wanted if sku in lowest or sku in last}


# --- simulation ---------------------------------------------------------------------------------------------


def simulation_input(*, campaign: Campaign, as_of: dt.date | None = None) -> tuple[simulation.SimulationInput, dict]:
    """Gather prices, costs, floors, the reference prices and typical baskets of the SKUs in scope."""
    shop = campaign.shop
    catalog = catalog_selectors.skus_by_code(shop=shop)
    scoped = campaign_skus(campaign=campaign)
    rows = [r for r in scoped if r.sku_code in catalog]
    codes = [r.sku_code for r in rows]
    prices = {code: catalog[code].price_fen for code in catalog}
    price = np.array([catalog[c].price_fen for c in codes], dtype=np.int64)
    cost = np.array([catalog[c].cost_fen for c in codes], dtype=np.int64)
    floor = np.array([r.floor_fen if r.floor_fen is not None else (catalog[r.sku_code].price_fen * campaign.floor_bp
                                                                   // 10_000) for r in rows], dtype=np.int64)
    claimed = np.array([r.claimed_fen if r.claimed_fen is not None else catalog[r.sku_code].price_fen
                        for r in rows], dtype=np.int64)
    history_end = min(campaign.warmup_start - dt.timedelta(days=1), as_of or today(shop.timezone))
    hist = history(shop=shop, start=history_end - dt.timedelta(days=HISTORY_DAYS - 1), end=history_end)
    window_start = campaign.warmup_start - dt.timedelta(days=campaign.reference_days)
    refs = reference_prices(hist, codes, window_start=window_start, basis=campaign.reference_basis)
    list_amount = np.array([prices.get(s, 0) for s in hist.sku.tolist()], dtype=np.int64) * hist.qty
    baskets = simulation.typical_baskets(hist.order_id, hist.sku, hist.qty, list_amount, codes)
    promotions = promotions_parsed(shop=shop, promotions=campaign.promotions, prices=prices)
    gift_cost = {}
    for promotion in promotions:
        if isinstance(promotion, Gift):
            gift_cost[promotion.id] = sum(catalog[g.sku].cost_fen * g.qty for g in promotion.gifts if g.sku in catalog)
    channels = list(campaign.channels) or ["tmall"]
    tz = shop.timezone
    data = simulation.SimulationInput(
        shop=shop.code, skus=codes, price=price, cost=cost, floor=floor, claimed=claimed,
        reference=np.array([refs.get(c, -1) for c in codes], dtype=np.int64),
        basket_qty=np.array([baskets.get(c, (1, 0))[0] for c in codes], dtype=np.int64),
        basket_rest=np.array([baskets.get(c, (1, 0))[1] for c in codes], dtype=np.int64),
        promotions=promotions, channels=channels,
        costs={ch: domain.channel_costs(ch, campaign.costs) for ch in channels}, gift_cost=gift_cost,
        min_margin_bp=campaign.min_margin_bp, start=simulation.local_midnight(campaign.warmup_start, tz),
        end=simulation.local_midnight(campaign.return_end + dt.timedelta(days=1), tz),
    )
    context = {"history": [history_end - dt.timedelta(days=HISTORY_DAYS - 1), history_end],
               "reference_window": [window_start, campaign.warmup_start - dt.timedelta(days=1)],
               "titles": {c: catalog[c].product.title for c in codes},
               "missing": sorted({r.sku_code for r in scoped} - set(codes))}
    return data, context


def campaign_simulation(*, campaign: Campaign, as_of: dt.date | None = None, limit: int | None = None,
                        fen: bool = False) -> dict:
    """The simulation report (JSON-ready: money as strings, rates as numbers), most risky SKU first.

    Cost and margin fields are present here; faces drop them for roles without ``catalog.view_cost``
    (``strip_costs``). ``fen=True`` gives the rows' money as integer fen instead, for writers that format
    numbers themselves (the xlsx export: a negative margin stays a number, never text read back).
    """
    money = int if fen else format_fen
    data, context = simulation_input(campaign=campaign, as_of=as_of)
    result = simulation.simulate(data)
    rows = []
    order = result.order.tolist()
    for i in order[:limit] if limit else order:
        flags = [name for name in simulation.FLAG_WEIGHTS if bool(result.flags[name][i])]
        reference = int(data.reference[i])
        rows.append({
            "sku": data.skus[i], "title": context["titles"].get(data.skus[i], ""),
            "price": money(int(data.price[i])), "claimed_original": money(int(data.claimed[i])),
            "floor": money(int(data.floor[i])),
            "reference_price": money(reference) if reference >= 0 else None,
            "worst_unit_pay": money(int(result.worst_unit_pay[i])),
            "worst_scenario": result.worst_scenario[i],
            "basket": {"qty": int(data.basket_qty[i]), "rest": money(int(data.basket_rest[i]))},
            "cost": money(int(data.cost[i])),
            "margin": money(int(result.margin[i])), "margin_rate": int(result.margin_bp[i]) / 10_000,
            "worst_channel": result.worst_channel[i],
            "channel_margin": {ch: money(int(result.channel_margin[ch][i])) for ch in data.channels},
            "flags": flags, "risk": int(result.risk[i]),
        })
    counts = {name: int(result.flags[name].sum()) for name in simulation.FLAG_WEIGHTS}
    return {
        "campaign": {"id": campaign.pk, "name": campaign.name},
        "skus": len(data.skus), "scenarios": result.scenarios, "promotion_sets": result.live_sets,
        "flag_counts": counts,
        "parameters": {
            "channels": {ch: {k: getattr(c, k) for k in domain.ChannelCosts.FIELDS} for ch, c in data.costs.items()},
            "min_margin": campaign.min_margin_bp / 10_000, "default_floor": campaign.floor_bp / 10_000,
            "reference_days": campaign.reference_days, "reference_basis": campaign.reference_basis,
            "history": [d.isoformat() for d in context["history"]],
            "reference_window": [d.isoformat() for d in context["reference_window"]],
        },
        "missing_skus": context["missing"],
        "rows": rows,
    }


COST_KEYS = ("cost", "margin", "margin_rate", "channel_margin", "worst_channel")


def strip_costs(report: dict) -> dict:
    """The simulation without cost and margin numbers (for roles without catalog.view_cost)."""
    out = {**report, "rows": [{k: v for k, v in row.items() if k not in COST_KEYS} for row in report["rows"]]}
    out["parameters"] = {k: v for k, v in report["parameters"].items() if k not in ("channels", "min_margin")}
    out["costs_hidden"] = True
    return out


# --- review --------------------------------------------------------------------------------------------------


def _period(shop: Shop, start: dt.date, end: dt.date, catalog: dict[str, Any]) -> dict[str, Any]:
    """GMV (支付金额: paid incl. shipping, refunds not deducted — docs/rules/metrics.md#gmv), orders, buyers,
    allocated discounts, and breakdowns by day, channel, SKU and promotion label.

    Summed by the database (a few grouped queries of fixed size), so a period of any number of orders works;
    ``catalog`` is the shop's SKUs by code (list prices for the markdown, titles)."""
    days = {start + dt.timedelta(days=i): 0 for i in range((end - start).days + 1)}
    day_orders = dict.fromkeys(days, 0)
    totals = order_selectors.period_order_totals(shop=shop, start=start, end=end)
    buyers = totals.pop("buyers")
    for row in order_selectors.period_order_sums(shop=shop, start=start, end=end, by=("paid_date",)):
        days[row["paid_date"]] += row["gmv"]
        day_orders[row["paid_date"]] += row["orders"]
    channels: dict[str, dict[str, int]] = {}
    for row in order_selectors.period_order_sums(shop=shop, start=start, end=end, by=("channel",)):
        ch = channels.setdefault(row["channel"], {"gmv": 0, "orders": 0})
        ch["gmv"] += row["gmv"]
        ch["orders"] += row["orders"]
    labels: dict[str, dict[str, int]] = {}
    for row in order_selectors.period_order_sums(shop=shop, start=start, end=end, by=("promotions",)):
        for label in row["promotions"] or []:  # each label of an order's list counts the whole order
            lab = labels.setdefault(label, {"gmv": 0, "orders": 0, "discount": 0})
            lab["gmv"] += row["gmv"]
            lab["orders"] += row["orders"]
            lab["discount"] += row["discount"]
    skus: dict[str, dict[str, int]] = {}
    markdown = 0
    for row in order_selectors.period_line_sums(shop=shop, start=start, end=end):
        code = row["sku_code"]
        entry = skus.setdefault(code, {"gmv": 0, "qty": 0, "discount": 0})
        entry["gmv"] += row["paid"]
        entry["qty"] += row["qty"]
        entry["discount"] += row["discount"]
        listed = catalog.get(code)
        if listed is not None and listed.price_fen > row["price"]:
            markdown += (listed.price_fen - row["price"]) * row["qty"]
    return {"totals": totals, "buyers": buyers, "daily": days, "daily_orders": day_orders, "channels": channels,
            "skus": skus, "labels": labels, "markdown": markdown,
            "titles": {code: catalog[code].product.title for code in skus if code in catalog}}


def _new_buyers(shop: Shop, start: dt.date, end: dt.date) -> int:
    """Buyers of start..end whose first order of the shop was paid on a local day of start..end."""
    return order_selectors.period_new_buyers(
        shop=shop, start=start, end=end, first_from=simulation.local_midnight(start, shop.timezone),
        first_to=simulation.local_midnight(end + dt.timedelta(days=1), shop.timezone))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def campaign_review(*, campaign: Campaign) -> dict:
    """The post-mortem (money as strings, rates 0..1). Method and sources in ``domain.incremental_gmv``."""
    shop = campaign.shop
    phases = phases_of(campaign)
    base_start, base_end = domain.baseline_window(phases)
    now_day = today(shop.timezone)
    latest = order_selectors.latest_paid_date(shop=shop)
    catalog = catalog_selectors.skus_by_code(shop=shop)
    current = _period(shop, phases.start, phases.end, catalog)
    base = _period(shop, base_start, base_end, catalog)
    new_buyers = _new_buyers(shop, phases.start, phases.end)
    incr = _incremental(shop, phases, latest, current["totals"]["gmv"], base["totals"]["gmv"])
    t = current["totals"]
    base_new = _new_buyers(shop, base_start, base_end)
    day_rows = _day_rows(phases, current, base)
    channel_rows = _channel_rows(current, base)
    sku_rows = _sku_rows(current, base)
    mechanic_rows = _mechanic_rows(campaign, current)
    lessons = _lessons(t["gmv"], incr, channel_rows, sku_rows, mechanic_rows, campaign, new_buyers)
    for rows in (channel_rows, sku_rows, mechanic_rows):
        for row in rows:
            row.pop("_incr", None)
            row.pop("_gmv", None)
    return {
        "campaign": {"id": campaign.pk, "name": campaign.name, "status": domain.campaign_status(phases, now_day)},
        "period": [phases.start.isoformat(), phases.end.isoformat()],
        "baseline_period": [base_start.isoformat(), base_end.isoformat()],
        "complete": latest is not None and latest >= phases.end,
        "data_until": latest.isoformat() if latest else None,
        "kpis": _kpis(t, current["buyers"], new_buyers),
        "baseline": _kpis(base["totals"], base["buyers"], base_new),
        "item_markdown": format_fen(current["markdown"]),
        "incremental_gmv": {"gross": format_fen(incr["gross"]),
                            "net": format_fen(incr["net"]) if incr["net"] is not None else None,
                            "method": "campaign GMV − weekday-aligned baseline of the same length before the "
                                      "warm-up; net adds the hangover of the same length after the campaign"},
        "goals": _goals(campaign, t["gmv"], new_buyers),
        "budget": format_fen(campaign.budget_fen),
        **_missing_sources(),
        "daily": day_rows, "channels": channel_rows, "skus": sku_rows[:50], "mechanics": mechanic_rows,
        "lessons": lessons,
    }


def _incremental(shop: Shop, phases: domain.Phases, latest: dt.date | None, gmv: int, base_gmv: int) -> dict:
    """``domain.incremental_gmv`` of the campaign; the net figure only once the hangover (the same number of
    days after the campaign) is all in, since a partial hangover would flatter the campaign."""
    post_start = phases.end + dt.timedelta(days=1)
    post_end = phases.end + dt.timedelta(days=phases.days)
    post = None
    if latest is not None and post_end <= latest:  # the hangover is known only once those days are in
        post = order_selectors.period_order_totals(shop=shop, start=post_start, end=post_end)["gmv"]
    return domain.incremental_gmv(gmv, base_gmv, post_fen=post, post_baseline_fen=base_gmv if post is not None else None)


def _kpis(tot: dict, buyers: int, new: int | None) -> dict:
    """The KPI block of a period (campaign or baseline), money as strings."""
    return {"gmv": format_fen(tot["gmv"]), "orders": tot["orders"], "buyers": buyers,
            "aov": format_fen(divide_half_up(tot["gmv"], buyers)) if buyers else None,  # 客单价 = 支付金额/买家数
            "promotion_cost": format_fen(tot["discount"]), "refunded": format_fen(tot["refunded"]),
            "new_buyers": new, "returning_buyers": None if new is None else buyers - new}


def _day_rows(phases: domain.Phases, current: dict, base: dict) -> list[dict]:
    """Each campaign day beside its baseline day (the baseline is weekday-aligned and of the same length,
    so the i-th days pair up)."""
    day_rows = []
    base_days = list(base["daily"].items())
    for index, (day, gmv) in enumerate(current["daily"].items()):
        bday, bgmv = base_days[index]
        day_rows.append({"date": day.isoformat(), "phase": phases.phase_of(day), "gmv": format_fen(gmv),
                         "orders": current["daily_orders"][day], "baseline_date": bday.isoformat(),
                         "baseline_gmv": format_fen(bgmv)})
    return day_rows


def _channel_rows(current: dict, base: dict) -> list[dict]:
    """Per channel of either period: GMV, orders, incremental GMV and share, most incremental first
    (``_incr`` kept for the lessons, dropped before the review is returned)."""
    gmv = current["totals"]["gmv"]
    channel_rows = []
    for code in sorted(set(current["channels"]) | set(base["channels"])):
        now_ch = current["channels"].get(code, {"gmv": 0, "orders": 0})
        was = base["channels"].get(code, {"gmv": 0, "orders": 0})
        channel_rows.append({"channel": code, "gmv": format_fen(now_ch["gmv"]), "orders": now_ch["orders"],
                             "baseline_gmv": format_fen(was["gmv"]), "incremental": format_fen(now_ch["gmv"] - was["gmv"]),
                             "share": _share(now_ch["gmv"], gmv), "_incr": now_ch["gmv"] - was["gmv"]})
    channel_rows.sort(key=lambda r: -r["_incr"])
    return channel_rows


def _sku_rows(current: dict, base: dict) -> list[dict]:
    """Per SKU sold in the campaign: GMV, units, discount and incremental GMV, best sellers first."""
    sku_rows = []
    for code, row in current["skus"].items():
        was = base["skus"].get(code, {"gmv": 0, "qty": 0})
        sku_rows.append({"sku": code, "title": current["titles"].get(code, ""), "gmv": format_fen(row["gmv"]),
                         "qty": row["qty"], "discount": format_fen(row["discount"]),
                         "baseline_gmv": format_fen(was["gmv"]), "incremental": format_fen(row["gmv"] - was["gmv"]),
                         "_gmv": row["gmv"], "_incr": row["gmv"] - was["gmv"]})
    sku_rows.sort(key=lambda r: (-r["_gmv"], r["sku"]))
    return sku_rows


def _mechanic_rows(campaign: Campaign, current: dict) -> list[dict]:
    """Per promotion label on the campaign's orders (matched to the campaign's promotion of that name):
    orders, GMV, discount and share, biggest first."""
    gmv = current["totals"]["gmv"]
    by_name = {str(p.get("name") or ""): p.get("id") for p in campaign.promotions if p.get("name")}
    mechanic_rows = [{"label": label, "promotion": by_name.get(label), "orders": v["orders"], "gmv": format_fen(v["gmv"]),
                      "discount": format_fen(v["discount"]), "share": _share(v["gmv"], gmv), "_gmv": v["gmv"]}
                     for label, v in current["labels"].items()]
    mechanic_rows.sort(key=lambda r: (-r["_gmv"], r["label"]))
    return mechanic_rows


def _goals(campaign: Campaign, gmv: int, new_buyers: int) -> dict:
    """Goal, actual and attainment per goal; UV has no actual until traffic reports are imported."""
    return {
        "gmv": {"goal": format_fen(campaign.goal_gmv_fen) if campaign.goal_gmv_fen is not None else None,
                "actual": format_fen(gmv), "attainment": _share(gmv, campaign.goal_gmv_fen or 0)},
        "new_buyers": {"goal": campaign.goal_new_buyers, "actual": new_buyers,
                       "attainment": _share(new_buyers, campaign.goal_new_buyers or 0)},
        "uv": {"goal": campaign.goal_uv, "actual": None, "attainment": None},
    }


def _missing_sources() -> dict:
    """ShopOps has no ad reports or platform traffic yet (the lake holds orders only): say so, never invent."""
    ads = traffic = False
    return {
        "ads": {"available": ads, "spend": None, "roi": None,
                "note": "" if ads else gettext_noop("No ad data yet (no ad reports imported), so spend and ROI are "
                                                    "not shown.")},
        "traffic": {"available": traffic, "uv": None, "cvr": None,
                    "note": "" if traffic else gettext_noop("No traffic data yet (no platform traffic reports "
                                                            "imported), so UV and conversion rate are not shown.")},
    }


def _lessons(gmv: int, incr: dict, channels: list[dict], skus: list[dict], mechanics: list[dict], campaign: Campaign,
             new_buyers: int) -> list[dict]:
    """What carried the result, from the numbers only (codes + parameters; the faces word them)."""
    out: list[dict] = [{"code": "incremental", "amount": format_fen(incr["gross"]),
                        "share": _share(incr["gross"], gmv)}]
    if channels and channels[0]["_incr"] > 0:
        out.append({"code": "top_channel", "channel": channels[0]["channel"], "amount": channels[0]["incremental"]})
    if channels and channels[-1]["_incr"] < 0:
        out.append({"code": "weak_channel", "channel": channels[-1]["channel"], "amount": channels[-1]["incremental"]})
    if skus:
        top = skus[:3]
        out.append({"code": "top_skus", "skus": [s["sku"] for s in top],
                    "share": _share(sum(s["_gmv"] for s in top), gmv)})
    if mechanics:
        m = mechanics[0]
        out.append({"code": "top_mechanic", "label": m["label"], "promotion": m["promotion"], "share": m["share"]})
    seen = {m["label"] for m in mechanics}
    unused = sorted(str(p.get("id")) for p in campaign.promotions
                    if str(p.get("name") or "") not in seen and str(p.get("id")) not in seen)
    if unused:
        out.append({"code": "unused_promotions", "promotions": unused})
    if campaign.goal_gmv_fen:
        out.append({"code": "goal_gmv", "attainment": _share(gmv, campaign.goal_gmv_fen)})
    if campaign.goal_new_buyers:
        out.append({"code": "goal_new_buyers", "attainment": _share(new_buyers, campaign.goal_new_buyers)})
    return out


# --- lottery ----------------------------------------------------------------------------------------------------


def lottery_eligible(*, campaign: Campaign, min_paid_fen: int) -> dict[int, dict]:
    """Buyers whose paid orders dated inside the campaign add up to at least ``min_paid_fen``:
    customer id → {code, paid_fen}, in the order of their first payment (summed by the database)."""
    phases = phases_of(campaign)
    rows = order_selectors.period_order_sums(shop=campaign.shop, start=phases.start, end=phases.end,
                                             by=("customer_id", "customer__code"))
    return {row["customer_id"]: {"code": row["customer__code"], "paid_fen": row["gmv"]} for row in rows
            if row["gmv"] >= max(min_paid_fen, 1)}


def phases_of(campaign: Campaign) -> domain.Phases:
    return domain.Phases(campaign.warmup_start, campaign.main_start, campaign.main_end, campaign.return_end)


def campaign_skus(*, campaign: Campaign) -> list[CampaignSku]:
    return list(CampaignSku.objects.filter(campaign=campaign).order_by("sku_code"))
