"""Writes for campaigns, one module per concern; import them from here (``shopops.campaigns.services``).

plans: create and change plans (checked whole, audited); checklist: items mirrored into the to-do list;
snapshots: the simulation and review kept on a campaign; lottery: create and draw; assets: the asset plan (店铺视觉); calendar: a shop's dates.
"""

from shopops.campaigns.services.assets import (
    campaign_asset_add,
    campaign_asset_set_status,
    campaign_asset_update,
)
from shopops.campaigns.services.calendar import calendar_entry_save
from shopops.campaigns.services.checklist import (
    TODO_SOURCE,
    checklist_item_add,
    checklist_item_delete,
    checklist_item_set_done,
)
from shopops.campaigns.services.lottery import lottery_create, lottery_draw
from shopops.campaigns.services.plans import campaign_save
from shopops.campaigns.services.snapshots import SNAPSHOT_ROWS, campaign_review_save, campaign_simulate

__all__ = [
    "SNAPSHOT_ROWS",
    "TODO_SOURCE",
    "calendar_entry_save",
    "campaign_asset_add",
    "campaign_asset_set_status",
    "campaign_asset_update",
    "campaign_review_save",
    "campaign_save",
    "campaign_simulate",
    "checklist_item_add",
    "checklist_item_delete",
    "checklist_item_set_done",
    "lottery_create",
    "lottery_draw",
]
