"""The listing health page's figures (商品体检): the audits summed up over the same filters as the rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet

from shopops.catalog.selectors import listing_count
from shopops.channels.labels import channel_label
from shopops.core.models import Shop
from shopops.listings.models import ListingAudit


def health_summary(*, shop: Shop, found: QuerySet[ListingAudit]) -> dict[str, Any]:
    """``{"listings", "audited", "average", "with_errors", "stale", "channels": [{"channel", "name", "average",
    "audited"}]}`` over ``found`` (the filtered audits); ``listings`` counts every channel listing of the shop."""
    totals = found.aggregate(audited=Count("pk"), average=Avg("score"),
                             with_errors=Count("pk", filter=Q(worst_severity="error")),
                             stale=Count("pk", filter=~Q(title=F("listing__title"))))
    channels = [{"channel": row["channel"], "name": channel_label(row["channel"]), "audited": row["audited"],
                 "average": round(row["average"])}
                for row in found.order_by().values("channel").annotate(audited=Count("pk"), average=Avg("score"))
                .order_by("channel")]
    average = totals["average"]
    return {"listings": listing_count(shop=shop), "audited": totals["audited"],
            "average": None if average is None else round(average), "with_errors": totals["with_errors"],
            "stale": totals["stale"], "channels": channels}
