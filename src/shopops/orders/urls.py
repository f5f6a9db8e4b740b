"""Pages of orders and of the customers who placed them."""

from __future__ import annotations

from django.urls import path

from shopops.orders.views import customers, orders

urlpatterns: list = [
    path("orders/", orders.order_list, name="order_list"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
]
