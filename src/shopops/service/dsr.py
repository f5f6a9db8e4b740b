"""Taobao's DSR (店铺动态评分, 卖家服务评级) from ratings: pure rules, no Django (docs/rules/dsr.md).

One core serves every caller: :func:`counted_by_cap` marks, per dimension, the ratings the monthly cap lets
count (the first three of a buyer in a natural month, by time, docs/rules/dsr.md#monthly-cap); a rating's
status under the cap never depends on the as-of date, only whether it is inside the window does
(docs/rules/dsr.md#window). It works on numpy columns, so the selector can score a shop's whole history and
the benchmark 10M ratings with the same code; :func:`assess`, :func:`trend` and :func:`effects` build those
columns from :class:`Rating` objects and explain the result rating by rating.

Scores are exact fractions of integers, shown with two decimals rounded half up
(docs/rules/dsr.md#rounding): ``Decimal``, never float.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from shopops.core.text import Text, gettext_noop

Dimension = Literal["description", "service", "logistics"]
DIMENSIONS: tuple[Dimension, ...] = ("description", "service", "logistics")
DIMENSION_LABELS: Mapping[str, Text] = {
    "description": gettext_noop("Item as described (描述相符)"),
    "service": gettext_noop("Seller's service (服务态度)"),
    "logistics": gettext_noop("Logistics (物流服务)"),
}
WINDOW_DAYS = 180  # docs/rules/dsr.md#window
MONTHLY_CAP = 3  # docs/rules/dsr.md#monthly-cap
LOWEST, HIGHEST = 1, 5
BAD_AT_MOST = 2  # docs/rules/dsr.md#bad-review

Reason = Literal["outside_window", "over_cap", "default"]
REASON_LABELS: Mapping[str, Text] = {
    "outside_window": gettext_noop("outside the 180-day window"),
    "over_cap": gettext_noop("over the cap of three ratings per buyer per month"),
    "default": gettext_noop("a default rating by the system, which does not count"),
}
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Rating:
    """One buyer's rating of one order. ``key`` is unique (the review's natural key) and breaks ties of time;
    a score is 1–5 or None (not rated in that dimension); ``is_default``: the system's default review."""

    key: str
    buyer: str
    at: dt.datetime  # aware
    description: int | None = None
    service: int | None = None
    logistics: int | None = None
    is_default: bool = False
    order_no: str = ""

    def score(self, dimension: str) -> int | None:
        value: int | None = getattr(self, dimension)
        return value


# the platform's text of a review the system gave for a buyer who did not review in time
DEFAULT_TEXTS = ("系统默认好评", "系统默认评价", "评价方未及时做出评价")  # docs/rules/dsr.md#default-rating


def is_default_text(text: str) -> bool:
    """Whether a review's text is the platform's default review (docs/rules/dsr.md#default-rating)."""
    return any(marker in text for marker in DEFAULT_TEXTS)


def is_bad(rating: Rating) -> bool:
    """A bad review (差评 here): a real rating with a score of 1 or 2 in any dimension (docs/rules/dsr.md#bad-review)."""
    return not rating.is_default and any(
        (s := rating.score(d)) is not None and s <= BAD_AT_MOST for d in DIMENSIONS)


def window_start(as_of: dt.date) -> dt.date:
    """The first day of the window ending on ``as_of`` (180 days, both ends included)."""
    return as_of - dt.timedelta(days=WINDOW_DAYS - 1)


def shown(total: int, count: int) -> Decimal | None:
    """A mean score shown with two decimals, rounded half up on the exact fraction; None without ratings."""
    return rounded(Fraction(total, count), 2) if count else None


def rounded(value: Fraction, places: int) -> Decimal:
    """An exact fraction to ``places`` decimals, half up (ties away from zero)."""
    with localcontext() as ctx:
        ctx.prec = 60  # exact enough that no tie is made or lost before the one rounding
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- the core, on columns -------------------------------------------------------------------------------


