"""Reads for the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet

from shopops.catalog.domain import (
    LineIdentity,
    category_chain,
    category_children,
    category_path,
    category_tree_order,
    suggest,
)
from shopops.catalog.models import Category, Listing, ListingSku, Product, Sku, SkuMapping, category_nodes
from shopops.core.models import Shop
from shopops.core.querying import Sorts

PRODUCT_SORTS = Sorts(
    fields={
        "spu_code": ("spu_code",),
        "title": ("title",),
        "price": ("min_price_fen",),
        "skus": ("sku_count",),
        "launched": ("launched_on",),
        "category": ("category__name",),
    },
    default="spu_code",
)


def product_list(
    *, shop: Shop, q: str = "", category: str = "", status: str = "", sort: str = ""
) -> tuple[QuerySet[Product], str]:
    qs = (
        Product.objects.filter(shop=shop)
        .select_related("category")
        .annotate(sku_count=Count("skus"), min_price_fen=Min("skus__price_fen"), max_price_fen=Max("skus__price_fen"))
    )
    if q:
        q = q.strip()
        matching = Sku.objects.filter(shop=shop, sku_code__icontains=q).values("product_id")
        qs = qs.filter(Q(spu_code__icontains=q) | Q(title__icontains=q) | Q(pk__in=matching))
    if category:
        qs = qs.filter(category_id__in=category_ids_under(shop=shop, code=category))
    if status:
        qs = qs.filter(status=status)
    return PRODUCT_SORTS.apply(qs, sort)


SKU_SORTS = Sorts(
    fields={
        "sku_code": ("sku_code",),
        "product": ("product__title", "sku_code"),
        "price": ("price_fen", "sku_code"),
        "cost": ("cost_fen", "sku_code"),
        "active": ("active", "sku_code"),
    },
    default="sku_code",
)


def sku_list(
    *, shop: Shop, q: str = "", category: str = "", active: str = "", sort: str = ""
) -> tuple[QuerySet[Sku], str]:
    """SKUs with their product, for the SKU list and its bulk changes; ``active`` is "1", "0" or ""."""
    qs = Sku.objects.filter(shop=shop).select_related("product", "product__category")
    if q:
        q = q.strip()
        qs = qs.filter(Q(sku_code__icontains=q) | Q(product__title__icontains=q) | Q(product__spu_code__icontains=q)
                       | Q(barcode=q))
    if category:
        qs = qs.filter(product__category_id__in=category_ids_under(shop=shop, code=category))
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return SKU_SORTS.apply(qs, sort)


def product_detail(*, shop: Shop, pk: int) -> Product | None:
    return (
        Product.objects.filter(shop=shop, pk=pk)
        .select_related("category")
        .prefetch_related(
            "skus",
            Prefetch("listings", queryset=Listing.objects.select_related("channel_account").prefetch_related(
                Prefetch("skus", queryset=ListingSku.objects.select_related("sku")))),
        )
        .first()
    )


def categories(*, shop: Shop) -> QuerySet[Category]:
    return Category.objects.filter(shop=shop).order_by("code")


@dataclass(frozen=True, slots=True)
class CategoryRow:
    """A category as the tree shows it: where it sits and what uses it."""

    id: int
    code: str
    name: str
    parent: str | None  # the parent's code
    depth: int  # 1 for a top-level category
    path: str  # 服饰 › 女装 › 连衣裙
    products: int
    children: int

    def as_dict(self) -> dict[str, object]:
        """The API's and the command's JSON of a category."""
        return {"code": self.code, "name": self.name, "parent": self.parent, "path": self.path,
                "depth": self.depth, "products": self.products, "children": self.children}


def category_tree(*, shop: Shop) -> list[CategoryRow]:
    """Every category of the shop, parents before their children, siblings by name (two queries)."""
    nodes = category_nodes(shop)
    products = dict(Product.objects.filter(shop=shop).order_by().values("category_id").annotate(n=Count("pk"))
                    .values_list("category_id", "n"))
    children = category_children(nodes)
    codes = {pk: node.code for pk, node in nodes.items()}
    return [CategoryRow(node.id, node.code, node.name, None if node.parent_id is None else codes.get(node.parent_id),
                        depth, category_path(nodes, node.id), products.get(node.id, 0),
                        len(children.get(node.id, [])))
            for node, depth in category_tree_order(nodes)]


def category_by_id(*, shop: Shop, pk: int) -> Category | None:
    return Category.objects.filter(shop=shop, pk=pk).first()


def category_row(*, shop: Shop, code: str) -> CategoryRow | None:
    return next((row for row in category_tree(shop=shop) if row.code == code), None)


def category_ids_under(*, shop: Shop, code: str) -> set[int]:
    """The category with this code and every category below it (a filter by 服饰 shows 女装 too)."""
    nodes = category_nodes(shop)
    top = next((pk for pk, node in nodes.items() if node.code == code), None)
    if top is None:
        return set()
    return {pk for pk in nodes if top in {n.id for n in category_chain(nodes, pk)}}


def category_path_of(*, shop: Shop, code: str) -> str | None:
    """``服饰 › 女装 › 连衣裙`` for a category code (None when there is no such category)."""
    nodes = category_nodes(shop)
    found = next((pk for pk, node in nodes.items() if node.code == code), None)
    return None if found is None else category_path(nodes, found)


def category_options(*, shop: Shop) -> list[tuple[str, str]]:
    """(code, path) of every category in tree order: the choices of a category select (one query)."""
    nodes = category_nodes(shop)
    return [(node.code, category_path(nodes, node.id)) for node, _depth in category_tree_order(nodes)]


def skus_by_code(*, shop: Shop) -> dict[str, Sku]:
    return {s.sku_code: s for s in Sku.objects.filter(shop=shop).select_related("product")}


def sku_by_code(*, shop: Shop, sku_code: str) -> Sku | None:
    return Sku.objects.filter(shop=shop, sku_code=sku_code).select_related("product", "shop").first()


def sku_of_product(*, shop: Shop, product_id: int, sku_id: int) -> Sku | None:
    return Sku.objects.filter(shop=shop, product_id=product_id, pk=sku_id).select_related("shop").first()


def sku_ids_in_shop(*, shop: Shop, ids: set[int]) -> set[int]:
    return set(Sku.objects.filter(shop=shop, pk__in=ids).values_list("pk", flat=True))


def sku_ids_by_code(*, shop: Shop, codes: set[str]) -> dict[str, int]:
    """SKU ids for seller codes (商家编码), looked up in chunks (imports resolve thousands at once)."""
    wanted = sorted(codes)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        found.update(Sku.objects.filter(shop=shop, sku_code__in=wanted[start : start + 900])
                     .values_list("sku_code", "pk"))
    return found


def catalog_for_export(*, shop: Shop, channel_account_id: int | None = None, limit: int = 2000) -> list[dict]:
    """The first ``limit`` products (by SPU code) with their category path (names from the top), their SKUs
    and, on ``channel_account_id``, their listing and platform SKU ids: what a sample catalog file holds (four
    queries, whatever the size)."""
    nodes = category_nodes(shop)
    products = list(Product.objects.filter(shop=shop).order_by("spu_code")
                    .values("pk", "spu_code", "title", "brand", "description", "launched_on", "category_id")[:limit])
    wanted = {p["pk"] for p in products}
    skus: dict[int, list[dict[str, Any]]] = {}
    for sku in Sku.objects.filter(shop=shop).order_by("sku_code").values(
            "pk", "product_id", "sku_code", "attributes", "barcode", "price_fen", "cost_fen", "active"):
        if sku["product_id"] in wanted:
            skus.setdefault(sku["product_id"], []).append(dict(sku))
    listings: dict[int, dict[str, Any]] = {}
    platform_ids: dict[int, str] = {}
    if channel_account_id is not None:
        listed = Listing.objects.filter(shop=shop, channel_account_id=channel_account_id)
        listings = {row["product_id"]: dict(row) for row in listed.values("product_id", "external_id", "title", "url")}
        platform_ids = dict(ListingSku.objects.filter(shop=shop, listing__in=listed).exclude(platform_sku_id="")
                            .values_list("sku_id", "platform_sku_id"))
    return [{**product, "category": [node.name for node in category_chain(nodes, product["category_id"])],
             "listing": listings.get(product["pk"]),
             "skus": [{**sku, "platform_sku_id": platform_ids.get(sku["pk"], "")} for sku in skus.get(product["pk"], [])]}
            for product in products]


# ---------------------------------------------------------------- SKU matching (docs/rules/sku-matching.md)

def skus_for_lines(*, shop: Shop, channel_account_id: int, lines: Iterable[LineIdentity]) -> dict[LineIdentity, int]:
    """The SKU of each order line that can be matched, in the order of docs/rules/sku-matching.md#order: by
    the seller's code (商家编码 = SKU code), then by the mapping table (the shop's own mappings of this channel
    account, then the catalog's listings: platform item id × platform SKU id), then by barcode. Lines that
    match nothing are left out (unmatched)."""
    wanted = set(lines)
    if not wanted:
        return {}
    found = _by_code(shop, wanted)
    rest = wanted - set(found)
    if rest:
        found.update(_by_mapping(shop, channel_account_id, rest))
        rest -= set(found)
    if rest:
        found.update(_by_listing(shop, channel_account_id, rest))
        rest -= set(found)
    if rest:
        found.update(_by_barcode(shop, rest))
    return found


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), 900):
        yield ordered[start : start + 900]


def _by_code(shop: Shop, lines: set[LineIdentity]) -> dict[LineIdentity, int]:
    known = sku_ids_by_code(shop=shop, codes={line.seller_code for line in lines if line.seller_code})
    return {line: known[line.seller_code] for line in lines if line.seller_code in known}


def _by_mapping(shop: Shop, account_id: int, lines: set[LineIdentity]) -> dict[LineIdentity, int]:
    by_key: dict[str, int] = {}
    for chunk in _chunks(line.key for line in lines):
        by_key.update(SkuMapping.objects.filter(shop=shop, channel_account_id=account_id, match_key__in=chunk)
                      .values_list("match_key", "sku_id"))
    return {line: by_key[line.key] for line in lines if line.key in by_key}


def _by_listing(shop: Shop, account_id: int, lines: set[LineIdentity]) -> dict[LineIdentity, int]:
    """A line with platform ids is the listing SKU of this account with that SKU id (under that item when the
    line names one); a line with only an item id is the listing's SKU when the listing has exactly one."""
    with_ids = [line for line in lines if line.platform_item_id or line.platform_sku_id]
    if not with_ids:
        return {}
    rows: list[tuple[str, str, int]] = []
    for chunk in _chunks(line.platform_item_id for line in with_ids if line.platform_item_id):
        rows.extend(ListingSku.objects.filter(shop=shop, listing__channel_account_id=account_id,
                                              listing__external_id__in=chunk)
                    .values_list("listing__external_id", "platform_sku_id", "sku_id"))
    for chunk in _chunks(line.platform_sku_id for line in with_ids if line.platform_sku_id):
        rows.extend(ListingSku.objects.filter(shop=shop, listing__channel_account_id=account_id,
                                              platform_sku_id__in=chunk)
                    .values_list("listing__external_id", "platform_sku_id", "sku_id"))
    by_pair = {(item, sku_id): pk for item, sku_id, pk in rows if sku_id}
    by_sku_id: dict[str, set[int]] = {}
    by_item: dict[str, set[int]] = {}
    for item, sku_id, pk in rows:
        if sku_id:
            by_sku_id.setdefault(sku_id, set()).add(pk)
        by_item.setdefault(item, set()).add(pk)
    out: dict[LineIdentity, int] = {}
    for line in with_ids:
        item, sku_id = line.platform_item_id, line.platform_sku_id
        if sku_id and item and (item, sku_id) in by_pair:
            out[line] = by_pair[(item, sku_id)]
        elif sku_id and not item and len(by_sku_id.get(sku_id, ())) == 1:
            out[line] = next(iter(by_sku_id[sku_id]))
        elif item and not sku_id and len(by_item.get(item, ())) == 1:
            out[line] = next(iter(by_item[item]))
    return out


