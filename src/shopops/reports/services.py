"""Writes to the to-do list. Other apps raise and clear items here (campaign checklists, stock and metric alerts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.clock import now
from shopops.core.errors import InvalidInput, NotFound
from shopops.core.models import Shop, User
from shopops.reports.models import TodoItem

SEVERITIES = {choice.value for choice in TodoItem.Severity}


@transaction.atomic
def todo_upsert(
    *,
    shop: Shop,
    source: str,
    key: str,
    title: str,
    detail: str = "",
    severity: str = "info",
    assignee: User | None = None,
    role: str = "",
    due_date: dt.date | None = None,
    url: str = "",
    data: dict[str, Any] | None = None,
    reopen: bool = False,
) -> TodoItem:
    """Raise or refresh the item ``(source, key)``. Idempotent: raising it again updates it in place.

    An item the user already closed stays closed unless ``reopen`` (the condition came back after being fixed).
    """
    if severity not in SEVERITIES:
        raise InvalidInput(_("Unknown severity %(value)s.") % {"value": severity})
    fields = {"title": title[:200], "detail": detail, "severity": severity, "assignee": assignee, "role": role,
              "due_date": due_date, "url": url[:300], "data": data or {}}
    item, created = TodoItem.objects.select_for_update().get_or_create(
        shop=shop, source=source, key=key[:200], defaults=fields)
    if not created:
        for name, value in fields.items():
            setattr(item, name, value)
        if reopen and item.status != TodoItem.Status.OPEN:
            item.status, item.closed_at = TodoItem.Status.OPEN, None
        item.save()
    return item


def todo_close(*, shop: Shop, source: str, key: str, status: str = "done") -> int:
    """Close the item ``(source, key)`` when its condition cleared (no error when there is none)."""
    return TodoItem.objects.filter(shop=shop, source=source, key=key, status=TodoItem.Status.OPEN).update(
        status=status, closed_at=now())


def todo_close_missing(*, shop: Shop, source: str, keep_keys: set[str]) -> int:
    """Close the open items of ``source`` whose key is not in ``keep_keys`` (an alert run's conditions that
    no longer hold)."""
    stale = TodoItem.objects.filter(shop=shop, source=source, status=TodoItem.Status.OPEN).exclude(
        key__in=keep_keys)
    return stale.update(status=TodoItem.Status.DONE, closed_at=now())


@transaction.atomic
def todo_set_status(*, shop: Shop, item_id: int, status: str, actor: User) -> TodoItem:
    """A person marks an item done, dismissed or open again."""
    if status not in TodoItem.Status.values:
        raise InvalidInput(_("Unknown status %(value)s.") % {"value": status})
    item = TodoItem.objects.select_for_update().filter(shop=shop, pk=item_id).first()
    if item is None:
        raise NotFound(_("No such to-do item."))
    item.status = status
    item.closed_at = None if status == TodoItem.Status.OPEN else now()
    item.save(update_fields=["status", "closed_at", "updated_at"])
    return item
