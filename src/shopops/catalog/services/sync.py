"""Bringing the catalog in line with a catalog file, in bulk (the catalog imports, the demo's catalog).

A file names categories by path, products with their SKUs and, per product, its listing on one channel account.
``catalog_sync`` checks everything first (the product rules of ``domain.validate_product``, a SKU code stored
under another product, a code or platform SKU id given twice), then writes with one query per kind for what is
stored and chunked ``bulk_create``/``bulk_update`` for what changes: a 100,000-SKU file takes seconds, not
minutes. What a file leaves empty (a cost, a barcode, a brand) keeps the stored value. Nothing here commits by
itself: the caller's transaction makes a file all or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from shopops.catalog.domain import (
    MAX_CATEGORY_DEPTH,
    MAX_PLATFORM_ID,
    ListingSkuInput,
    ProductInput,
    SkuInput,
    validate_listing_skus,
    validate_product,
)
from shopops.catalog.models import Category, Listing, ListingSku, Product, Sku
from shopops.catalog.services.categories import category_create
from shopops.catalog.services.listings import MAX_URL
from shopops.catalog.services.products import _messages as product_messages
from shopops.channels.selectors import channel_account_ids_in_shop
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.i18n import said_errors
from shopops.core.models import AuditEntry, Shop, User
from shopops.core.money import format_fen
from shopops.core.schemas import code_message

CHUNK = 500  # rows per bulk statement (SQLite's variable limit allows it for every model here)
MAX_BARCODE = 32  # catalog.Sku.barcode
KINDS = ("categories", "products", "skus", "listings", "listing_skus")


@dataclass(frozen=True, slots=True)
class SkuSync:
    """One SKU as the file gives it; None / "" means: the file does not say, keep what is stored."""

    sku_code: str
    price_fen: int
    cost_fen: int | None = None
    attributes: dict[str, str] | None = None
    barcode: str = ""
    active: bool = True
    platform_sku_id: str = ""


@dataclass(frozen=True, slots=True)
class ListingSync:
    """The product's listing on the sync's channel account (its platform item id, title, address)."""

    external_id: str
    title: str
    url: str = ""
    online: bool = True


@dataclass(frozen=True, slots=True)
class ProductSync:
    """One product. ``spu_code`` "" (a platform file without one): the stored product holding the SKUs — whose
    title, category and SKU prices are then another file's to keep: only the listing changes —, else a new
    product coded ``new_spu_code``."""

    spu_code: str
    title: str
    category: tuple[str, ...]  # names from the top; one name that is a stored category's code is that category
    skus: tuple[SkuSync, ...]
    brand: str = ""
    description: str = ""
    launched_on: dt.date | None = None
    listing: ListingSync | None = None
    new_spu_code: str = ""
    adopted: bool = False  # set by the sync: a stored product found by its SKUs (see above)


@dataclass
class SyncResult:
    """What the sync did: per kind created/updated/unchanged, the fields changed, each SKU's outcome
    (inserted, updated — it, its product or its listing changed — or unchanged)."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    fields: Counter[str] = field(default_factory=Counter)
    skus: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {**{kind: {name: self.counts[kind][name] for name in ("created", "updated", "unchanged")}
                   for kind in KINDS}, "fields": dict(sorted(self.fields.items()))}


def category_code_for(parts: Sequence[str]) -> str:
    """A stable code for a category a file creates (the same path → the same code, in every shop)."""
    return "c-" + hashlib.sha1("/".join(parts).encode()).hexdigest()[:12]


def _chunks(items: list, size: int = CHUNK) -> list[list]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def _resolve(products: Sequence[ProductSync], stored_skus: dict[str, tuple], spu_of: dict[int, str],
             errors: list[FieldError]) -> list[ProductSync]:
    """The products with their SPU codes: one without is the stored product holding its SKUs (adopted when
    that product is not the one the file would create), else a new one coded ``new_spu_code``."""
    resolved = []
    for index, product in enumerate(products):
        if product.spu_code:
            resolved.append(product)
            continue
        owners = {stored_skus[s.sku_code][1] for s in product.skus if s.sku_code in stored_skus}
        if len(owners) > 1:
            errors.append(FieldError(f"products[{index}].skus[0].sku_code", _(
                "The SKUs of this item belong to different products: %(spus)s.")
                % {"spus": ", ".join(sorted(spu_of[o] for o in owners))}))
        spu = spu_of[min(owners)] if owners else product.new_spu_code
        resolved.append(replace(product, spu_code=spu, adopted=spu != product.new_spu_code))
    return resolved