def _by_barcode(shop: Shop, lines: set[LineIdentity]) -> dict[LineIdentity, int]:
    """A seller code that is a SKU's barcode (条码) of exactly one SKU."""
    codes = {line.seller_code for line in lines if line.seller_code}
    found: dict[str, set[int]] = {}
    for chunk in _chunks(codes):
        for barcode, pk in Sku.objects.filter(shop=shop, barcode__in=chunk).values_list("barcode", "pk"):
            found.setdefault(barcode, set()).add(pk)
    return {line: next(iter(found[line.seller_code])) for line in lines
            if len(found.get(line.seller_code, ())) == 1}


def sku_mappings(*, shop: Shop, channel_account_id: int | None = None) -> QuerySet[SkuMapping]:
    qs = SkuMapping.objects.filter(shop=shop).select_related("sku", "sku__product", "channel_account", "created_by")
    if channel_account_id is not None:
        qs = qs.filter(channel_account_id=channel_account_id)
    return qs


def sku_mapping(*, shop: Shop, pk: int) -> SkuMapping | None:
    return sku_mappings(shop=shop).filter(pk=pk).first()


@dataclass(frozen=True)
class SkuChoice:
    """A SKU as the matching page offers it: id, code, its product's title and its attributes as text."""

    id: int
    sku_code: str
    title: str
    spec: str

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.sku_code, self.title, self.spec) if part)


