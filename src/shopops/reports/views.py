"""The operator's to-do list (我的待办): campaign checklist items, stock and metric alerts, for the signed-in
person (assigned to them, to their role, or to nobody), with the numbers behind each alert."""

from __future__ import annotations

import contextlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shopops.core.errors import ShopOpsError
from shopops.reports import selectors, services
from shopops.reports.models import TodoItem
from shopops.ui.permissions import LOGIN_ONLY, page_requires

STATUSES = ("open", "done", "dismissed")


@page_requires(LOGIN_ONLY)
def todo_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in STATUSES else "open"
    source = request.GET.get("source", "")
    items = list(selectors.todos_for(shop=request.shop, user=request.user, status=status,
                                     source=source or None)[:500])
    sources = sorted(set(selectors.todos_for(shop=request.shop, user=request.user, status=None)
                         .values_list("source", flat=True)))
    return render(request, "reports/todo_list.html", {
        "items": items, "status": status, "source": source, "sources": sources,
        "statuses": [(value, label) for value, label in TodoItem.Status.choices]})


@page_requires(LOGIN_ONLY)
@require_POST
def todo_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of *my* items done, dismissed or open again (other people's items are not visible here)."""
    mine = selectors.todos_for(shop=request.shop, user=request.user, status=None).filter(pk=pk).exists()
    if not mine:  # another shop's or another user's item: as if it did not exist
        raise Http404
    with contextlib.suppress(ShopOpsError):  # an unknown status changes nothing; the list shows it unchanged
        services.todo_set_status(shop=request.shop, item_id=pk, status=request.POST.get("status", ""),
                                 actor=request.user)
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/todos/")
                    else "web:todo_list")
