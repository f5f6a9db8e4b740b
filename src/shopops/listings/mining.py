"""Keyword mining (关键词挖掘) from the ``search_terms`` lake table (docs/rules/listings.md#keywords).

One query sums a period and the period of equal length just before it per search term (搜索词); the distinct
terms are then segmented once with the shop's tokenizer, and each term's figures are also credited to each of
its roots (词根 = a word of the term), so a root's figures are the sums over the terms that contain it (roots
overlap: their sums do not add up to the total). A listing's keyword coverage is the share of its converting
terms' orders whose every root is written in the title; its gaps are the converting terms and roots that are
not. Pure (Ibis expressions and arithmetic, no Django); money is integer fen here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import ibis
import ibis.expr.types as ir

from shopops.listings.tokens import ShopTokenizer

FIGURES = ("visitors", "clicks", "orders", "sales_fen")  # 访客数, 点击量, 成交笔数, 成交金额 (fen)
RATE_PLACES = Decimal("0.0001")
FUNCTION_WORDS = frozenset("的了和与及之")  # 虚词: a term's particle is not a root a title must carry


@dataclass(frozen=True, slots=True)
class Figures:
    """What a term (or root) brought in one period."""

    visitors: int = 0  # 访客数 (a daily distinct count summed over the days)
    clicks: int = 0  # 点击量
    orders: int = 0  # 成交笔数
    sales_fen: int = 0  # 成交金额 (GMV), fen

    def plus(self, other: Figures) -> Figures:
        return Figures(self.visitors + other.visitors, self.clicks + other.clicks, self.orders + other.orders,
                       self.sales_fen + other.sales_fen)

    @property
    def traffic(self) -> int:
        """The conversion's denominator: visitors, or clicks where the report has no visitors (ad reports)."""
        return self.visitors or self.clicks

    @property
    def conversion(self) -> Decimal | None:
        """转化率 = orders ÷ visitors (÷ clicks where visitors are absent); None without traffic."""
        return rate(self.orders, self.traffic)


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four places (half up); None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def change(current: int, previous: int) -> Decimal | None:
    """趋势: the relative change from the previous period (0.25 = +25 %); None when the previous period had 0."""
    if not previous:
        return None
    return rate(current - previous, previous)


@dataclass(frozen=True, slots=True)
class TermRow:
    """A search term with its roots and its figures in the period and the previous one."""

    term: str
    roots: tuple[str, ...]
    current: Figures
    previous: Figures

    @property
    def trend(self) -> Decimal | None:
        """Change of traffic (visitors, or clicks) against the previous period."""
        return change(self.current.traffic, self.previous.traffic)


@dataclass(slots=True)
class RootRow:
    """A root (词根) with the sums over the terms that contain it."""

    root: str
    terms: int = 0
    current: Figures = field(default_factory=Figures)
    previous: Figures = field(default_factory=Figures)

    @property
    def trend(self) -> Decimal | None:
        return change(self.current.traffic, self.previous.traffic)


@dataclass(frozen=True, slots=True)
class Mined:
    terms: list[TermRow]
    roots: list[RootRow]
    total: Figures


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of equal length just before ``start..end``."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)


def term_figures_query(table: ir.Table, *, start: dt.date, end: dt.date, channel: str | None = None,
                       item_ids: Sequence[str] = ()) -> ir.Table:
    """Per term: the period's sums (``visitors``…) and the previous period's (``prev_visitors``…), one scan."""
    first, _last = previous_period(start, end)
    rows = table.filter(table.date >= first, table.date <= end, table.term != "")
    if channel:
        rows = rows.filter(rows.channel == channel)
    if item_ids:
        rows = rows.filter(rows.item_id.isin(list(item_ids)))
    current = rows.date >= start
    sums = {}
    for name in FIGURES:
        value = rows[name].fill_null(0)
        sums[name] = ibis.ifelse(current, value, 0).sum()
        sums[f"prev_{name}"] = ibis.ifelse(current, 0, value).sum()
    return rows.group_by("term").aggregate(**sums)