def _choice(sku: Sku) -> SkuChoice:
    spec = " ".join(str(v) for v in (sku.attributes or {}).values()) if isinstance(sku.attributes, dict) else ""
    return SkuChoice(sku.pk, sku.sku_code, sku.product.title, spec)


def sku_choices(*, shop: Shop, q: str = "", limit: int = 20) -> list[SkuChoice]:
    """SKUs whose code, barcode or product title contains ``q`` (all active SKUs without it), for a picker."""
    qs = Sku.objects.filter(shop=shop).select_related("product").order_by("sku_code")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(sku_code__icontains=q) | Q(barcode=q) | Q(product__title__icontains=q))
    return [_choice(sku) for sku in qs[:limit]]


def sku_suggestions(*, shop: Shop, texts: dict[str, str], limit: int = 3) -> dict[str, list[tuple[SkuChoice, float]]]:
    """For each text (by its key) the SKUs whose product title and attributes are most like it (difflib)."""
    choices = [_choice(sku) for sku in Sku.objects.filter(shop=shop, active=True).select_related("product")[:5000]]
    by_id = {choice.id: choice for choice in choices}
    candidates = [(choice.id, f"{choice.title} {choice.spec}") for choice in choices]
    return {key: [(by_id[pk], score) for pk, score in found]
            for key, found in suggest(texts, candidates, limit).items()}


