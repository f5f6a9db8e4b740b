"""The marketing calendar: a shop's own dates for a shipped entry (the preset stays as it is for others)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.campaigns import analysis, domain
from shopops.campaigns.inputs import CalendarEntryIn, calendar_input
from shopops.campaigns.models import CalendarPreset
from shopops.campaigns.services.problems import problems_add
from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop, User
from shopops.core.services import audit_record

PHASE_FIELDS = ("warmup_start", "main_start", "main_end", "return_end")


@transaction.atomic
def calendar_entry_save(*, shop: Shop, data: CalendarEntryIn | Mapping[str, Any],
                        actor: User | None = None) -> CalendarPreset:
    """Edit a calendar entry for this shop (dates of a platform event of a year, or a store theme's day);
    the fields not given keep the entry's current values."""
    entry = calendar_input(data)
    current = analysis.calendar_entry(shop=shop, code=entry.code, year=entry.year) or {}
    errors = ErrorCollector()
    name = entry.name or current.get("name") or ""
    if not name:
        errors.add("name", _("Required."))
    dates = {key: getattr(entry, key) if entry.given(key) else current.get(key) for key in PHASE_FIELDS}
    if entry.year is not None:
        problems_add(errors, domain.phase_problems(**dates))
    errors.raise_if_any(_("The calendar entry was not saved."))
    values = {
        "name": name, "kind": entry.kind or current.get("kind") or CalendarPreset.Kind.PLATFORM, **dates,
        "day_of_month": entry.day_of_month if entry.given("day_of_month") else current.get("day_of_month"),
        "length_days": entry.length_days or current.get("length_days") or 1,
        "note": (entry.note if entry.given("note") else current.get("note", "")) or "",
        "hidden": bool(entry.hidden) if entry.given("hidden") else bool(current.get("hidden", False)),
    }
    preset, _created = CalendarPreset.objects.update_or_create(shop=shop, code=entry.code, year=entry.year,
                                                               defaults=values)
    audit_record(action="calendar.save", object_type="calendar", object_id=preset.pk, shop=shop, actor=actor,
                 object_repr=str(preset), changes={k: [str(current.get(k)), str(v)] for k, v in dates.items()
                                                   if current.get(k) != v})
    return preset
