"""Outputs of the demo world. ``DatabaseSink`` writes it as records through each app's services.

``shopops demo`` uses ``demo.export_sink.ExportFileSink`` (each platform's export files, imported through the
real connectors), which reuses the catalog and customer steps here; the test world is loaded with this sink.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog import services as catalog_services
from shopops.catalog.domain import ProductInput, SkuInput
from shopops.channels import selectors as channel_selectors
from shopops.core.money import format_fen
from shopops.demo.spec import OrderSpec, RefundSpec, World
from shopops.members import services as member_services
from shopops.members.services import CustomerInput, CustomerStats
from shopops.orders import selectors as order_selectors
from shopops.orders import services as order_services
from shopops.orders.domain import LineInput, OrderInput, RefundInput

if TYPE_CHECKING:
    from shopops.core.models import Shop

Progress = Callable[[str], None]


def _noop(_message: str) -> None:
    return None


class DatabaseSink:
    """Write the world's catalog, customers, orders and refunds into the shop's records."""

    def __init__(self, shop: Shop, progress: Progress = _noop) -> None:
        self.shop = shop
        self.progress = progress

    def write(self, world: World) -> dict[str, int]:
        sku_ids = self.write_catalog(world)
        customer_ids = self.write_customers(world)
        self.progress("orders")
        accounts = self.accounts()
        order_services.orders_create_bulk(
            shop=self.shop, orders=[order_input(o, accounts[o.channel], sku_ids, customer_ids, refunds)
                                    for o, refunds in orders_with_refunds(world)])
        self.write_customer_stats()
        return world_counts(world)

    def accounts(self) -> dict[str, object]:
        return {a.channel: a for a in channel_selectors.channel_accounts(shop=self.shop)}

    def write_catalog(self, world: World) -> dict[str, int]:
        """Categories, products with SKUs, channel listings; returns SKU ids by code."""
        shop = self.shop
        self.write_categories(world)
        skus_by_spu: dict[str, list] = {}
        for sku in world.skus:
            skus_by_spu.setdefault(sku.spu_code, []).append(sku)
        for product in world.products:
            catalog_services.product_create(
                shop=shop,
                audit=False,
                data=ProductInput(
                    spu_code=product.spu_code, title=product.title, category=product.category_code,
                    brand=product.brand, description=product.description, launched_on=product.launched_on,
                    skus=tuple(
                        SkuInput(s.sku_code, format_fen(s.price_fen), format_fen(s.cost_fen), s.attributes, s.barcode)
                        for s in skus_by_spu.get(product.spu_code, [])
                    ),
                ),
            )
        return self.write_listings(world)

    def write_categories(self, world: World) -> None:
        """The world's categories with their codes (a catalog file then names them by code)."""
        self.progress("catalog")
        for category in world.categories:
            catalog_services.category_create(shop=self.shop, code=category.code, name=category.name, audit=False)

    def write_listings(self, world: World) -> dict[str, int]:
        """Each product's listings on its channels (per-channel titles, subtitles, keywords, media and platform
        item ids: what no catalog file carries); returns SKU ids by code."""
        accounts = self.accounts()
        skus = catalog_selectors.skus_by_code(shop=self.shop)
        products = {sku.product.spu_code: sku.product_id for sku in skus.values()}
        catalog_services.listings_create_bulk(shop=self.shop, listings=[
            {"product_id": products[product.spu_code], "channel_account_id": accounts[li.channel].pk,
             "title": li.title, "subtitle": li.subtitle, "keywords": list(li.keywords), "media": [dict(m) for m in li.media],
             "external_id": li.external_id}
            for product in world.products for li in product.listings if li.channel in accounts])
        return {code: sku.pk for code, sku in skus.items()}

    def write_customers(self, world: World) -> dict[str, int]:
        """Customers with their channel identities; returns customer ids by code."""
        self.progress("customers")
        return member_services.customers_create_bulk(
            shop=self.shop,
            customers=[
                CustomerInput(code=c.code, name=c.name, created_at=c.created_at, phone_masked=c.phone_masked,
                              province=c.province, city=c.city, identities=c.identities)
                for c in world.customers
            ],
        )

    def write_customer_stats(self) -> None:
        self.progress("customer stats")
        member_services.customer_stats_apply(
            shop=self.shop,
            stats=(
                CustomerStats(row["customer_id"], row["n"], row["total"], row["first"], row["last"])
                for row in order_selectors.customer_order_stats(shop=self.shop)
            ),
        )


def world_counts(world: World) -> dict[str, int]:
    return {
        "products": len(world.products), "skus": len(world.skus), "customers": len(world.customers),
        "orders": len(world.orders), "order_lines": sum(len(o.lines) for o in world.orders),
        "refunds": len(world.refunds),
    }


def orders_with_refunds(world: World) -> list[tuple[OrderSpec, list[RefundSpec]]]:
    """Each order of the world with its refunds (in the world's order)."""
    refunds_by_order: dict[tuple[str, str], list[RefundSpec]] = {}
    for refund in world.refunds:
        refunds_by_order.setdefault((refund.channel, refund.order_no), []).append(refund)
    return [(o, refunds_by_order.get((o.channel, o.order_no), [])) for o in world.orders]


def order_input(o: OrderSpec, account: object, sku_ids: dict[str, int], customer_ids: dict[str, int],
                refunds: list[RefundSpec]) -> OrderInput:
    return OrderInput(
        order_no=o.order_no, channel_account_id=account.pk, channel=o.channel,  # type: ignore[attr-defined]
        customer_id=customer_ids[o.customer_code], placed_at=o.placed_at, paid_at=o.paid_at,
        status=o.status, shipping_fen=o.shipping_fen, promotions=o.promotions, source=o.source,
        province=o.province, city=o.city,
        lines=tuple(LineInput(sku_ids[li.sku_code], li.title, li.unit_price_fen, li.qty, li.discount_fen)
                    for li in o.lines),
        refunds=tuple(RefundInput(r.refund_no, r.line_index, r.kind, r.amount_fen, r.reason, r.status,
                                  r.requested_at, r.completed_at) for r in refunds),
    )
