"""Pages of the catalog: products and their SKUs."""

from __future__ import annotations

from django.urls import path

from shopops.catalog import views

urlpatterns: list = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/skus/<int:sku_pk>/", views.sku_edit, name="sku_edit"),
]
