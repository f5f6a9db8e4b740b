"""What pages read from the query string and the forms (dates, ids) and how they say a value was not used."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_BUSINESS_DAY = dt.date(2000, 1, 1)


def parse_date(value: str | None) -> dt.date | None:
    text = (value or "").strip()
    try:
        return dt.date.fromisoformat(text) if text else None
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
    return default if business_date_problem(value, default=default) else (parse_date(value) or default)


def business_date_problem(value: str | None, *, default: dt.date) -> str | None:
    """Why ``parse_business_date`` falls back to ``default`` for a value that was given; None when it does not."""
    text = (value or "").strip()
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        return _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]}
    last = default + dt.timedelta(days=366)
    if not FIRST_BUSINESS_DAY <= day <= last:
        return _("Choose a date between %(first)s and %(last)s.") % {"first": FIRST_BUSINESS_DAY, "last": last}
    return None


def tell_bad_query(request: HttpRequest, label: object, problem: str) -> None:
    """Say on the page that a query parameter was not understood (and so not used): "<label>: <problem>".

    Marks the request (``shopops_bad_query``): a list asked for as xlsx then shows the page with the message
    rather than a file of rows the user did not ask for. Not for htmx partial swaps, which render no message
    list: the message would wait for the next page.
    """
    request.shopops_bad_query = True  # type: ignore[attr-defined]
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return
    messages.error(request, f"{label}: {problem}")


def query_date(request: HttpRequest, name: str, *, label: object) -> dt.date | None:
    """A date filter from the query string; a value that is not a date is left out, with a message."""
    text = request.GET.get(name, "").strip()
    day = parse_date(text)
    if text and day is None:
        tell_bad_query(request, label, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]})
    return day
