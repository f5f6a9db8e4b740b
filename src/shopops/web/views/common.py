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


def parse_id(value: str | None) -> int | None:
    """A posted record id, or None for anything that is not a plausible one (never an exception)."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def parse_business_date(value: str | None, *, default: dt.date) -> dt.date:
    """A date asked for in the URL, kept to a sane range (the year 1 or 9999 would overflow date maths)."""
    day = parse_date(value)
    if day is None or not dt.date(2000, 1, 1) <= day <= default + dt.timedelta(days=366):
        return default
    return day
