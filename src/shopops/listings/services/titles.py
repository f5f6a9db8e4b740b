"""Editing a listing's title (and subtitle) with its history (docs/rules/listings.md#title-history): the change
is checked here (not empty, within the record's length, not unchanged), saved through the catalog (which owns
``catalog.Listing``) and recorded as a :class:`ListingRevision` with the words it added and removed. The
platform rules (length by the platform's counting basis, 广告法 words) are the rule engine's: it audits the
listing after the save, it does not block it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog.services import MAX_TITLE, listing_text_update
from shopops.core import clock
from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop
from shopops.listings.models import ListingRevision
from shopops.listings.selectors.dictionary import protected_words, shop_words
from shopops.listings.services.audits import audit_listings
from shopops.listings.title_diff import word_diff
from shopops.listings.tokens import ShopTokenizer

MAX_NOTE = 200  # ListingRevision.note


def _check(listing: Any, shop: Shop, title: str, subtitle: str | None, note: str, errors: ErrorCollector) -> None:
    if listing is None or listing.shop_id != shop.pk:
        errors.add("listing", _("No such listing."))
        return
    if not title:
        errors.add("title", _("Enter a title."))
    elif len(title) > MAX_TITLE:
        errors.add("title", _("The title is longer than %(n)s characters.") % {"n": MAX_TITLE})
    if subtitle is not None and len(subtitle) > MAX_TITLE:
        errors.add("subtitle", _("The subtitle is longer than %(n)s characters.") % {"n": MAX_TITLE})
    if len(note) > MAX_NOTE:
        errors.add("note", _("At most %(n)s characters.") % {"n": MAX_NOTE})
    if title and title == listing.title and (subtitle is None or subtitle == listing.subtitle):
        errors.add("title", _("The title is unchanged."))


@transaction.atomic
def listing_title_change(*, shop: Shop, listing: Any, title: str, subtitle: str | None = None, by: Any = None,
                         note: str = "") -> list[ListingRevision]:
    """Save a new title (and subtitle, ``None``: keep) of one ``catalog.Listing`` of ``shop``; returns one
    revision per field that changed. Bad input raises ``InvalidInput`` naming the field; nothing is saved."""
    title = (title or "").strip()
    subtitle = subtitle.strip() if subtitle is not None else None
    note = (note or "").strip()
    errors = ErrorCollector()
    _check(listing, shop, title, subtitle, note, errors)
    errors.raise_if_any(_("The title was not saved."))
    before = {"title": listing.title, "subtitle": listing.subtitle}
    saved = listing_text_update(shop=shop, listing_id=listing.pk, title=title, subtitle=subtitle)
    tokenizer = ShopTokenizer(protected_words(shop_words(shop)))
    at = clock.now()
    who = by if by is not None and getattr(by, "is_authenticated", False) else None
    revisions = []
    for field in ("title", "subtitle"):
        old, new = before[field], getattr(saved, field)
        if old == new:
            continue
        diff = word_diff(tokenizer.words(old), tokenizer.words(new))
        revisions.append(ListingRevision.objects.create(
            shop=shop, listing_id=saved.pk, field=field, before=old, after=new, added=list(diff.added),
            removed=list(diff.removed), changed_by=who, changed_at=at, note=note))
    listing.title, listing.subtitle = saved.title, saved.subtitle
    audit_listings(shop=shop, listing_ids=[saved.pk])  # the new title's score and problems (and its to-do) now
    return revisions
