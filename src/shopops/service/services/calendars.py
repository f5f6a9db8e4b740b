"""Business calendars and SLA policies: a shop's default calendar (created on first use), named calendars
and the policies that measure tickets on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shopops.channels.domain import CHANNEL_CODES
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.i18n import said_errors, say
from shopops.core.models import Shop, User
from shopops.core.services import audit_record
from shopops.service import calendar as cal
from shopops.service.models import BusinessCalendar, SlaPolicy, TicketKind, TicketPriority
from shopops.service.selectors.calendars import calendar_named

DEFAULT_NAME = "默认工作时间"
MAX_MINUTES = 366 * 24 * 60


def _checked(*, tz: str, week: list[str], holidays: str, closed: list[dt.date],
             working: list[dt.date]) -> cal.BusinessCalendar:
    """The pure calendar of the fields, or InvalidInput in the user's language."""
    try:
        return cal.calendar_build(tz=tz, week=week, holidays=holidays, closed=closed, working=working)
    except InvalidInput as exc:
        raise InvalidInput(say(exc.detail), said_errors(exc.errors)) from None


@transaction.atomic
def calendar_default_ensure(*, shop: Shop) -> BusinessCalendar:
    """The shop's default calendar, created on first use: Monday–Friday 9:00–18:00 in the shop's time zone,
    China's public holidays and make-up workdays."""
    record = calendar_named(shop=shop)
    if record is not None:
        return record
    default = cal.default_calendar(shop.timezone)
    record, _created = BusinessCalendar.objects.get_or_create(
        shop=shop, is_default=True,
        defaults={"name": DEFAULT_NAME, "timezone": default.tz, "holidays": default.holidays,
                  "week": [cal.format_day(day) for day in default.week]})
    return record


@transaction.atomic
def calendar_save(*, shop: Shop, name: str, week: Sequence[str], timezone: str | None = None,
                  holidays: str = cal.HOLIDAYS_CN, closed: Sequence[dt.date] = (),
                  working: Sequence[dt.date] = (), actor: User | None = None) -> BusinessCalendar:
    """Create or replace the calendar ``name`` (checked whole first: nothing is written when a field is bad)."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(_("The business calendar was not saved."),
                           [FieldError("name", _("Give a name of 1 to %(max)d characters.") % {"max": 60})])
    checked = _checked(tz=timezone or shop.timezone, week=list(week), holidays=holidays, closed=list(closed),
                       working=list(working))
    values = {"timezone": checked.tz, "holidays": checked.holidays,
              "week": [cal.format_day(day) for day in checked.week],
              "closed_dates": sorted(d.isoformat() for d in checked.closed),
              "working_dates": sorted(d.isoformat() for d in checked.working)}
    record, created = BusinessCalendar.objects.update_or_create(shop=shop, name=name, defaults=values)
    audit_record(action="calendar.create" if created else "calendar.change", object_type="business_calendar",
                 object_id=record.pk, shop=shop, actor=actor, object_repr=name, changes=values)
    return record


def _minutes(errors: list[FieldError], field: str, value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_MINUTES:
        errors.append(FieldError(field, _("Give whole minutes from 1 to %(max)d.") % {"max": MAX_MINUTES}))
    return value


def sla_policy_errors(*, name: str, first_response: int | None, next_response: int | None, resolution: int | None,
                   channel: str, kind: str, priority: str, warn_percent: int) -> list[FieldError]:
    """Every problem of a policy's fields at once, each naming its field (a form checks its own reading of
    the numbers first, then these)."""
    errors: list[FieldError] = []
    if not name or len(name) > 80:
        errors.append(FieldError("name", _("Give a name of 1 to %(max)d characters.") % {"max": 80}))
    if channel and channel not in CHANNEL_CODES:
        errors.append(FieldError("channel", _("Unknown channel: %(value)s") % {"value": channel}))
    if kind and kind not in TicketKind.values:
        errors.append(FieldError("type", _("Unknown ticket type: %(value)s") % {"value": kind}))
    if priority and priority not in TicketPriority.values:
        errors.append(FieldError("priority", _("Unknown priority: %(value)s") % {"value": priority}))
    for field, value in (("first_response", first_response), ("next_response", next_response),
                         ("resolution", resolution)):
        _minutes(errors, field, value)
    if first_response is None and next_response is None and resolution is None:
        errors.append(FieldError("resolution", _("Give at least one target.")))
    if not 1 <= warn_percent <= 100:
        errors.append(FieldError("warn_percent", _("Give a percentage from 1 to 100.")))
    return errors


def sla_policy_create(*, shop: Shop, name: str, first_response: int | None = None,
                      next_response: int | None = None, resolution: int | None = None, channel: str = "",
                      kind: str = "", priority: str = "", warn_percent: int = 75, calendar: str | None = None,
                      actor: User | None = None) -> SlaPolicy:
    """A policy of targets in business minutes on a calendar (the default one unless named); blank channel,
    type or priority match any ticket."""
    return sla_policy_save(shop=shop, policy_id=None, name=name, first_response=first_response,
                           next_response=next_response, resolution=resolution, channel=channel, kind=kind,
                           priority=priority, warn_percent=warn_percent, calendar=calendar, actor=actor)


@transaction.atomic
def sla_policy_save(*, shop: Shop, policy_id: int | None, name: str, first_response: int | None = None,
                    next_response: int | None = None, resolution: int | None = None, channel: str = "",
                    kind: str = "", priority: str = "", warn_percent: int = 75, calendar: str | None = None,
                    active: bool = True, actor: User | None = None) -> SlaPolicy:
    """Create a policy (``policy_id`` None) or change one of the shop's (every field checked first; nothing is
    written when one is bad). Tickets keep their policy; their due times follow at the next SLA refresh."""
    name = (name or "").strip()
    errors = sla_policy_errors(name=name, first_response=first_response, next_response=next_response,
                            resolution=resolution, channel=channel, kind=kind, priority=priority,
                            warn_percent=warn_percent)
    policy = None
    if policy_id is not None:
        policy = SlaPolicy.objects.select_for_update().filter(shop=shop, pk=policy_id).first()
        if policy is None:
            raise NotFound(_("No SLA policy %(id)s.") % {"id": policy_id})
    record = calendar_named(shop=shop, name=calendar) if calendar else calendar_default_ensure(shop=shop)
    if record is None:
        errors.append(FieldError("calendar", _("No business calendar named %(name)s.") % {"name": calendar}))
    if errors:
        raise InvalidInput(_("The SLA policy was not saved."), errors)
    assert record is not None
    values = {"name": name, "channel": channel, "kind": kind, "priority": priority,
              "first_response_minutes": first_response, "next_response_minutes": next_response,
              "resolution_minutes": resolution, "warn_percent": warn_percent, "calendar": record, "active": active}
    try:
        with transaction.atomic():
            if policy is None:
                policy = SlaPolicy.objects.create(shop=shop, **values)
            else:
                for key, value in values.items():
                    setattr(policy, key, value)
                policy.save()
    except IntegrityError:
        raise Conflict(_("An SLA policy named %(name)s exists already.") % {"name": name}) from None
    audit_record(action="sla_policy.create" if policy_id is None else "sla_policy.change",
                 object_type="sla_policy", object_id=policy.pk, shop=shop, actor=actor, object_repr=name,
                 changes={"channel": channel, "type": kind, "priority": priority,
                          "first_response": first_response, "next_response": next_response,
                          "resolution": resolution, "warn_percent": warn_percent, "calendar": record.name,
                          "active": active})
    return policy
