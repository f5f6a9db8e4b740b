"""Snapshots kept on a campaign: the simulation before launch and the review after it (for the pages, the
exports and the demo, which show them without recomputing)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from shopops.campaigns import analysis
from shopops.campaigns.models import Campaign
from shopops.core.clock import now

SNAPSHOT_ROWS = 200


@transaction.atomic
def campaign_simulate(*, campaign: Campaign, as_of: dt.date | None = None) -> dict:
    """Run the simulation and keep its summary and riskiest rows on the campaign (for the pages and the demo)."""
    report = analysis.campaign_simulation(campaign=campaign, as_of=as_of)
    campaign.simulation = {**report, "rows": report["rows"][:SNAPSHOT_ROWS]}
    campaign.simulated_at = now()
    campaign.save(update_fields=["simulation", "simulated_at", "updated_at"])
    return report


@transaction.atomic
def campaign_review_save(*, campaign: Campaign) -> dict:
    """Run the post-mortem and keep it on the campaign."""
    report = analysis.campaign_review(campaign=campaign)
    campaign.review = report
    campaign.reviewed_at = now()
    campaign.save(update_fields=["review", "reviewed_at", "updated_at"])
    return report
