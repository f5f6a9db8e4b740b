"""Pages of keyword mining and title suggestions (put together with the other apps' pages by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.listings.views import keywords

urlpatterns: list = [
    path("keywords/", keywords.keywords_page, name="keywords"),
    path("keywords/listings/<int:pk>/suggestion/", keywords.suggestion_fragment, name="keywords_suggestion"),
]
