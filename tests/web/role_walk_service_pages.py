"""Role-walk table of the service pages (客服: dashboard, returns, reviews and DSR, chats; merged by
test_role_walk.py). The dashboard, reviews and chats need service.view_ticket (all but ads); the returns pages
orders.view_refund (all but ads); a new return orders.change_refund (admin and 客服)."""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
READERS = ("admin", "operator", "service", "viewer")
EDITORS = ("admin", "service")


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:service_dashboard": (_only(*READERS), 302),
    "web:service_dashboard_panel": (_only(*READERS), 302),
    "web:service_returns": (_only(*READERS), 302),
    "web:service_return": (_only(*READERS), 302),
    "web:service_return_new": (_only(*EDITORS), 302),
    "web:service_sku_returns": (_only(*READERS), 302),
    "web:service_reviews": (_only(*READERS), 302),
    "web:service_reviews_panel": (_only(*READERS), 302),
    "web:service_chats": (_only(*READERS), 302),
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {}


def samples(shop) -> dict[str, object]:
    """The return the returns table made (its samples run first), its order and its first line's SKU."""
    from shopops.service.selectors import return_list

    found = return_list(shop=shop).first()
    assert found is not None, "tests.web.role_walk_service_returns makes the sample return"
    line = found.lines.select_related("sku").first()
    return {"service_return": found.pk, "service_return_new": found.order_id,
            "service_sku_returns": line.sku.sku_code if line is not None and line.sku else "none"}
