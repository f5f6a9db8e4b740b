"""Reads for the catalog."""

from __future__ import annotations

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet

from shopops.catalog.models import Category, Listing, Product, Sku
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
        qs = qs.filter(category__code=category)
    if status:
        qs = qs.filter(status=status)
    return PRODUCT_SORTS.apply(qs, sort)


def product_detail(*, shop: Shop, pk: int) -> Product | None:
    return (
        Product.objects.filter(shop=shop, pk=pk)
        .select_related("category")
        .prefetch_related(
            "skus", Prefetch("listings", queryset=Listing.objects.select_related("channel_account"))
        )
        .first()
    )


def categories(*, shop: Shop) -> QuerySet[Category]:
    return Category.objects.filter(shop=shop).order_by("code")


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
