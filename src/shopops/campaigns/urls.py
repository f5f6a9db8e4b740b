"""Pages of the campaigns app (put together with the other apps' pages by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.campaigns import views

urlpatterns: list = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/calendar/", views.campaign_calendar, name="campaign_calendar"),
    path("campaigns/calendar/save/", views.campaign_calendar_save, name="campaign_calendar_save"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/checklist/", views.campaign_checklist, name="campaign_checklist"),
    path("campaigns/<int:pk>/assets/", views.campaign_assets, name="campaign_assets"),
    path("campaigns/<int:pk>/simulate/", views.campaign_simulate, name="campaign_simulate"),
    path("campaigns/<int:pk>/review/", views.campaign_review, name="campaign_review"),
    path("campaigns/<int:pk>/lottery/", views.campaign_lottery, name="campaign_lottery"),
]