def cap_order(group: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The permutation sorting ratings by (group, order): one int64 key when it fits, else two."""
    n = len(group)
    if n and int(group.min()) >= 0 and int(order.min()) >= 0 and int(order.max()) < n \
            and int(group.max()) < (2**62) // max(n, 1):
        return np.argsort(group.astype(np.int64) * n + order.astype(np.int64))
    return np.lexsort((order, group))


def counted_by_cap(group: np.ndarray, order: np.ndarray, eligible: np.ndarray, cap: int = MONTHLY_CAP,
                   idx: np.ndarray | None = None, starts: np.ndarray | None = None) -> np.ndarray:
    """Which eligible ratings are among the first ``cap`` eligible ones of their group, by ``order``.

    ``group``: int64, one value per buyer and natural month; ``order``: int64, a total order of the ratings
    (time, then key: no ties); ``eligible``: bool, a real rating in this dimension. ``idx`` (:func:`cap_order`)
    and ``starts`` (:func:`group_starts`) may be given when already computed: they are the same for every
    dimension. Independent of the input's order: the ratings are sorted by (group, order) first."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if idx is None:
        idx = cap_order(group, order)
    if starts is None:
        starts = group_starts(group[idx])
    e = eligible[idx]
    cum = np.cumsum(e, dtype=np.int32 if n < 2**31 else np.int64)
    rank = cum - (cum[starts] - e[starts])  # 1-based rank among the group's eligible ratings
    out = np.empty(n, dtype=bool)
    out[idx] = e & (rank <= cap)
    return out


def group_starts(sorted_group: np.ndarray) -> np.ndarray:
    """For each position of a sorted group column, the position where its group starts."""
    n = len(sorted_group)
    first = np.empty(n, dtype=bool)
    first[:1] = True
    np.not_equal(sorted_group[1:], sorted_group[:-1], out=first[1:])
    return np.maximum.accumulate(np.where(first, np.arange(n, dtype=np.int32 if n < 2**31 else np.int64), 0))


def month_of(day: np.ndarray) -> np.ndarray:
    """Natural month index (months since 1970-01) of local days (days since 1970-01-01), through a table of
    the days present (a few hundred), not a conversion per rating."""
    if len(day) == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(day.min())
    table = np.arange(low, int(day.max()) + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return table[day - low]


@dataclass(slots=True)
class Columns:
    """Ratings as columns: ``buyer`` int64 codes, ``day`` local days since 1970-01-01, ``order`` a total
    order (int64, distinct), ``scores`` per dimension int8 (0: not rated), ``default`` bool."""

    buyer: np.ndarray
    day: np.ndarray
    order: np.ndarray
    scores: dict[str, np.ndarray]
    default: np.ndarray
    _counted: dict[str, np.ndarray] = field(default_factory=dict)
    _group: np.ndarray | None = None
    _idx: np.ndarray | None = None
    _starts: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.buyer)

    def counted(self, dimension: str) -> np.ndarray:
        """Counted by the cap (window aside), once per dimension; the ratings are sorted once for all three."""
        if dimension not in self._counted:
            if self._group is None:
                self._group = self.buyer.astype(np.int64) * 65_536 + month_of(self.day)
                self._idx = cap_order(self._group, self.order)
                self._starts = group_starts(self._group[self._idx])
            eligible = (self.scores[dimension] > 0) & ~self.default
            self._counted[dimension] = counted_by_cap(self._group, self.order, eligible, idx=self._idx,
                                                      starts=self._starts)
        return self._counted[dimension]


@dataclass(frozen=True, slots=True)
class Totals:
    """Per dimension the sum and count of the counted scores; ``counted``/``excluded``: reviews inside the
    window that count in at least one dimension / in none though rated (by reason)."""

    sums: dict[str, int]
    counts: dict[str, int]
    counted: int
    excluded: dict[str, int]

    def score(self, dimension: str) -> Decimal | None:
        return shown(self.sums[dimension], self.counts[dimension])


def day_number(day: dt.date) -> int:
    return (day - _EPOCH).days


def totals(columns: Columns, start: dt.date, end: dt.date) -> Totals:
    """Scores of the ratings given from ``start`` to ``end`` (local dates, both included)."""
    inside = (columns.day >= day_number(start)) & (columns.day <= day_number(end))
    sums: dict[str, int] = {}
    counts: dict[str, int] = {}
    any_counted = np.zeros(len(columns), dtype=bool)
    rated = np.zeros(len(columns), dtype=bool)
    for dimension in DIMENSIONS:
        mask = columns.counted(dimension) & inside
        sums[dimension] = int(columns.scores[dimension][mask].sum(dtype=np.int64))
        counts[dimension] = int(mask.sum())
        any_counted |= mask
        rated |= columns.scores[dimension] > 0
    left_out = inside & ~any_counted
    default = int((left_out & columns.default).sum())
    over_cap = int((left_out & ~columns.default & rated).sum())
    return Totals(sums, counts, int(any_counted.sum()), {"over_cap": over_cap, "default": default})


# --- ratings as objects: the explained view -------------------------------------------------------------


def columns_of(ratings: Sequence[Rating], tz: str) -> Columns:
    """The ratings as columns, local days in ``tz``; the total order is (time, key)."""
    zone = ZoneInfo(tz)
    codes: dict[str, int] = {}
    ranked = sorted(range(len(ratings)), key=lambda i: (ratings[i].at, ratings[i].key))
    order = np.empty(len(ratings), dtype=np.int64)
    order[ranked] = np.arange(len(ratings))
    return Columns(
        buyer=np.array([codes.setdefault(r.buyer, len(codes)) for r in ratings], dtype=np.int64),
        day=np.array([day_number(r.at.astimezone(zone).date()) for r in ratings], dtype=np.int64),
        order=order,
        scores={d: np.array([r.score(d) or 0 for r in ratings], dtype=np.int8) for d in DIMENSIONS},
        default=np.array([r.is_default for r in ratings], dtype=bool))


@dataclass(frozen=True, slots=True)
class DimensionResult:
    score: Decimal | None
    total: int  # the sum of the counted scores
    counted: tuple[str, ...]  # keys, by time
    excluded: tuple[tuple[str, Reason], ...]  # keys with the reason, by time


@dataclass(frozen=True, slots=True)
class Assessment:
    as_of: dt.date
    start: dt.date
    dimensions: dict[str, DimensionResult]
    totals: Totals


def assess(ratings: Sequence[Rating], as_of: dt.date, tz: str, start: dt.date | None = None) -> Assessment:
    """Per dimension the score as of ``as_of`` (ratings from ``start``, by default the 180-day window), the
    ratings counted and those excluded with the reason. Ratings after ``as_of`` are outside the window."""
    first = start if start is not None else window_start(as_of)
    columns = columns_of(ratings, tz)
    inside = (columns.day >= day_number(first)) & (columns.day <= day_number(as_of))
    by_time = sorted(range(len(ratings)), key=lambda i: int(columns.order[i]))
    result: dict[str, DimensionResult] = {}
    for dimension in DIMENSIONS:
        capped, scores = columns.counted(dimension), columns.scores[dimension]
        counted: list[str] = []
        excluded: list[tuple[str, Reason]] = []
        total = 0
        for i in by_time:
            if scores[i] == 0 and not ratings[i].is_default:
                continue  # not rated in this dimension
            key = ratings[i].key
            if ratings[i].is_default:
                excluded.append((key, "default"))
            elif not inside[i]:
                excluded.append((key, "outside_window"))
            elif not capped[i]:
                excluded.append((key, "over_cap"))
            else:
                counted.append(key)
                total += int(scores[i])
        result[dimension] = DimensionResult(shown(total, len(counted)), total, tuple(counted), tuple(excluded))
    return Assessment(as_of, first, result, totals(columns, first, as_of))


def trend(ratings: Sequence[Rating], start: dt.date, end: dt.date, tz: str) -> list[tuple[dt.date, dict[str, Decimal | None]]]:
    """The score of each day from ``start`` to ``end``, each as of that day over its own 180-day window."""
    if end < start:
        return []
    columns = columns_of(ratings, tz)
    base = day_number(window_start(start))
    days = (end - start).days + 1
    size = day_number(end) - base + 1
    prefix: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for dimension in DIMENSIONS:
        mask = columns.counted(dimension) & (columns.day >= base) & (columns.day <= day_number(end))
        at = (columns.day[mask] - base).astype(np.int64)
        counts = np.bincount(at, minlength=size).astype(np.int64)
        scores = np.zeros(size, dtype=np.int64)
        np.add.at(scores, at, columns.scores[dimension][mask].astype(np.int64))
        prefix[dimension] = (np.concatenate(([0], np.cumsum(scores))), np.concatenate(([0], np.cumsum(counts))))
    out = []
    for offset in range(days):
        last = size - days + offset + 1  # prefix index just past the day
        first = last - WINDOW_DAYS
        out.append((start + dt.timedelta(days=offset), {
            d: shown(int(s[last] - s[first]), int(c[last] - c[first])) for d, (s, c) in prefix.items()}))
    return out


@dataclass(frozen=True, slots=True)
class Effect:
    """What one bad review costs: per dimension the score without it and how much it would rise (four
    decimals, half up; negative when the review raised that dimension)."""

    rating: Rating
    without: dict[str, Decimal | None]
    rise: dict[str, Decimal]


def effects(ratings: Sequence[Rating], as_of: dt.date, tz: str) -> list[Effect]:
    """The effect of each bad review inside the window on the score as of ``as_of``, worst first.

    Removing a review may let the buyer's fourth rating of that month count (the cap): the group is
    re-ranked without it, the rest of the window is unchanged."""
    columns = columns_of(ratings, tz)
    first, last = day_number(window_start(as_of)), day_number(as_of)
    base = totals(columns, window_start(as_of), as_of)
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    months = month_of(columns.day)
    for i in sorted(range(len(ratings)), key=lambda i: int(columns.order[i])):
        groups[(int(columns.buyer[i]), int(months[i]))].append(i)
    out: list[Effect] = []
    for i, rating in enumerate(ratings):
        if not is_bad(rating) or not first <= columns.day[i] <= last:
            continue
        without: dict[str, Decimal | None] = {}
        rise: dict[str, Decimal] = {}
        for dimension in DIMENSIONS:
            total, count = base.sums[dimension], base.counts[dimension]
            dt_sum, dt_count = _group_change(columns, dimension, groups[(int(columns.buyer[i]), int(months[i]))],
                                             i, first, last)
            total, count = total + dt_sum, count + dt_count
            without[dimension] = shown(total, count)
            before = Fraction(base.sums[dimension], base.counts[dimension]) if base.counts[dimension] else None
            after = Fraction(total, count) if count else None
            rise[dimension] = rounded(after - before, 4) if before is not None and after is not None \
                else Decimal("0.0000")
        out.append(Effect(rating, without, rise))
    out.sort(key=lambda e: (-max(e.rise.values()), e.rating.at, e.rating.key))
    return out


def _group_change(columns: Columns, dimension: str, members: Iterable[int], removed: int, first: int,
                  last: int) -> tuple[int, int]:
    """(Δ sum, Δ count) of the window's counted scores when ``removed`` leaves its buyer-month group."""
    scores = columns.scores[dimension]

    def counted(indexes: Iterable[int]) -> list[int]:
        eligible = [i for i in indexes if scores[i] > 0 and not columns.default[i]]
        return [i for i in eligible[:MONTHLY_CAP] if first <= columns.day[i] <= last]

    members = list(members)
    before = counted(members)
    after = counted(i for i in members if i != removed)
    return (sum(int(scores[i]) for i in after) - sum(int(scores[i]) for i in before), len(after) - len(before))
