"""What the listings app does after an import that changed data (the imports app calls this: its worker task after
a web upload, its command inline): a catalog file re-audits the shop's listings so the health page, the scores and
the to-dos are current (docs/rules/listings.md#audit); a competitor-snapshot file runs the rivals' change
detection (docs/rules/listings.md#competitors)."""

from __future__ import annotations

from typing import Any

from shopops.core.models import Shop
from shopops.listings.services.audits import audit_listings
from shopops.listings.services.competitors import SNAPSHOT_FORMAT, competitors_after_import

CATALOG_TARGET = "catalog"


def listings_import_follows(*, format_name: str, target: str) -> bool:
    """Whether an import of this format has work here (so the imports app queues nothing for the others)."""
    return target == CATALOG_TARGET or format_name == SNAPSHOT_FORMAT


def listings_after_import(*, shop_id: int, format_name: str, target: str) -> dict[str, Any]:
    """``{"listings_audit": {…}}`` after a catalog file, ``{"competitors": {…}}`` after a snapshot file, else {}."""
    out: dict[str, Any] = {}
    if target == CATALOG_TARGET:
        out["listings_audit"] = audit_listings(shop=Shop.objects.get(pk=shop_id))
    found = competitors_after_import(shop_id=shop_id, format_name=format_name)
    if found is not None:
        out["competitors"] = found
    return out
