"""Pages of the service app (客服), all named ``service_…`` under /service/: the dashboard, tickets, SLA attainment,
returns, reviews and DSR, chats and the service settings (SOPs: ``urls_sop``)."""

from __future__ import annotations

from django.urls import path

from shopops.service.views import chats, dashboard, returns, reviews, tickets

urlpatterns: list = [
    path("service/", dashboard.service_dashboard, name="service_dashboard"),
    path("service/panel/", dashboard.service_dashboard_panel, name="service_dashboard_panel"),
    path("service/returns/", returns.service_returns, name="service_returns"),
    path("service/returns/<int:pk>/", returns.service_return, name="service_return"),
    path("service/returns/new/<int:order_id>/", returns.service_return_new, name="service_return_new"),
    path("service/returns/sku/<path:code>/", returns.service_sku_returns, name="service_sku_returns"),
    path("service/reviews/", reviews.service_reviews, name="service_reviews"),
    path("service/reviews/panel/", reviews.service_reviews_panel, name="service_reviews_panel"),
    path("service/chats/", chats.service_chats, name="service_chats"),
    path("service/tickets/", tickets.ticket_list, name="service_tickets"),
    path("service/tickets/new/", tickets.ticket_new, name="service_ticket_new"),
    path("service/tickets/<int:pk>/", tickets.ticket_detail, name="service_ticket"),
    path("service/tickets/<int:pk>/act/", tickets.ticket_act, name="service_ticket_act"),
    path("service/sla/", tickets.sla_page, name="service_sla"),
    path("service/settings/", tickets.settings_page, name="service_settings"),
    path("service/settings/save/", tickets.settings_save, name="service_settings_save"),
]
