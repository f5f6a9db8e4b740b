"""The operator's to-do list (我的待办): campaign checklist items, stock and metric alerts, for the signed-in
person (assigned to them, to their role, or to nobody), with the numbers behind each alert; each item can be
ticked, snoozed, given to someone, dated and commented on by the people who see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shopops.channels.labels import channel_label
from shopops.core.clock import today
from shopops.core.errors import ShopOpsError
from shopops.core.selectors import users_of_shop
from shopops.reports import selectors, services
from shopops.reports.models import TodoItem
from shopops.ui.changes import change_lines, value_text
from shopops.ui.params import parse_date, parse_id
from shopops.ui.permissions import LOGIN_ONLY, page_requires

STATUSES = ("open", selectors.SNOOZED, "done", "dismissed")

# The numbers behind an item (its JSON ``data``), by name. Ids and codes that the title and detail already
# say in words are left out; a rate or money value whose kind only its raiser knows is in the detail text.
DATA_FIELDS = {
    "available": gettext_lazy("Available"), "in_transit": gettext_lazy("In transit"),
    "forecast_daily": gettext_lazy("Forecast per day"), "suggested_qty": gettext_lazy("Suggested order quantity"),
    "changes": gettext_lazy("Channel quantities"), "channel": gettext_lazy("Channel"),
    "change": gettext_lazy("Change against the baseline"), "z": gettext_lazy("Robust z-score"),
    "promotion": gettext_lazy("Promotion"), "baseline_days": gettext_lazy("Baseline days"),
}
DATA_HIDDEN = ("campaign", "item", "metric", "direction", "baseline_kind", "value", "baseline")


def _channel(value: object) -> str:
    return _("Whole shop") if value in ("all", "", None) else channel_label(str(value))


def _sync_changes(value: object) -> str:
    """["tmall 5→3", …] (inventory's channel_sync alert) → 天猫 5→3、…"""
    if not isinstance(value, list):
        return value_text(value)
    said = []
    for change in value:
        code, _sep, rest = str(change).partition(" ")
        said.append(f"{channel_label(code)} {rest}".strip())
    return "、".join(said) or "—"


DATA_VALUES = {"channel": _channel, "changes": _sync_changes,
               "change": lambda v: f"{float(v) * 100:+.1f}%" if isinstance(v, int | float) else value_text(v),
               "z": lambda v: f"{float(v):+.2f}" if isinstance(v, int | float) else value_text(v)}


def data_lines(data: object) -> list[str]:
    """A to-do item's numbers as ``name: value`` lines (never a dict dump)."""
    if not isinstance(data, dict):
        return [] if data in (None, "", []) else [value_text(data)]
    return change_lines(data, labels=DATA_FIELDS, values=DATA_VALUES, pairs=False, hidden=DATA_HIDDEN)


@page_requires(LOGIN_ONLY)
def todo_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in STATUSES else "open"
    source = request.GET.get("source", "")
    items = list(selectors.todos_for(shop=request.shop, user=request.user, status=status,
                                     source=source or None)[:500])
    comments = selectors.todo_comments(shop=request.shop, item_ids=[i.pk for i in items])
    for item in items:
        item.comment_list = comments[item.pk]
        item.source_name = selectors.source_label(item.source)
        item.data_lines = data_lines(item.data)
    sources = sorted(set(selectors.todos_for(shop=request.shop, user=request.user, status=None)
                         .values_list("source", flat=True)))
    statuses = [(value, label) for value, label in TodoItem.Status.choices]
    statuses.insert(1, (selectors.SNOOZED, _("Snoozed")))
    return render(request, "reports/todo_list.html", {
        "items": items, "status": status, "source": source,
        "sources": [(s, selectors.source_label(s)) for s in sources], "statuses": statuses,
        "people": list(users_of_shop(shop=request.shop).filter(is_active=True)),
        "today": today(request.shop.timezone)})


def _mine(request: HttpRequest, pk: int) -> None:
    """Another shop's or another user's item: as if it did not exist."""
    if not selectors.todos_for(shop=request.shop, user=request.user, status=None).filter(pk=pk).exists():
        raise Http404


def _back(request: HttpRequest) -> HttpResponse:
    target = str(request.POST.get("next", ""))
    return redirect(target if target.startswith("/todos/") else "web:todo_list")


def _act(request: HttpRequest, pk: int, change: Callable[[], object]) -> HttpResponse:
    """Apply one person's change to one of their items; bad input is said on the page, nothing changed."""
    _mine(request, pk)
    try:
        change()
    except ShopOpsError as exc:
        messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))
    return _back(request)


@page_requires(LOGIN_ONLY)
@require_POST
def todo_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of *my* items done, dismissed or open again (other people's items are not visible here)."""
    return _act(request, pk, lambda: services.todo_set_status(
        shop=request.shop, item_id=pk, status=request.POST.get("status", ""), actor=request.user))


def _posted_date(request: HttpRequest, name: str) -> dt.date | None:
    """A posted date; empty clears; text that is not a date is refused (never silently cleared)."""
    text = request.POST.get(name, "").strip()
    day = parse_date(text)
    if text and day is None:
        raise ShopOpsError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]})
    return day


@page_requires(LOGIN_ONLY)
@require_POST
def todo_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    """Snooze one of my items until a date (an empty date wakes it up)."""
    return _act(request, pk, lambda: services.todo_snooze(
        shop=request.shop, item_id=pk, until=_posted_date(request, "until"), actor=request.user))


@page_requires(LOGIN_ONLY)
@require_POST
def todo_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one of my items to someone of the shop (empty: to nobody in particular)."""
    def change() -> object:
        raw = request.POST.get("assignee", "").strip()
        assignee = parse_id(raw)
        if raw and assignee is None:
            raise ShopOpsError(_("No such user in this shop."))
        return services.todo_assign(shop=request.shop, item_id=pk, assignee_id=assignee, actor=request.user)

    return _act(request, pk, change)


@page_requires(LOGIN_ONLY)
@require_POST
def todo_due_date(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: services.todo_set_due_date(
        shop=request.shop, item_id=pk, due_date=_posted_date(request, "due_date"), actor=request.user))


@page_requires(LOGIN_ONLY)
@require_POST
def todo_comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: services.todo_comment_add(
        shop=request.shop, item_id=pk, text=request.POST.get("text", ""), author=request.user))
