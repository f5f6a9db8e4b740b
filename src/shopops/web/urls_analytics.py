"""Pages of the analytics app (included into the web namespace by web/urls.py)."""

from __future__ import annotations

from shopops.analytics.views import behaviour, metrics

urlpatterns: list = [*metrics.urlpatterns, *behaviour.urlpatterns]
