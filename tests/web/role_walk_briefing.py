"""Role-walk table of the daily report pages (merged by test_role_walk.py).

PAGES: url name → (GET status per role, status for anonymous); ENDPOINTS: (method, path template) → the same.
The report and its xlsx are for everyone who sees the dashboard; the push settings are the administrators'.
"""

from __future__ import annotations

ROLES = ["admin", "operator", "ads", "service", "viewer"]
ALL_OK = dict.fromkeys(ROLES, 200)


def _only(*allowed: str, ok: int = 200) -> dict[str, int]:
    return {r: (ok if r in allowed else 403) for r in ROLES}


PAGES: dict[str, tuple[dict[str, int], int]] = {
    "web:briefing": (ALL_OK, 302),
    "web:briefing_xlsx": (ALL_OK, 302),
    "web:briefing_settings": (_only("admin"), 302),
    "web:briefing_robot_add": (_only("admin", ok=405), 302),  # POST only
    "web:briefing_robot_change": (_only("admin", ok=405), 302),  # POST only
    "web:briefing_robot_delete": (_only("admin", ok=405), 302),  # POST only
    "web:briefing_robot_test": (_only("admin", ok=405), 302),  # POST only
}

ENDPOINTS: dict[tuple[str, str], tuple[dict[str, int], int]] = {}


def samples(shop) -> dict[str, object]:
    from shopops.briefing.services import robot_target_save

    robot = robot_target_save(shop=shop, actor=None, kind="wecom", name="role walk",
                              webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=role-walk")
    return {"briefing_robot_change": robot.pk, "briefing_robot_delete": robot.pk, "briefing_robot_test": robot.pk}
