"""Reads of the traffic page: the channel filter (code or name), GMV by source with its unattributed rest, and
the by-source table that joins them with the visitor metrics.

GMV by source follows docs/rules/analytics.md#source-attribution (platform report first, then the orders'
``source``); every fen of the shop's GMV lands in a source row or in an unattributed row with its reason, so
the rows add up to the total exactly. Money is integer fen; shares are rates 0..1 (display only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from shopops.analytics.cache import remember
from shopops.analytics.queries import attribution
from shopops.analytics.selectors import metrics as metric_selectors
from shopops.analytics.selectors.metrics import metrics_report, parse_period
from shopops.channels.domain import channel_code_of
from shopops.core.errors import ErrorCollector

# why a part of GMV has no source (the page labels them; the order is the page's)
NO_SOURCE = "no_source"  # the channel's report gives no amount by source and its orders carry none
ORDERS_WITHOUT_SOURCE = "orders_without_source"  # attributed by orders; these orders carry no source
REPORT_DIFFERS = "report_differs"  # attributed by the report; orders GMV − the report's amount (may be < 0)
REASONS = (NO_SOURCE, ORDERS_WITHOUT_SOURCE, REPORT_DIFFERS)
REPORT, ORDERS = "report", "orders"
SOURCE_METRICS = ["uv", "pv", "bounce_rate", "cart_rate", "fav_rate"]
CHANNEL_TEXT_RE = re.compile(r"^[\w.\- ·]{1,40}$")


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def parse_channel(value: object, errors: ErrorCollector) -> str | None:
    """The channel filter: a code (tmall), the Chinese name (天猫) or the English label (Tmall) → the code;
    another word is kept as the code it may be (a channel code of the data); "" → None (all channels)."""
    text = str(value or "").strip()
    if not text:
        return None
    code = channel_code_of(text)
    if code:
        return code
    if not CHANNEL_TEXT_RE.match(text):
        errors.add("channel", _("Choose a channel from the list (e.g. 天猫 or tmall)."))
        return None
    return text


def _period(date_from: object, date_to: object, channel: object) -> tuple[dt.date, dt.date, str | None]:
    errors = ErrorCollector()
    period = parse_period(date_from, date_to, errors=errors)
    code = parse_channel(channel, errors)
    errors.raise_if_any(_("The traffic request is not valid."))
    assert period is not None
    return period[0], period[1], code


def source_attribution(*, shop: Any, date_from: object, date_to: object, channel: object = None,
                       tables: Any = None) -> dict:
    """GMV by source and the unattributed rest (docs/rules/analytics.md#source-attribution).

    ``{"total_fen", "attributed_fen", "unattributed_fen", "sources": [{"source", "gmv_fen", "share", "basis",
    "channels": {channel: fen}}], "unattributed": [{"reason", "gmv_fen", "share", "channels": {channel: fen}}],
    "channels": [{"channel", "basis", "gmv_fen", "attributed_fen"}]}``; ``basis`` is "report", "orders" or "".
    """
    start, end, code = _period(date_from, date_to, channel)
    tables = tables if tables is not None else metric_selectors.shop_tables(shop=shop)
    return remember("traffic.source_attribution", tables, {"from": start, "to": end, "channel": code},
                    lambda t: _attribution(t, start, end, code))


def _attribution(tables: Any, start: dt.date, end: dt.date, code: str | None) -> dict:
    orders = tables.engine.rows(attribution.order_gmv_by_source(tables, date_from=start, date_to=end, channel=code))
    report = tables.engine.rows(attribution.report_gmv_by_source(tables, date_from=start, date_to=end, channel=code))
    return attribute(orders, report)


def attribute(orders: list[dict], report: list[dict]) -> dict:
    """The attribution of per-(channel, source) order and report sums (pure arithmetic on integer fen)."""
    order_gmv: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in orders:
        order_gmv[str(r["channel"])][str(r["source"] or "")] += int(r["gmv_fen"] or 0)
    report_gmv: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in report:
        report_gmv[str(r["channel"])][str(r["source"])] += int(r["gmv_fen"] or 0)
    sources: dict[str, dict[str, Any]] = {}
    rest: dict[str, dict[str, int]] = {reason: {} for reason in REASONS}
    channels: list[dict[str, Any]] = []
    total = attributed = 0
    for ch in sorted(set(order_gmv) | set(report_gmv)):
        gmv = sum(order_gmv[ch].values())
        if report_gmv[ch]:
            basis, parts = REPORT, dict(report_gmv[ch])
        elif any(s and fen for s, fen in order_gmv[ch].items()):
            basis, parts = ORDERS, {s: fen for s, fen in order_gmv[ch].items() if s}
        else:
            basis, parts = "", {}
        for source, fen in parts.items():
            entry = sources.setdefault(source, {"source": source, "gmv_fen": 0, "basis": set(), "channels": {}})
            entry["gmv_fen"] += fen
            entry["basis"].add(basis)
            entry["channels"][ch] = entry["channels"].get(ch, 0) + fen
        left = gmv - sum(parts.values())
        reason = {REPORT: REPORT_DIFFERS, ORDERS: ORDERS_WITHOUT_SOURCE}.get(basis, NO_SOURCE)
        if left:
            rest[reason][ch] = left
        channels.append({"channel": ch, "basis": basis, "gmv_fen": gmv, "attributed_fen": sum(parts.values())})
        total += gmv
        attributed += sum(parts.values())
    source_rows: list[dict[str, Any]] = sorted(sources.values(), key=lambda s: (-s["gmv_fen"], s["source"]))
    for s in source_rows:
        s["basis"] = "+".join(sorted(s["basis"]))
        s["share"] = _rate(s["gmv_fen"], total)
    unattributed = [{"reason": reason, "gmv_fen": sum(rest[reason].values()), "channels": rest[reason],
                     "share": _rate(sum(rest[reason].values()), total)} for reason in REASONS if rest[reason]]
    return {"total_fen": total, "attributed_fen": attributed, "unattributed_fen": total - attributed,
            "sources": source_rows, "unattributed": unattributed, "channels": channels}


def traffic_by_source(*, shop: Any, date_from: object, date_to: object, channel: object = None,
                      tables: Any = None) -> dict:
    """The by-source table: visitor metrics per source (metric layer) with the attributed GMV and its share,
    then the unattributed rows. ``{"rows": [...], "attribution": source_attribution(...)}``; a row has
    ``kind`` "source" (``source``, metrics, ``gmv_fen``, ``share``, ``basis``) or "unattributed" (``reason``,
    ``gmv_fen``, ``share``, ``channels``)."""
    start, end, code = _period(date_from, date_to, channel)
    tables = tables if tables is not None else metric_selectors.shop_tables(shop=shop)
    metrics = metrics_report(shop=shop, date_from=start, date_to=end, by="source", channel=code,
                             metrics=SOURCE_METRICS, tables=tables)
    result = source_attribution(shop=shop, date_from=start, date_to=end, channel=code, tables=tables)
    by_source = {s["source"]: s for s in result["sources"]}
    names = [s["source"] for s in result["sources"]]
    # sources with visitors but no attributed GMV (the orders-only "" row of the metric layer is no source)
    names += sorted(str(r["source"]) for r in metrics["rows"]
                    if str(r["source"]) not in by_source and (r.get("uv") or r.get("pv")))
    seen = {str(r["source"]): r for r in metrics["rows"]}
    rows: list[dict[str, Any]] = []
    for name in names:
        attributed = by_source.get(name)
        row = {"kind": "source", "source": name, **{m: seen.get(name, {}).get(m) for m in SOURCE_METRICS},
               "gmv_fen": attributed["gmv_fen"] if attributed else None,
               "share": attributed["share"] if attributed else None,
               "basis": attributed["basis"] if attributed else ""}
        rows.append(row)
    rows += [{"kind": "unattributed", **u} for u in result["unattributed"]]
    return {"rows": rows, "attribution": result, "notes": metrics.get("notes", [])}