def is_word(word: str) -> bool:
    """A root is a word with a letter or a digit (punctuation, spaces and single particles are not roots)."""
    return word not in FUNCTION_WORDS and any(ch.isalnum() for ch in word)


def roots_of(term: str, tokenizer: ShopTokenizer) -> tuple[str, ...]:
    """The distinct words of ``term`` in order (case-insensitively distinct); the term itself when it has none."""
    seen: set[str] = set()
    roots: list[str] = []
    for word in tokenizer.words(term):
        key = word.casefold()
        if is_word(word) and key not in seen:
            seen.add(key)
            roots.append(word)
    return tuple(roots) or (term.strip(),)


def _figures(row: dict, prefix: str = "") -> Figures:
    return Figures(*(int(row[f"{prefix}{name}"] or 0) for name in FIGURES))


def _rank(current: Figures, name: str) -> tuple:
    return (-current.orders, -current.sales_fen, -current.traffic, name)


def mine(rows: Iterable[dict], tokenizer: ShopTokenizer) -> Mined:
    """Rows of :func:`term_figures_query` → terms and roots, best first (orders, GMV, traffic, then by name).
    Each distinct term is segmented once."""
    terms: list[TermRow] = []
    roots: dict[str, RootRow] = {}
    total = Figures()
    for row in rows:
        term = str(row["term"])
        current, previous = _figures(row), _figures(row, "prev_")
        if current == Figures() and previous == Figures():
            continue
        found = roots_of(term, tokenizer)
        terms.append(TermRow(term, found, current, previous))
        total = total.plus(current)
        for root in found:
            entry = roots.setdefault(root.casefold(), RootRow(root))
            entry.terms += 1
            entry.current = entry.current.plus(current)
            entry.previous = entry.previous.plus(previous)
    terms.sort(key=lambda t: _rank(t.current, t.term))
    ranked = sorted(roots.values(), key=lambda r: _rank(r.current, r.root))
    return Mined(terms, ranked, total)


# ----------------------------------------------------------------------------------------------- coverage

@dataclass(frozen=True, slots=True)
class RootGap:
    root: str
    orders: int
    sales_fen: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """关键词覆盖: ``share`` = covered orders ÷ orders of the converting terms (None: no converting term)."""

    covered_orders: int
    orders: int
    covered: tuple[str, ...]
    gaps: tuple[TermRow, ...]
    root_gaps: tuple[RootGap, ...]

    @property
    def share(self) -> Decimal | None:
        return rate(self.covered_orders, self.orders)


def in_title(title: str) -> Callable[[str], bool]:
    """Whether a root is written in ``title`` (case-insensitively, anywhere: the title's own segmentation may
    cut differently from the term's)."""
    text = title.casefold()
    return lambda root: root.casefold() in text


def coverage(title: str, terms: Iterable[TermRow]) -> Coverage:
    """The converting terms (orders > 0 in the period) a title covers — every root written in it — and its
    gaps: the terms it does not cover and their roots absent from it, by orders."""
    written = in_title(title)
    converting = [t for t in terms if t.current.orders > 0]
    covered = [t for t in converting if all(map(written, t.roots))]
    gaps = [t for t in converting if not all(map(written, t.roots))]
    missing: dict[str, RootGap] = {}
    for term in gaps:
        for root in term.roots:
            if written(root):
                continue
            known = missing.get(root.casefold())
            orders = term.current.orders + (known.orders if known else 0)
            sales = term.current.sales_fen + (known.sales_fen if known else 0)
            missing[root.casefold()] = RootGap(known.root if known else root, orders, sales)
    root_gaps = sorted(missing.values(), key=lambda g: (-g.orders, -g.sales_fen, g.root))
    return Coverage(covered_orders=sum(t.current.orders for t in covered),
                    orders=sum(t.current.orders for t in converting), covered=tuple(t.term for t in covered),
                    gaps=tuple(gaps), root_gaps=tuple(root_gaps))
