"""Reads for the metric faces (CLI ``shopops metrics`` / ``gmv explain``, /api/v1/analytics/metrics and
/gmv-explain, the traffic-sources and GMV-explanation pages): validate the input, run the metric layer for one
shop on the configured engine, return :func:`shopops.analytics.metrics.compute`'s result (numbers: the faces
format them; the API and CLI through :mod:`shopops.analytics.schemas`).

Bad input raises :class:`InvalidInput` naming the field (``from``, ``to``, ``vs``, ``by``, ``channel``,
``metrics``) in the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.utils import translation
from django.utils.translation import gettext as _

from shopops.analytics import metrics as layer
from shopops.analytics.cache import remember
from shopops.analytics.domain import FIRST_DAY, LAST_DAY, day_in_range
from shopops.analytics.engine import LakeTables, Tables, get_engine
from shopops.analytics.queries import explain
from shopops.core.clock import today
from shopops.core.errors import ErrorCollector

if TYPE_CHECKING:
    from shopops.core.models import Shop

MAX_DAYS = 800  # one query over more than two years is a batch job, not a page view


def shop_tables(*, shop: Shop) -> Tables:
    """The shop's lake tables on the configured engine."""
    return LakeTables(get_engine(), shop.pk)


def _in_range(day: dt.date, field: str, errors: ErrorCollector) -> dt.date | None:
    if not day_in_range(day):
        errors.add(field, _("Choose a date between %(first)s and %(last)s.") % {"first": FIRST_DAY, "last": LAST_DAY})
        return None
    return day


def last_full_day(tz_name: str) -> dt.date:
    """Yesterday in the shop's time zone: the last finished business day. Today is still running, so every
    page's default period ends here (a half day would read as a drop to zero at the right edge)."""
    return today(tz_name) - dt.timedelta(days=1)


def default_period(tz_name: str, *, days: int, span: tuple[dt.date, dt.date] | None = None
                   ) -> tuple[dt.date, dt.date]:
    """The analytics pages' default period: ``days`` days ending on the last finished day — within ``span``
    (the data's first and last day) when given, so a log that stopped earlier shows its last days."""
    end = last_full_day(tz_name)
    if span and span[1] < end:
        end = span[1]
    start = end - dt.timedelta(days=days - 1)
    if span and span[0] <= end:
        start = max(start, span[0])
    return start, end


def parse_day(value: object, field: str, errors: ErrorCollector) -> dt.date | None:
    """A business day from a form/query/CLI value, in the accepted range; else an error naming ``field``."""
    if isinstance(value, dt.date):
        return _in_range(value, field, errors)
    text = str(value or "").strip()
    if not text:
        errors.add(field, _("Enter a date (YYYY-MM-DD)."))
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors.add(field, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]})
        return None
    return _in_range(day, field, errors)


def parse_period(date_from: object, date_to: object, *, errors: ErrorCollector, field_from: str = "from",
                 field_to: str = "to", max_days: int = MAX_DAYS) -> tuple[dt.date, dt.date] | None:
    """The one date-range rule of every analytics face (pages, API, CLI): two business days in the accepted
    calendar (so date arithmetic on them never overflows), the end not before the start, at most ``max_days``
    days. Errors name ``field_from``/``field_to``."""
    start = parse_day(date_from, field_from, errors)
    end = parse_day(date_to, field_to, errors)
    if start is None or end is None:
        return None
    if end < start:
        errors.add(field_to, _("The end date is before the start date."))
        return None
    if (end - start).days + 1 > max_days:
        errors.add(field_to, _("The period is longer than %(n)s days.") % {"n": max_days})
        return None
    return start, end


def previous_period(date_from: object, date_to: object) -> str:
    """``D..D``: as many days as ``from..to``, just before it (the GMV page's default comparison); "" when
    ``from..to`` is not a valid period (its own errors say why). Never overflows: valid days are at least
    FIRST_DAY and a period at most MAX_DAYS long, so the result is still a date (``parse_range`` judges it)."""
    period = parse_period(date_from, date_to, errors=ErrorCollector())
    if period is None:
        return ""
    start, end = period
    days = (end - start).days + 1
    return f"{start - dt.timedelta(days=days)}..{start - dt.timedelta(days=1)}"