def _check(shop: Shop, products: Sequence[ProductSync], account_id: int | None,
           stored_skus: dict[str, tuple], spu_of: dict[int, str]) -> list[FieldError]:
    """Every problem of the request at once (field paths ``products[i]…``), before any write."""
    errors: list[FieldError] = []
    messages = product_messages()
    spus: dict[str, int] = {}
    codes: dict[str, int] = {}
    for index, product in enumerate(products):
        where = f"products[{index}]"
        if product.spu_code in spus:
            errors.append(FieldError(f"{where}.spu_code", _("The product %(spu)s is given twice.")
                                     % {"spu": product.spu_code}))
        spus.setdefault(product.spu_code, index)
        if len(product.category) > MAX_CATEGORY_DEPTH:
            errors.append(FieldError(f"{where}.category", _("A category path has at most %(n)s levels.")
                                     % {"n": MAX_CATEGORY_DEPTH}))
        data = ProductInput(spu_code=product.spu_code, title=product.title, category="/".join(product.category),
                            brand=product.brand, description=product.description, skus=tuple(
                                SkuInput(s.sku_code, format_fen(s.price_fen), format_fen(s.cost_fen or 0),
                                         s.attributes or {}, s.barcode) for s in product.skus))
        errors += [FieldError(f"{where}.{e.field}", e.message) for e in validate_product(
            data, messages, code_message)[1]]
        for number, sku in enumerate(product.skus):
            at = f"{where}.skus[{number}]"
            if sku.sku_code in codes and codes[sku.sku_code] != index:
                errors.append(FieldError(f"{at}.sku_code", messages["duplicate"]))
            codes.setdefault(sku.sku_code, index)
            stored = stored_skus.get(sku.sku_code)
            if stored is not None and spu_of.get(stored[1]) != product.spu_code:
                errors.append(FieldError(f"{at}.sku_code", _("The SKU code %(code)s belongs to the product "
                                                             "%(spu)s.") % {"code": sku.sku_code,
                                                                            "spu": spu_of.get(stored[1])}))
            if len(sku.barcode) > MAX_BARCODE:
                errors.append(FieldError(f"{at}.barcode", _("At most %(n)s characters.") % {"n": MAX_BARCODE}))
        if product.listing is not None and account_id is not None:
            errors += _listing_problems(product, where)
    if account_id is not None and account_id not in channel_account_ids_in_shop(shop=shop, ids={account_id}):
        errors.append(FieldError("channel_account", _("No such channel account.")))
    return errors


def _listing_problems(product: ProductSync, where: str) -> list[FieldError]:
    listing = product.listing
    assert listing is not None
    errors: list[FieldError] = []
    if not listing.title.strip() or len(listing.title.strip()) > 200:
        errors.append(FieldError(f"{where}.listing.title", _("Give a title of at most 200 characters.")))
    if len(listing.url) > MAX_URL or (listing.url and not listing.url.startswith(("https://", "http://"))):
        errors.append(FieldError(f"{where}.listing.url", _(
            "Give a web address starting with https:// (at most %(n)s characters).") % {"n": MAX_URL}))
    if len(listing.external_id) > MAX_PLATFORM_ID:
        errors.append(FieldError(f"{where}.listing.external_id", _("At most %(n)s characters.")
                                 % {"n": MAX_PLATFORM_ID}))
    rows = [ListingSkuInput(s.sku_code, s.platform_sku_id) for s in product.skus]
    errors += [FieldError(f"{where}.{e.field}", e.message) for e in said_errors(validate_listing_skus(rows)[1])]
    return errors


