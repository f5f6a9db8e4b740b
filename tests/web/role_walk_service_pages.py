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
    from shopops.orders.selectors import order_list
    from shopops.service import services

    order = order_list(shop=shop, with_lines=True)[0][0]
    line = order.lines.all()[0]
    request, _created = services.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                                                lines=[services.ReturnLineInput(line.pk, 1)],
                                                external_no="walk-pages-return")
    return {"service_return": request.pk, "service_return_new": order.pk,
            "service_sku_returns": line.sku.sku_code if line.sku else "none"}
