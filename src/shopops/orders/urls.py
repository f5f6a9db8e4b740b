"""Pages of orders, of the customers who placed them, and SKU matching of their lines (商品匹配)."""

from __future__ import annotations

from django.urls import path

from shopops.orders.views import customers, matching, orders

urlpatterns: list = [
    path("orders/", orders.order_list, name="order_list"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
    # SKU matching lives with the orders whose lines it links (catalog is below orders: docs/architecture.md)
    path("skus/matching/", matching.sku_matching, name="sku_matching"),
]
