"""The demo shop's customer service (demo.gen_service, demo.seed_service): chats, reviews, returns and tickets
exist, go through the import pipeline, and agree with the orders and refunds — every review's order exists and the
DSR is computable, every return's order has its refund, tickets are about real orders, and their SLA states are
mixed (met and breached, resolved and open)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from tests.demo.test_demo_command import shopops

from shopops.demo.gen_random import stream
from shopops.demo.gen_service import build_service
from shopops.demo.spec import WorldConfig
from shopops.demo.world import build_world

END = "2026-11-20"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    data_dir = tmp_path_factory.mktemp("demo-service")
    run = shopops("demo", "--days", "30", "--scale", "0.1", "--end-date", END, "--password", "Demo-pass-2026",
                  "--no-serve", "--json", data_dir=data_dir)
    assert run.returncode == 0, run.stderr[-3000:]
    return data_dir, json.loads(run.stdout)


def _rows(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data_dir / "shopops.sqlite3") as db:
        return db.execute(sql).fetchall()


def test_the_service_exports_go_through_the_import_pipeline(built):
    _data_dir, summary = built
    service = summary["service"]
    assert min(service[k] for k in ("chats", "chat_messages", "reviews", "returns", "tickets")) > 0, service
    formats = {i["format"] for i in summary["imports"]}
    assert {"qianniu-chats", "jd-dongdong-chats", "douyin-feige-chats", "reviews", "taobao-refunds"} <= formats
    for job in summary["imports"]:
        assert job["rejected"] == 0 and job["inserted"] == job["rows"] > 0, job


def test_reviews_are_of_real_orders_and_the_dsr_is_computable(built):
    data_dir, summary = built
    assert _rows(data_dir, "SELECT count(*) FROM service_review")[0][0] == summary["service"]["reviews"]
    assert _rows(data_dir, "SELECT count(*) FROM service_review r LEFT JOIN orders_order o ON o.id = r.order_id "
                           "WHERE o.id IS NULL OR o.order_no != r.order_no")[0][0] == 0
    bad = _rows(data_dir, "SELECT id FROM service_review WHERE is_default = 0 AND "
                          "(description <= 2 OR service <= 2 OR logistics <= 2)")
    assert bad, "a few bad reviews"
    tickets = _rows(data_dir, "SELECT count(*) FROM service_ticket WHERE kind = 'bad_review'")[0][0]
    assert tickets == len(bad)  # one 差评 ticket per bad review
    dsr = json.loads(shopops("service", "dsr", "--to", END, "--json", data_dir=data_dir).stdout)
    assert dsr["counted"] > 0 and dsr["description"] is not None
    assert 4.0 < float(dsr["description"]) <= 5.0


def test_every_return_is_of_an_order_with_its_refund(built):
    data_dir, _summary = built
    returns = _rows(data_dir, "SELECT r.order_id, r.external_no, r.status, f.status FROM service_returnrequest r "
                              "LEFT JOIN orders_refund f ON f.order_id = r.order_id AND f.refund_no = r.external_no")
    assert returns
    assert all(refund_status is not None for *_r, refund_status in returns), returns
    reasons = _rows(data_dir, "SELECT DISTINCT x.code FROM service_returnrequest r "
                              "JOIN service_returnreason x ON x.id = r.reason_id")
    assert len(reasons) >= 2  # the refunds' reasons, read back from the platforms' texts


def test_tickets_are_about_real_orders_with_mixed_sla_states(built):
    data_dir, _summary = built
    assert _rows(data_dir, "SELECT count(*) FROM service_ticket t LEFT JOIN orders_order o ON o.id = t.order_id "
                           "WHERE o.id IS NULL OR o.customer_id != t.customer_id")[0][0] == 0
    states = {row[0] for row in _rows(data_dir, "SELECT DISTINCT sla_state FROM service_ticket")}
    statuses = {row[0] for row in _rows(data_dir, "SELECT DISTINCT status FROM service_ticket")}
    kinds = {row[0] for row in _rows(data_dir, "SELECT DISTINCT kind FROM service_ticket")}
    assert {"met", "breached"} <= states and {"open", "resolved"} <= statuses
    assert {"bad_review", "return"} <= kinds and kinds & {"inquiry", "logistics", "complaint"}
    assert _rows(data_dir, "SELECT count(*) FROM service_slapolicy")[0][0] == 2
    assert _rows(data_dir, "SELECT count(*) FROM service_businesscalendar WHERE is_default = 1")[0][0] == 1
    # the chats import put each ticket's chat on it
    assert _rows(data_dir, "SELECT count(*) FROM service_ticketevent WHERE kind = 'customer_message'")[0][0] > 0


def test_chats_before_orders_convert_and_visitors_do_not(built):
    data_dir, _summary = built
    linked = _rows(data_dir, "SELECT count(*) FROM service_chatsession WHERE customer_id IS NOT NULL")[0][0]
    visitors = _rows(data_dir, "SELECT count(*) FROM service_chatsession WHERE customer_id IS NULL")[0][0]
    assert linked > 0 and visitors > 0
    agents = {row[0] for row in _rows(data_dir, "SELECT DISTINCT agent FROM service_chatsession")}
    assert "客服小美" in agents


def test_the_service_world_is_deterministic_and_never_in_the_future():
    world = build_world(WorldConfig(days=30, scale=0.1, end_date=dt.date(2026, 11, 20)))
    end = dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)  # local midnight after the last day
    first = build_service(stream(42, "service"), world, end)
    assert first == build_service(stream(42, "service"), world, end)
    assert all(r.reviewed_at < end for r in first.reviews)
    assert all(m[1] < end for c in first.chats for m in c.messages)
    refunds = {(r.channel, r.refund_no): r for r in world.refunds}
    for ret in first.returns:
        refund = refunds[(ret.channel, ret.external_no)]
        assert ret.amount_fen == refund.amount_fen and ret.order_no == refund.order_no
