"""Role-walk table of the customer-service tickets endpoints (merged by test_role_walk.py once the root API
mounts /service/tickets).

ENDPOINTS: (method, path template) → (status per role, status for anonymous). Reading needs
service.view_ticket (every role but ads), writing service.serve_customers (admin, operator, service). The
sample ticket id names no ticket, so a role that may act gets 404 after the permission check.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
READERS = ("admin", "operator", "service", "viewer")
SERVERS = ("admin", "operator", "service")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/service/tickets"): (_only(*READERS), 401),
    ("GET", "/api/v1/service/tickets/{ticket_id}"): (_only(*READERS, ok=404), 401),
    ("POST", "/api/v1/service/tickets"): (_only(*SERVERS, ok=422), 401),  # an empty body: no subject
    **{("POST", f"/api/v1/service/tickets/{{ticket_id}}/{action}"): (_only(*SERVERS, ok=404), 401)
       for action in ("assign", "reply", "note", "pause", "resume", "resolve", "close")},
    ("POST", "/api/v1/service/tickets/{ticket_id}/merge"): (_only(*SERVERS, ok=422), 401),  # no "into"
}


def samples(shop) -> dict[str, object]:
    return {"ticket_id": 2**40}
