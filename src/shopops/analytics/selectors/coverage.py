"""What the behaviour pages cover (docs/rules/analytics.md#behaviour-coverage): the channels of the behaviour
log in the period and their share of the shop's visitors, the channels with traffic that the log leaves out,
and the platform reports' 访客→加购→支付 steps of those channels where the reports give them.

Computed from the data the page uses, never a fixed label: ``whole_shop`` is true only when every channel with
traffic in the period is in the log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from shopops.analytics.cache import remember
from shopops.analytics.engine import Tables
from shopops.analytics.queries import coverage as queries


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def behaviour_coverage(*, tables: Tables, date_from: dt.date, date_to: dt.date) -> dict:
    """``{"channels": [log channels], "missing": [channels with traffic but no log], "share": covered visitors /
    all visitors (None without visitors), "whole_shop": bool, "platform_funnels": [{"channel", "visitors",
    "cart_users", "buyers"}], "without_funnel": [missing channels whose report has no cart or buyer step]}``.

    Visitors: the log's distinct page-viewing users for its channels, the reports' summed 访客数 for the others.
    """
    return remember("behaviour.coverage", tables, {"from": date_from, "to": date_to},
                    lambda t: _coverage(t, date_from, date_to))


def _coverage(tables: Tables, date_from: dt.date, date_to: dt.date) -> dict:
    log = {str(r["channel"]): r for r in tables.engine.rows(
        queries.log_visitors_by_channel(tables, date_from=date_from, date_to=date_to)) if r["people"]}
    report = {str(r["channel"]): r for r in tables.engine.rows(
        queries.report_funnel_by_channel(tables, date_from=date_from, date_to=date_to))}
    missing = sorted(ch for ch, r in report.items() if ch not in log and (r["visitors"] or 0) > 0)
    covered = sum(int(r["visitors"] or 0) for r in log.values())
    others = sum(int(report[ch]["visitors"] or 0) for ch in missing)
    funnels: list[dict[str, Any]] = []
    without = []
    for ch in missing:
        r = report[ch]
        if not r["cart_rows"] or not r["buyer_rows"]:
            without.append(ch)
            continue
        visitors, cart, buyers = (int(r[c] or 0) for c in ("visitors", "cart_users", "buyers"))
        funnels.append({"channel": ch, "visitors": visitors, "cart_users": cart, "buyers": buyers,
                        "cart_rate": _rate(cart, visitors), "buyer_rate": _rate(buyers, visitors)})
    return {"channels": sorted(log), "missing": missing, "share": _rate(covered, covered + others),
            "whole_shop": bool(log) and not missing, "platform_funnels": funnels, "without_funnel": without}
