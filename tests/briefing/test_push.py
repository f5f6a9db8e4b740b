"""Pushing the daily report: each robot gets it once a day after the shop's send time, a failure is logged
with the platform's words (and retried a few times, not all day), a push by hand always goes out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shopops.briefing.models import BriefingSend
from shopops.briefing.selectors import MAX_ATTEMPTS
from shopops.briefing.services import (
    briefing_push,
    briefing_push_due,
    briefing_setting_save,
    robot_target_save,
)
from shopops.briefing.tasks import push_daily_reports
from shopops.core.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 20)  # the test world's last day
MORNING = dt.datetime(2026, 11, 21, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def three(shop, robots):
    robots.secrets["/dingtalk/a"] = "ding-secret"
    robots.secrets["/feishu/a"] = "feishu-secret"
    return [
        robot_target_save(shop=shop, actor=None, kind="wecom", name="运营群", webhook_url=f"{robots.base}/wecom/a?key=k"),
        robot_target_save(shop=shop, actor=None, kind="dingtalk", name="钉钉群",
                          webhook_url=f"{robots.base}/dingtalk/a?access_token=t", secret="ding-secret"),
        robot_target_save(shop=shop, actor=None, kind="feishu", name="飞书群", webhook_url=f"{robots.base}/feishu/a",
                          secret="feishu-secret"),
    ]


def test_each_robot_gets_the_report_once_a_day_after_the_send_time(shop, robots, three):
    briefing_setting_save(shop=shop, enabled=True, send_time=dt.time(9, 0), actor=None)
    assert briefing_push_due(at=MORNING.replace(hour=8, minute=55)) == {}
    assert robots.requests == []
    out = briefing_push_due(at=MORNING)
    assert [r["ok"] for r in out["demo"]] == [True, True, True], out
    assert sorted(r["path"] for r in robots.requests) == ["/dingtalk/a", "/feishu/a", "/wecom/a"]
    assert BriefingSend.objects.filter(shop=shop, date=DAY, ok=True).count() == 3
    assert briefing_push_due(at=MORNING + dt.timedelta(minutes=5)) == {}
    assert briefing_push_due(at=MORNING.replace(hour=23)) == {}
    assert len(robots.requests) == 3
    briefing_push_due(at=MORNING + dt.timedelta(days=1))  # the next morning: the next day's report
    assert len(robots.requests) == 6
    assert BriefingSend.objects.filter(shop=shop, date=DAY + dt.timedelta(days=1), ok=True).count() == 3


def test_the_report_says_the_day_in_each_format(shop, robots, three):
    briefing_push(shop=shop, day=DAY, language="zh-hans")
    by_path = {r["path"]: r["body"] for r in robots.requests}
    assert "2026-11-20" in by_path["/wecom/a"]["markdown"]["content"]
    assert "2026-11-20" in by_path["/dingtalk/a"]["markdown"]["title"]
    assert "2026-11-20" in by_path["/feishu/a"]["content"]["post"]["zh_cn"]["title"]


def test_a_failure_is_logged_with_the_platforms_message_and_retried_only_a_few_times(shop, robots, three):
    robots.broken.add("/dingtalk/a")
    out = briefing_push_due(at=MORNING)
    failed = [r for r in out["demo"] if not r["ok"]]
    assert [r["target"] for r in failed] == ["钉钉群"] and "token is not exist" in failed[0]["answer"]
    logged = BriefingSend.objects.get(target=three[1], date=DAY)
    assert not logged.ok and "300001" in logged.answer
    for minutes in range(5, 60, 5):
        briefing_push_due(at=MORNING + dt.timedelta(minutes=minutes))
    assert BriefingSend.objects.filter(target=three[1], date=DAY).count() == MAX_ATTEMPTS
    assert BriefingSend.objects.filter(target=three[0], date=DAY).count() == 1  # the others: once
    robots.broken.clear()
    assert briefing_push(shop=shop, day=DAY, targets=[three[1]])[0]["ok"]  # by hand, after the fix
    assert BriefingSend.objects.filter(target=three[1], date=DAY, ok=True, manual=True).count() == 1


def test_a_disabled_shop_or_robot_gets_nothing(shop, robots, three):
    robot_target_save(shop=shop, actor=None, target_id=three[0].pk, kind="wecom", name="运营群", active=False)
    briefing_setting_save(shop=shop, enabled=False, send_time=dt.time(9, 0), actor=None)
    assert briefing_push_due(at=MORNING) == {}
    briefing_setting_save(shop=shop, enabled=True, send_time=dt.time(9, 0), actor=None)
    briefing_push_due(at=MORNING)
    assert "/wecom/a" not in {r["path"] for r in robots.requests} and len(robots.requests) == 2


def test_editing_a_robot_keeps_its_address_and_secret_unless_given(shop, three):
    ding = three[1]
    robot_target_save(shop=shop, actor=None, target_id=ding.pk, kind="dingtalk", name="钉钉群2")
    ding.refresh_from_db()
    assert ding.name == "钉钉群2" and ding.secret == "ding-secret" and ding.webhook_url.endswith("access_token=t")
    robot_target_save(shop=shop, actor=None, target_id=ding.pk, kind="dingtalk", name="钉钉群2", clear_secret=True)
    ding.refresh_from_db()
    assert ding.secret == ""


def test_bad_robots_are_refused_with_every_reason(shop):
    with pytest.raises(InvalidInput) as caught:
        robot_target_save(shop=shop, actor=None, kind="wecom", name="", webhook_url="http://example.com/hook",
                          secret="x")
    assert {e.field for e in caught.value.errors} == {"name", "webhook_url", "secret"}
    with pytest.raises(InvalidInput):
        robot_target_save(shop=shop, actor=None, kind="slack", name="x", webhook_url="https://example.com/x")


def test_the_worker_task_pushes_through_the_same_log(shop, robots, three):
    briefing_setting_save(shop=shop, enabled=True, send_time=dt.time(0, 0), actor=None)  # always past
    first = push_daily_reports.call_local()
    assert [r["ok"] for r in first["demo"]] == [True, True, True]
    assert push_daily_reports.call_local() == {} and len(robots.requests) == 3
