"""Top-level URLs: the web pages, the API under /api/v1/ and the Django admin."""

from django.contrib import admin
from django.urls import include, path

from shopops.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("shopops.web.urls")),
]
