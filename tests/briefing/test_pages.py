"""The daily report page and xlsx (the dashboard's numbers of the day, the open items), the settings page
(administrators only, secrets masked) and `shopops briefing`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from shopops.analytics.selectors import alerts as alert_selectors
from shopops.briefing.models import BriefingSetting, RobotTarget
from shopops.briefing.services import robot_target_save
from shopops.reports.services import todo_upsert
from tests.analytics.test_dashboard_kpis import small_shop

DAY = "2026-11-20"
DING_TOKEN = "0123456789abcdef0123456789abcdef"
DING_SECRET = "SECabcdefghijklmnopqrstuvWXYZ"


@pytest.fixture
def alerts(shop):
    todo_upsert(shop=shop, source="analytics", key="brief:1", title="<i>GMV</i> 异常下跌", severity="critical")
    todo_upsert(shop=shop, source="inventory", key="brief:2", title="A1 断货风险", severity="warning")


@pytest.fixture
def known(monkeypatch):
    """The dashboard tests' hand-checked shop: on 2026-11-17 GMV ¥80.00, the day before ¥40.00, a week
    earlier ¥40.00."""
    monkeypatch.setattr(alert_selectors, "shop_tables", lambda shop: small_shop())


def test_the_page_shows_the_days_numbers_and_the_open_items(shop, client_as, alerts, known):
    page = client_as("viewer").get("/briefing/?date=2026-11-17").content.decode()
    gmv_row = page[page.index('data-kpi="gmv"'):]
    gmv_row = gmv_row[:gmv_row.index("</tr>")]
    assert "¥80.00" in gmv_row and gmv_row.count("▲100.0%") == 2
    assert "&lt;i&gt;GMV&lt;/i&gt; 异常下跌" in page and "<i>GMV</i>" not in page
    assert "A1 断货风险" in page and "/briefing/settings/" not in page  # settings: admins only


def test_the_xlsx_holds_the_same_report(shop, client_as, alerts, known):
    response = client_as("operator").get("/briefing/xlsx/?date=2026-11-17")
    assert response.status_code == 200 and "daily-report-2026-11-17.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    names = [row[1] for row in rows]
    assert "<i>GMV</i> 异常下跌" in names and "A1 断货风险" in names
    gmv = rows[1]  # the first metric row after the header
    assert float(gmv[2]) == 80.0 and float(gmv[3]) == 1.0 and float(gmv[4]) == 1.0


def test_settings_are_for_admins_and_never_show_secrets(shop, client_as):
    admin = client_as("admin")
    assert client_as("operator").get("/briefing/settings/").status_code == 403
    assert client_as("operator").post("/briefing/robots/", {"kind": "wecom", "name": "x",
                                                            "webhook_url": "https://e.com/x"}).status_code == 403
    admin.post("/briefing/robots/", {"kind": "dingtalk", "name": "运营钉钉群", "active": "1",
                                     "webhook_url": f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}",
                                     "secret": DING_SECRET})
    robot = RobotTarget.objects.get(shop=shop, name="运营钉钉群")
    assert robot.secret == DING_SECRET and robot.active
    page = admin.get("/briefing/settings/").content.decode()
    assert "运营钉钉群" in page and DING_SECRET not in page and DING_TOKEN not in page
    assert DING_SECRET[-4:] in page  # that a secret is set, recognisably
    admin.post("/briefing/settings/", {"enabled": "1", "send_time": "08:30"})
    assert BriefingSetting.objects.get(shop=shop).send_time.strftime("%H:%M") == "08:30"
    answer = admin.post("/briefing/settings/", {"enabled": "1", "send_time": "25:99"}, follow=True)
    assert BriefingSetting.objects.get(shop=shop).send_time.strftime("%H:%M") == "08:30"
    assert [m.level_tag for m in answer.context["messages"]][-1] == "error"
    bad = admin.post("/briefing/robots/", {"kind": "wecom", "name": "x", "webhook_url": "http://e.com/x"},
                     follow=True)
    assert [m.level_tag for m in bad.context["messages"]] == ["error"]
    assert not RobotTarget.objects.filter(name="x").exists()
    admin.post(f"/briefing/robots/{robot.pk}/delete/")
    assert not RobotTarget.objects.filter(pk=robot.pk).exists()


def test_test_send_reports_the_platforms_answer(shop, client_as, robots):
    robots.broken.add("/wecom/t")
    robot = robot_target_save(shop=shop, actor=None, kind="wecom", name="测试群", webhook_url=f"{robots.base}/wecom/t")
    page = client_as("admin").post(f"/briefing/robots/{robot.pk}/test/", follow=True).content.decode()
    assert "invalid webhook url" in page and "93000" in page
    robots.broken.clear()
    page = client_as("admin").post(f"/briefing/robots/{robot.pk}/test/", follow=True).content.decode()
    assert "测试群" in page and robots.requests[-1]["body"]["msgtype"] == "markdown"


def test_other_shops_robots_are_out_of_reach(shop, client_as, second_shop):
    theirs = robot_target_save(shop=second_shop.shop, actor=None, kind="wecom", name="乙店群",
                               webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b")
    admin = client_as("admin")
    assert admin.post(f"/briefing/robots/{theirs.pk}/delete/").status_code == 404
    assert admin.post(f"/briefing/robots/{theirs.pk}/", {"kind": "wecom", "name": "hijacked"}).status_code == 404
    assert admin.post(f"/briefing/robots/{theirs.pk}/test/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "乙店群"


def test_the_command_prints_and_sends(shop, robots, alerts):
    out = io.StringIO()
    call_command("briefing", "--date", DAY, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["date"] == DAY and {k["key"] for k in report["kpis"]} >= {"gmv", "orders"}
    assert report["todos"]["by_severity"][0]["severity"] == "critical" and report["todos"]["by_severity"][0]["count"]
    out = io.StringIO()
    call_command("briefing", "--date", DAY, stdout=out)
    assert "2026-11-20" in out.getvalue()
    robot_target_save(shop=shop, actor=None, kind="wecom", name="群", webhook_url=f"{robots.base}/wecom/c")
    out = io.StringIO()
    call_command("briefing", "--date", DAY, "--send", stdout=out)
    assert "群 (wecom): ok" in out.getvalue() and len(robots.requests) == 1


def test_the_command_refuses_a_bad_date(shop):
    with pytest.raises(CommandError) as caught:
        call_command("briefing", "--date", "2026-13-01")
    assert caught.value.returncode == 2
