"""Campaign checklists: each open item is a to-do item of its owner (reports' to-do list) until it is done;
``campaign_todo_sync`` is the one place a campaign's to-do items (checklist items, planned assets) are made."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from shopops.campaigns.models import Campaign, ChecklistItem
from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core.clock import now
from shopops.core.errors import ErrorCollector
from shopops.core.models import User
from shopops.reports.services import todo_close, todo_upsert

TODO_SOURCE = "campaign"


def _todo_url(campaign: Campaign) -> str:
    try:
        return reverse("web:campaign_detail", args=[campaign.pk])
    except NoReverseMatch:  # pages not mounted (a worker without the web app)
        return ""


def _todo_key(campaign_id: int, item_id: int) -> str:
    return f"{campaign_id}:{item_id}"


def campaign_todo_sync(*, campaign: Campaign, key: str, title: str, detail: str, owner: User | None,
                       due_date: dt.date | None, open_: bool, data: dict, reopen: bool = False) -> None:
    """One home for a campaign's to-do items (checklist items and the asset plan's assets): open, it is a to-do
    item of its owner (or of the operators when nobody owns it) with its due date; otherwise it closes."""
    if not open_:
        todo_close(shop=campaign.shop, source=TODO_SOURCE, key=key)
        return
    todo_upsert(shop=campaign.shop, source=TODO_SOURCE, key=key, title=f"{campaign.name}: {title}",
                detail=detail, assignee=owner, role="" if owner else roles.OPERATOR,
                due_date=due_date, url=_todo_url(campaign), data={"campaign": campaign.pk, **data}, reopen=reopen)


def _sync_todo(item: ChecklistItem, *, reopen: bool = False) -> None:
    """A checklist item is a to-do item for its owner (source "campaign", key "<campaign>:<item>") until done."""
    campaign_todo_sync(campaign=item.campaign, key=_todo_key(item.campaign_id, item.pk), title=item.title,
                       detail=str(item.get_kind_display()), owner=item.owner, due_date=item.due_date,
                       open_=not item.done, data={"item": item.pk}, reopen=reopen)


@transaction.atomic
def checklist_item_add(*, campaign: Campaign, title: str, kind: str = ChecklistItem.Kind.OTHER,
                       owner: User | None = None, due_date: dt.date | None = None,
                       done: bool = False) -> ChecklistItem:
    errors = ErrorCollector()
    if kind not in ChecklistItem.Kind.values:
        errors.add("kind", _("Expected one of %(kinds)s.") % {"kinds": ", ".join(ChecklistItem.Kind.values)})
    if not title or not title.strip() or len(title.strip()) > 160:
        errors.add("title", _("Expected text of 1 to 160 characters."))
    if owner is not None and core_selectors.user_in_shop(shop=campaign.shop, pk=owner.pk) is None:
        errors.add("owner", _("This user does not work in this shop."))
    errors.raise_if_any(_("The checklist item was not saved."))
    item = ChecklistItem.objects.create(shop=campaign.shop, campaign=campaign, kind=kind, title=title.strip(),
                                        owner=owner, due_date=due_date, done=done, done_at=now() if done else None)
    _sync_todo(item)
    return item


@transaction.atomic
def checklist_item_set_done(*, item: ChecklistItem, done: bool) -> ChecklistItem:
    """Tick an item off (its to-do item closes) or back on (its to-do item reopens)."""
    if item.done != done:
        item.done = done
        item.done_at = now() if done else None
        item.save(update_fields=["done", "done_at"])
    _sync_todo(item, reopen=not done)
    return item


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem) -> None:
    todo_close(shop=item.shop, source=TODO_SOURCE, key=_todo_key(item.campaign_id, item.pk), status="dismissed")
    item.delete()


def checklist_replace(*, campaign: Campaign, items: list[dict]) -> None:
    """The plan's new checklist: the old items' to-do items are dismissed, the new ones opened."""
    for old in ChecklistItem.objects.filter(campaign=campaign):
        checklist_item_delete(item=old)
    for item in items:
        checklist_item_add(campaign=campaign, kind=item["kind"], title=item["title"], owner=item["owner"],
                           due_date=item["due_date"], done=item["done"])
