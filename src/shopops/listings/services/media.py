"""Pictures added to a listing by hand (docs/rules/listings.md#media): the file is kept under the data directory
and recorded in the listing's media with its real size, so the image checks open it with Pillow; the listing is
audited again at once."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from shopops.catalog.selectors import listing_in_shop
from shopops.catalog.services import listing_media_update
from shopops.core.errors import FieldError, InvalidInput, NotFound
from shopops.core.models import Shop
from shopops.listings.media import IMAGE_KINDS
from shopops.listings.services.audits import audit_listings

MEDIA_DIR = "listing-media"  # under the data directory: uploads/<shop code>/<listing id>-<digest>.<ext>
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the platforms' own limits are 1–3 MB; a larger file is not a product image
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp"}


def _image_facts(content: bytes) -> tuple[str, int, int] | None:
    """``(extension, width, height)`` of an image file Pillow can read in a format the platforms take."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            fmt, width, height = image.format or "", image.width, image.height
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    return (EXTENSIONS[fmt], width, height) if fmt in EXTENSIONS else None


def listing_image_add(*, shop: Shop, listing_id: int, kind: str, file_name: str, content: bytes) -> dict[str, Any]:
    """Add a picture of ``kind`` (main / white / detail) to one listing of ``shop``; returns the media item.
    Bad input (no file, too large, not an image, unknown kind) raises ``InvalidInput`` naming the field and
    changes nothing."""
    listing = listing_in_shop(shop=shop, pk=listing_id)
    if listing is None:
        raise NotFound(_("No such listing."))
    errors: list[FieldError] = []
    if kind not in IMAGE_KINDS:
        errors.append(FieldError("kind", _("Choose what the picture is: main image, white-background image or "
                                           "detail-page image.")))
    facts = None
    if not content:
        errors.append(FieldError("file", _("Choose an image file.")))
    elif len(content) > MAX_UPLOAD_BYTES:
        errors.append(FieldError("file", _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES >> 20}))
    else:
        facts = _image_facts(content)
        if facts is None:
            errors.append(FieldError("file", _("This file is not a picture (JPEG, PNG, WebP, GIF or BMP).")))
    if errors or facts is None:
        raise InvalidInput(_("The picture was not added."), errors)
    extension, width, height = facts
    relative = Path(MEDIA_DIR) / shop.code / f"{listing.pk}-{hashlib.sha256(content).hexdigest()[:16]}.{extension}"
    target = Path(settings.DATA_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    item = {"kind": kind, "path": relative.as_posix(), "name": Path(file_name or "").name[:120],
            "width": width, "height": height, "bytes": len(content)}
    with transaction.atomic():
        listing_media_update(shop=shop, listing_id=listing.pk, media=[*media_as_list(listing.media), item])
        audit_listings(shop=shop, listing_ids=[listing.pk])
    return item


def listing_media_remove(*, shop: Shop, listing_id: int, index: int) -> dict[str, Any]:
    """Remove the ``index``-th media item of one listing (its file too when it was added here and no other item
    names it); the listing is audited again. Returns the removed item."""
    listing = listing_in_shop(shop=shop, pk=listing_id)
    if listing is None:
        raise NotFound(_("No such listing."))
    media = media_as_list(listing.media)
    if not 0 <= index < len(media):
        raise NotFound(_("No such picture."))
    removed = media.pop(index)
    with transaction.atomic():
        listing_media_update(shop=shop, listing_id=listing.pk, media=media)
        audit_listings(shop=shop, listing_ids=[listing.pk])
    path = str(removed.get("path") or "")
    if path.startswith(f"{MEDIA_DIR}/{shop.code}/") and not any(item.get("path") == path for item in media):
        (Path(settings.DATA_DIR) / path).unlink(missing_ok=True)
    return removed


def media_as_list(media: Any) -> list[dict[str, Any]]:
    """The stored media as a list of items (a legacy dict of kind → URLs becomes items; junk is dropped)."""
    if isinstance(media, list):
        return [item if isinstance(item, dict) else {"kind": "main", "url": str(item)} for item in media
                if isinstance(item, dict) or (isinstance(item, str) and item.strip())]
    if isinstance(media, dict):
        return [raw if isinstance(raw, dict) and raw.get("kind") else
                {**(raw if isinstance(raw, dict) else {"url": str(raw)}), "kind": kind}
                for kind, values in media.items() if isinstance(values, list) for raw in values]
    return []
