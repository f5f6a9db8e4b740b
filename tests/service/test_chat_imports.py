"""Chat exports (千牛, 京东咚咚, 抖店飞鸽): a realistic and a hostile sample of each (docs/formats.md#chat-formats).

Realistic: imported into sessions and messages, buyers linked to customers, the same file again changes nothing.
Hostile: each bad row rejects the file with its row, column and reason, and nothing is written; formulas and
markup in the customers' words are kept as text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shopops.channels.models import ChannelAccount
from shopops.core.errors import InvalidInput
from shopops.core.services import shop_create, user_create
from shopops.imports.formats import FORMATS
from shopops.imports.services import export_sample
from shopops.members.models import CustomerIdentity
from shopops.service.models import ChatMessage, ChatSession
from shopops.service.selectors import chats as chat_selectors
from shopops.service.services.chats import chat_agent_map_user
from tests.import_files import import_file, write_csv

CHAT_FORMATS = ["qianniu-chats", "jd-dongdong-chats", "douyin-feige-chats"]
SH = ZoneInfo("Asia/Shanghai")

# The exports as the platforms write them: 千牛 without session ids (GBK, the sender as a nick), 咚咚 and 飞鸽 with.
REALISTIC: dict[str, tuple[str, list[str], list[list[str]]]] = {
    "qianniu-chats": ("gbk", ["买家昵称", "客服昵称", "发送者", "发送时间", "消息内容"], [
        ["tb_alice", "花间旗舰店:小美", "tb_alice", "2026-11-10 10:00:00", "在吗？这款有货吗"],
        ["tb_alice", "花间旗舰店:小美", "系统消息", "2026-11-10 10:00:01", "您好，欢迎光临"],
        ["tb_alice", "花间旗舰店:小美", "花间旗舰店:小美", "2026-11-10 10:01:30", "亲，有现货哦"],
        ["tb_bob", "花间旗舰店:阿强", "tb_bob", "2026-11-10 11:00:00", "什么时候发货"],
        ["tb_bob", "花间旗舰店:阿强", "花间旗舰店:阿强", "2026-11-10 11:00:20", "亲，48小时内发货"],
        ["tb_alice", "花间旗舰店:小美", "tb_alice", "2026-11-10 15:00:00", "=HYPERLINK(\"http://evil\",\"点我\")"],
        ["tb_alice", "花间旗舰店:小美", "花间旗舰店:小美", "2026-11-10 15:02:00", "<script>alert(1)</script>"],
    ]),
    "jd-dongdong-chats": ("gbk", ["会话ID", "顾客账号", "客服账号", "发送方", "发送时间", "消息内容"], [
        ["JD100", "jd_carol", "jd_kefu01", "顾客", "2026-11-10 09:00:00", "发票怎么开"],
        ["JD100", "jd_carol", "jd_kefu01", "客服", "2026-11-10 09:00:40", "亲，下单时选择电子发票"],
        ["JD101", "jd_dave", "jd_kefu02", "顾客", "2026-11-10 09:30:00", "能便宜点吗"],
        ["JD100", "jd_carol", "jd_kefu01", "顾客", "2026-11-10 09:01:00", "好的"],
        ["JD101", "jd_dave", "jd_kefu02", "系统", "2026-11-10 09:30:01", "客服正在赶来"],
    ]),
    "douyin-feige-chats": ("utf-8-sig", ["会话ID", "用户昵称", "客服昵称", "发送者", "发送时间", "消息内容"], [
        ["\t7312000000000000001", "抖音用户甲", "飞鸽客服A", "用户", "2026-11-10 20:00:00", "主播说的券在哪"],
        ["\t7312000000000000001", "抖音用户甲", "飞鸽客服A", "客服", "2026-11-10 20:05:00", "亲，在购物车领取"],
        ["\t7312000000000000001", "抖音用户甲", "飞鸽客服A", "用户", "2026-11-10 20:05:30", "-"],
        ["\t7312000000000000002", "抖音用户乙", "-", "用户", "2026-11-10 22:00:00", "在吗"],
    ]),
}
EXPECTED = {"qianniu-chats": (3, 7), "jd-dongdong-chats": (2, 5), "douyin-feige-chats": (2, 4)}  # sessions, messages


def _state(shop) -> tuple:
    return (sorted(ChatSession.objects.filter(shop=shop).values_list(
                "channel", "session_id", "buyer_nick", "agent", "customer_id", "started_at", "ended_at")),
            sorted(ChatMessage.objects.filter(shop=shop).values_list(
                "session__session_id", "seq", "side", "agent", "sent_at", "text")))


@pytest.fixture
def new_shop(db):
    return shop_create(code="chatshop", name="花间")


@pytest.mark.parametrize("name", CHAT_FORMATS)
def test_realistic_export_imports_and_reimport_changes_nothing(new_shop, tmp_path, name):
    encoding, header, rows = REALISTIC[name]
    path = write_csv(tmp_path / f"{name}.csv", header, rows, encoding)
    first = import_file(new_shop, name, path)
    assert first["status"] == "done", first["errors"]
    sessions, messages = EXPECTED[name]
    assert (first["rows"], first["inserted"]) == (messages, messages)
    assert first["changes"]["sessions"]["inserted"] == sessions
    assert ChatSession.objects.filter(shop=new_shop).count() == sessions
    assert ChatMessage.objects.filter(shop=new_shop).count() == messages
    before = _state(new_shop)
    again = import_file(new_shop, name, path)
    assert again["status"] == "done", again["errors"]
    assert (again["unchanged"], again["inserted"], again["updated"]) == (messages, 0, 0)
    assert _state(new_shop) == before


def test_qianniu_sessions_are_cut_by_silence_and_the_customers_words_are_kept_as_text(new_shop, tmp_path):
    encoding, header, rows = REALISTIC["qianniu-chats"]
    assert import_file(new_shop, "qianniu-chats", write_csv(tmp_path / "q.csv", header, rows, encoding))["status"] == "done"
    alice = list(ChatSession.objects.filter(shop=new_shop, buyer_nick="tb_alice").order_by("started_at"))
    assert [s.session_id for s in alice] == ["tb_alice@20261110T020000Z", "tb_alice@20261110T070000Z"]
    assert alice[0].agent == "花间旗舰店:小美" and alice[0].channel == "tmall"
    sides = list(alice[0].messages.values_list("side", flat=True))
    assert sides == ["buyer", "system", "agent"]
    texts = list(alice[1].messages.values_list("text", flat=True))
    assert texts == ["'=HYPERLINK(\"http://evil\",\"点我\")", "<script>alert(1)</script>"]  # data, never run


def test_a_changed_export_updates_the_session(new_shop, tmp_path):
    encoding, header, rows = REALISTIC["jd-dongdong-chats"]
    assert import_file(new_shop, "jd-dongdong-chats", write_csv(tmp_path / "a.csv", header, rows, encoding))["status"] == "done"
    longer = [*rows, ["JD101", "jd_dave", "jd_kefu02", "客服", "2026-11-10 09:45:00", "亲，可以领券"]]
    summary = import_file(new_shop, "jd-dongdong-chats", write_csv(tmp_path / "b.csv", header, longer, encoding))
    assert summary["status"] == "done", summary["errors"]
    assert summary["changes"]["sessions"] == {"inserted": 0, "updated": 1, "unchanged": 1}
    dave = ChatSession.objects.get(shop=new_shop, session_id="JD101")
    assert dave.agent == "jd_kefu02" and dave.messages.count() == 3
    assert dave.ended_at == dt.datetime(2026, 11, 10, 9, 45, tzinfo=SH)


def test_dry_run_writes_nothing(new_shop, tmp_path):
    encoding, header, rows = REALISTIC["douyin-feige-chats"]
    summary = import_file(new_shop, "douyin-feige-chats", write_csv(tmp_path / "d.csv", header, rows, encoding), dry_run=True)
    assert summary["status"] == "done" and summary["inserted"] == 4
    assert not ChatSession.objects.filter(shop=new_shop).exists()


HOSTILE = [  # (case, (row index, column index, value) to break, the column named, the row named)
    ("unknown sender", (1, 3, "老板娘"), "发送方", 3),
    ("bad time", (2, 4, "2026-02-30 10:00:00"), "发送时间", 4),
    ("empty buyer", (0, 1, ""), "买家", 2),
    ("two buyers in a session", (1, 1, "someone_else"), "买家", 3),
    ("session id turned into a number by Excel", (0, 0, "7.312E+18"), "会话ID", 2),
]
HOSTILE_BASE = {  # 会话ID, buyer, agent, sender, time, content — in each format's own headers
    "qianniu-chats": (["会话ID", "买家昵称", "客服昵称", "发送者", "发送时间", "消息内容"], "gbk"),
    "jd-dongdong-chats": (["会话ID", "顾客账号", "客服账号", "发送方", "发送时间", "消息内容"], "gbk"),
    "douyin-feige-chats": (["会话ID", "用户昵称", "客服昵称", "发送者", "发送时间", "消息内容"], "utf-8-sig"),
}
HOSTILE_ROWS = [
    ["S1", "buyer_1", "客服A", "买家", "2026-11-10 10:00:00", "你好"],
    ["S1", "buyer_1", "客服A", "客服", "2026-11-10 10:00:30", "亲，在的"],
    ["S2", "buyer_2", "客服A", "买家", "2026-11-10 11:00:00", "@SUM(A1:A9)"],
]


@pytest.mark.parametrize("name", CHAT_FORMATS)
@pytest.mark.parametrize(("case", "change", "column", "row"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_rows_reject_the_file_naming_row_and_column(new_shop, tmp_path, name, case, change, column, row):
    header, encoding = HOSTILE_BASE[name]
    assert import_file(new_shop, name, write_csv(tmp_path / "ok.csv", header, HOSTILE_ROWS, encoding))["status"] == "done"
    before = _state(new_shop)
    rows = [list(r) for r in HOSTILE_ROWS]
    index, cell, value = change
    rows[index][cell] = value
    summary = import_file(new_shop, name, write_csv(tmp_path / "bad.csv", header, rows, encoding))
    assert summary["status"] == "rejected", summary
    assert any(e["column"] == column and e["row"] == row and e["message"] for e in summary["errors"]), summary["errors"]
    assert _state(new_shop) == before


@pytest.mark.parametrize("name", CHAT_FORMATS)
def test_a_file_without_the_required_columns_is_refused(new_shop, tmp_path, name):
    summary = import_file(new_shop, name, write_csv(tmp_path / "x.csv", ["买家", "内容"], [["a", "b"]]))
    assert summary["status"] == "rejected"
    assert {e["column"] for e in summary["errors"]} >= {"发送方", "发送时间"}
    assert not ChatSession.objects.filter(shop=new_shop).exists()


def test_the_hostile_formula_is_stored_as_text(new_shop, tmp_path):
    header, encoding = HOSTILE_BASE["jd-dongdong-chats"]
    assert import_file(new_shop, "jd-dongdong-chats", write_csv(tmp_path / "f.csv", header, HOSTILE_ROWS, encoding))[
        "status"] == "done"
    assert ChatMessage.objects.get(shop=new_shop, session__session_id="S2").text == "'@SUM(A1:A9)"


def test_demo_shop_sample_links_buyers_and_round_trips(shop, tmp_path):
    """The demo shop has no chats: its sample is a chat before each 天猫 order, by the buyer's id there; imported
    into the 天猫 account it links the customers; the sample of the stored chats imports back unchanged."""
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    assert account is not None
    path = tmp_path / "qianniu.csv"
    written = export_sample(shop=shop, format_name="qianniu-chats", path=str(path), limit=50,
                            channel_account=account.name)
    assert written["rows"] > 0
    first = import_file(shop, "qianniu-chats", path, channel_account=account.name)
    assert first["status"] == "done", first["errors"][:3]
    assert first["changes"]["customers_linked"] > 0
    linked = ChatSession.objects.filter(shop=shop, channel="tmall", customer__isnull=False).first()
    assert CustomerIdentity.objects.filter(shop=shop, channel="tmall", customer=linked.customer,
                                           external_id=linked.buyer_nick).exists()
    orders = chat_selectors.chat_session_orders(shop=shop, pk=linked.pk)
    assert orders and all(o.channel == "tmall" for o in orders)
    again_path = tmp_path / "again.csv"
    export_sample(shop=shop, format_name="qianniu-chats", path=str(again_path), limit=1000,
                  channel_account=account.name)
    before = _state(shop)
    again = import_file(shop, "qianniu-chats", again_path, channel_account=account.name)
    assert again["status"] == "done" and again["unchanged"] == again["rows"] > 0, again
    assert _state(shop) == before


def test_docs_describe_every_chat_format():
    text = (Path(__file__).resolve().parents[2] / "docs/formats.md").read_text(encoding="utf-8")
    for name in CHAT_FORMATS:
        fmt = FORMATS[name]
        assert f"`{name}`" in text and f'<a id="{fmt.doc}"></a>' in text
        for column in fmt.columns:
            assert f"| {column.name} | {'yes' if column.required else ''} |" in text, (name, column.name)
        for quirk in fmt.quirks:
            assert f"- {quirk}" in text, (name, quirk)


def test_an_agent_maps_to_a_user_and_later_imports_keep_it(new_shop, tmp_path):
    encoding, header, rows = REALISTIC["jd-dongdong-chats"]
    assert import_file(new_shop, "jd-dongdong-chats", write_csv(tmp_path / "a.csv", header, rows, encoding))["status"] == "done"
    user = user_create(username="kefu01", password="Kefu-pass-2026", role="service", shops=[new_shop], validate=False)
    assert chat_agent_map_user(shop=new_shop, agent="jd_kefu01", user_id=user.pk) == 1
    more = [["JD102", "jd_erin", "jd_kefu01", "顾客", "2026-11-11 09:00:00", "在吗"]]
    assert import_file(new_shop, "jd-dongdong-chats", write_csv(tmp_path / "b.csv", header, more, encoding))["status"] == "done"
    assert set(ChatSession.objects.filter(shop=new_shop, agent="jd_kefu01").values_list("agent_user", flat=True)) == {
        user.pk}
    with pytest.raises(InvalidInput):
        chat_agent_map_user(shop=new_shop, agent="jd_kefu01", user_id=user.pk + 999)
