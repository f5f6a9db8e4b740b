"""The campaign asset plan (店铺视觉): banners, 主图 variants, detail-page updates with owner, due date and status.

Every planned or in-progress asset is a to-do item of its owner (through ``checklist.campaign_todo_sync``, the
one home of a campaign's to-do items) carrying its due date, so due and overdue assets show in the to-do list;
a done or cancelled asset's to-do item closes.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.campaigns.models import Campaign, CampaignAsset
from shopops.campaigns.services.checklist import campaign_todo_sync
from shopops.channels.domain import CHANNEL_CODES
from shopops.core import selectors as core_selectors
from shopops.core.errors import ErrorCollector
from shopops.core.models import User

OPEN_STATUSES = frozenset({CampaignAsset.Status.PLANNED, CampaignAsset.Status.IN_PROGRESS})
UNSET = object()  # "leave this field as it is" in campaign_asset_update


def _todo_key(asset: CampaignAsset) -> str:
    return f"asset:{asset.campaign_id}:{asset.pk}"  # beside the checklist's "<campaign>:<item>"


def _sync_todo(asset: CampaignAsset, *, reopen: bool = False) -> None:
    campaign_todo_sync(campaign=asset.campaign, key=_todo_key(asset), title=asset.title,
                       detail=str(asset.get_kind_display()), owner=asset.owner, due_date=asset.due_date,
                       open_=asset.status in OPEN_STATUSES, data={"asset": asset.pk}, reopen=reopen)


def _check(errors: ErrorCollector, campaign: Campaign, *, kind: str, title: str, channel: str,
           owner: User | None, status: str, note: str) -> None:
    """Every field's problem at once, named by field, in the user's language."""
    if kind not in CampaignAsset.Kind.values:
        errors.add("kind", _("Expected one of %(kinds)s.") % {"kinds": ", ".join(CampaignAsset.Kind.values)})
    if not title or not title.strip() or len(title.strip()) > 160:
        errors.add("title", _("Expected text of 1 to 160 characters."))
    if channel and channel not in CHANNEL_CODES:
        errors.add("channel", _("Unknown channel %(code)s.") % {"code": channel})
    if owner is not None and core_selectors.user_in_shop(shop=campaign.shop, pk=owner.pk) is None:
        errors.add("owner", _("This user does not work in this shop."))
    if status not in CampaignAsset.Status.values:
        errors.add("status", _("Expected one of %(kinds)s.") % {"kinds": ", ".join(CampaignAsset.Status.values)})
    if len(note or "") > 500:
        errors.add("note", _("At most %(n)s characters.") % {"n": 500})


@transaction.atomic
def campaign_asset_add(*, campaign: Campaign, title: str, kind: str = CampaignAsset.Kind.OTHER, channel: str = "",
                       owner: User | None = None, due_date: dt.date | None = None,
                       status: str = CampaignAsset.Status.PLANNED, note: str = "") -> CampaignAsset:
    """Add an asset to the campaign's plan (checked whole: nothing is saved when a field is wrong)."""
    errors = ErrorCollector()
    _check(errors, campaign, kind=kind, title=title, channel=channel or "", owner=owner, status=status,
           note=note)
    errors.raise_if_any(_("The asset was not saved."))
    asset = CampaignAsset.objects.create(shop=campaign.shop, campaign=campaign, kind=kind, title=title.strip(),
                                         channel=channel or "", owner=owner, due_date=due_date, status=status,
                                         note=(note or "").strip())
    _sync_todo(asset)
    return asset


@transaction.atomic
def campaign_asset_update(*, asset: CampaignAsset, kind: object = UNSET, title: object = UNSET,
                          channel: object = UNSET, owner: object = UNSET, due_date: object = UNSET,
                          status: object = UNSET, note: object = UNSET) -> CampaignAsset:
    """Change the fields given (the others stay); the to-do item follows (it reopens when the asset does)."""
    given = {name: value for name, value in (("kind", kind), ("title", title), ("channel", channel),
                                              ("owner", owner), ("due_date", due_date), ("status", status),
                                              ("note", note)) if value is not UNSET}
    values = {"kind": asset.kind, "title": asset.title, "channel": asset.channel, "owner": asset.owner,
              "status": asset.status, "note": asset.note, **given}
    values["channel"] = values["channel"] or ""
    values["note"] = values["note"] or ""
    errors = ErrorCollector()
    _check(errors, asset.campaign, kind=str(values["kind"]), title=str(values["title"] or ""),
           channel=str(values["channel"]), owner=values["owner"],  # type: ignore[arg-type]
           status=str(values["status"]), note=str(values["note"]))
    errors.raise_if_any(_("The asset was not saved."))
    was_open = asset.status in OPEN_STATUSES
    for name in given:
        value = values[name]
        setattr(asset, name, value.strip() if isinstance(value, str) and name in ("title", "note") else value)
    asset.save()
    _sync_todo(asset, reopen=not was_open and asset.status in OPEN_STATUSES)
    return asset


def campaign_asset_set_status(*, asset: CampaignAsset, status: str) -> CampaignAsset:
    """Move an asset along planned → in progress → done (or cancel it)."""
    return campaign_asset_update(asset=asset, status=status)
