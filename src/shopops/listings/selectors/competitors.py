"""Reads of competitor tracking (竞品跟踪): rivals, their items, ONE timeline per item from the imported
snapshots (lake ``competitor_snapshots``) and the hand-entered observations, our listing beside its rivals
(docs/rules/listings.md#competitors)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from shopops.analytics.selectors.timeline import TimelineEvent
from shopops.campaigns import selectors as campaign_selectors
from shopops.core.clock import today
from shopops.core.models import Shop
from shopops.core.money import format_fen, format_yuan_fen
from shopops.lake import selectors as lake_selectors
from shopops.listings.models import (
    Competitor,
    CompetitorEvent,
    CompetitorImage,
    CompetitorItem,
    CompetitorObservation,
    ShopWord,
)
from shopops.listings.rivalry import Observation, Ours, price_band
from shopops.listings.tokens import ShopTokenizer

SNAPSHOTS = "competitor_snapshots"
FLAG_DAYS = 30  # the change flags of the list: changes of the last 30 days
_COLUMNS = ["channel", "competitor_shop", "item_id", "title", "price_fen", "promo_price_fen", "sales_estimate",
            "reviews", "rank", "url", "date"]


@dataclass(frozen=True)
class SnapshotItem:
    """A rival item as the imports know it: its shop, id, channel, latest title and URL, and its observations."""

    competitor_shop: str
    item_id: str
    channel: str
    title: str
    url: str
    observations: list[Observation]


def competitor_list(*, shop: Shop) -> QuerySet[Competitor]:
    return Competitor.objects.filter(shop=shop).prefetch_related(
        Prefetch("items", queryset=CompetitorItem.objects.order_by("item_id")))


def competitor_detail(*, shop: Shop, pk: int) -> Competitor | None:
    return competitor_list(shop=shop).filter(pk=pk).first()


def competitor_by_name(*, shop: Shop, name: str) -> Competitor | None:
    return Competitor.objects.filter(shop=shop, name=name).first()


def competitor_item_by_platform_id(*, competitor: Competitor, item_id: str) -> CompetitorItem | None:
    """A rival's item by the platform's item id (as the snapshots name it)."""
    return CompetitorItem.objects.filter(competitor=competitor, item_id=item_id).first()


def competitor_item(*, shop: Shop, competitor_id: int, pk: int) -> CompetitorItem | None:
    return (CompetitorItem.objects.filter(shop=shop, competitor_id=competitor_id, pk=pk)
            .select_related("competitor").prefetch_related("rivals").first())


def items_rivalling(*, shop: Shop, listing_id: int) -> list[CompetitorItem]:
    """The rival items the operator linked to one of our listings."""
    return list(CompetitorItem.objects.filter(shop=shop, rivals__id=listing_id).select_related("competitor")
                .order_by("competitor__name", "item_id"))


def shop_tokenizer(*, shop: Shop) -> ShopTokenizer:
    """The shop's tokenizer: its protected words (brand, model numbers, terms) kept whole."""
    words = ShopWord.objects.filter(shop=shop, kind__in=ShopWord.PROTECTED).values_list("word", flat=True)
    return ShopTokenizer(words)


def snapshot_items(*, shop: Shop) -> dict[tuple[str, str], SnapshotItem]:
    """Every rival item of the shop's imported snapshots, keyed by (competitor shop, item id)."""
    rows = lake_selectors.shop_rows(SNAPSHOTS, shop_id=shop.pk, columns=_COLUMNS).sort_by(
        [("competitor_shop", "ascending"), ("item_id", "ascending"), ("date", "ascending")]).to_pylist()
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["competitor_shop"] or "", row["item_id"])].append(row)
    out = {}
    for key, group in grouped.items():
        last = group[-1]
        out[key] = SnapshotItem(
            competitor_shop=key[0], item_id=key[1], channel=last["channel"] or "",
            title=next((r["title"] for r in reversed(group) if r["title"]), ""),
            url=next((r["url"] for r in reversed(group) if r["url"]), ""),
            observations=[_imported(r) for r in group])
    return out


def _imported(row: dict) -> Observation:
    return Observation(date=row["date"], title=row["title"] or "", price_fen=row["price_fen"],
                       promo_price_fen=row["promo_price_fen"], sales_estimate=row["sales_estimate"],
                       reviews=row["reviews"], rank=row["rank"], source="import")


def _manual(row: CompetitorObservation) -> Observation:
    return Observation(date=row.date, title=row.title, price_fen=row.price_fen, promo_price_fen=row.promo_price_fen,
                       sales_estimate=row.sales_estimate, reviews=row.reviews, rank=row.rank, source="manual")


def merge(imported: list[Observation], manual: list[Observation]) -> list[Observation]:
    """One timeline: by date, a hand-entered observation replacing the imported one of its day."""
    by_day = {o.date: o for o in imported}
    by_day.update({o.date: o for o in manual})
    return [by_day[day] for day in sorted(by_day)]


