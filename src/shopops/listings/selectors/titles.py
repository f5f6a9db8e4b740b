"""A listing's title history with the traffic and conversion of the 14 days before and after each change
(docs/rules/listings.md#title-history).

The figures — 访客数 UV, 浏览量 PV, 支付买家数, 支付转化率 CVR, 支付金额 GMV — are the analytics metric layer's, by
product (the platform item id, ``Listing.external_id``) and the listing's channel: no second definition here.
Windows are whole business days in the shop's time zone; the day of the change belongs to neither. The after
window is partial until 14 full days have passed; a window without any figure of the item is "no data"
(``figures`` None), never a 0 % conversion.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shopops.analytics.selectors.metrics import last_full_day, metrics_report
from shopops.core import clock
from shopops.core.models import Shop
from shopops.listings.models import ListingRevision

WINDOW_DAYS = 14
FIGURES = ("uv", "pv", "buyers", "cvr", "gmv")  # 访客数, 浏览量, 支付买家数, 支付转化率, 支付金额 (fen)
MAX_HISTORY = 20  # each shown change reads two windows from the lake


@dataclass(frozen=True, slots=True)
class Window:
    """One side of a change: ``days`` full days ``date_from..date_to`` (``days`` 0: none has passed yet);
    ``partial``: fewer than 14 days so far; ``figures`` None: no data for the item in it."""

    date_from: dt.date
    date_to: dt.date
    days: int
    partial: bool
    figures: dict[str, Any] | None


def windows(changed_on: dt.date, last_day: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The before window (the 14 days up to the day before the change) and the after window (the 14 days from
    the day after), the latter cut at ``last_day`` (the last finished day): it may be empty (end < start)."""
    before = (changed_on - dt.timedelta(days=WINDOW_DAYS), changed_on - dt.timedelta(days=1))
    after_from = changed_on + dt.timedelta(days=1)
    return before, (after_from, min(after_from + dt.timedelta(days=WINDOW_DAYS - 1), last_day))


def item_figures(*, shop: Shop, channel: str, item_id: str, date_from: dt.date, date_to: dt.date,
                 tables: Any = None) -> dict[str, Any] | None:
    """UV, PV, buyers, CVR and GMV (fen) of one platform item in ``date_from..date_to`` from the metric layer;
    None when the lake has nothing of it there."""
    if not item_id or date_to < date_from:
        return None
    report = metrics_report(shop=shop, date_from=date_from, date_to=date_to, by="product", channel=channel,
                            metrics=",".join(FIGURES), tables=tables)
    row = next((r for r in report["rows"] if str(r.get("product")) == item_id), None)
    if row is None or not any(row[name] for name in ("uv", "pv", "buyers", "gmv")):
        return None
    return {name: row[name] for name in FIGURES}


def _window(shop: Shop, listing: Any, span: tuple[dt.date, dt.date], tables: Any) -> Window:
    days = max((span[1] - span[0]).days + 1, 0)
    figures = (item_figures(shop=shop, channel=listing.channel_account.channel, item_id=listing.external_id,
                            date_from=span[0], date_to=span[1], tables=tables) if days else None)
    return Window(span[0], span[1], days, days < WINDOW_DAYS, figures)


def title_history(*, shop: Shop, listing: Any, tables: Any = None, limit: int = MAX_HISTORY) -> list[dict[str, Any]]:
    """The listing's revisions, newest first, each with its ``before`` and ``after`` :class:`Window` (and both as ``windows``, in that order)."""
    revisions = list(ListingRevision.objects.filter(shop=shop, listing_id=listing.pk)
                     .select_related("changed_by")[:limit])
    last_day = last_full_day(shop.timezone)
    out = []
    for revision in revisions:
        changed_on = clock.local_date(revision.changed_at, shop.timezone)
        before, after = windows(changed_on, last_day)
        sides = {"before": _window(shop, listing, before, tables), "after": _window(shop, listing, after, tables)}
        out.append({"revision": revision, "changed_on": changed_on, **sides, "windows": list(sides.items())})
    return out

