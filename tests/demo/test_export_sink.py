"""The demo through the importers: the test world written as the channels' export files and
imported with the ImportJob pipeline gives the same records as ``DatabaseSink`` (as far as the formats carry
them, ``export_sink.FORMAT_LIMITS``)."""

from __future__ import annotations

import collections

import pytest

from shopops.catalog.models import Listing, Product, Sku
from shopops.channels.services import channel_account_ensure
from shopops.core.models import AuditEntry
from shopops.core.services import shop_create
from shopops.demo.export_sink import ORDER_FORMAT_OF, ExportFileSink, exported_order
from shopops.imports.models import ImportJob
from shopops.members.models import Customer
from shopops.orders.models import Order, OrderLine, Refund


@pytest.fixture
def exported(db, settings, tmp_path, test_world):
    settings.DATA_DIR = tmp_path
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    shop = shop_create(code="exports", name=test_world.shop_name + " exports")
    for channel in test_world.channels:
        channel_account_ensure(shop=shop, channel=channel.code, name=channel.account_name + " exports")
    world = test_world
    world_channels = [type(c)(c.code, c.account_name + " exports", c.share) for c in world.channels]
    sink = ExportFileSink(shop, tmp_path)
    counts = sink.write(_with_channels(world, world_channels))
    return shop, sink, counts


def _with_channels(world, channels):
    import dataclasses

    return dataclasses.replace(world, channels=channels)


def _orders(shop) -> dict[str, dict]:
    found = {}
    for o in Order.objects.filter(shop=shop).values("pk", "order_no", "channel", "customer__code", "status", "placed_at",
                                                     "paid_at", "goods_fen", "discount_fen", "shipping_fen",
                                                     "paid_fen", "refunded_fen", "source", "promotions", "province",
                                                     "city"):
        found[o.pop("order_no")] = o
    lines = collections.defaultdict(list)
    for line in OrderLine.objects.filter(shop=shop).order_by("pk").values(
            "order_id", "sku__sku_code", "title", "unit_price_fen", "qty", "discount_fen", "paid_fen"):
        lines[line.pop("order_id")].append(tuple(line.values()))
    refunds = collections.defaultdict(list)
    for refund in Refund.objects.filter(shop=shop).order_by("refund_no").values(
            "order_id", "refund_no", "kind", "amount_fen", "reason", "status", "requested_at", "completed_at"):
        refunds[refund.pop("order_id")].append(tuple(refund.values()))
    for o in found.values():
        pk = o.pop("pk")
        o["lines"], o["refunds"] = lines[pk], refunds[pk]
    return found


def test_every_channel_file_is_imported_whole_and_listed_in_the_import_history(exported, test_world):
    shop, sink, counts = exported
    formats = collections.Counter(s["format"] for s in sink.imports)
    channels_with_orders = {o.channel for o in test_world.orders}
    assert {f for f in formats if f.endswith("-orders")} == {ORDER_FORMAT_OF[c] for c in channels_with_orders
                                                             if c in ORDER_FORMAT_OF}
    assert formats["sycm-traffic"] == len({t.channel for t in test_world.traffic}) and formats["events"] == 1
    for summary in sink.imports:
        assert summary["status"] == "done" and summary["rejected"] == 0 and summary["errors"] == []
        assert summary["inserted"] == summary["rows"] > 0
    order_rows = sum(s["inserted"] for s in sink.imports if s["format"] != "taobao-orders"
                     and s["format"].endswith("-orders"))
    assert order_rows == sum(len(o.lines) for o in test_world.orders
                             if o.channel in ORDER_FORMAT_OF and o.channel != "tmall")
    jobs = ImportJob.objects.filter(shop=shop)
    assert jobs.count() == len(sink.imports) and set(jobs.values_list("status", flat=True)) == {"done"}
    assert counts["orders"] == len(test_world.orders) and counts["imports"] == len(sink.imports)