def item_observations(item: CompetitorItem, snapshots: dict[tuple[str, str], SnapshotItem] | None = None
                      ) -> list[Observation]:
    """The item's timeline (imported and hand-entered). ``snapshots``: the shop's, when already read."""
    if snapshots is None:
        snapshots = snapshot_items(shop=item.shop)
    found = snapshots.get((item.competitor.name, item.item_id))
    manual = [_manual(o) for o in CompetitorObservation.objects.filter(item=item).order_by("date")]
    return merge(found.observations if found else [], manual)


def timelines(*, shop: Shop) -> dict[int, list[Observation]]:
    """Every item's timeline, the lake read once."""
    snapshots = snapshot_items(shop=shop)
    manual: dict[int, list[Observation]] = defaultdict(list)
    for row in CompetitorObservation.objects.filter(shop=shop).order_by("date"):
        manual[row.item_id].append(_manual(row))
    out = {}
    for item in CompetitorItem.objects.filter(shop=shop).select_related("competitor"):
        found = snapshots.get((item.competitor.name, item.item_id))
        out[item.pk] = merge(found.observations if found else [], manual[item.pk])
    return out


def listing_prices(listings: list) -> dict[str, int]:
    """SKU code → our price on the channel: the listing SKU's platform price, else the SKU's list price; a
    listing without listing SKUs (not imported from the platform) at its product's SKUs' list prices."""
    prices: dict[str, int] = {}

    def keep(code: str, price: int) -> None:
        prices[code] = min(price, prices.get(code, price))

    for listing in listings:
        rows = list(listing.skus.select_related("sku").all())
        for row in rows:
            keep(row.sku.sku_code, row.price_fen if row.price_fen is not None else row.sku.price_fen)
        if not rows:
            for sku in listing.product.skus.all():
                keep(sku.sku_code, sku.price_fen)
    return prices


def ours_for(*, shop: Shop, listings: list, day: dt.date | None = None) -> Ours:
    """Our lowest price among ``listings`` and our lowest price floor of their SKUs (campaign floors)."""
    prices = listing_prices(listings)
    if not prices:
        return Ours()
    floors = campaign_selectors.sku_floors(shop=shop, day=day or today(shop.timezone), prices=prices)
    wanted = [floors[code] for code in prices if code in floors]
    return Ours(price_fen=min(prices.values()), floor_fen=min(wanted) if wanted else None)


def latest(observations: list[Observation]) -> Observation | None:
    return observations[-1] if observations else None


def item_events(*, item: CompetitorItem) -> list[CompetitorEvent]:
    return list(CompetitorEvent.objects.filter(item=item).order_by("-date", "-id"))


def item_images(*, item: CompetitorItem) -> list[CompetitorImage]:
    return list(CompetitorImage.objects.filter(item=item).order_by("-date", "-id"))


def events_between(*, shop: Shop, date_from: dt.date, date_to: dt.date) -> list[CompetitorEvent]:
    return list(CompetitorEvent.objects.filter(shop=shop, date__gte=date_from, date__lte=date_to)
                .select_related("item__competitor").order_by("date", "id"))


def changed_kinds(*, shop: Shop, series: dict[int, list[Observation]], days: int = FLAG_DAYS) -> dict[int, set[str]]:
    """Per item, the kinds of change found in the ``days`` days up to its latest observation (the data's own
    "now": an export of last month still shows last month's changes) — the list's change flags."""
    fallback = today(shop.timezone)
    out: dict[int, set[str]] = defaultdict(set)
    for item_id, kind, day in CompetitorEvent.objects.filter(shop=shop).values_list("item_id", "kind", "date"):
        last = latest(series.get(item_id, []))
        end = last.date if last else fallback
        if day >= end - dt.timedelta(days=days):
            out[item_id].add(kind)
    return out


def rivals_of_listing(*, shop: Shop, listing: Any) -> dict:
    """Our listing beside its rivals: each rival's current price and 到手价 (promo price when known), the band of
    the rivals' current 到手价 (min/median/max) and our price and floor."""
    items = items_rivalling(shop=shop, listing_id=listing.pk)
    series = timelines(shop=shop) if items else {}
    rows: list[dict[str, Any]] = []
    paid: list[int] = []
    for item in items:
        now = latest(series.get(item.pk, []))
        current = now.effective_fen if now else None
        rows.append({"item": item, "latest": now, "paid": current})
        if current is not None:
            paid.append(current)
    ours = ours_for(shop=shop, listings=[listing])
    band = price_band(paid)
    return {"listing": listing, "rows": rows, "band": band, "ours": ours}


def _listing_model() -> Any:
    """catalog.Listing, reached through the rivals relation (catalog's models are private to catalog)."""
    return CompetitorItem._meta.get_field("rivals").related_model


def listings_by_id(*, shop: Shop, ids: set[int]) -> list:
    """The shop's listings among ``ids`` (another shop's id is absent)."""
    return list(_listing_model().objects.filter(shop=shop, pk__in=ids)) if ids else []


