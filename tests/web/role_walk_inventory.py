"""Role-walk table of the inventory pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
samples(shop) gives the arguments of pages (by url short name) and the path placeholders of endpoints.
POST endpoints are walked with an empty JSON body, so they should answer 422 after the permission check.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


STOCK_EDITORS = ("admin", "operator")  # inventory.change_stock / inventory.manage_purchasing

PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:inventory_stock": (ALL_OK, 302),
    "web:inventory_sku": (ALL_OK, 302),
    "web:inventory_replenishment": (ALL_OK, 302),
    "web:inventory_replenishment_panel": (ALL_OK, 302),  # the page's table, loaded after it
    "web:inventory_replenishment_approve": (_only(*STOCK_EDITORS, ok=405), 302),  # POST only
    "web:inventory_po_list": (ALL_OK, 302),
    "web:inventory_po_detail": (ALL_OK, 302),
    "web:inventory_po_action": (_only(*STOCK_EDITORS, ok=405), 302),  # POST only
    "web:inventory_sync": (ALL_OK, 302),
    "web:inventory_sync_run": (_only(*STOCK_EDITORS, ok=405), 302),  # POST only
    "web:inventory_stock_count": (_only(*STOCK_EDITORS), 302),  # 盘点: changes stock
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("POST", "/api/v1/inventory/reservations"): (_only(*STOCK_EDITORS, ok=422), 401),
    ("GET", "/api/v1/inventory/reservations/{reservation_id}"): (ALL_OK, 401),
    # the sample reservation is released first, so committing it afterwards is a 409 (released ≠ sellable)
    ("POST", "/api/v1/inventory/reservations/{reservation_id}/release"): (_only(*STOCK_EDITORS), 401),
    ("POST", "/api/v1/inventory/reservations/{reservation_id}/commit"): (_only(*STOCK_EDITORS, ok=409), 401),
    ("GET", "/api/v1/inventory/balances"): (ALL_OK, 401),  # without ?sku=: every balance, paged
    ("POST", "/api/v1/inventory/movements"): (_only(*STOCK_EDITORS, ok=422), 401),
    ("POST", "/api/v1/inventory/pools"): (_only(*STOCK_EDITORS, ok=422), 401),
    ("POST", "/api/v1/inventory/pools/{pool_code}/close"): (_only(*STOCK_EDITORS), 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.catalog.selectors import skus_by_code
    from shopops.inventory import services

    code = sorted(skus_by_code(shop=shop))[0]
    services.stock_move(shop=shop, sku_code=code, qty=20, type="receipt", ref="walk-receipt")
    reservation, _created = services.reservation_create(shop=shop, sku_code=code, qty=1, ref="walk-order")
    pool = services.pool_create(shop=shop, code="walk-pool", sku_code=code, qty=5, per_customer_limit=1)
    services.supplier_upsert(shop=shop, code="walk-supplier", name="Walk")
    order = services.po_create(shop=shop, supplier_code="walk-supplier", lines=[(code, 10)])
    return {"inventory_sku": code, "inventory_po_detail": order.pk, "inventory_po_action": order.pk,
            "reservation_id": reservation.pk, "pool_code": pool.code}
