"""Role-walk table of the import pages and endpoints (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
``samples(shop)`` gives the arguments of pages (by url short name) and the path placeholders of endpoints.
POST endpoints are walked with an empty JSON body, so they answer 422 after the permission check.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:import_list": (_only("admin", "operator", "ads", "viewer"), 302),
    "web:import_new": (_only("admin", "operator", "ads"), 302),
    "web:import_catalog_template": (_only("admin", "operator", "ads"), 302),  # the catalog-xlsx template
    "web:import_detail": (_only("admin", "operator", "ads", "viewer"), 302),
    "web:import_errors": (_only("admin", "operator", "ads", "viewer"), 302),
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {
    ("POST", "/api/v1/imports"): (_only("admin", "operator", "ads", ok=422), 401),
    ("GET", "/api/v1/imports"): (_only("admin", "operator", "ads", "viewer"), 401),
    ("GET", "/api/v1/imports/{job_id}"): (_only("admin", "operator", "ads", "viewer"), 401),
}


def samples(shop) -> dict[str, object]:
    from shopops.imports.models import ImportJob

    job = ImportJob.objects.filter(shop=shop).first() or ImportJob.objects.create(
        shop=shop, format="jd-orders", file_name="jd.csv", status=ImportJob.Status.REJECTED,
        errors=[{"row": 2, "column": "订购数量", "message": "不能小于 1"}])
    return {"import_detail": job.pk, "import_errors": job.pk, "job_id": job.pk}