def test_imported_records_equal_the_database_sinks_as_far_as_the_formats_carry_them(exported, shop, test_world):
    exports_shop, _sink, _counts = exported
    direct, imported = _orders(shop), _orders(exports_shop)
    assert set(imported) == set(direct) == {o.order_no for o in test_world.orders}
    assert Customer.objects.filter(shop=exports_shop).count() == len(test_world.customers)  # no buyer created twice
    differences = 0
    for order in test_world.orders:
        want, got = dict(direct[order.order_no]), imported[order.order_no]
        shown = exported_order(order)
        want.update(source=shown.source, promotions=list(shown.promotions), status=shown.status)
        differences += want != got
        assert got == want, order.order_no
    assert differences == 0
    # what the formats cannot carry is all that differs, and only where the world has it
    assert any(direct[o.order_no]["promotions"] != imported[o.order_no]["promotions"] for o in test_world.orders)
    assert any(direct[o.order_no]["refunds"] for o in test_world.orders if o.channel in ORDER_FORMAT_OF)


def _catalog(shop) -> tuple:
    products = sorted(Product.objects.filter(shop=shop).values_list(
        "spu_code", "title", "category__code", "brand", "description", "launched_on", "status"))
    skus = sorted(Sku.objects.filter(shop=shop).values_list(
        "sku_code", "product__spu_code", "price_fen", "cost_fen", "barcode", "active"))
    attributes = dict(Sku.objects.filter(shop=shop).values_list("sku_code", "attributes"))
    listings = sorted(Listing.objects.filter(shop=shop).values_list(
        "product__spu_code", "channel_account__channel", "title", "subtitle", "keywords", "media"))
    return products, skus, attributes, listings


def test_the_catalog_goes_through_the_catalog_import_and_equals_the_database_sinks(exported, shop):
    """The demo's catalog is a catalog-xlsx file imported like an operator's: the same products, SKU codes,
    prices, costs, attributes, barcodes, categories and listings as the direct sink, none in the audit log."""
    exports_shop, sink, _counts = exported
    catalog = [s for s in sink.imports if s["format"] == "catalog-xlsx"]
    assert len(catalog) == 1 and catalog[0]["changes"]["skus"]["created"] == Sku.objects.filter(shop=shop).count()
    assert _catalog(exports_shop) == _catalog(shop)
    assert not AuditEntry.objects.filter(shop=exports_shop, object_type__in=("product", "sku", "category")).exists()


def test_an_exported_order_drops_only_what_its_format_cannot_carry(test_world):
    for order in test_world.orders:
        shown = exported_order(order)
        assert (shown.order_no, shown.lines, shown.paid_fen, shown.shipping_fen, shown.customer_code) == (
            order.order_no, order.lines, order.paid_fen, order.shipping_fen, order.customer_code)
        if order.channel in ("jd", "douyin", "own-site"):
            assert shown.source == order.source
        if order.channel not in ORDER_FORMAT_OF:
            assert shown == order


def test_pdd_orders_hold_one_sku(test_world):
    """The pdd-orders export has one row (one SKU) per order (docs/rules/platforms.md#pinduoduo-order-export),
    and so has the world."""
    pdd = [o for o in test_world.orders if o.channel == "pdd"]
    assert pdd and all(len(o.lines) == 1 for o in pdd)
    assert any(len(o.lines) > 1 for o in test_world.orders if o.channel == "tmall")


def test_traffic_reports_carry_cart_fav_and_bounce_where_the_platform_gives_them(exported, test_world):
    """生意参谋 / 京东商智 store traffic gives 加购人数, 收藏人数, 跳失率; the simpler exports do not (their rows
    stay null, so the shop's rates leave those visitors out: analytics.metrics)."""
    import pyarrow.compute as pc

    from shopops.demo.export_sink import BEHAVIOUR_SHARES
    from shopops.lake.storage import read_table

    shop, _sink, _counts = exported
    traffic = read_table("traffic_daily").filter(pc.equal(pc.field("shop_id"), shop.pk))
    assert {t.channel for t in test_world.traffic} & set(BEHAVIOUR_SHARES)  # both kinds are exercised
    for channel in {t.channel for t in test_world.traffic}:
        rows = traffic.filter(pc.equal(traffic["channel"], channel))
        assert rows.num_rows
        carts, favs, bounce = (rows[c] for c in ("cart_users", "fav_users", "bounce_rate"))
        if channel in BEHAVIOUR_SHARES:
            assert carts.null_count == favs.null_count == bounce.null_count == 0
            assert pc.all(pc.less_equal(carts, rows["visitors"])).as_py()
            assert pc.all(pc.greater_equal(carts, rows["buyers"])).as_py()
            assert pc.min(bounce).as_py() > 0 and pc.max(bounce).as_py() < 1
        else:
            assert carts.null_count == favs.null_count == bounce.null_count == rows.num_rows
