"""Pages of customer service (客服): tickets, SLA attainment, service settings."""

from __future__ import annotations

from django.urls import path

from shopops.service.views import tickets

urlpatterns: list = [
    path("service/tickets/", tickets.ticket_list, name="service_tickets"),
    path("service/tickets/new/", tickets.ticket_new, name="service_ticket_new"),
    path("service/tickets/<int:pk>/", tickets.ticket_detail, name="service_ticket"),
    path("service/tickets/<int:pk>/act/", tickets.ticket_act, name="service_ticket_act"),
    path("service/sla/", tickets.sla_page, name="service_sla"),
    path("service/settings/", tickets.settings_page, name="service_settings"),
    path("service/settings/save/", tickets.settings_save, name="service_settings_save"),
]
