"""Reads of the to-do list: a person's items are those assigned to them or to their role, or to nobody."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from shopops.core.models import Shop, User
from shopops.reports.models import TodoItem


def todos_for(*, shop: Shop, user: User | AnonymousUser, status: str | None = "open",
              source: str | None = None) -> QuerySet[TodoItem]:
    roles = list(user.groups.values_list("name", flat=True)) if user.is_authenticated else []
    qs = TodoItem.objects.filter(shop=shop).filter(
        Q(assignee=user) | Q(assignee__isnull=True, role__in=[*roles, ""]))
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    return qs.select_related("assignee")


def todos_of_source(*, shop: Shop, source: str, status: str | None = None) -> QuerySet[TodoItem]:
    qs = TodoItem.objects.filter(shop=shop, source=source)
    return qs.filter(status=status) if status else qs
