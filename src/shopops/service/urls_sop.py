"""Pages of SOPs and reply templates (put together with the other apps' pages by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.service.views import sop

urlpatterns: list = [
    path("service/sop/", sop.sop_page, name="service_sop"),
    path("service/sop/scenarios/", sop.scenario_save_view, name="service_sop_scenario_add"),
    path("service/sop/scenarios/<int:pk>/", sop.scenario_save_view, name="service_sop_scenario_change"),
    path("service/sop/scenarios/<int:pk>/delete/", sop.scenario_delete_view, name="service_sop_scenario_delete"),
    path("service/sop/templates/", sop.template_save_view, name="service_sop_template_add"),
    path("service/sop/templates/<int:pk>/", sop.template_save_view, name="service_sop_template_change"),
    path("service/sop/templates/<int:pk>/delete/", sop.template_delete_view, name="service_sop_template_delete"),
    path("service/tickets/<int:ticket_id>/templates/<int:template_id>/render/", sop.template_render_view,
         name="service_template_render"),
    path("service/tickets/<int:pk>/checklist/", sop.ticket_checklist_view, name="service_ticket_checklist"),
]
