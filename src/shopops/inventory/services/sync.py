"""Channel stock sync: each channel's publishing rule, and pushing the quantities a channel should show.

What to publish is computed by selectors.sync_plan (ratio, cap, buffer, presale per channel); the push is a
compare-and-set against our last push (adapters.py), so a channel changed by someone else is reported stale,
not overwritten.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from shopops.channels.domain import CHANNEL_CODES
from shopops.core.clock import now as clock_now
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.inventory.adapters import PushItem, StockAdapter
from shopops.inventory.models import ChannelRule, ChannelSync
from shopops.inventory.selectors import sync_plan
from shopops.inventory.services.inputs import sku_find


def channel_rule_set(*, shop: Shop, channel: str, sku_code: str | None = None, ratio: object = 1,
                     cap: int | None = None, priority: int = 100, buffer: int = 0, presale: int = 0) -> ChannelRule:
    """Create or replace one channel's publishing rule (for all SKUs, or one)."""
    if channel not in CHANNEL_CODES:
        raise InvalidInput(_("Unknown channel %(c)s.") % {"c": channel}, [FieldError("channel", _("Unknown channel."))])
    try:
        value = Decimal(str(ratio))
        if not 0 <= value <= 1:
            raise InvalidOperation
    except InvalidOperation:
        raise InvalidInput(_("The ratio is a number from 0 to 1."), [FieldError("ratio", _("From 0 to 1."))]) from None
    sku = sku_find(shop, sku_code) if sku_code else None
    rule, _created = ChannelRule.objects.update_or_create(
        shop=shop, channel=channel, sku=sku,
        defaults={"ratio": value, "cap": cap, "priority": priority, "buffer": max(0, buffer),
                  "presale": max(0, presale)})
    return rule


def stock_sync(*, shop: Shop, adapter: StockAdapter, now: dt.datetime | None = None) -> dict:
    """Publish every channel's quantities through ``adapter`` (compare-and-set against our last push) and
    remember what each channel accepted. Returns the plan rows with each item's push status."""
    at = now or clock_now()
    plan = sync_plan(shop=shop)
    by_channel: dict[str, list[dict]] = {}
    for row in plan:
        by_channel.setdefault(row["channel"], []).append(row)
    accepted = []
    for channel, rows in sorted(by_channel.items()):
        results = adapter.push(channel=channel, items=[PushItem(r["sku"], r["previous"], r["qty"]) for r in rows],
                               at=at)
        for row, result in zip(rows, results, strict=True):
            row["status"] = result.status
            row["platform_qty"] = result.platform_qty
            if result.status == "ok":
                accepted.append(ChannelSync(shop=shop, channel=channel, sku_id=row["sku_id"], qty=row["qty"],
                                            synced_at=at))
    ChannelSync.objects.bulk_create(accepted, update_conflicts=True, unique_fields=["shop", "channel", "sku"],
                                    update_fields=["qty", "synced_at"])
    return {"at": at, "rows": plan,
            "files": [str(p) for p in getattr(adapter, "written", [])],
            "stale": sum(1 for r in plan if r.get("status") == "stale")}
