"""Writes to the to-do list. Other apps raise and clear items here (campaign checklists, stock and metric alerts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.clock import now, today
from shopops.core.errors import FieldError, InvalidInput, NotFound
from shopops.core.models import Shop, User
from shopops.core.selectors import user_in_shop
from shopops.reports.models import TodoComment, TodoItem

SEVERITIES = {choice.value for choice in TodoItem.Severity}
PERSON_SET = ("assignee", "due_date")  # fields people change on the to-do page; a raiser's None keeps theirs
MAX_SNOOZE_DAYS = 366
MAX_COMMENT_CHARS = 2000
FIRST_DUE, LAST_DUE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


@dataclass(frozen=True)
class TodoRaise:
    """One item a raiser wants open, for ``todo_sync_many``: the arguments of ``todo_upsert`` but the shop and
    source (same meaning, same defaults)."""

    key: str
    title: str
    detail: str = ""
    severity: str = "info"
    assignee: User | None = None
    role: str = ""
    due_date: dt.date | None = None
    url: str = ""
    data: dict[str, Any] | None = None
    reopen: bool = False


def _fields(raise_: TodoRaise) -> dict[str, Any]:
    if raise_.severity not in SEVERITIES:
        raise InvalidInput(_("Unknown severity %(value)s.") % {"value": raise_.severity})
    return {"title": raise_.title[:200], "detail": raise_.detail, "severity": raise_.severity,
            "assignee": raise_.assignee, "role": raise_.role, "due_date": raise_.due_date, "url": raise_.url[:300],
            "data": raise_.data or {}}


def _refresh(item: TodoItem, fields: dict[str, Any], reopen: bool) -> None:
    """An existing item takes the raiser's fields (a person's assignee or due date stays when the raiser passes
    none) and opens again when ``reopen`` (a snooze ends then too)."""
    for name, value in fields.items():
        if value is None and name in PERSON_SET:
            continue
        setattr(item, name, value)
    if reopen and item.status != TodoItem.Status.OPEN:
        item.status, item.closed_at, item.snoozed_until = TodoItem.Status.OPEN, None, None


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

    An item the user already closed stays closed unless ``reopen`` (the condition came back after being fixed;
    a snooze ends then too). An assignee or due date a person set stays when the raiser passes none.
    """
    fields = _fields(TodoRaise(key=key, title=title, detail=detail, severity=severity, assignee=assignee, role=role,
                               due_date=due_date, url=url, data=data, reopen=reopen))
    item, created = TodoItem.objects.select_for_update().get_or_create(
        shop=shop, source=source, key=key[:200], defaults=fields)
    if not created:
        _refresh(item, fields, reopen)
        item.save()
    return item


SYNC_FIELDS = ["title", "detail", "severity", "assignee", "role", "due_date", "url", "data", "status", "closed_at",
               "snoozed_until", "updated_at"]


@transaction.atomic
def todo_sync_many(*, shop: Shop, source: str, items: list[TodoRaise], batch_size: int = 1000) -> dict[str, int]:
    """``todo_upsert`` for many items of one source in a few statements (a whole-shop audit raises thousands):
    the existing items read once, the new ones created and the others refreshed in bulk, with the same rules
    (a closed item stays closed unless its ``reopen``; a person's assignee or due date stays when the raiser
    passes none). A key given twice: the last wins. ``{"created", "updated", "reopened"}``."""
    wanted = {raise_.key[:200]: raise_ for raise_ in items}
    fields = {key: _fields(raise_) for key, raise_ in wanted.items()}  # every severity checked before any write
    existing = TodoItem.objects.select_for_update().filter(shop=shop, source=source, key__in=list(wanted))
    stamp, refreshed, reopened = now(), [], 0
    for item in existing:
        was_open = item.status == TodoItem.Status.OPEN
        _refresh(item, fields.pop(item.key), wanted[item.key].reopen)
        item.updated_at = stamp  # bulk_update skips auto_now
        reopened += not was_open and item.status == TodoItem.Status.OPEN
        refreshed.append(item)
    TodoItem.objects.bulk_update(refreshed, SYNC_FIELDS, batch_size=batch_size)
    TodoItem.objects.bulk_create([TodoItem(shop=shop, source=source, key=key, **values)
                                  for key, values in fields.items()], batch_size=batch_size)
    return {"created": len(fields), "updated": len(refreshed), "reopened": reopened}


