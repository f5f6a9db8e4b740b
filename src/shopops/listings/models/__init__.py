"""The listings app's records, one module per subject (dictionary, audits, …); Django finds them here."""

from shopops.listings.models.audits import ListingAudit
from shopops.listings.models.competitors import (
    Competitor,
    CompetitorEvent,
    CompetitorImage,
    CompetitorItem,
    CompetitorObservation,
)
from shopops.listings.models.dictionary import ShopWord
from shopops.listings.models.revisions import ListingRevision

__all__ = ["Competitor", "CompetitorEvent", "CompetitorImage", "CompetitorItem", "CompetitorObservation",
           "ListingAudit", "ListingRevision", "ShopWord"]
