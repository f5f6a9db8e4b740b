"""Per-channel listings and their SKUs as each platform knows them: what the catalog imports and SKU
matching (platform item id × platform SKU id → our SKU) write and read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.catalog.domain import LISTING_STATUSES, ListingSkuInput, validate_listing_skus
from shopops.catalog.models import Listing, ListingSku, Product, Sku
from shopops.channels.selectors import channel_account_ids_in_shop
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.i18n import said_errors
from shopops.core.models import Shop

MAX_URL = 500  # catalog.Listing.url


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def listings_create_bulk(*, shop: Shop, listings: list[dict]) -> int:
    """Create per-channel listings: dicts with product_id, channel_account_id, title, subtitle, keywords, media."""
    Listing.objects.bulk_create(Listing(shop=shop, **item) for item in listings)
    return len(listings)


@transaction.atomic
def listing_upsert(
    *, shop: Shop, product: Product, channel_account_id: int, title: str, external_id: str = "", url: str = "",
    status: str = Listing.Status.ONLINE, subtitle: str = "",
) -> tuple[Listing, bool]:
    """The listing of ``product`` on one channel account, created or brought up to date. Returns it and
    whether it was created."""
    errors: list[FieldError] = []
    if product.shop_id != shop.pk:
        errors.append(FieldError("product", _("No such product.")))
    if channel_account_id not in channel_account_ids_in_shop(shop=shop, ids={channel_account_id}):
        errors.append(FieldError("channel_account", _("No such channel account.")))
    if not (title or "").strip() or len(title.strip()) > 200:
        errors.append(FieldError("title", _("Give a title of at most 200 characters.")))
    if len(url or "") > MAX_URL or (url and not url.startswith(("https://", "http://"))):
        errors.append(FieldError("url", _("Give a web address starting with https:// (at most %(n)s characters).")
                                 % {"n": MAX_URL}))
    if len(external_id or "") > 64:
        errors.append(FieldError("external_id", _("At most %(n)s characters.") % {"n": 64}))
    if status not in LISTING_STATUSES:
        errors.append(FieldError("status", _("Unknown status: %(status)s.") % {"status": status}))
    if errors:
        raise InvalidInput(_("The listing was not saved."), errors)
    values = {"title": title.strip(), "external_id": external_id or "", "url": url or "", "status": status,
              "subtitle": subtitle or ""}
    listing, created = Listing.objects.select_for_update().get_or_create(
        shop=shop, product=product, channel_account_id=channel_account_id, defaults=values)
    if not created and any(getattr(listing, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(listing, key, value)
        listing.save()
    return listing, created


MAX_TITLE = 200  # catalog.Listing.title and .subtitle


@transaction.atomic
def listing_text_update(*, shop: Shop, listing_id: int, title: str | None = None,
                        subtitle: str | None = None) -> Listing:
    """Change the title and/or subtitle of one listing of ``shop`` (``None``: keep). Only the catalog writes its
    listings: the listings app's title editing calls this after its own checks; this one keeps the record's
    own limits (a non-empty title, at most ``MAX_TITLE`` characters)."""
    errors: list[FieldError] = []
    if title is not None and (not title.strip() or len(title.strip()) > MAX_TITLE):
        errors.append(FieldError("title", _("Give a title of at most 200 characters.")))
    if subtitle is not None and len(subtitle.strip()) > MAX_TITLE:
        errors.append(FieldError("subtitle", _("At most %(n)s characters.") % {"n": MAX_TITLE}))
    listing = Listing.objects.select_for_update().filter(shop=shop, pk=listing_id).first()
    if listing is None:
        errors.append(FieldError("listing", _("No such listing.")))
    if errors:
        raise InvalidInput(_("The listing was not saved."), errors)
    assert listing is not None
    changed = []
    if title is not None and listing.title != title.strip():
        listing.title = title.strip()
        changed.append("title")
    if subtitle is not None and listing.subtitle != subtitle.strip():
        listing.subtitle = subtitle.strip()
        changed.append("subtitle")
    if changed:
        listing.save(update_fields=[*changed, "updated_at"])
    return listing


@transaction.atomic
def listing_media_update(*, shop: Shop, listing_id: int, media: list[dict[str, Any]]) -> Listing:
    """Replace the media list of one listing of ``shop`` (docs/rules/listings.md#media: items with a ``kind``);
    the listings app adds and removes pictures through this, the catalog owns the record."""
    listing = Listing.objects.select_for_update().filter(shop=shop, pk=listing_id).first()
    errors: list[FieldError] = []
    if listing is None:
        errors.append(FieldError("listing", _("No such listing.")))
    if not all(isinstance(item, dict) and item.get("kind") for item in media):
        errors.append(FieldError("media", _("Each picture needs a kind.")))
    if errors:
        raise InvalidInput(_("The listing was not saved."), errors)
    assert listing is not None
    listing.media = media
    listing.save(update_fields=["media", "updated_at"])
    return listing


def _key(platform_sku_id: str, sku_id: int) -> tuple[str, int | None]:
    """A listing SKU is known by its platform SKU id, or, when the platform gives none, by our SKU."""
    return (platform_sku_id, None) if platform_sku_id else ("", sku_id)


@transaction.atomic
def listing_skus_upsert(*, listing: Listing, rows: Sequence[ListingSkuInput]) -> UpsertCounts:
    """Create or update the SKUs of a listing, all or nothing (idempotent: the same rows again change
    nothing). SKUs of the listing that ``rows`` does not name are kept."""
    clean, errors = validate_listing_skus(rows)
    errors = said_errors(errors)
    codes = [(row.sku_code or "").strip() for row in rows]
    skus = dict(Sku.objects.filter(shop_id=listing.shop_id, sku_code__in=set(codes)).values_list("sku_code", "pk"))
    errors += [FieldError(f"skus[{index}].sku_code", _("No SKU with the code %(code)s.") % {"code": code})
               for index, code in enumerate(codes) if code and code not in skus]
    if errors:
        raise InvalidInput(_("The listing's SKUs were not saved: please correct the fields below."), errors)
    stored = {_key(ls.platform_sku_id, ls.sku_id): ls for ls in ListingSku.objects.select_for_update()
              .filter(listing=listing)}
    inserted: list[ListingSku] = []
    updated: list[ListingSku] = []
    unchanged = 0
    for row in clean:
        sku_id = skus[row.sku_code]
        current = stored.get(_key(row.platform_sku_id, sku_id))
        if current is None:
            inserted.append(ListingSku(shop_id=listing.shop_id, listing=listing, sku_id=sku_id,
                                       platform_sku_id=row.platform_sku_id, price_fen=row.price_fen,
                                       status=row.status))
        elif (current.sku_id, current.price_fen, current.status) != (sku_id, row.price_fen, row.status):
            current.sku_id, current.price_fen, current.status = sku_id, row.price_fen, row.status
            updated.append(current)
        else:
            unchanged += 1
    ListingSku.objects.bulk_create(inserted)
    for item in updated:
        item.save(update_fields=["sku", "price_fen", "status", "updated_at"])
    return UpsertCounts(len(inserted), len(updated), unchanged)