class _Categories:
    """The shop's tree by (parent id, name) and by code; missing levels are created through the tree's service
    (its rules, its audit) — a file brings tens of categories, not thousands."""

    def __init__(self, shop: Shop, result: SyncResult, actor: User | None, audit: bool) -> None:
        self.shop, self.result, self.actor, self.audit = shop, result, actor, audit
        stored = list(Category.objects.filter(shop=shop).values_list("pk", "code", "name", "parent_id"))
        self.by_name = {(parent, name): (pk, code) for pk, code, name, parent in stored}
        self.by_code = {code: pk for pk, code, _name, _parent in stored}
        self.seen: set[int] = set()

    def id_of(self, parts: tuple[str, ...]) -> int:
        if len(parts) == 1 and parts[0] in self.by_code:
            self._count(self.by_code[parts[0]], "unchanged")
            return self.by_code[parts[0]]
        parent: tuple[int, str] | None = None
        for depth, name in enumerate(parts):
            found = self.by_name.get((parent[0] if parent else None, name))
            if found is None:
                code = category_code_for(parts[:depth + 1])
                made = category_create(shop=self.shop, code=code, name=name, parent=parent[1] if parent else None,
                                       exists_ok=True, actor=self.actor, audit=self.audit)
                found = self.by_name[(parent[0] if parent else None, name)] = (made.pk, code)
                self.by_code[code] = made.pk
                self._count(made.pk, "created")
            else:
                self._count(found[0], "unchanged")
            parent = found
        assert parent is not None
        return parent[0]

    def _count(self, pk: int, outcome: str) -> None:
        if pk not in self.seen:
            self.seen.add(pk)
            self.result.counts["categories"][outcome] += 1


PRODUCT_FIELDS = ("title", "category_id", "brand", "description", "launched_on")
SKU_FIELDS = ("price_fen", "cost_fen", "attributes", "barcode", "active")
LISTING_FIELDS = ("title", "external_id", "url", "status")


def _changed(current: dict[str, object], wanted: dict[str, object]) -> list[str]:
    """The fields of ``wanted`` (None: keep) that differ from ``current``."""
    return [name for name, value in wanted.items() if value is not None and current[name] != value]


@transaction.atomic
def catalog_sync(*, shop: Shop, products: Sequence[ProductSync], channel_account_id: int | None = None,
                 actor: User | None = None, audit: bool = True) -> SyncResult:
    """Create or update the products, SKUs, categories and (with ``channel_account_id``) listings the request
    names; the same request again changes nothing. InvalidInput (fields ``products[i]…``) and nothing written
    when any part is refused. ``audit=False``: the demo's generated catalog stays out of the audit log."""
    stored_skus = {row[0]: row for row in Sku.objects.filter(shop=shop).values_list(
        "sku_code", "product_id", "pk", *SKU_FIELDS)}
    spu_of = dict(Product.objects.filter(shop=shop).values_list("pk", "spu_code"))
    errors: list[FieldError] = []
    products = _resolve(products, stored_skus, spu_of, errors)
    errors += _check(shop, products, channel_account_id, stored_skus, spu_of)
    if errors:
        raise InvalidInput(_("The catalog was not changed: please correct the fields below."), errors)
    result = SyncResult()
    tree = _Categories(shop, result, actor, audit)
    category_ids = [None if p.adopted else tree.id_of(p.category) for p in products]
    product_ids, created = _sync_products(shop, products, category_ids, result)
    entries = _sync_skus(shop, products, product_ids, stored_skus, result, actor)
    entries += [AuditEntry(shop=shop, actor=_who(actor), action="product.create", object_type="product",
                           object_id=str(product_ids[p.spu_code]), object_repr=p.spu_code, changes={
                               s.sku_code: {"price": [None, format_fen(s.price_fen)]} for s in p.skus})
                for p in products if p.spu_code in created]
    if channel_account_id is not None:
        _sync_listings(shop, products, product_ids, channel_account_id, result)
    if audit:
        AuditEntry.objects.bulk_create(entries, batch_size=CHUNK)
    return result


