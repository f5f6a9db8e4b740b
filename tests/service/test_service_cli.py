"""shopops service due | sla: on a new install through the real entry point (exit 2 and one line on bad
input), and in-process on the demo shop (a named calendar, attainment with breaches)."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shopops.service.services.calendars import calendar_save, sla_policy_create
from shopops.service.services.tickets import ticket_open, ticket_reply
from tests.cli.test_cli import run

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def new_install(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("service-cli")
    result = run("init", "--shop", "客服店", "--code", "kefu", "--admin-password", "Admin-pass-2026", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.mark.parametrize(("start", "hours", "due"), [
    ("2024-02-09 17:30", "1", "2024-02-18 09:30"),
    ("2024-09-30 17:00", "4", "2024-10-08 12:00"),
    ("2024-03-02 10:00", "1.5", "2024-03-04 10:30"),  # a Saturday start begins at Monday's opening
])
def test_due_on_the_default_calendar_of_a_new_shop(new_install, start, hours, due):
    result = run("service", "due", "--start", start, "--hours", hours, "--json", data_dir=new_install)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"due": due}


def test_bad_input_is_one_line_and_exit_2(new_install):
    for args, mention in ((["--start", "2024-02-30 09:00", "--hours", "1"], "--start"),
                          (["--start", "2024-02-09 17:30", "--hours", "-1"], "--hours"),
                          (["--start", "2024-02-09 17:30", "--hours", "abc"], "--hours"),
                          (["--start", "2024-02-09 17:30", "--hours", "1", "--calendar", "无此日历"], "无此日历"),
                          (["--hours", "1"], "--start")):
        result = run("service", "due", *args, data_dir=new_install)
        assert result.returncode == 2, (args, result.stderr)
        assert mention in result.stderr and "Traceback" not in result.stderr
    plain = run("service", "due", "--start", "2024-02-09 17:30", "--hours", "1", data_dir=new_install)
    assert plain.returncode == 0 and plain.stdout.strip() == "2024-02-18 09:30"


def test_sla_on_a_new_shop_is_empty(new_install):
    result = run("service", "sla", "--json", data_dir=new_install)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["by_agent"] == [] and report["by_channel"] == [] and report["breaches"] == []
    assert run("service", "sla", "--from", "2024-02-10", "--to", "2024-02-01", data_dir=new_install).returncode == 2


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command("service", *args, stdout=out)
    return out.getvalue()


def test_due_on_a_named_calendar_and_sla_with_breaches(shop, user_of):
    calendar_save(shop=shop, name="午休班", week=["09:00-12:00, 13:30-18:00"] * 5, holidays="")
    assert json.loads(_call("due", "--start", "2026-11-16 11:30", "--hours", "1", "--calendar", "午休班",
                            "--json")) == {"due": "2026-11-16 14:00"}
    with pytest.raises(CommandError):
        _call("due", "--start", "2026-11-16 11:30", "--hours", "1", "--calendar", "没有")
    mondays = [dt.date(2026, 11, 16) + dt.timedelta(weeks=w) for w in range(170)]
    calendar_save(shop=shop, name="几乎不开", week=["09:00-10:00"], holidays="", closed=mondays)
    with pytest.raises(CommandError, match="1098"):
        _call("due", "--start", "2026-11-16 09:00", "--hours", "1", "--calendar", "几乎不开")
    sla_policy_create(shop=shop, name="标准", first_response=30)
    agent = user_of("service")
    ticket, _ = ticket_open(shop=shop, subject="催发货", channel="jd", assignee_id=agent.pk,
                            at=dt.datetime(2026, 11, 16, 9, 0, tzinfo=SH))
    ticket_reply(shop=shop, ticket_id=ticket.pk, text="已催", at=dt.datetime(2026, 11, 16, 10, 0, tzinfo=SH))
    report = json.loads(_call("sla", "--from", "2026-11-16", "--to", "2026-11-16", "--json"))
    assert report["by_agent"][0]["assignee"] == "service"
    assert report["by_channel"][0]["first_response"]["breached"] == 1
    assert report["breaches"][0]["ticket"] == ticket.pk
    text = _call("sla", "--from", "2026-11-16", "--to", "2026-11-16", "--language", "en")
    assert "service" in text and f"#{ticket.pk}" in text
