"""The listings app's records, one module per subject (dictionary, audits, …); Django finds them here."""

from shopops.listings.models.audits import ListingAudit
from shopops.listings.models.dictionary import ShopWord
from shopops.listings.models.revisions import ListingRevision

__all__ = ["ListingAudit", "ListingRevision", "ShopWord"]
