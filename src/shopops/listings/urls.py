"""Pages of the listings app under /listings/ (namespace ``listings``; mounted by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.listings import views_health, views_titles

app_name = "listings"

urlpatterns: list = [
    path("", views_health.health_page, name="health"),
    path("audit/", views_health.health_audit, name="health_audit"),
    path("audit/progress/", views_health.health_progress, name="health_progress"),
    path("<int:pk>/", views_health.listing_page, name="detail"),
    path("<int:pk>/media/", views_health.media_add, name="media_add"),
    path("<int:pk>/media/<int:index>/remove/", views_health.media_remove, name="media_remove"),
    path("<int:pk>/title/", views_titles.title_history_page, name="title_history"),
    path("<int:pk>/title/save/", views_titles.title_edit, name="title_edit"),
    path("dictionary/", views_titles.dictionary_page, name="dictionary"),
    path("dictionary/add/", views_titles.dictionary_add, name="dictionary_add"),
    path("dictionary/<int:pk>/delete/", views_titles.dictionary_delete, name="dictionary_delete"),
]
