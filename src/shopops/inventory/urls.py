"""Pages of the inventory app (put together with the other apps' pages by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.inventory import views
from shopops.ui import converters  # noqa: F401 (registers <code:…>)

urlpatterns: list = [
    path("stock/", views.stock_list, name="inventory_stock"),
    path("stock/sku/<code:code>/", views.sku_page, name="inventory_sku"),
    path("stock/replenishment/", views.replenishment, name="inventory_replenishment"),
    path("stock/replenishment/panel/", views.replenishment_panel, name="inventory_replenishment_panel"),
    path("stock/replenishment/approve/", views.replenishment_approve, name="inventory_replenishment_approve"),
    path("stock/purchase-orders/", views.po_list, name="inventory_po_list"),
    path("stock/purchase-orders/<int:pk>/", views.po_detail, name="inventory_po_detail"),
    path("stock/purchase-orders/<int:pk>/action/", views.po_action, name="inventory_po_action"),
    path("stock/sync/", views.sync_page, name="inventory_sync"),
    path("stock/count/", views.stock_count, name="inventory_stock_count"),
    path("stock/sync/run/", views.sync_run, name="inventory_sync_run"),
]
