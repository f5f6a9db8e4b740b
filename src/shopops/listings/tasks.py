"""The bulk listing audit run as a task (`shopops worker`), so the page returns at once and polls its progress
(``selectors.audits.audit_progress``)."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from shopops.core.models import Shop
from shopops.listings.services.audits import audit_listings_tracked, audit_queued


@db_task()
def audit_listings_task(shop_id: int, channel: str | None = None) -> dict[str, Any]:
    """Audit every listing of the shop (or of one channel), progress in the shop's progress file."""
    shop = Shop.objects.get(pk=shop_id)
    return audit_listings_tracked(shop=shop, channel=channel)


def queue_audit(*, shop: Shop, channel: str | None = None) -> None:
    """Queue the shop's bulk audit (marked "queued" at once, so a page polling it shows it waiting)."""
    audit_queued(shop=shop)
    audit_listings_task(shop.pk, channel)
