"""Role-walk table of the customer-service tickets endpoints (merged by test_role_walk.py once the root API
mounts /service/tickets).

ENDPOINTS: (method, path template) → (status per role, status for anonymous). Reading needs
service.view_ticket (every role but ads), writing service.serve_customers (admin, operator, service).
PAGES: the ticket pages read with service.view_ticket, open and act with service.serve_customers, and the
service settings are changed with core.change_shop (administrators). samples(shop) opens a ticket in the shop (the two-shop walk then proves another shop's ticket is 404).
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
READERS = ("admin", "operator", "service", "viewer")
SERVERS = ("admin", "operator", "service")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:service_tickets": (_only(*READERS), 302),
    "web:service_ticket": (_only(*READERS), 302),
    "web:service_ticket_new": (_only(*SERVERS), 302),
    "web:service_ticket_act": ({r: 405 if r in SERVERS else 403 for r in ROLES}, 302),  # POST only
    "web:service_sla": (_only(*READERS), 302),
    "web:service_settings": (_only(*READERS), 302),
    "web:service_settings_save": ({r: 405 if r == "admin" else 403 for r in ROLES}, 302),  # POST only
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/service/tickets"): (_only(*READERS), 401),
    ("GET", "/api/v1/service/tickets/{ticket_id}"): (_only(*READERS), 401),
    ("POST", "/api/v1/service/tickets"): (_only(*SERVERS, ok=422), 401),  # an empty body: no subject
    # walked in this order on the sample ticket (open) with an empty body: what needs a field is 422, the
    # status moves go open → pending → open → resolved → closed
    ("POST", "/api/v1/service/tickets/{ticket_id}/assign"): (_only(*SERVERS, ok=422), 401),
    ("POST", "/api/v1/service/tickets/{ticket_id}/reply"): (_only(*SERVERS, ok=422), 401),
    ("POST", "/api/v1/service/tickets/{ticket_id}/note"): (_only(*SERVERS, ok=422), 401),
    ("POST", "/api/v1/service/tickets/{ticket_id}/pause"): (_only(*SERVERS), 401),
    ("POST", "/api/v1/service/tickets/{ticket_id}/resume"): (_only(*SERVERS), 401),
    ("POST", "/api/v1/service/tickets/{ticket_id}/resolve"): (_only(*SERVERS), 401),
    ("POST", "/api/v1/service/tickets/{ticket_id}/close"): (_only(*SERVERS), 401),
    ("POST", "/api/v1/service/tickets/{ticket_id}/merge"): (_only(*SERVERS, ok=422), 401),  # no "into"
}


def samples(shop) -> dict[str, object]:
    from shopops.service.services.tickets import ticket_open

    ticket, _created = ticket_open(shop=shop, subject="角色巡检")
    return {"ticket_id": ticket.pk, "service_ticket": ticket.pk, "service_ticket_act": ticket.pk}
