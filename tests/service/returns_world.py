"""A new shop with one order to return (the "new shop" world of the returns tests; also built by the race
test's child process): SKUs RT-A and RT-B, 10 units of each in stock, and order RT-1 of 3 × RT-A at 100.00
and 1 × RT-B at 50.00 with an order-level coupon of 35.00 allocated to the lines (到手价: 270.00 and 45.00),
plus 8.00 shipping."""

from __future__ import annotations

import datetime as dt

PAID_AT = dt.datetime(2026, 11, 11, 2, 0, tzinfo=dt.UTC)


def new_shop_with_order(code: str = "rt-new") -> dict:
    from shopops.catalog.domain import ProductInput, SkuInput
    from shopops.catalog.services import category_create, product_create
    from shopops.channels.services import channel_accounts_create_defaults
    from shopops.core.services import shop_create
    from shopops.inventory import services as inventory
    from shopops.members.services import CustomerInput, customers_create_bulk
    from shopops.orders.domain import LineAmounts, LineInput, OrderInput, allocate_order_discount
    from shopops.orders.services import orders_create_bulk

    shop = shop_create(code=code, name="退货测试店")
    account = next(a for a in channel_accounts_create_defaults(shop=shop) if a.channel == "tmall")
    category_create(shop=shop, code="rt", name="退货")
    product = product_create(shop=shop, data=ProductInput(
        spu_code="RT", title="退货测试商品", category="rt",
        skus=(SkuInput("RT-A", "100.00", "40.00"), SkuInput("RT-B", "50.00", "20.00"))), audit=False)
    skus = {s.sku_code: s.pk for s in product.skus.all()}
    for sku in skus:
        inventory.stock_move(shop=shop, sku_code=sku, qty=10, type="receipt", ref=f"initial-{sku}")
    customer = customers_create_bulk(shop=shop, customers=[CustomerInput("rt-buyer", "买家甲", PAID_AT)])["rt-buyer"]
    amounts = [LineAmounts(10000, 3), LineAmounts(5000, 1)]
    discounts = allocate_order_discount(3500, amounts)
    orders_create_bulk(shop=shop, orders=[OrderInput(
        order_no="RT-1", channel_account_id=account.pk, channel=account.channel, customer_id=customer,
        placed_at=PAID_AT, paid_at=PAID_AT, status="completed", shipping_fen=800,
        lines=(LineInput(skus["RT-A"], "退货测试商品 A", 10000, 3, discounts[0]),
               LineInput(skus["RT-B"], "退货测试商品 B", 5000, 1, discounts[1])))])
    return {"shop": code, "order_no": "RT-1", "skus": skus}
