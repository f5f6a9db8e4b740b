"""A plan's lists checked against the shop: SKUs in the catalog, promotions through the pricing contract,
checklist owners among the shop's users. The shapes were checked by ``campaigns.inputs``; each problem names
its field path (``skus[3].sku``, ``promotions[1].off``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from shopops.campaigns import analysis
from shopops.campaigns.inputs import CampaignSkuIn, ChecklistItemIn
from shopops.core import selectors as core_selectors
from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop

ORDER_LEVEL_TYPES = ("threshold_off", "every_off", "coupon", "gift")


def skus_read(errors: ErrorCollector, skus: Sequence[CampaignSkuIn], catalog: Mapping[str, Any]) -> list[dict]:
    """The SKUs in scope, each in the catalog and listed once: [{sku, floor, claimed}] (fen)."""
    out, seen = [], set()
    for index, entry in enumerate(skus):
        path, code = f"skus[{index}].sku", entry["sku"]
        if code not in catalog:
            errors.add(path, _("Unknown SKU %(sku)s.") % {"sku": code})
        elif code in seen:
            errors.add(path, _("SKU %(sku)s is listed twice.") % {"sku": code})
        else:
            seen.add(code)
            out.append({"sku": code, "floor": entry.get("floor"), "claimed": entry.get("claimed_original")})
    return out


def _shop_of_shop_level(errors: ErrorCollector, path: str, item: dict, shop: Shop) -> bool:
    """A campaign belongs to one shop: its shop-level offers are that shop's (filled in when absent)."""
    order_level = item.get("type") in ORDER_LEVEL_TYPES
    if item.get("level", "shop" if order_level else "item") != "shop":
        return True
    if item.get("shop") in (None, ""):
        item["shop"] = shop.code
    if item.get("shop") != shop.code:
        errors.add(f"{path}.shop", _("A shop-level offer of this campaign belongs to shop %(shop)s.")
                   % {"shop": shop.code})
        return False
    return True


def _skus_in_scope(errors: ErrorCollector, path: str, item: dict, scope: set[str], catalog: Mapping[str, Any]
                   ) -> bool:
    """The SKUs a promotion names are in the campaign's scope, the gifts it gives in the catalog."""
    ok = True
    skus = item.get("skus") or []
    for j, sku in enumerate(skus if isinstance(skus, list) else []):
        if not isinstance(sku, str) or sku.strip() not in scope:
            errors.add(f"{path}.skus[{j}]", _("SKU %(sku)s is not in the campaign's SKUs.") % {"sku": sku})
            ok = False
    for j, gift in enumerate(item.get("gifts") or [] if item.get("type") == "gift" else []):
        if isinstance(gift, Mapping) and (not isinstance(gift.get("sku"), str) or gift["sku"] not in catalog):
            errors.add(f"{path}.gifts[{j}].sku", _("Unknown SKU %(sku)s.") % {"sku": gift.get("sku")})
            ok = False
    return ok


def promotions_read(errors: ErrorCollector, promotions: Sequence[Mapping[str, Any]], shop: Shop, scope: set[str],
                    catalog: Mapping[str, Any]) -> list[dict]:
    """Promotions in the pricing contract's JSON, each validated by ``pricing.contract`` (errors keep the
    contract's field path under ``promotions[i]``); SKUs they name must be in the campaign's scope."""
    prices = {code: catalog[code].price_fen for code in scope}
    out, ids = [], set()
    for index, raw in enumerate(promotions):
        path = f"promotions[{index}]"
        item = dict(raw)
        pid = item.get("id")
        if isinstance(pid, str) and pid.strip() in ids:
            errors.add(f"{path}.id", _("Duplicate promotion id %(id)s.") % {"id": pid})
            continue
        if not _shop_of_shop_level(errors, path, item, shop):
            continue
        in_scope = _skus_in_scope(errors, path, item, scope, catalog)
        promotion, problems = analysis.promotion_parse(shop_code=shop.code, item=item, prices=prices)
        for field, message in problems:
            if not (field.startswith("skus") and not in_scope):
                errors.add(f"{path}.{field}" if field else path, message)
        if promotion is None or not in_scope:
            continue
        ids.add(promotion.id)
        out.append(item)
    return out


def checklist_read(errors: ErrorCollector, items: Sequence[ChecklistItemIn], shop: Shop) -> list[dict]:
    """The checklist with each owner a user of this shop: [{kind, title, owner (user), due_date, done}]."""
    users = {u.get_username(): u for u in core_selectors.users_of_shop(shop=shop)}
    for index, item in enumerate(items):
        if item.owner is not None and item.owner not in users:
            errors.add(f"checklist[{index}].owner", _("No user %(name)s works in this shop.") % {"name": item.owner})
    return [{"kind": item.kind, "title": item.title, "owner": users.get(item.owner or ""), "due_date": item.due_date,
             "done": item.done} for item in items]
