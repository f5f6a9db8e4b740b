"""店铺体验分 components (docs/rules/experience-score.md) on a small new shop built by imports and the services,
every figure computed by hand: the good-review rates, the quality refund rate, the complaint rate, the IM
3-minute reply rate, the after-sale bad-review rate and the refund time; what has no data says why; never a
weighted score; the reviews page shows the panel and `shopops service experience --json` gives the same."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shopops.core.models import Shop
from shopops.core.services import shop_create, user_create
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.orders.models import OrderLine
from shopops.service.models import Review, TicketKind
from shopops.service.selectors.experience import PRODUCT, SERVICE, experience_components
from shopops.service.services import returns, tickets
from tests.service.returns_world import new_shop_with_order

AS_OF = dt.date(2026, 11, 30)
UTC = dt.UTC


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def _import(shop: Shop, name: str, path: Path) -> None:
    with translation.override("zh-hans"):
        job = import_job_create(shop=shop, format_name=name, path=str(path))
        assert import_summary(import_job_run(job_id=job.pk))["status"] == "done"


@pytest.fixture
def world(db, tmp_path):
    """Order RT-1 (paid 11-11) with a quality refund (asked 11-12 02:00, refunded a day later), four reviews
    (描述 1/5/4, 服务 2/5/3, 物流 5/5/4, and a default one), two chat waits (40 s and 5 min), one complaint ticket
    and one inquiry ticket."""
    built = new_shop_with_order("exp-new")
    shop = Shop.objects.get(code=built["shop"])
    _import(shop, "reviews", _write(tmp_path / "reviews.csv",
                                    ["订单编号", "买家", "评价时间", "描述相符", "服务态度", "物流服务", "评价内容"], [
        ["RT-1", "买家甲", "2026-11-15 10:00:00", "1", "2", "5", "太差"],
        ["RT-9", "买家乙", "2026-11-16 10:00:00", "5", "5", "5", "很好"],
        ["RT-8", "买家丙", "2026-11-17 10:00:00", "4", "3", "4", "还行"],
        ["RT-7", "买家丁", "2026-11-18 10:00:00", "5", "5", "5", "系统默认好评"]]))
    _import(shop, "jd-dongdong-chats", _write(tmp_path / "chats.csv",
                                              ["会话ID", "顾客账号", "客服账号", "发送方", "发送时间", "消息内容"], [
        ["S1", "rt-buyer", "kefu01", "顾客", "2026-11-10 09:00:00", "有货吗"],
        ["S1", "rt-buyer", "kefu01", "客服", "2026-11-10 09:00:40", "有的"],
        ["S2", "rt-buyer", "kefu01", "顾客", "2026-11-12 10:00:00", "坏了"],
        ["S2", "rt-buyer", "kefu01", "客服", "2026-11-12 10:05:00", "抱歉"]]))
    line = OrderLine.objects.filter(order__shop=shop, order__order_no="RT-1").order_by("pk").first()
    request, _created = returns.return_request(
        shop=shop, order_id=line.order_id, kind="refund_only", reason="quality",
        lines=[returns.ReturnLineInput(line.pk, 1)], at=dt.datetime(2026, 11, 12, 2, tzinfo=UTC))
    returns.return_approve(shop=shop, return_id=request.pk, at=dt.datetime(2026, 11, 12, 3, tzinfo=UTC))
    returns.return_refund(shop=shop, return_id=request.pk, at=dt.datetime(2026, 11, 13, 2, tzinfo=UTC))
    tickets.ticket_open(shop=shop, subject="投诉", kind=TicketKind.COMPLAINT, at=dt.datetime(2026, 11, 14, 2, tzinfo=UTC))
    tickets.ticket_open(shop=shop, subject="咨询", kind=TicketKind.INQUIRY, at=dt.datetime(2026, 11, 14, 3, tzinfo=UTC))
    return shop


def _by_key(shop: Shop, as_of: dt.date = AS_OF) -> dict:
    return {c.key: c for c in experience_components(shop, as_of)}


def test_the_components_are_the_hand_computed_figures(world):
    assert Review.objects.get(shop=world, order_no="RT-1").order_id is not None  # the review knows its order
    found = _by_key(world)
    expected = {  # key: (numerator, denominator, value)
        "good_rate_description": (2, 3, Decimal("0.6667")),  # 1, 5, 4: the default review is left out
        "good_rate_service": (1, 3, Decimal("0.3333")),  # 2, 5, 3
        "good_rate_logistics": (3, 3, Decimal("1.0000")),  # 5, 5, 4
        "quality_refund_rate": (1, 1, Decimal("1.0000")),  # one quality return, one paid order
        "complaint_rate": (1, 1, Decimal("1.0000")),  # the inquiry ticket is not a complaint
        "im_reply_3min_rate": (1, 2, Decimal("0.5000")),  # 40 s yes, 5 min no
        "after_sale_bad_rate": (1, 1, Decimal("1.0000")),  # RT-1 had a return and a 1/2 review
    }
    for key, (numerator, denominator, value) in expected.items():
        c = found[key]
        assert (c.numerator, c.denominator, c.value) == (numerator, denominator, value), key
        assert c.no_data_reason == "" and c.source, key
    assert found["refund_p50_seconds"].value == Decimal(86400)
    assert found["avg_delivery_seconds"].value is None and found["avg_delivery_seconds"].no_data_reason


def test_groups_come_in_order_and_no_weighted_score(world):
    components = experience_components(world, AS_OF)
    groups = [c.group for c in components]
    assert groups == sorted(groups, key=["product", "logistics", "service"].index)
    assert {c.key for c in components if c.group == PRODUCT} == {"good_rate_description", "quality_refund_rate"}
    assert "complaint_rate" in {c.key for c in components if c.group == SERVICE}
    assert not any(c.key == "score" for c in components)


def test_outside_the_90_days_everything_is_no_data_with_a_reason(world):
    later = AS_OF + dt.timedelta(days=120)  # the window starts after every fact of the world
    for key, c in _by_key(world, later).items():
        assert c.value is None and c.no_data_reason, key


def test_a_shop_without_data_has_no_data_everywhere(db):
    empty = shop_create(code="exp-empty", name="空店")
    components = experience_components(empty, AS_OF)
    assert len(components) == 9
    assert all(c.value is None and c.no_data_reason for c in components)


def test_the_window_is_90_days_ending_on_the_as_of_date(world):
    # 2026-11-15 (RT-1's review) is day 90 of the window ending 2027-02-12, not of the one ending 02-13
    assert _by_key(world, dt.date(2027, 2, 12))["after_sale_bad_rate"].denominator == 1
    assert _by_key(world, dt.date(2027, 2, 13))["after_sale_bad_rate"].denominator == 0


def test_the_reviews_page_shows_the_panel(world):
    user = user_create(username="exp-service", password="x-Exp-2026!", role="service", shops=[world], validate=False)
    client = Client()
    client.force_login(user)
    with translation.override("zh-hans"):
        html = client.get(reverse("web:service_reviews") + "?from=2026-11-01&to=2026-11-30&inline=1").content.decode()
    assert 'id="experience-components"' in html
    assert 'data-component="good_rate_description"' in html and "66.7%" in html and "2 / 3" in html
    assert "24.0" in html  # the refund time in hours
    assert "good_rate_" not in html.replace('data-component="good_rate_', "")


def test_the_cli_json(world):
    out = io.StringIO()
    call_command("service", "experience", "--shop", world.code, "--to", "2026-11-30", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["from"], report["to"], report["days"]) == ("2026-09-02", "2026-11-30", 90)
    rows = {c["key"]: c for c in report["components"]}
    assert rows["good_rate_service"] == {**rows["good_rate_service"], "value": "0.3333", "numerator": 1,
                                         "denominator": 3, "no_data_reason": None, "unit": "rate"}
    assert rows["avg_delivery_seconds"]["value"] is None and rows["avg_delivery_seconds"]["no_data_reason"]
    text = io.StringIO()
    call_command("service", "experience", "--shop", world.code, "--to", "2026-11-30", "--language", "en", stdout=text)
    assert "66.67%" in text.getvalue()