def _sync_products(shop: Shop, products: Sequence[ProductSync], category_ids: list[int | None],
                   result: SyncResult) -> tuple[dict[str, int], set[str]]:
    """Product ids by SPU code and the SPU codes created, creating the new ones and updating what the file says differently."""
    names = ("pk", "spu_code", *PRODUCT_FIELDS)
    stored = {row[1]: dict(zip(names, row, strict=True))
              for row in Product.objects.filter(shop=shop).values_list(*names)}
    new: list[Product] = []
    changed: list[Product] = []
    for product, category_id in zip(products, category_ids, strict=True):
        wanted = {"title": product.title.strip(), "category_id": category_id, "brand": product.brand or None,
                  "description": product.description or None, "launched_on": product.launched_on}
        current = stored.get(product.spu_code)
        if current is None:
            new.append(Product(shop=shop, spu_code=product.spu_code, title=wanted["title"], category_id=category_id,
                               brand=product.brand, description=product.description,
                               launched_on=product.launched_on))
            continue
        fields = [] if product.adopted else _changed(current, wanted)
        result.counts["products"]["updated" if fields else "unchanged"] += 1
        result.fields.update(f"product.{name.removesuffix('_id')}" for name in fields)
        if fields:
            changed.append(Product(pk=current["pk"], **{**{k: current[k] for k in PRODUCT_FIELDS},
                                                        **{k: wanted[k] for k in fields}}))
            for sku in product.skus:
                result.skus[sku.sku_code] = "updated"
    for chunk in _chunks(new):
        Product.objects.bulk_create(chunk)
    for chunk in _chunks(changed):
        Product.objects.bulk_update(chunk, PRODUCT_FIELDS)
    result.counts["products"]["created"] += len(new)
    ids = {spu: row["pk"] for spu, row in stored.items()}
    ids.update((p.spu_code, p.pk) for p in new)
    return ids, {p.spu_code for p in new}


def _sync_skus(shop: Shop, products: Sequence[ProductSync], product_ids: dict[str, int],
               stored_skus: dict[str, tuple], result: SyncResult, actor: User | None) -> list[AuditEntry]:
    """Create the new SKUs, update the changed ones; the audit entries of what changed (not yet written)."""
    new: list[Sku] = []
    changed: list[Sku] = []
    entries: list[AuditEntry] = []
    actor = _who(actor)
    for product in products:
        for sku in product.skus:
            row = stored_skus.get(sku.sku_code)
            if row is None:
                new.append(Sku(shop=shop, product_id=product_ids[product.spu_code], sku_code=sku.sku_code,
                               price_fen=sku.price_fen, cost_fen=sku.cost_fen or 0, attributes=sku.attributes or {},
                               barcode=sku.barcode, active=sku.active))
                result.skus[sku.sku_code] = "inserted"
                continue
            current = dict(zip(SKU_FIELDS, row[3:], strict=True))
            wanted = {"price_fen": sku.price_fen, "cost_fen": sku.cost_fen, "attributes": sku.attributes or None,
                      "barcode": sku.barcode or None, "active": sku.active}
            fields = [] if product.adopted else _changed(current, wanted)
            result.counts["skus"]["updated" if fields else "unchanged"] += 1
            result.fields.update(f"sku.{name.removesuffix('_fen')}" for name in fields)
            result.skus.setdefault(sku.sku_code, "updated" if fields else "unchanged")
            if fields:
                result.skus[sku.sku_code] = "updated"
                changed.append(Sku(pk=row[2], **{**current, **{k: wanted[k] for k in fields}}))
                entries.append(AuditEntry(shop=shop, actor=actor, action="sku.update", object_type="sku",
                                          object_id=str(row[2]), object_repr=sku.sku_code[:200], changes={
                                              name.removesuffix("_fen"): _audit_pair(name, current[name],
                                                                                     wanted[name])
                                              for name in fields}))
    for chunk in _chunks(new):
        Sku.objects.bulk_create(chunk)
    for chunk in _chunks(changed):
        Sku.objects.bulk_update(chunk, SKU_FIELDS)
    result.counts["skus"]["created"] += len(new)
    return entries


