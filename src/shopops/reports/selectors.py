"""Reads of the to-do list: a person's items are those assigned to them or to their role, or to nobody.

An open item snoozed until a later local date is out of the open list until then and under ``snoozed``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shopops.core.clock import today
from shopops.core.models import Shop, User
from shopops.reports.models import TodoComment, TodoItem

SNOOZED = "snoozed"  # a list filter beside the statuses: open items hidden until a later date

# The raisers' sources by name (the apps raise under these codes; an unknown source shows its code).
SOURCE_LABELS: dict[str, Promise] = {
    "analytics": _("Metric alerts"),
    "inventory": _("Stock alerts"),
    "campaign": _("Campaign checklists"),
    "service_sla": _("Customer-service SLA"),
}
SEVERITY_ORDER = ("critical", "warning", "info")


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


def _snoozed(shop: Shop) -> Q:
    return Q(status=TodoItem.Status.OPEN, snoozed_until__gt=today(shop.timezone))


def todos_for(*, shop: Shop, user: User | AnonymousUser, status: str | None = "open",
              source: str | None = None) -> QuerySet[TodoItem]:
    """``status``: open (not snoozed), snoozed, done, dismissed, or None for all."""
    roles = list(user.groups.values_list("name", flat=True)) if user.is_authenticated else []
    qs = TodoItem.objects.filter(shop=shop).filter(
        Q(assignee=user) | Q(assignee__isnull=True, role__in=[*roles, ""]))
    if status == SNOOZED:
        qs = qs.filter(_snoozed(shop))
    elif status == TodoItem.Status.OPEN:
        qs = qs.filter(status=status).exclude(_snoozed(shop))
    elif status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    return qs.select_related("assignee")


def todos_of_source(*, shop: Shop, source: str, status: str | None = None) -> QuerySet[TodoItem]:
    qs = TodoItem.objects.filter(shop=shop, source=source)
    return qs.filter(status=status) if status else qs


def todo_comments(*, shop: Shop, item_ids: list[int]) -> dict[int, list[TodoComment]]:
    """The comments of these items, oldest first, by item id (one query for a whole page)."""
    out: dict[int, list[TodoComment]] = {pk: [] for pk in item_ids}
    for comment in TodoComment.objects.filter(shop=shop, item_id__in=item_ids).select_related("author"):
        out[comment.item_id].append(comment)
    return out


def todo_summary(*, shop: Shop, top: int = 5) -> dict:
    """The shop's open items (everyone's, snoozed ones apart) for the daily report: counts by severity and
    by source, the ``top`` most pressing (critical first, then the earliest due date), the snoozed count."""
    open_items = TodoItem.objects.filter(shop=shop, status=TodoItem.Status.OPEN).exclude(_snoozed(shop))
    by_severity = dict.fromkeys(SEVERITY_ORDER, 0)
    by_severity.update(open_items.values_list("severity").annotate(n=Count("id")).values_list("severity", "n"))
    by_source = sorted(open_items.values_list("source").annotate(n=Count("id")).values_list("source", "n"),
                       key=lambda row: (-row[1], row[0]))
    rank = Case(*[When(severity=s, then=Value(i)) for i, s in enumerate(SEVERITY_ORDER)],
                default=Value(len(SEVERITY_ORDER)), output_field=IntegerField())
    items = open_items.select_related("assignee").annotate(rank=rank).order_by(
        "rank", F("due_date").asc(nulls_last=True), "-id")[:top]
    return {
        "total": sum(by_severity.values()),
        "by_severity": [{"severity": s, "label": str(TodoItem.Severity(s).label), "count": by_severity[s]}
                        for s in SEVERITY_ORDER],
        "by_source": [{"source": s, "label": source_label(s), "count": n} for s, n in by_source],
        "snoozed": TodoItem.objects.filter(shop=shop).filter(_snoozed(shop)).count(),
        "top": [{"id": i.pk, "title": i.title, "severity": i.severity, "severity_label": i.get_severity_display(),
                 "source": i.source, "source_label": source_label(i.source), "due_date": i.due_date,
                 "assignee": i.assignee.get_username() if i.assignee else "", "url": i.url} for i in items],
    }