def parse_range(value: object, *, field: str, errors: ErrorCollector) -> tuple[dt.date, dt.date] | None:
    """``D..D`` (a comparison period)."""
    text = str(value or "").strip()
    if ".." not in text:
        errors.add(field, _("Enter a period as YYYY-MM-DD..YYYY-MM-DD."))
        return None
    start, end = text.split("..", 1)
    return parse_period(start, end, errors=errors, field_from=field, field_to=field)


def parse_metrics(value: object, *, errors: ErrorCollector) -> list[str] | None:
    if value is None or value == "" or value == []:
        return None
    names = ([v.strip() for v in str(value).split(",")] if isinstance(value, str)
             else [str(v).strip() for v in cast(Iterable[object], value)])  # a list from the API
    names = [n for n in names if n]
    unknown = [n for n in names if n not in layer.METRICS]
    if unknown:
        errors.add("metrics", _("Unknown metrics: %(names)s (known: %(known)s).")
                   % {"names": ", ".join(unknown)[:200], "known": ", ".join(layer.METRICS)})
        return None
    return names or None


def _by(value: object, allowed: Iterable[str], errors: ErrorCollector) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    allowed = tuple(allowed)
    if text not in allowed:
        errors.add("by", _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
        return None
    return text


def metrics_report(*, shop: Shop, date_from: object, date_to: object, by: object = None,
                   channel: object = None, metrics: object = None, tables: Tables | None = None) -> dict:
    """``compute`` for one shop with validated input; adds ``period`` and ``channel``."""
    errors = ErrorCollector()
    period = parse_period(date_from, date_to, errors=errors)
    grouping = _by(by, layer.BY, errors)
    names = parse_metrics(metrics, errors=errors)
    channel_text = str(channel or "").strip()
    if len(channel_text) > 40:
        errors.add("channel", _("Too long (at most %(n)s characters).") % {"n": 40})
    errors.raise_if_any(_("The metrics request is not valid."))
    assert period is not None
    params: dict[str, Any] = {"date_from": period[0], "date_to": period[1], "by": grouping, "channel": channel_text or None,
              "metrics": names}
    result = remember("metrics.compute", tables if tables is not None else shop_tables(shop=shop), params,
                      lambda t: layer.compute(t, **params))
    result["period"] = {"from": period[0].isoformat(), "to": period[1].isoformat()}
    result["channel"] = channel_text or None
    return result


def gmv_explanation(*, shop: Shop, date_from: object, date_to: object, vs: object, by: object = None,
                    tables: Tables | None = None) -> dict:
    """The GMV change of ``from..to`` against ``vs`` split into UV, CVR and AOV parts (per group and total)."""
    errors = ErrorCollector()
    period = parse_period(date_from, date_to, errors=errors)
    baseline = parse_range(vs, field="vs", errors=errors)
    grouping = _by(by, explain.BY, errors)
    errors.raise_if_any(_("The GMV explanation request is not valid."))
    assert period is not None and baseline is not None
    params: dict[str, Any] = {"date_from": period[0], "date_to": period[1], "vs_from": baseline[0], "vs_to": baseline[1],
              "by": grouping}
    return remember("explain.gmv_explain", tables if tables is not None else shop_tables(shop=shop), params,
                    lambda t: explain.gmv_explain(t, **params))


def _named(label: object, language: str) -> str:
    with translation.override(language):
        return str(label)


def metric_catalog() -> list[dict]:
    """Every metric's definition (for docs, pages and the API), its name in Chinese and in English."""
    return [{"name": m.name, "zh": _named(m.label, "zh-hans"), "en": _named(m.label, "en"), "formula": m.formula,
             "kind": m.kind, "additive": m.additive, "grain": m.grain, "sources": list(m.sources)}
            for m in layer.METRICS.values()]
