"""Pages of the analytics app: the home dashboard, metrics, behaviour."""

from __future__ import annotations

from django.urls import path

from shopops.analytics.views import behaviour, dashboard, metrics, setup

urlpatterns: list = [
    path("", dashboard.dashboard, name="dashboard"),
    *metrics.urlpatterns,
    *behaviour.urlpatterns,
    *setup.urlpatterns,
]
