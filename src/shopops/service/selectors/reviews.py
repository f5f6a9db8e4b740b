"""Reads of reviews: a shop's DSR over a period, its trend, the effect of each bad review, the bad reviews.

The ratings are read from the database with the few fields the rules need and scored by ``service.dsr``'s
column core (docs/rules/dsr.md). A period's ratings are read from the first day of its first natural month,
because whether a rating counts under the monthly cap depends on the buyer's earlier ratings of that month.
The cap is per buyer and store: a buyer is (channel, buyer).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shopops.analytics.selectors.metrics import parse_day
from shopops.core.clock import day_bounds, today
from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop
from shopops.service.dsr import (
    BAD_AT_MOST,
    DIMENSIONS,
    Assessment,
    Effect,
    Rating,
    assess,
    effects,
    trend,
    window_start,
)
from shopops.service.models import Review

_VALUES = ("channel", "order_no", "buyer", "reviewed_at", *DIMENSIONS, "is_default")


def _ratings(shop: Shop, first: dt.date, last: dt.date, channel: str | None) -> list[Rating]:
    since = day_bounds(first.replace(day=1), shop.timezone)[0]
    until = day_bounds(last, shop.timezone)[1]
    qs = Review.objects.filter(shop=shop, reviewed_at__gte=since, reviewed_at__lt=until)
    if channel:
        qs = qs.filter(channel=channel)
    return [Rating(key=f"{ch}:{no}", buyer=f"{ch}\x1f{buyer}", at=at, description=d, service=s, logistics=lo,
                   is_default=default, order_no=no)
            for ch, no, buyer, at, d, s, lo, default in qs.values_list(*_VALUES).iterator(chunk_size=5000)]


def dsr_period(date_from: object, date_to: object, tz: str) -> tuple[dt.date, dt.date]:
    """The period a DSR is computed over: up to ``date_to`` (default today), from ``date_from`` (default the
    first day of the 180-day window ending on ``date_to``); dates as ``date`` or ``YYYY-MM-DD``; InvalidInput
    naming ``from``/``to`` when one is not a date or the period runs backwards."""
    errors = ErrorCollector()
    last = parse_day(date_to, "to", errors) if date_to not in (None, "") else today(tz)
    first = parse_day(date_from, "from", errors) if date_from not in (None, "") else None
    if last is not None and first is not None and first > last:
        errors.add("to", _("The end date is before the start date."))
    errors.raise_if_any(_("The period is not valid."))
    assert last is not None
    return (first or window_start(last)), last


def shop_dsr_assessment(*, shop: Shop, date_from: object = None, date_to: object = None,
                        channel: str | None = None) -> Assessment:
    first, last = dsr_period(date_from, date_to, shop.timezone)
    return assess(_ratings(shop, first, last, channel), last, shop.timezone, start=first)


def shop_dsr(*, shop: Shop, date_from: object = None, date_to: object = None,
             channel: str | None = None) -> dict[str, Any]:
    """The shop's DSR as the CLI and API give it: each dimension as a string with two decimals (None without
    ratings), ``counted``/``excluded`` reviews of the period and why they were excluded."""
    result = shop_dsr_assessment(shop=shop, date_from=date_from, date_to=date_to, channel=channel)
    scores: dict[str, Any] = {d: (str(s) if (s := result.totals.score(d)) is not None else None) for d in DIMENSIONS}
    return {**scores, "counted": result.totals.counted, "excluded": sum(result.totals.excluded.values()),
            "excluded_reasons": result.totals.excluded, "ratings": dict(result.totals.counts),
            "from": result.start.isoformat(), "to": result.as_of.isoformat()}


def shop_dsr_trend(*, shop: Shop, start: dt.date, end: dt.date,
                   channel: str | None = None) -> list[tuple[dt.date, dict[str, Any]]]:
    """The score of each day from ``start`` to ``end``, each over its own 180-day window."""
    return trend(_ratings(shop, window_start(start), end, channel), start, end, shop.timezone)


def bad_review_effects(*, shop: Shop, as_of: dt.date | None = None, channel: str | None = None) -> list[Effect]:
    """How much the score as of ``as_of`` would rise without each bad review of its window, worst first."""
    last = as_of or today(shop.timezone)
    return effects(_ratings(shop, window_start(last), last, channel), last, shop.timezone)


def low_score_q() -> Q:
    """A score of 1 or 2 in any dimension (docs/rules/dsr.md#bad-review)."""
    low = Q()
    for name in DIMENSIONS:
        low |= Q(**{f"{name}__lte": BAD_AT_MOST})
    return low


def bad_reviews(shop: Shop, since: dt.date, *, channel: str | None = None) -> QuerySet[Review]:
    """Reviews given on or after ``since`` (local date) with a score of 1 or 2 in any dimension, default
    reviews aside: the 差评 that become tickets (docs/rules/dsr.md#bad-review)."""
    qs = Review.objects.filter(low_score_q(), shop=shop, is_default=False,
                               reviewed_at__gte=day_bounds(since, shop.timezone)[0])
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("reviewed_at", "pk")


def review_list(*, shop: Shop, date_from: dt.date, date_to: dt.date, channel: str = "", bad_only: bool = False,
                q: str = "") -> QuerySet[Review]:
    """The reviews given in [date_from, date_to] (local dates), newest first; ``bad_only``: the 差评 (a score of
    1 or 2 in any dimension, default reviews aside); ``q`` matches the order number or the buyer."""
    start, end = day_bounds(date_from, shop.timezone)[0], day_bounds(date_to, shop.timezone)[1]
    qs = Review.objects.filter(shop=shop, reviewed_at__gte=start, reviewed_at__lt=end)
    if channel:
        qs = qs.filter(channel=channel)
    if bad_only:
        qs = qs.filter(low_score_q(), is_default=False)
    if q:
        qs = qs.filter(Q(order_no__icontains=q) | Q(buyer__icontains=q))
    return qs.order_by("-reviewed_at", "-pk")