@dataclass(frozen=True)
class ListingBrief:
    """What the listing tools (keywords, title suggestions) read of one channel listing."""

    id: int
    title: str
    channel: str  # the channel account's channel code
    channel_account_id: int
    external_id: str  # the platform item id (宝贝ID, ASIN…); "" when not known
    brand: str  # the product's brand
    category: str  # the product's category name (the leaf)
    spu_code: str


def listing_brief(*, shop: Shop, pk: int) -> ListingBrief | None:
    """One listing of ``shop`` (another shop's is as absent as a missing one)."""
    listing = listing_in_shop(shop=shop, pk=pk)
    if listing is None:
        return None
    product = listing.product
    return ListingBrief(id=listing.pk, title=listing.title, channel=listing.channel_account.channel,
                        channel_account_id=listing.channel_account_id, external_id=listing.external_id,
                        brand=product.brand, category=product.category.name if product.category else "",
                        spu_code=product.spu_code)

def listing_count(*, shop: Shop) -> int:
    """How many channel listings the shop has (the listing health page: none yet means import them first)."""
    return Listing.objects.filter(shop=shop).count()


def listing_in_shop(*, shop: Shop, pk: int) -> Listing | None:
    """One channel listing of ``shop`` with its channel account and product (None: absent or another shop's)."""
    return (Listing.objects.select_related("channel_account", "product__category")
            .filter(shop=shop, pk=pk).first())

def listings_for_audit(*, shop: Shop, channel: str | None = None,
                       listing_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Each channel listing with what the listing audit reads (docs/rules/listings.md#engine): id, platform item
    id, title, keywords, media, channel code, category code, the product's brand and its SKUs' attributes merged
    (first value of each name wins). Two queries, however many listings."""
    listings = Listing.objects.filter(shop=shop)
    if channel:
        listings = listings.filter(channel_account__channel=channel)
    if listing_ids is not None:
        listings = listings.filter(pk__in=list(listing_ids))
    rows = list(listings.order_by("pk").values(
        "id", "external_id", "title", "keywords", "media", "product_id", "channel_account__channel",
        "product__brand", "product__category__code"))
    attributes: dict[int, dict[str, str]] = {}
    skus = Sku.objects.filter(shop=shop, product_id__in=listings.values("product_id")).order_by("pk")
    for product_id, values in skus.values_list("product_id", "attributes"):
        merged = attributes.setdefault(product_id, {})
        for name, value in (values or {}).items() if isinstance(values, dict) else ():
            merged.setdefault(str(name), str(value))
    return [{"id": row["id"], "external_id": row["external_id"], "title": row["title"],
             "keywords": row["keywords"] if isinstance(row["keywords"], list) else [], "media": row["media"],
             "channel": row["channel_account__channel"], "category": row["product__category__code"] or "",
             "attributes": {**attributes.get(row["product_id"], {}), "brand": row["product__brand"] or ""}}
            for row in rows]
