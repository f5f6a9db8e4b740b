"""Writes of competitor tracking (竞品跟踪): rivals and their items by hand, observations and main images by
hand, the rivals found in ``competitor-snapshot`` imports, and the change detection that turns each change
of a rival item into ONE to-do (source "competitor") and one timeline event (docs/rules/listings.md#competitors).

Each change fires once: the item keeps the last observation processed (``CompetitorItem.seen_*``), an event
is unique per (item, kind, date) and its to-do key names the same three, so running the detection again —
or importing the same snapshots again — finds nothing new."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Mapping
from typing import Any

import imagehash
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from shopops.channels.domain import CHANNEL_CODES
from shopops.core.clock import today
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop, User
from shopops.core.money import MoneyError, parse_fen
from shopops.listings import rivalry
from shopops.listings.models import (
    Competitor,
    CompetitorEvent,
    CompetitorImage,
    CompetitorItem,
    CompetitorObservation,
)
from shopops.listings.selectors import competitors as sel
from shopops.reports.services import todo_upsert

log = logging.getLogger(__name__)
TODO_SOURCE = "competitor"
SNAPSHOT_FORMAT = "competitor-snapshot"
MAX_IMAGE_BYTES = 10 * 1024 * 1024


# --- rivals and items by hand ----------------------------------------------------------------------------

def competitor_save(*, shop: Shop, data: Mapping[str, Any], competitor: Competitor | None = None) -> Competitor:
    """Create or edit a rival shop: ``name`` (required, unique in the shop), ``channel`` (a channel code or
    empty), ``note``. Bad input: InvalidInput naming the field, nothing written."""
    name = str(data.get("name") or "").strip()
    channel = str(data.get("channel") or "").strip()
    note = str(data.get("note") or "").strip()
    errors = []
    if not name:
        errors.append(FieldError("name", _("Enter the rival shop's name.")))
    elif len(name) > 120:
        errors.append(FieldError("name", _("At most 120 characters.")))
    elif Competitor.objects.filter(shop=shop, name=name).exclude(pk=competitor.pk if competitor else 0).exists():
        errors.append(FieldError("name", _("A competitor of that name exists already.")))
    if channel and channel not in CHANNEL_CODES:
        errors.append(FieldError("channel", _("Unknown channel %(value)s.") % {"value": channel}))
    if len(note) > 300:
        errors.append(FieldError("note", _("At most 300 characters.")))
    if errors:
        raise InvalidInput(_("The competitor was not saved."), errors)
    competitor = competitor or Competitor(shop=shop)
    competitor.name, competitor.channel, competitor.note = name, channel, note
    competitor.save()
    return competitor


def competitor_item_save(*, competitor: Competitor, data: Mapping[str, Any],
                         item: CompetitorItem | None = None) -> CompetitorItem:
    """Create or edit a rival item: ``item_id`` (the platform's id, required, unique per rival), ``title``,
    ``url``, ``rivals`` (ids of our listings it rivals; another shop's id is refused)."""
    shop = competitor.shop
    item_id = str(data.get("item_id") or "").strip()
    title = str(data.get("title") or "").strip()
    url = str(data.get("url") or "").strip()
    rival_ids = {int(v) for v in data.get("rivals") or []}
    errors = []
    if not item_id:
        errors.append(FieldError("item_id", _("Enter the platform item id.")))
    elif len(item_id) > 64:
        errors.append(FieldError("item_id", _("At most 64 characters.")))
    elif CompetitorItem.objects.filter(competitor=competitor, item_id=item_id).exclude(
            pk=item.pk if item else 0).exists():
        errors.append(FieldError("item_id", _("This rival already has an item with that id.")))
    if url and not url.startswith(("http://", "https://")):
        errors.append(FieldError("url", _("Enter a web address starting with http:// or https://.")))
    listings = sel.listings_by_id(shop=shop, ids=rival_ids)
    if len(listings) != len(rival_ids):
        errors.append(FieldError("rivals", _("Unknown listing.")))
    if errors:
        raise InvalidInput(_("The item was not saved."), errors)
    with transaction.atomic():
        item = item or CompetitorItem(shop=shop, competitor=competitor)
        item.item_id, item.title, item.url = item_id, title[:300], url[:500]
        item.save()
        item.rivals.set(listings)
    return item


def _count_of(text: str) -> int:
    number = int(text)
    if number < 0:
        raise ValueError(text)
    return number


def _optional(errors: list[FieldError], data: Mapping[str, Any], field: str, money: bool) -> int | None:
    """An optional number field: yuan → fen (``money``) or a whole count ≥ 0; empty is None; bad input is
    an error on ``field``."""
    value = str(data.get(field) or "").strip()
    if not value:
        return None
    try:
        return parse_fen(value.lstrip("¥")) if money else _count_of(value)
    except (MoneyError, ValueError):
        errors.append(FieldError(field, _("Enter an amount in yuan, e.g. 59.90.") if money
                                 else _("Enter a whole number, 0 or more.")))
        return None


def observation_add(*, item: CompetitorItem, data: Mapping[str, Any],
                    actor: User | AnonymousUser | None = None) -> CompetitorObservation:
    """What the operator saw of a rival item on a date (``date``, ``title``, ``price``/``promo_price`` in yuan,
    ``sales_estimate``, ``reviews``, ``rank``); the same date again replaces it. The change detection runs."""
    errors: list[FieldError] = []
    try:
        day = dt.date.fromisoformat(str(data.get("date") or "").strip())
    except ValueError:
        errors.append(FieldError("date", _("Enter a date as YYYY-MM-DD.")))
        day = None
    values = {"title": str(data.get("title") or "").strip()[:300],
              "price_fen": _optional(errors, data, "price", money=True),
              "promo_price_fen": _optional(errors, data, "promo_price", money=True),
              **{f: _optional(errors, data, f, money=False) for f in ("sales_estimate", "reviews", "rank")}}
    if not errors and values["price_fen"] is None and values["promo_price_fen"] is None and not values["title"]:
        errors.append(FieldError("price", _("Enter at least a price, a promotion price or a title.")))
    if errors or day is None:
        raise InvalidInput(_("The observation was not saved."), errors)
    with transaction.atomic():
        row, _created = CompetitorObservation.objects.update_or_create(
            shop=item.shop, item=item, date=day,
            defaults={**values, "created_by": actor if isinstance(actor, User) else None})
        competitor_changes_detect(shop=item.shop)
    return row


# --- images -------------------------------------------------------------------------------------------------

def image_hash(content: bytes) -> tuple[str, int, int]:
    """The perceptual hash (64-bit pHash, hex) of an image file and its size; InvalidInput if not an image."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            return str(imagehash.phash(image.convert("RGB"))), image.width, image.height
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InvalidInput(_("The image was not saved."),
                           [FieldError("image", _("Not an image file (JPEG, PNG, WebP…)."))]) from exc


def image_add(*, item: CompetitorItem, content: bytes, file_name: str, day: dt.date | None = None) -> CompetitorImage:
    """A main image of a rival item seen on ``day`` (default today): hashed (the file is not kept) and
    compared with the previous one; another picture is a change (an event and a to-do, once)."""
    if len(content) > MAX_IMAGE_BYTES:
        raise InvalidInput(_("The image was not saved."), [FieldError("image", _("The file is larger than 10 MB."))])
    phash, width, height = image_hash(content)
    shop = item.shop
    day = day or today(shop.timezone)
    with transaction.atomic():
        item = CompetitorItem.objects.select_for_update().get(pk=item.pk)
        changed, distance = rivalry.image_changed(item.seen_phash, phash)
        image = CompetitorImage.objects.create(shop=shop, item=item, date=day, file_name=file_name[:200], phash=phash,
                                               width=width, height=height, distance=distance, changed=changed)
        if changed:
            _record(item, rivalry.Change(day, "image", {"distance": distance, "before": item.seen_phash,
                                                        "after": phash}))
        item.seen_phash = phash
        item.save(update_fields=["seen_phash"])
    return image


# --- imports and detection ------------------------------------------------------------------------------

def competitors_sync(*, shop: Shop, snapshots: Mapping[tuple[str, str], sel.SnapshotItem] | None = None) -> int:
    """Create the rivals and items the imported snapshots name and the shop does not know yet (a title or URL
    the operator left empty is filled from the latest snapshot). Returns the number of items created."""
    snapshots = sel.snapshot_items(shop=shop) if snapshots is None else snapshots
    known = {(c.name, i.item_id): i for c in sel.competitor_list(shop=shop) for i in c.items.all()}
    by_name = {c.name: c for c in Competitor.objects.filter(shop=shop)}
    created = 0
    for (name, item_id), found in snapshots.items():
        if not name:
            continue
        item = known.get((name, item_id))
        if item is None:
            competitor = by_name.get(name)
            if competitor is None:
                competitor = by_name[name] = Competitor.objects.create(shop=shop, name=name[:120],
                                                                       channel=found.channel)
            CompetitorItem.objects.create(shop=shop, competitor=competitor, item_id=item_id[:64],
                                          title=found.title[:300], url=found.url[:500])
            created += 1
        elif (not item.title and found.title) or (not item.url and found.url):
            item.title, item.url = item.title or found.title[:300], item.url or found.url[:500]
            item.save(update_fields=["title", "url"])
    return created


# A change older than this many days before the newest observation is history (a year of snapshots imported
# at once): it goes on the timelines, not into the to-do list (docs/rules/listings.md#competitors).
ALERT_DAYS = 14


def competitor_changes_detect(*, shop: Shop) -> dict[str, int]:
    """Sync the rivals from the imports, then process every item's observations newer than the last one
    processed: each change becomes an event and a to-do, once. Returns counts by kind (and ``items_created``)."""
    snapshots = sel.snapshot_items(shop=shop)
    counts: dict[str, int] = {"items_created": competitors_sync(shop=shop, snapshots=snapshots)}
    tokenizer = sel.shop_tokenizer(shop=shop)
    series = sel.timelines(shop=shop)
    newest = max((o.date for observations in series.values() for o in observations), default=None)
    alert_from = newest - dt.timedelta(days=ALERT_DAYS) if newest else None
    items = CompetitorItem.objects.filter(shop=shop).select_related("competitor").prefetch_related("rivals")
    for item in items:
        seen = rivalry.Seen(date=item.seen_date, title=item.seen_title, price_fen=item.seen_price_fen,
                            promo_fen=item.seen_promo_fen, below_price=item.seen_below_price,
                            below_floor=item.seen_below_floor)
        ours = sel.ours_for(shop=shop, listings=list(item.rivals.all()))
        new_seen, found = rivalry.changes(seen, series.get(item.pk, []), ours, tokenizer)
        if new_seen == seen:
            continue
        with transaction.atomic():
            for change in found:
                if _record(item, change, alert=alert_from is not None and change.date > alert_from):
                    counts[change.kind] = counts.get(change.kind, 0) + 1
            item.seen_date, item.seen_title, item.seen_price_fen = new_seen.date, new_seen.title, new_seen.price_fen
            item.seen_promo_fen, item.seen_below_price = new_seen.promo_fen, new_seen.below_price
            item.seen_below_floor = new_seen.below_floor
            item.save(update_fields=["seen_date", "seen_title", "seen_price_fen", "seen_promo_fen",
                                     "seen_below_price", "seen_below_floor"])
    return counts


def competitors_detect_all() -> dict[str, dict[str, int]]:
    """The detection for every shop with rivals or snapshots (the CLI's ``--refresh`` without a shop)."""
    out = {}
    for shop in Shop.objects.all():
        out[shop.code] = competitor_changes_detect(shop=shop)
    return out


def _record(item: CompetitorItem, change: rivalry.Change, *, alert: bool = True) -> bool:
    """Store the change as an event and, when ``alert`` (a recent change), raise its to-do; False when that event
    was already stored."""
    event, created = CompetitorEvent.objects.get_or_create(
        shop=item.shop, item=item, kind=change.kind, date=change.date, defaults={"detail": change.detail})
    if not created:
        return False
    if not alert:
        return True
    todo_upsert(shop=item.shop, source=TODO_SOURCE, key=f"{item.pk}:{change.kind}:{change.date.isoformat()}",
                title=sel.event_text(event), severity="warning" if change.kind.startswith("below") else "info",
                role="operator", due_date=change.date, data={"item": item.pk, "kind": change.kind, **change.detail},
                url=reverse("competitors:item", args=[item.competitor_id, item.pk]))
    return True


def competitors_after_import(*, shop_id: int, format_name: str) -> dict[str, int] | None:
    """After an import that changed data: the change detection when it was a ``competitor-snapshot`` file
    (None for any other format). The imports app calls this (its task in the worker, its command inline)."""
    if format_name != SNAPSHOT_FORMAT:
        return None
    return competitor_changes_detect(shop=Shop.objects.get(pk=shop_id))


def parse_day(value: str) -> dt.date:
    """A date typed as YYYY-MM-DD, or InvalidInput naming the ``date`` field."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(_("The image was not saved."), [FieldError("date", _("Enter a date as YYYY-MM-DD."))]) from exc
