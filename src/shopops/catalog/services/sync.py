"""Bringing the catalog in line with a catalog file, in bulk (the catalog imports, the demo's catalog).

A file names categories by path, products with their SKUs and, per product, its listing on one channel account.
``catalog_sync`` checks everything first (the product rules of ``domain.validate_product``, a SKU code stored
under another product, a code or platform SKU id given twice), then writes with one query per kind for what is
stored, one staged insert per kind for what is new (``core.bulk``) and chunked ``bulk_update`` for what changed:
a 100,000-SKU file takes seconds, not minutes (benchmarks/import_catalog.py). What a file leaves empty (a cost, a barcode, a brand) keeps the stored value. Nothing here commits by
itself: the caller's transaction makes a file all or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils.timezone import now
from django.utils.translation import gettext as _

from shopops.catalog.domain import (
    MAX_CATEGORY_DEPTH,
    MAX_PLATFORM_ID,
    ListingSkuInput,
    ProductInput,
    SkuInput,
    category_name_problem,
    validate_listing_skus,
    validate_product,
)
from shopops.catalog.models import Category, Listing, ListingSku, Product, Sku
from shopops.catalog.services.categories import category_create
from shopops.catalog.services.listings import MAX_URL
from shopops.catalog.services.products import _messages as product_messages
from shopops.channels.selectors import channel_account_ids_in_shop
from shopops.core.bulk import db_datetime_adapter, insert_rows, reserve_ids
from shopops.core.errors import Conflict, FieldError, InvalidInput
from shopops.core.i18n import said_errors, say
from shopops.core.models import AuditEntry, Shop, User
from shopops.core.money import format_fen
from shopops.core.schemas import code_message

CHUNK = 500  # rows per bulk statement (SQLite's variable limit allows it for every model here)
MAX_BARCODE = 32  # catalog.Sku.barcode
T = TypeVar("T")
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


def _chunks(items: Sequence[T], size: int = CHUNK) -> list[Sequence[T]]:
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
    yuan: dict[int, str] = {}  # prices repeat: each written once
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
        problem = next(filter(None, map(category_name_problem, product.category)), None)
        if problem is not None:
            errors.append(FieldError(f"{where}.category", say(problem)))
        data = ProductInput(spu_code=product.spu_code, title=product.title, category="/".join(product.category),
                            brand=product.brand, description=product.description, skus=tuple(
                                SkuInput(s.sku_code, _yuan(yuan, s.price_fen), _yuan(yuan, s.cost_fen or 0),
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


def _yuan(memo: dict[int, str], fen: int) -> str:
    text = memo.get(fen)
    if text is None:
        text = memo[fen] = format_fen(fen)
    return text


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
        self.by_name: dict[tuple[int | None, str], tuple[int, str]] = {
            (parent, name): (pk, code) for pk, code, name, parent in stored}
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


def _changed(current: Mapping[str, object], wanted: Mapping[str, object]) -> list[str]:
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
    try:
        with transaction.atomic():
            tree = _Categories(shop, result, actor, audit)
            category_ids = [None if p.adopted else tree.id_of(p.category) for p in products]
            writer = _Writer(shop, result, _who(actor))
            product_ids = writer.products(products, category_ids)
            sku_ids = writer.skus(products, product_ids, stored_skus)
            if channel_account_id is not None:
                writer.listings(products, product_ids, sku_ids, channel_account_id)
            if audit:
                writer.audit()
    except IntegrityError as exc:  # a concurrent write took a code between our check and insert
        raise Conflict(_("SPU or SKU code is already used.")) from exc
    return result


def _who(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _insert(model: type[Model], columns: Sequence[str], rows: list[tuple]) -> list[int]:
    """Write new rows with ids handed out first (``core.bulk``: staged, then one INSERT … SELECT); their ids."""
    ids = reserve_ids(model._meta.db_table, len(rows))
    insert_rows(model._meta.db_table, ("id", *columns), [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
    return ids


def _update(model: type[Model], objects: Sequence[Model], fields: Sequence[str]) -> None:
    for chunk in _chunks(objects):
        model.objects.bulk_update(chunk, fields)  # type: ignore[attr-defined]


def _money(name: str, value: object) -> object:
    """A value as the audit log shows it: money as yuan text."""
    return format_fen(value) if name.endswith("_fen") and isinstance(value, int) else value


class _Writer:
    """The writes of one sync, kind by kind: a query for what is stored, the new rows in one staged insert,
    the changed ones in chunked updates; audit entries collected on the way."""

    def __init__(self, shop: Shop, result: SyncResult, actor: User | None) -> None:
        self.shop, self.result, self.actor = shop, result, actor
        self.stamp = db_datetime_adapter()(now())
        self.json = partial(connection.ops.adapt_json_value, encoder=None)
        self.entries: list[tuple] = []

    def _entry(self, action: str, object_type: str, object_id: int, name: str, changes: dict) -> None:
        self.entries.append((self.shop.pk, self.actor.pk if self.actor else None, action, object_type,
                             str(object_id), name[:200], self.json(changes), self.stamp))

    def audit(self) -> None:
        """One entry per product created and per SKU changed, as ``product_create``/``sku_update`` write them."""
        _insert(AuditEntry, ("shop_id", "actor_id", "action", "object_type", "object_id", "object_repr", "changes",
                             "at"), self.entries)

    def products(self, products: Sequence[ProductSync], category_ids: list[int | None]) -> dict[str, int]:
        """Product ids by SPU code: the new ones created, the stored ones updated where the file differs."""
        names = ("pk", "spu_code", *PRODUCT_FIELDS)
        stored = {row[1]: dict(zip(names, row, strict=True))
                  for row in Product.objects.filter(shop=self.shop).values_list(*names)}
        date = connection.ops.adapt_datefield_value
        new: list[ProductSync] = []
        rows: list[tuple] = []
        changed: list[Product] = []
        for product, category_id in zip(products, category_ids, strict=True):
            current = stored.get(product.spu_code)
            if current is None:
                new.append(product)
                rows.append((self.shop.pk, product.spu_code, product.title.strip(), category_id, product.brand,
                             product.description, Product.Status.ACTIVE, date(product.launched_on), self.stamp))
                continue
            wanted = {"title": product.title.strip(), "category_id": category_id, "brand": product.brand or None,
                      "description": product.description or None, "launched_on": product.launched_on}
            fields = [] if product.adopted else _changed(current, wanted)
            self.result.counts["products"]["updated" if fields else "unchanged"] += 1
            self.result.fields.update(f"product.{name.removesuffix('_id')}" for name in fields)
            if fields:
                changed.append(Product(pk=current["pk"], **{**{k: current[k] for k in PRODUCT_FIELDS},
                                                            **{k: wanted[k] for k in fields}}))
                self.result.skus.update((sku.sku_code, "updated") for sku in product.skus)
        ids = {spu: row["pk"] for spu, row in stored.items()}
        for product, pk in zip(new, _insert(Product, ("shop_id", "spu_code", "title", "category_id", "brand",
                                                      "description", "status", "launched_on", "created_at"), rows),
                               strict=True):
            ids[product.spu_code] = pk
            self._entry("product.create", "product", pk, product.spu_code, {
                s.sku_code: {"price": [None, format_fen(s.price_fen)]} for s in product.skus})
        _update(Product, changed, PRODUCT_FIELDS)
        self.result.counts["products"]["created"] += len(new)
        return ids

    def skus(self, products: Sequence[ProductSync], product_ids: dict[str, int],
             stored: dict[str, tuple]) -> dict[str, int]:
        """SKU ids by code: the new ones created, the stored ones updated where the file differs (audited)."""
        rows: list[tuple] = []
        codes: list[str] = []
        changed: list[Sku] = []
        ids = {code: row[2] for code, row in stored.items()}
        for product in products:
            for sku in product.skus:
                row = stored.get(sku.sku_code)
                if row is None:
                    codes.append(sku.sku_code)
                    rows.append((self.shop.pk, product_ids[product.spu_code], sku.sku_code,
                                 self.json(sku.attributes or {}), sku.price_fen, sku.cost_fen or 0, sku.barcode,
                                 sku.active))
                    self.result.skus[sku.sku_code] = "inserted"
                    continue
                current = dict(zip(SKU_FIELDS, row[3:], strict=True))
                wanted = {"price_fen": sku.price_fen, "cost_fen": sku.cost_fen, "attributes": sku.attributes or None,
                          "barcode": sku.barcode or None, "active": sku.active}
                fields = [] if product.adopted else _changed(current, wanted)
                self.result.counts["skus"]["updated" if fields else "unchanged"] += 1
                self.result.fields.update(f"sku.{name.removesuffix('_fen')}" for name in fields)
                self.result.skus.setdefault(sku.sku_code, "unchanged")
                if fields:
                    self.result.skus[sku.sku_code] = "updated"
                    changed.append(Sku(pk=row[2], **{**current, **{k: wanted[k] for k in fields}}))
                    self._entry("sku.update", "sku", row[2], sku.sku_code, {
                        name.removesuffix("_fen"): [_money(name, current[name]), _money(name, wanted[name])]
                        for name in fields})
        ids.update(zip(codes, _insert(Sku, ("shop_id", "product_id", "sku_code", "attributes", "price_fen",
                                            "cost_fen", "barcode", "active"), rows), strict=True))
        _update(Sku, changed, SKU_FIELDS)
        self.result.counts["skus"]["created"] += len(rows)
        return ids

    def _touch(self, codes: Sequence[str]) -> None:
        """A listing or listing SKU changed: its SKU rows count as updated (not the inserted ones)."""
        for code in codes:
            if self.result.skus.get(code) == "unchanged":
                self.result.skus[code] = "updated"

    def listings(self, products: Sequence[ProductSync], product_ids: dict[str, int], sku_ids: dict[str, int],
                 account_id: int) -> None:
        """The listings on ``account_id`` of the products that name one, then their platform SKUs."""
        names = ("pk", "product_id", *LISTING_FIELDS)
        stored = {row[1]: dict(zip(names, row, strict=True)) for row in Listing.objects.filter(
            shop=self.shop, channel_account_id=account_id).values_list(*names)}
        listed = [p for p in products if p.listing is not None]
        rows: list[tuple] = []
        changed: list[Listing] = []
        ids = {pid: row["pk"] for pid, row in stored.items()}
        for product in listed:
            assert product.listing is not None
            wanted = {"title": product.listing.title.strip(), "external_id": product.listing.external_id,
                      "url": product.listing.url, "status": "online" if product.listing.online else "offline"}
            current = stored.get(product_ids[product.spu_code])
            if current is None:
                rows.append((self.shop.pk, product_ids[product.spu_code], account_id, wanted["external_id"],
                             wanted["title"], "", self.json([]), self.json([]), wanted["status"], wanted["url"],
                             self.stamp))
                self._touch([s.sku_code for s in product.skus])
                continue
            fields = _changed(current, wanted)
            self.result.counts["listings"]["updated" if fields else "unchanged"] += 1
            self.result.fields.update(f"listing.{name}" for name in fields)
            if fields:
                changed.append(Listing(pk=current["pk"], updated_at=now(), **wanted))
                self._touch([s.sku_code for s in product.skus])
        ids.update(zip((row[1] for row in rows), _insert(Listing, (
            "shop_id", "product_id", "channel_account_id", "external_id", "title", "subtitle", "keywords", "media",
            "status", "url", "updated_at"), rows), strict=True))
        _update(Listing, changed, [*LISTING_FIELDS, "updated_at"])
        self.result.counts["listings"]["created"] += len(rows)
        self._listing_skus(listed, {p.spu_code: ids[product_ids[p.spu_code]] for p in listed}, sku_ids, account_id)

    def _listing_skus(self, products: Sequence[ProductSync], listing_ids: dict[str, int], sku_ids: dict[str, int],
                      account_id: int) -> None:
        """A listing SKU is known by its platform SKU id, or, when the platform gives none, by our SKU (as
        ``listing_skus_upsert`` knows it)."""
        stored: dict[tuple[int, str, int | None], tuple] = {}
        for pk, listing_id, sku_id, platform_id, price, status in ListingSku.objects.filter(
                shop=self.shop, listing__channel_account_id=account_id).values_list(
                "pk", "listing_id", "sku_id", "platform_sku_id", "price_fen", "status"):
            stored[(listing_id, platform_id, None if platform_id else sku_id)] = (pk, sku_id, price, status)
        rows: list[tuple] = []
        changed: list[ListingSku] = []
        for product in products:
            listing_id = listing_ids[product.spu_code]
            for sku in product.skus:
                sku_id = sku_ids[sku.sku_code]
                status = "online" if sku.active else "offline"
                current = stored.get((listing_id, sku.platform_sku_id, None if sku.platform_sku_id else sku_id))
                if current is None:
                    rows.append((self.shop.pk, listing_id, sku_id, sku.platform_sku_id, sku.price_fen, status,
                                 self.stamp))
                    self._touch([sku.sku_code])
                elif current[1:] == (sku_id, sku.price_fen, status):
                    self.result.counts["listing_skus"]["unchanged"] += 1
                else:
                    self.result.counts["listing_skus"]["updated"] += 1
                    changed.append(ListingSku(pk=current[0], sku_id=sku_id, price_fen=sku.price_fen, status=status,
                                              updated_at=now()))
                    self._touch([sku.sku_code])
        _insert(ListingSku, ("shop_id", "listing_id", "sku_id", "platform_sku_id", "price_fen", "status",
                             "updated_at"), rows)
        _update(ListingSku, changed, ["sku_id", "price_fen", "status", "updated_at"])
        self.result.counts["listing_skus"]["created"] += len(rows)
