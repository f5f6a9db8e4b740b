"""Role-walk table of the returns endpoints (/api/v1/service/returns; merged by test_role_walk.py once the root
API mounts the router). Reading needs orders.view_refund (all but ads), every step orders.change_refund (admin
and 客服). The sample return is rejected (final), so each step an editor may take answers 409 and nothing moves;
steps with a required body answer 422 to the walk's empty body."""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
READERS = ("admin", "operator", "service", "viewer")
EDITORS = ("admin", "service")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("GET", "/api/v1/service/returns"): (_only(*READERS), 401),
    ("GET", "/api/v1/service/returns/reasons"): (_only(*READERS), 401),
    ("GET", "/api/v1/service/returns/{return_id}"): (_only(*READERS), 401),
    ("POST", "/api/v1/service/returns"): (_only(*EDITORS, ok=422), 401),
    ("POST", "/api/v1/service/returns/{return_id}/approve"): (_only(*EDITORS, ok=409), 401),
    ("POST", "/api/v1/service/returns/{return_id}/reject"): (_only(*EDITORS, ok=422), 401),
    ("POST", "/api/v1/service/returns/{return_id}/ship"): (_only(*EDITORS, ok=422), 401),
    ("POST", "/api/v1/service/returns/{return_id}/receive"): (_only(*EDITORS, ok=409), 401),
    ("POST", "/api/v1/service/returns/{return_id}/refund"): (_only(*EDITORS, ok=409), 401),
    ("POST", "/api/v1/service/returns/{return_id}/exchange"): (_only(*EDITORS, ok=409), 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.orders.selectors import order_list
    from shopops.service import services

    order = order_list(shop=shop, with_lines=True)[0][0]
    line = order.lines.all()[0]
    request, _created = services.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                                                lines=[services.ReturnLineInput(line.pk, 1)],
                                                external_no="walk-return")
    services.return_reject(shop=shop, return_id=request.pk, reason="walk")
    return {"return_id": request.pk}
