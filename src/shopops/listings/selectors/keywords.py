"""Reads for keyword mining and title suggestions (docs/rules/listings.md#keywords, #title-suggestion).

The ``search_terms`` lake table is read the way the analytics pages read the lake: the shop's tables on the
configured engine (``analytics.selectors.metrics.shop_tables``), one Ibis aggregation compiled to DuckDB SQL
(``mining.term_figures_query``), so 10M rows are summed by DuckDB and only the distinct terms come to Python,
where each is segmented once with the shop dictionary. The faces (CLI, API, pages) share the JSON shape of
:func:`keywords_json` and :func:`suggestion_json`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from shopops.analytics.selectors.metrics import last_full_day, parse_period, shop_tables
from shopops.analytics.selectors.traffic import parse_channel
from shopops.catalog.selectors import ListingBrief, listing_brief
from shopops.core.errors import ErrorCollector, NotFound
from shopops.core.models import Shop
from shopops.core.money import format_fen
from shopops.listings import title_rules
from shopops.listings.composer import Suggestion, compose
from shopops.listings.engine import RuleEngine
from shopops.listings.mining import (
    Coverage,
    Figures,
    Mined,
    RootRow,
    TermRow,
    mine,
    previous_period,
    term_figures_query,
)
from shopops.listings.models import ShopWord
from shopops.listings.rulesets import rule_set
from shopops.listings.selectors.dictionary import protected_words, shop_words
from shopops.listings.title_length import Unit
from shopops.listings.tokens import ShopTokenizer

SUGGESTION_DAYS = 30  # a suggestion reads the 30 days up to the shop's last search-term day
# A channel whose platform sets no title limit (own site, Shopify, WeCom) still gets a budget: the common
# 60-character length of the Chinese platforms (docs/rules/listings.md#title-suggestion).
OPEN_BUDGET = 60


def title_budget(channel: str) -> tuple[int, Unit]:
    """``(limit, unit)`` of a channel's title: its platform rule set's limit and counting basis."""
    rules = rule_set(channel)
    return (rules.title_limit.value if rules.title_limit else OPEN_BUDGET), rules.title_unit


def shop_tokenizer(dictionary: Mapping[str, Sequence[str]]) -> ShopTokenizer:
    return ShopTokenizer(protected_words(dictionary))


@dataclass(frozen=True)
class KeywordPeriod:
    start: dt.date
    end: dt.date
    channel: str | None


def keyword_period(date_from: object, date_to: object, channel: object = None) -> KeywordPeriod:
    """The request's period and channel, or InvalidInput naming the field (from, to, channel)."""
    errors = ErrorCollector()
    period = parse_period(date_from, date_to, errors=errors)
    code = parse_channel(channel, errors)
    errors.raise_if_any(_("The keyword request is not valid."))
    assert period is not None
    return KeywordPeriod(period[0], period[1], code)


def _mined(shop: Shop, period: KeywordPeriod, tokenizer: ShopTokenizer, item_ids: Sequence[str] = ()) -> Mined:
    tables = shop_tables(shop=shop)
    query = term_figures_query(tables["search_terms"], start=period.start, end=period.end, channel=period.channel,
                               item_ids=item_ids)
    return mine(tables.engine.rows(query), tokenizer)


def keyword_report(*, shop: Shop, date_from: object, date_to: object, channel: object = None) -> tuple[KeywordPeriod, Mined]:
    """The shop's search terms and roots over the period, with the previous period's figures."""
    period = keyword_period(date_from, date_to, channel)
    return period, _mined(shop, period, shop_tokenizer(shop_words(shop)))


# ---------------------------------------------------------------------------------------------------- JSON

def figures_json(figures: Figures) -> dict[str, Any]:
    return {"visitors": figures.visitors, "clicks": figures.clicks, "orders": figures.orders,
            "gmv": format_fen(figures.sales_fen), "conversion": figures.conversion}


def term_json(term: TermRow) -> dict[str, Any]:
    return {"term": term.term, "roots": list(term.roots), **figures_json(term.current), "trend": term.trend,
            "previous": figures_json(term.previous)}


def root_json(root: RootRow) -> dict[str, Any]:
    return {"root": root.root, "terms": root.terms, **figures_json(root.current), "trend": root.trend,
            "previous": figures_json(root.previous)}


def keywords_json(period: KeywordPeriod, mined: Mined, *, limit: int | None = None) -> dict[str, Any]:
    """The documented JSON of ``shopops keywords --json`` and ``GET /api/v1/keywords`` (docs/formats.md#keywords):
    money as yuan strings, rates as 4-place decimals (null without a denominator)."""
    first, last = previous_period(period.start, period.end)
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "previous_from": first.isoformat(),
            "previous_to": last.isoformat(), "channel": period.channel or "", "total": figures_json(mined.total),
            "term_count": len(mined.terms), "root_count": len(mined.roots),
            "terms": [term_json(t) for t in mined.terms[:limit]], "roots": [root_json(r) for r in mined.roots[:limit]]}


