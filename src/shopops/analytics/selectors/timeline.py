"""Events shown on the GMV explanation's timeline, from apps above analytics (docs/architecture.md#timeline-sources).

Analytics may not import the apps above it, so they register a source here when they start (in their
``AppConfig.ready()``): a function ``(shop, date_from, date_to) -> [TimelineEvent]``. The page asks every
registered source for the period and shows the events by date; a failing source is logged and left out."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from shopops.core.models import Shop

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event: ``source`` names who reported it (e.g. "competitor"), ``subject`` what it is about (a
    rival and its item), ``text`` what changed (in the user's language), ``url`` where to read more."""

    date: dt.date
    source: str
    subject: str
    text: str
    url: str = ""


TimelineSource = Callable[[Shop, dt.date, dt.date], list[TimelineEvent]]
_SOURCES: dict[str, TimelineSource] = {}


def timeline_source_register(name: str, source: TimelineSource) -> None:
    """Register (or replace) the source ``name``; called from an app's ``ready()``."""
    _SOURCES[name] = source


def timeline_events(*, shop: Shop, date_from: dt.date, date_to: dt.date) -> list[TimelineEvent]:
    """Every registered source's events of ``date_from..date_to``, by date then source."""
    events: list[TimelineEvent] = []
    for name, source in sorted(_SOURCES.items()):
        try:
            events += source(shop, date_from, date_to)
        except Exception:  # one broken source must not take the GMV explanation down
            log.exception("timeline source %s failed", name)
    return sorted(events, key=lambda e: (e.date, e.source, e.subject))