def listing_detail(*, shop: Shop, pk: int) -> Any:
    return _listing_model().objects.filter(shop=shop, pk=pk).select_related("channel_account").first()


def listing_choices(*, shop: Shop) -> list[tuple[int, str]]:
    """(id, "title · channel account") of the shop's listings, for the rivals field of the item form."""
    rows = _listing_model().objects.filter(shop=shop).select_related("channel_account").order_by("title")
    return [(row.pk, f"{row.title} · {row.channel_account.name}") for row in rows]


def event_text(event: CompetitorEvent) -> str:
    """What changed, in the user's language, naming the rival and its item (imported text as is: pages escape)."""
    return f"{event_subject(event)}: {event_what(event)}"


def event_subject(event: CompetitorEvent) -> str:
    """The rival and its item, as the timeline names them."""
    return f"{event.item.competitor.name} · {event.item.title or event.item.item_id}"


def event_what(event: CompetitorEvent) -> str:
    """What changed, in the user's language (prices in the one money format)."""
    d = event.detail
    if event.kind == CompetitorEvent.Kind.BELOW_PRICE:
        text = _("sells at %(theirs)s, below our price %(ours)s") % {
            "theirs": format_yuan_fen(d["theirs"]), "ours": format_yuan_fen(d["ours"])}
    elif event.kind == CompetitorEvent.Kind.BELOW_FLOOR:
        text = _("sells at %(theirs)s, below our price floor %(floor)s") % {
            "theirs": format_yuan_fen(d["theirs"]), "floor": format_yuan_fen(d["floor"])}
    elif event.kind == CompetitorEvent.Kind.PROMO:
        text = _("new promotion price %(after)s") % {"after": format_yuan_fen(d["after"])}
    elif event.kind == CompetitorEvent.Kind.TITLE:
        text = _("title changed: added %(added)s; removed %(removed)s") % {
            "added": " ".join(d.get("added", [])) or "—", "removed": " ".join(d.get("removed", [])) or "—"}
    else:
        text = _("main image changed")
    return text


def competitor_timeline(shop: Shop, date_from: dt.date, date_to: dt.date) -> list[TimelineEvent]:
    """The rivals' changes of a period for the GMV explanation's timeline (registered in ``apps.ready``)."""
    return [TimelineEvent(date=e.date, source="competitor", subject=event_subject(e),
                          text=event_what(e),
                          url=reverse("competitors:item", args=[e.item.competitor_id, e.item_id]))
            for e in events_between(shop=shop, date_from=date_from, date_to=date_to)]


# --- JSON (the contract of `shopops competitors --json` and /api/v1/competitors) -----------------------------

def _money(fen: int | None) -> str | None:
    return format_fen(fen) if fen is not None else None


def point_json(o: Observation) -> dict:
    """One observation: ``date``, ``price``/``promo_price`` (yuan strings or null), ``sales_estimate``,
    ``reviews``, ``rank``, ``title``, ``source`` ("import" | "manual")."""
    return {"date": o.date.isoformat(), "price": _money(o.price_fen), "promo_price": _money(o.promo_price_fen),
            "sales_estimate": o.sales_estimate, "reviews": o.reviews, "rank": o.rank, "title": o.title,
            "source": o.source}


def competitor_json(competitor: Competitor, series: dict[int, list[Observation]],
                    flags: dict[int, set[str]]) -> dict:
    """``{"id", "name", "channel", "note", "items": [{"id", "item_id", "title", "url", "rivals": [listing ids],
    "latest": point or null, "changes": [kinds found in the last 30 days]}]}``."""
    items = []
    for item in competitor.items.all():
        now = latest(series.get(item.pk, []))
        items.append({"id": item.pk, "item_id": item.item_id, "title": item.title, "url": item.url,
                      "rivals": sorted(r.pk for r in item.rivals.all()),
                      "latest": point_json(now) if now else None, "changes": sorted(flags.get(item.pk, set()))})
    return {"id": competitor.pk, "name": competitor.name, "channel": competitor.channel, "note": competitor.note,
            "items": items}


def competitors_json(*, shop: Shop, pk: int | None = None) -> list[dict]:
    """Every rival (or the one ``pk``) as JSON, the lake read once."""
    found = competitor_list(shop=shop).prefetch_related("items__rivals")
    if pk is not None:
        found = found.filter(pk=pk)
    series = timelines(shop=shop)
    flags = changed_kinds(shop=shop, series=series)
    return [competitor_json(c, series, flags) for c in found]


def timeline_json(item: CompetitorItem) -> dict:
    """``{"competitor", "item", "item_id", "title", "points": [point…], "events": [{"date", "kind", "text",
    "detail"}]}``: the item's timeline, oldest first, and its changes, newest first."""
    return {"competitor": item.competitor_id, "item": item.pk, "item_id": item.item_id, "title": item.title,
            "points": [point_json(o) for o in item_observations(item)],
            "events": [{"date": e.date.isoformat(), "kind": e.kind, "text": event_what(e), "detail": e.detail}
                       for e in item_events(item=item)]}
