"""Pages of the analytics app: the home dashboard, metrics, behaviour."""

from __future__ import annotations

from shopops.analytics.views import behaviour, dashboard, metrics, setup

urlpatterns: list = [
    *dashboard.urlpatterns,
    *metrics.urlpatterns,
    *behaviour.urlpatterns,
    *setup.urlpatterns,
]
