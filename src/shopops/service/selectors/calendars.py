"""Business calendars and SLA policies as the pure SLA engine (service.calendar, service.sla) sees them."""

from __future__ import annotations

import datetime as dt

from shopops.core.models import Shop
from shopops.service import calendar as cal
from shopops.service.models import BusinessCalendar, SlaPolicy
from shopops.service.sla import SlaTargets


def calendar_of(record: BusinessCalendar) -> cal.BusinessCalendar:
    """The pure calendar of a stored one (checked when it was saved)."""
    return cal.calendar_build(
        tz=record.timezone, week=list(record.week), holidays=record.holidays,
        closed=[dt.date.fromisoformat(d) for d in record.closed_dates],
        working=[dt.date.fromisoformat(d) for d in record.working_dates])


def calendar_named(*, shop: Shop, name: str | None = None) -> BusinessCalendar | None:
    """The shop's calendar of that name, or its default one (None before its first use)."""
    records = BusinessCalendar.objects.filter(shop=shop)
    return records.filter(name=name).first() if name else records.filter(is_default=True).first()


def calendar_for(*, shop: Shop, name: str | None = None) -> cal.BusinessCalendar | None:
    """The pure calendar the shop measures on: the named one (None when there is none), else its default —
    the stored one, or Monday–Friday 9:00–18:00 in the shop's time zone before its first use."""
    record = calendar_named(shop=shop, name=name)
    if record is not None:
        return calendar_of(record)
    return None if name else cal.default_calendar(shop.timezone)


def calendar_names(*, shop: Shop) -> list[str]:
    return list(BusinessCalendar.objects.filter(shop=shop).values_list("name", flat=True))


def targets_of(policy: SlaPolicy) -> SlaTargets:
    return SlaTargets(first_response=policy.first_response_minutes, next_response=policy.next_response_minutes,
                      resolution=policy.resolution_minutes, warn_percent=policy.warn_percent)


def policy_matching(*, shop: Shop, channel: str, kind: str, priority: str) -> SlaPolicy | None:
    """The most specific active policy for a ticket: blank fields match anything, each matching field counts
    one, ties go to the older policy (docs/rules/business-calendar.md#sla-rules)."""
    best: tuple[int, int] | None = None
    found: SlaPolicy | None = None
    for policy in SlaPolicy.objects.filter(shop=shop, active=True).select_related("calendar").order_by("id"):
        fields = ((policy.channel, channel), (policy.kind, kind), (policy.priority, priority))
        if any(want and want != have for want, have in fields):
            continue
        rank = (sum(1 for want, _have in fields if want), -policy.pk)
        if best is None or rank > best:
            best, found = rank, policy
    return found


def calendars_of(*, shop: Shop) -> list[BusinessCalendar]:
    """The shop's business calendars, the default first."""
    return list(BusinessCalendar.objects.filter(shop=shop))


def policies_of(*, shop: Shop) -> list[SlaPolicy]:
    """The shop's SLA policies, oldest first (the order ties are broken in), with their calendars."""
    return list(SlaPolicy.objects.filter(shop=shop).select_related("calendar").order_by("id"))
