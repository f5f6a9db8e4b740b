"""Role-walk table of SOPs and reply templates: the page /service/sop/ (every role that sees tickets), its
POST-only forms (405 to a GET for those who may edit: admin, operator, 客服), the insert-template fragment of a
ticket, its checklist's POST-only form, and /api/v1/service/templates (list: readers; render: those who serve customers, 422 without
``ticket``). samples(shop) makes a scenario with a template and a ticket (the two-shop walk then proves
another shop's are 404)."""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
READERS = ("admin", "operator", "service", "viewer")
EDITORS = ("admin", "operator", "service")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:service_sop": (_only(*READERS), 302),
    "web:service_sop_scenario_add": (_only(*EDITORS, ok=405), 302),  # POST only
    "web:service_sop_scenario_change": (_only(*EDITORS, ok=405), 302),
    "web:service_sop_scenario_delete": (_only(*EDITORS, ok=405), 302),
    "web:service_sop_template_add": (_only(*EDITORS, ok=405), 302),
    "web:service_sop_template_change": (_only(*EDITORS, ok=405), 302),
    "web:service_sop_template_delete": (_only(*EDITORS, ok=405), 302),
    "web:service_template_render": (_only(*EDITORS), 302),
    "web:service_ticket_checklist": (_only(*EDITORS, ok=405), 302),  # POST only
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/service/templates"): (_only(*READERS), 401),
    ("GET", "/api/v1/service/templates/{template_id}/render"): (_only(*EDITORS, ok=422), 401),  # no ticket
}


def samples(shop) -> dict[str, object]:
    from shopops.service.services.sop import scenario_save, template_save
    from shopops.service.services.tickets import ticket_open

    scenario = scenario_save(shop=shop, actor=None, name="角色巡检场景", checklist=["核对订单"])
    template = template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="巡检",
                             body="您好，订单 {{order.no}}")
    ticket, _created = ticket_open(shop=shop, subject="模板巡检")
    return {"service_sop_scenario_change": scenario.pk, "service_sop_scenario_delete": scenario.pk,
            "service_sop_template_change": template.pk, "service_sop_template_delete": template.pk,
            "service_template_render": [ticket.pk, template.pk], "template_id": template.pk,
            "service_ticket_checklist": ticket.pk}
