"""Helpers shared by the page modules."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from shopops.channels.domain import CHANNELS, channel_label


def channel_options() -> list[tuple[str, str]]:
    language = translation.get_language() or "zh-hans"
    return [(c.code, channel_label(c.code, language)) for c in CHANNELS]


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def local_time(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