def todo_close(*, shop: Shop, source: str, key: str, status: str = "done") -> int:
    """Close the item ``(source, key)`` when its condition cleared (no error when there is none)."""
    return todo_close_many(shop=shop, source=source, keys=[key], status=status)


def todo_close_many(*, shop: Shop, source: str, keys: list[str], status: str = "done") -> int:
    """Close the open items ``(source, key)`` of ``keys`` in one statement (conditions that cleared)."""
    return TodoItem.objects.filter(shop=shop, source=source, key__in=keys, status=TodoItem.Status.OPEN).update(
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
    item = _locked(shop, item_id)
    item.status = status
    item.closed_at = None if status == TodoItem.Status.OPEN else now()
    item.save(update_fields=["status", "closed_at", "updated_at"])
    return item


def _locked(shop: Shop, item_id: int) -> TodoItem:
    """The item, locked for this transaction, or NotFound (another shop's item is as absent as a missing one)."""
    item = TodoItem.objects.select_for_update().filter(shop=shop, pk=item_id).first()
    if item is None:
        raise NotFound(_("No such to-do item."))
    return item


@transaction.atomic
def todo_snooze(*, shop: Shop, item_id: int, until: dt.date | None, actor: User) -> TodoItem:
    """Hide an open item from the open list until the local date ``until`` (None: show it again now)."""
    item = _locked(shop, item_id)
    if until is not None:
        first = today(shop.timezone) + dt.timedelta(days=1)
        last = first + dt.timedelta(days=MAX_SNOOZE_DAYS - 1)
        if not first <= until <= last:
            raise InvalidInput(_("Invalid input."), [FieldError("until", _(
                "Choose a date between %(first)s and %(last)s.") % {"first": first, "last": last})])
        if item.status != TodoItem.Status.OPEN:
            raise InvalidInput(_("Invalid input."), [FieldError("until", _("Only an open item can be snoozed."))])
    item.snoozed_until = until
    item.save(update_fields=["snoozed_until", "updated_at"])
    return item


@transaction.atomic
def todo_assign(*, shop: Shop, item_id: int, assignee_id: int | None, actor: User) -> TodoItem:
    """Give the item to one person of the shop (None: back to its role, or to everyone)."""
    item = _locked(shop, item_id)
    assignee = None
    if assignee_id is not None:
        assignee = user_in_shop(shop=shop, pk=assignee_id)
        if assignee is None or not assignee.is_active:
            raise InvalidInput(_("Invalid input."), [FieldError("assignee", _("No such user in this shop."))])
    item.assignee = assignee
    item.save(update_fields=["assignee", "updated_at"])
    return item


@transaction.atomic
def todo_set_due_date(*, shop: Shop, item_id: int, due_date: dt.date | None, actor: User) -> TodoItem:
    """Set or clear the item's due date (a past date is allowed: it shows as overdue)."""
    item = _locked(shop, item_id)
    if due_date is not None and not FIRST_DUE <= due_date <= LAST_DUE:
        raise InvalidInput(_("Invalid input."), [FieldError("due_date", _(
            "Choose a date between %(first)s and %(last)s.") % {"first": FIRST_DUE, "last": LAST_DUE})])
    item.due_date = due_date
    item.save(update_fields=["due_date", "updated_at"])
    return item


@transaction.atomic
def todo_comment_add(*, shop: Shop, item_id: int, text: str, author: User) -> TodoComment:
    """Leave a note on the item (plain text, shown escaped)."""
    item = _locked(shop, item_id)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Invalid input."), [FieldError("text", _("Write a comment first."))])
    if len(text) > MAX_COMMENT_CHARS:
        raise InvalidInput(_("Invalid input."), [FieldError("text", _(
            "At most %(n)s characters.") % {"n": MAX_COMMENT_CHARS})])
    comment = TodoComment.objects.create(shop=shop, item=item, author=author, text=text)
    TodoItem.objects.filter(pk=item.pk).update(updated_at=now())
    return comment
