"""Top-level URLs: the pages of every app (one namespace, ``web``), the API under /api/v1/, the Django admin.

Each app owns its pages' URL table (``<app>/urls.py``); this module only puts them together."""

from django.contrib import admin
from django.urls import include, path

from shopops.accounts import urls as accounts_urls
from shopops.analytics import urls as analytics_urls
from shopops.api import api
from shopops.briefing import urls as briefing_urls
from shopops.campaigns import urls as campaigns_urls
from shopops.catalog import urls as catalog_urls
from shopops.imports import urls as imports_urls
from shopops.inventory import urls as inventory_urls
from shopops.listings import urls as listings_urls
from shopops.listings import urls_competitors as competitors_urls
from shopops.listings import urls_keywords as keywords_urls
from shopops.orders import urls as orders_urls
from shopops.reports import urls as reports_urls
from shopops.service import urls as service_urls
from shopops.service import urls_sop as service_sop_urls

PAGES: list = [
    *analytics_urls.urlpatterns,
    *accounts_urls.urlpatterns,
    *orders_urls.urlpatterns,
    *catalog_urls.urlpatterns,
    *campaigns_urls.urlpatterns,
    *imports_urls.urlpatterns,
    *inventory_urls.urlpatterns,
    *reports_urls.urlpatterns,
    *briefing_urls.urlpatterns,
    *service_urls.urlpatterns,
    *service_sop_urls.urlpatterns,
    *keywords_urls.urlpatterns,
]

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("competitors/", include(competitors_urls)),
    path("", include((PAGES, "web"))),
    path("listings/", include(listings_urls)),  # namespace "listings"
]
