"""Pages of the catalog: products, their SKUs, the category tree."""

from __future__ import annotations

from django.urls import path

from shopops.catalog import views

urlpatterns: list = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/skus/<int:sku_pk>/", views.sku_edit, name="sku_edit"),
    path("skus/", views.sku_list, name="sku_list"),
    path("skus/bulk/", views.sku_bulk, name="sku_bulk"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
]
