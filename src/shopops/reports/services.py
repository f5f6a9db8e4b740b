"""Writes to the to-do list. Other apps raise and clear items here (campaign checklists, stock and metric alerts)."""

from __future__ import annotations

import datetime as dt
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
    if severity not in SEVERITIES:
        raise InvalidInput(_("Unknown severity %(value)s.") % {"value": severity})
    fields = {"title": title[:200], "detail": detail, "severity": severity, "assignee": assignee, "role": role,
              "due_date": due_date, "url": url[:300], "data": data or {}}
    item, created = TodoItem.objects.select_for_update().get_or_create(
        shop=shop, source=source, key=key[:200], defaults=fields)
    if not created:
        for name, value in fields.items():
            if value is None and name in PERSON_SET:
                continue
            setattr(item, name, value)
        if reopen and item.status != TodoItem.Status.OPEN:
            item.status, item.closed_at, item.snoozed_until = TodoItem.Status.OPEN, None, None
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
