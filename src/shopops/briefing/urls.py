"""Pages of the daily report (put together with the other apps' pages by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.briefing import views

urlpatterns: list = [
    path("briefing/", views.briefing_page, name="briefing"),
    path("briefing/xlsx/", views.briefing_xlsx, name="briefing_xlsx"),
    path("briefing/settings/", views.briefing_settings, name="briefing_settings"),
    path("briefing/robots/", views.robot_save, name="briefing_robot_add"),
    path("briefing/robots/<int:pk>/", views.robot_save, name="briefing_robot_change"),
    path("briefing/robots/<int:pk>/delete/", views.robot_delete, name="briefing_robot_delete"),
    path("briefing/robots/<int:pk>/test/", views.robot_test, name="briefing_robot_test"),
]
