"""`shopops service chats [--from D --to D] [--json]` in both worlds: a new shop built by imports (the real command,
numbers by hand) and the demo-like shop (its sample chats before its orders)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shopops.channels.models import ChannelAccount
from shopops.imports.formats.samples import SampleLine, SampleOrder, write_order_sample
from shopops.imports.services import export_sample, import_job_create, import_job_run, import_summary
from tests.cli.test_cli import run

SH = ZoneInfo("Asia/Shanghai")


def _at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=SH)


def _order(no: str, buyer: str, paid: dt.datetime) -> SampleOrder:
    return SampleOrder(order_no=no, buyer=buyer, placed_at=paid - dt.timedelta(minutes=2), paid_at=paid,
                       status="paid", paid_fen=9900, shipping_fen=0, lines=(SampleLine("TEE-1", "T恤", 9900, 1),))


ORDERS = [_order("3001", "tb_alice", _at(10, 10, 30)), _order("3002", "tb_bob", _at(12, 9)),
          _order("3003", "tb_carol", _at(10, 8))]
CHATS = [  # 买家昵称, 客服昵称, 发送者, 发送时间, 消息内容
    ["tb_alice", "花间:小美", "tb_alice", "2026-11-10 10:00:00", "有货吗"],
    ["tb_alice", "花间:小美", "花间:小美", "2026-11-10 10:01:00", "有的"],  # 60 s; paid 10:30: converted
    ["tb_bob", "花间:阿强", "tb_bob", "2026-11-10 11:00:00", "包邮吗"],
    ["tb_bob", "花间:阿强", "花间:阿强", "2026-11-10 11:00:20", "包邮"],  # 20 s; paid two days later
    ["tb_carol", "花间:小美", "tb_carol", "2026-11-10 09:00:00", "什么时候发货"],  # paid 08:00: after-sales
    ["tb_carol", "花间:小美", "花间:小美", "2026-11-10 09:02:00", "今天发"],  # 120 s
    ["tb_dan", "花间:阿强", "tb_dan", "2026-11-10 22:30:00", "在吗"],
    ["tb_dan", "花间:阿强", "花间:阿强", "2026-11-10 23:45:00", "在的"],  # 4500 s: an invalid reply
]


@pytest.fixture(scope="module")
def imported_shop(tmp_path_factory):
    """A new shop: init, then its chats, then its orders (the orders may come after the chats)."""
    data_dir = tmp_path_factory.mktemp("chats")
    assert run("init", "--shop", "花间", "--admin-password", "Admin-pass-2026", data_dir=data_dir).returncode == 0
    chats = data_dir / "chats.csv"
    with chats.open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows([["买家昵称", "客服昵称", "发送者", "发送时间", "消息内容"], *CHATS])
    imported = run("import", "qianniu-chats", str(chats), "--json", data_dir=data_dir)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    orders = data_dir / "orders.csv"
    write_order_sample("taobao-orders", orders, ORDERS)
    result = run("import", "taobao-orders", str(orders), "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return data_dir


def test_new_shop_kpis_by_hand(imported_shop):
    result = run("service", "chats", "--from", "2026-11-10", "--to", "2026-11-10", "--json", data_dir=imported_shop)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["from"], report["to"]) == ("2026-11-10", "2026-11-10")
    agents = {row["agent"]: row for row in report["agents"]}
    mei, qiang = agents["花间:小美"], agents["花间:阿强"]
    assert (mei["sessions"], mei["inquiries"], mei["converted"], mei["inquiry_conversion"]) == (2, 1, 1, 1.0)
    assert (mei["first_response_avg_seconds"], mei["first_response_p50_seconds"]) == (90.0, 60)
    assert mei["effective_reply_rate"] == 1.0
    assert (qiang["sessions"], qiang["inquiries"], qiang["converted"], qiang["inquiry_conversion"]) == (2, 2, 0, 0.0)
    assert (qiang["first_response_avg_seconds"], qiang["first_response_p50_seconds"]) == (2260.0, 20)
    assert qiang["effective_reply_rate"] == 0.5 and qiang["reply_3min_rate"] == 0.5
    total = report["total"]
    assert (total["sessions"], total["inquiries"], total["converted"], total["inquiry_conversion"]) == (4, 3, 1, 0.3333)
    assert [row["channel"] for row in report["channels"]] == ["tmall"]


def test_new_shop_table_and_default_period(imported_shop):
    result = run("service", "chats", data_dir=imported_shop)  # the 30 days up to the last chat
    assert result.returncode == 0, result.stderr
    assert "花间:小美" in result.stdout and "100.0%" in result.stdout and "33.3%" in result.stdout


@pytest.mark.parametrize("args", [["--from", "2026-11-10"], ["--from", "2026-11-12", "--to", "2026-11-10"],
                                  ["--from", "11/10/2026", "--to", "2026-11-10"]])
def test_bad_periods_exit_2_with_a_message(imported_shop, args):
    result = run("service", "chats", *args, data_dir=imported_shop)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.strip()


def test_no_install_exits_2(tmp_path):
    result = run("service", "chats", data_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_service_is_in_the_help(tmp_path):
    result = run("help", data_dir=tmp_path)
    assert result.returncode == 0 and any(line.split()[:1] == ["service"] for line in result.stdout.splitlines())


def test_demo_shop_sample_chats_convert(shop, tmp_path):
    """The demo-like shop: a chat before each of 50 天猫 orders (its sample) → every session answered, and buyers
    who asked and paid within the day convert; totals add up over agents and channels."""
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    path = tmp_path / "chats.csv"
    export_sample(shop=shop, format_name="qianniu-chats", path=str(path), limit=50, channel_account=account.name)
    job = import_job_create(shop=shop, format_name="qianniu-chats", path=str(path), channel_account=account.name)
    assert import_summary(import_job_run(job_id=job.pk))["status"] == "done"
    out = io.StringIO()
    call_command("service", "chats", "--from", "2026-09-01", "--to", "2026-11-20", "--json", stdout=out)
    report = json.loads(out.getvalue())
    total = report["total"]
    assert total["sessions"] == sum(r["sessions"] for r in report["agents"]) == sum(
        r["sessions"] for r in report["channels"]) > 0
    assert total["answered_sessions"] == total["sessions"]
    assert 0 < total["converted"] <= total["inquiries"] == sum(r["inquiries"] for r in report["agents"])
    assert total["first_response_p50_seconds"] <= 200 and total["reply_3min_rate"] > 0.5
    assert {r["channel"] for r in report["channels"]} == {"tmall"}
    with pytest.raises(CommandError):
        call_command("service", "chats", "--from", "2026-11-20", "--to", "2026-11-01")

