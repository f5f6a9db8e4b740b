"""Pages of the service app (客服), all named ``service_…`` under /service/."""

from __future__ import annotations

from django.urls import path

from shopops.service.views import chats, dashboard, returns, reviews

urlpatterns: list = [
    path("service/", dashboard.service_dashboard, name="service_dashboard"),
    path("service/panel/", dashboard.service_dashboard_panel, name="service_dashboard_panel"),
    path("service/returns/", returns.service_returns, name="service_returns"),
    path("service/returns/<int:pk>/", returns.service_return, name="service_return"),
    path("service/returns/new/<int:order_id>/", returns.service_return_new, name="service_return_new"),
    path("service/returns/sku/<str:code>/", returns.service_sku_returns, name="service_sku_returns"),
    path("service/reviews/", reviews.service_reviews, name="service_reviews"),
    path("service/reviews/panel/", reviews.service_reviews_panel, name="service_reviews_panel"),
    path("service/chats/", chats.service_chats, name="service_chats"),
]
