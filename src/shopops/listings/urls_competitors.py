"""Competitor pages, mounted at /competitors/ by shopops/urls.py (namespace "competitors")."""

from __future__ import annotations

from django.urls import path

from shopops.listings import views_competitors as views

app_name = "competitors"

urlpatterns: list = [
    path("", views.competitor_list, name="list"),
    path("add/", views.competitor_edit, name="add"),
    path("<int:pk>/", views.competitor_page, name="detail"),
    path("<int:pk>/edit/", views.competitor_edit, name="edit"),
    path("<int:pk>/items/add/", views.item_edit, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/", views.item_page, name="item"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/observations/", views.observation_add, name="observation_add"),
    path("<int:pk>/items/<int:item_pk>/images/", views.image_upload, name="image_upload"),
    path("rivals/<int:listing_id>/", views.rivals_fragment, name="rivals"),
]