# ------------------------------------------------------------------------------------------ suggestion

@dataclass(frozen=True)
class ListingSuggestion:
    listing: ListingBrief
    period: KeywordPeriod
    basis: str  # "item": the listing's own terms (商品ID = its platform item id); "channel": its channel's terms
    terms: list[TermRow]
    suggestion: Suggestion


def _last_search_day(shop: Shop) -> dt.date | None:
    tables = shop_tables(shop=shop)
    table = tables["search_terms"]
    value = tables.engine.scalar(table.date.max())
    return value if isinstance(value, dt.date) else None


def suggestion_period(shop: Shop, channel: str, date_from: object = None, date_to: object = None) -> KeywordPeriod:
    """The asked period, else the 30 days up to the shop's last search-term day (yesterday without data)."""
    if date_from or date_to:
        return keyword_period(date_from, date_to, channel)
    end = _last_search_day(shop) or last_full_day(shop.timezone)
    return KeywordPeriod(end - dt.timedelta(days=SUGGESTION_DAYS - 1), end, channel)


def _core_term(listing: ListingBrief, dictionary: Mapping[str, Sequence[str]]) -> str:
    """The product term (核心词): a product term of the dictionary written in the title, else the category."""
    title = listing.title.casefold()
    for word in sorted(dictionary.get(ShopWord.Kind.TERM, []), key=len, reverse=True):
        if word.casefold() in title:
            return word
    return listing.category if listing.category.casefold() in title else ""


def _brand(listing: ListingBrief, dictionary: Mapping[str, Sequence[str]]) -> str:
    title = listing.title.casefold()
    written = [w for w in dictionary.get(ShopWord.Kind.BRAND, []) if w.casefold() in title]
    return written[0] if written else listing.brand


def flag_check(dictionary: Mapping[str, Sequence[str]]) -> Callable[[str], bool]:
    """The audit's 广告法 rule on a title's words (the shop's protected words kept whole and its allowed words
    allowed): a suggestion the audit would flag is never made."""
    engine = RuleEngine(dictionary)
    return lambda text: bool(title_rules.ad_law(text, engine.tokens(text), (), engine.allowed))


def listing_suggestion(*, shop: Shop, listing_id: int, date_from: object = None,
                       date_to: object = None) -> ListingSuggestion:
    """A title suggestion for one listing from its search terms (NotFound: not a listing of the shop)."""
    listing = listing_brief(shop=shop, pk=listing_id)
    if listing is None:
        raise NotFound(_("No such listing."))
    period = suggestion_period(shop, listing.channel, date_from, date_to)
    dictionary = shop_words(shop)
    tokenizer = shop_tokenizer(dictionary)
    basis, mined = "channel", None
    if listing.external_id:
        mined = _mined(shop, period, tokenizer, item_ids=[listing.external_id])
        basis = "item"
    if mined is None or not mined.terms:
        basis, mined = "channel", _mined(shop, period, tokenizer)
    limit, unit = title_budget(listing.channel)
    models = [w for w in dictionary.get(ShopWord.Kind.MODEL, []) if w.casefold() in listing.title.casefold()]
    suggestion = compose(listing.title, mined.terms, limit=limit, unit=unit, tokenizer=tokenizer,
                         flagged=flag_check(dictionary), brand=_brand(listing, dictionary),
                         core=_core_term(listing, dictionary), attributes=models,
                         rivals=dictionary.get(ShopWord.Kind.RIVAL_BRAND, []))
    return ListingSuggestion(listing, period, basis, mined.terms, suggestion)


def coverage_json(cover: Coverage) -> dict[str, Any]:
    return {"coverage": cover.share, "covered_orders": cover.covered_orders, "orders": cover.orders,
            "covered_terms": list(cover.covered)}


def suggestion_json(result: ListingSuggestion) -> dict[str, Any]:
    """The documented JSON of ``shopops listings suggest --json`` and ``GET /api/v1/listings/{id}/suggestion``."""
    s = result.suggestion
    return {
        "listing": result.listing.id, "channel": result.listing.channel, "title": result.listing.title,
        "suggestion": s.title, "length": {"value": s.length, "limit": s.limit, "unit": str(s.unit)},
        "from": result.period.start.isoformat(), "to": result.period.end.isoformat(), "basis": result.basis,
        "before": coverage_json(s.before), "after": coverage_json(s.after),
        "added_terms": list(s.added_terms), "added_words": list(s.added_words),
        "dropped_words": list(s.dropped_words),
        "gaps": [{"term": t.term, "roots": list(t.roots), "orders": t.current.orders,
                  "gmv": format_fen(t.current.sales_fen), "conversion": t.current.conversion} for t in s.before.gaps],
        "root_gaps": [{"root": g.root, "orders": g.orders, "gmv": format_fen(g.sales_fen)}
                      for g in s.before.root_gaps],
    }