def _who(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _audit_pair(name: str, old: object, new: object) -> list[object]:
    """[old, new] as the audit log shows them: money as yuan text, the rest as is."""
    if name.endswith("_fen"):
        return [format_fen(int(old)), format_fen(int(new))]  # type: ignore[call-overload]
    return [old, new]


def _sync_listings(shop: Shop, products: Sequence[ProductSync], product_ids: dict[str, int], account_id: int,
                   result: SyncResult) -> None:
    """The listings on ``account_id`` of the products that name one, and their platform SKUs."""
    names = ("pk", "product_id", *LISTING_FIELDS)
    stored = {row[1]: dict(zip(names, row, strict=True)) for row in Listing.objects.filter(
        shop=shop, channel_account_id=account_id).values_list(*names)}
    stamp = now()
    new: list[Listing] = []
    changed: list[Listing] = []
    listed = [p for p in products if p.listing is not None]
    for product in listed:
        assert product.listing is not None
        wanted = {"title": product.listing.title.strip(), "external_id": product.listing.external_id,
                  "url": product.listing.url, "status": "online" if product.listing.online else "offline"}
        current = stored.get(product_ids[product.spu_code])
        if current is None:
            new.append(Listing(shop=shop, product_id=product_ids[product.spu_code], channel_account_id=account_id,
                               **wanted))
            continue
        fields = _changed(current, wanted)
        result.counts["listings"]["updated" if fields else "unchanged"] += 1
        result.fields.update(f"listing.{name}" for name in fields)
        if fields:
            changed.append(Listing(pk=current["pk"], updated_at=stamp, **wanted))
            for sku in product.skus:
                if result.skus.get(sku.sku_code) == "unchanged":
                    result.skus[sku.sku_code] = "updated"
    for chunk in _chunks(new):
        Listing.objects.bulk_create(chunk)
    for chunk in _chunks(changed):
        Listing.objects.bulk_update(chunk, [*LISTING_FIELDS, "updated_at"])
    result.counts["listings"]["created"] += len(new)
    listing_ids = {pid: row["pk"] for pid, row in stored.items()}
    listing_ids.update((item.product_id, item.pk) for item in new)
    _sync_listing_skus(shop, listed, product_ids, account_id, listing_ids, result, stamp)


def _sync_listing_skus(shop: Shop, products: Sequence[ProductSync], product_ids: dict[str, int], account_id: int,
                       listing_ids: dict[int, int], result: SyncResult, stamp: dt.datetime) -> None:
    """A listing SKU is known by its platform SKU id, or, when the platform gives none, by our SKU (as
    ``listing_skus_upsert`` knows it)."""
    stored: dict[tuple[int, str, int | None], tuple] = {}
    for pk, listing_id, sku_id, platform_id, price, status in ListingSku.objects.filter(
            shop=shop, listing__channel_account_id=account_id).values_list(
            "pk", "listing_id", "sku_id", "platform_sku_id", "price_fen", "status"):
        stored[(listing_id, platform_id, None if platform_id else sku_id)] = (pk, sku_id, price, status)
    sku_ids = dict(Sku.objects.filter(shop=shop).values_list("sku_code", "pk"))
    new: list[ListingSku] = []
    changed: list[ListingSku] = []
    for product in products:
        listing_id = listing_ids[product_ids[product.spu_code]]
        for sku in product.skus:
            sku_id = sku_ids[sku.sku_code]
            status = "online" if sku.active else "offline"
            key = (listing_id, sku.platform_sku_id, None if sku.platform_sku_id else sku_id)
            current = stored.get(key)
            if current is None:
                new.append(ListingSku(shop=shop, listing_id=listing_id, sku_id=sku_id,
                                      platform_sku_id=sku.platform_sku_id, price_fen=sku.price_fen, status=status))
                if result.skus.get(sku.sku_code) == "unchanged":
                    result.skus[sku.sku_code] = "updated"
                continue
            if current[1:] == (sku_id, sku.price_fen, status):
                result.counts["listing_skus"]["unchanged"] += 1
                continue
            result.counts["listing_skus"]["updated"] += 1
            changed.append(ListingSku(pk=current[0], sku_id=sku_id, price_fen=sku.price_fen, status=status,
                                      updated_at=stamp))
            if result.skus.get(sku.sku_code) == "unchanged":
                result.skus[sku.sku_code] = "updated"
    for chunk in _chunks(new):
        ListingSku.objects.bulk_create(chunk)
    for chunk in _chunks(changed):
        ListingSku.objects.bulk_update(chunk, ["sku_id", "price_fen", "status", "updated_at"])
    result.counts["listing_skus"]["created"] += len(new)
