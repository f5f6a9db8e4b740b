"""The service pages (客服看板, returns, reviews and DSR, chats) in both worlds: a new shop built by imports
(returns_world's order, a reviews and a chat import) and the demo shop. Each page opens for the roles that
may see it and 403 for the others, forms change data or say why not, imported text is escaped, another
shop's data never shows, Chinese names instead of codes, and the dashboard's numbers are the selectors'."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shopops.core import roles
from shopops.core.models import Shop
from shopops.core.services import user_create
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.members.models import CustomerIdentity
from shopops.orders.models import Order, OrderLine
from shopops.service import selectors, services
from shopops.service.models import ReturnRequest
from shopops.service.selectors import chats as chat_selectors
from shopops.service.selectors import dashboard as dashboard_selectors
from tests.service.returns_world import new_shop_with_order

PAGES = ["web:service_dashboard", "web:service_returns", "web:service_reviews", "web:service_chats"]
EVIL = "<script>alert('x')</script>"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _zh(client: Client, url: str, **extra):
    with translation.override("zh-hans"):
        return client.get(url, **extra)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def _import(shop: Shop, name: str, path: Path) -> dict:
    with translation.override("zh-hans"):
        job = import_job_create(shop=shop, format_name=name, path=str(path))
        return import_summary(import_job_run(job_id=job.pk))


@pytest.fixture
def new_world(db, tmp_path):
    """The new shop: one order (RT-1), a bad review with hostile text and two chat sessions, all imported."""
    built = new_shop_with_order("pages-new")
    shop = Shop.objects.get(code=built["shop"])
    reviews = _write(tmp_path / "reviews.csv", ["订单编号", "买家", "评价时间", "描述相符", "服务态度", "物流服务", "评价内容"], [
        ["RT-1", "买家甲", "2026-11-15 10:00:00", "1", "2", "5", EVIL],
        ["RT-9", "买家乙", "2026-11-16 10:00:00", "5", "5", "5", "很好"]])
    assert _import(shop, "reviews", reviews)["status"] == "done"
    chats = _write(tmp_path / "chats.csv", ["会话ID", "顾客账号", "客服账号", "发送方", "发送时间", "消息内容"], [
        ["S1", "rt-buyer", "kefu01", "顾客", "2026-11-10 09:00:00", "有货吗"],
        ["S1", "rt-buyer", "kefu01", "客服", "2026-11-10 09:00:40", "有的"]])
    assert _import(shop, "jd-dongdong-chats", chats)["status"] == "done"
    users = {role: user_create(username=f"{role}-pages", password="x-Pages-2026!", role=role, shops=[shop],
                               validate=False) for role in roles.ROLES}
    return {"shop": shop, "users": users, "order": Order.objects.get(shop=shop, order_no="RT-1")}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_for_its_roles_and_is_refused_to_the_others(client_as, name):
    for role in roles.ROLES:
        status = _zh(client_as(role), reverse(name)).status_code
        assert status == (403 if role == roles.ADS else 200), (role, name)


def test_the_pages_of_a_new_shop_render_in_chinese_without_codes(new_world):
    client = _client(new_world["users"]["service"])
    for name in PAGES:
        html = _zh(client, reverse(name) + "?from=2026-11-01&to=2026-11-30&inline=1").content.decode()
        assert "客服" in html or "退" in html, name
        for code in ("return_refund", "refund_only", "no_reason_7d", "not_as_described", "breached", "jd_dongdong"):
            assert code not in html.replace('value="' + code, ""), (name, code)
    html = _zh(client, reverse("web:service_reviews") + "?from=2026-11-01&to=2026-11-30&inline=1").content.decode()
    assert "描述相符" in html and "服务态度" in html and "物流服务" in html


def test_imported_review_text_is_escaped(new_world):
    client = _client(new_world["users"]["admin"])
    html = _zh(client, reverse("web:service_reviews") + "?from=2026-11-01&to=2026-11-30&bad=1").content.decode()
    assert EVIL not in html and "&lt;script&gt;" in html


def test_another_shops_reviews_and_returns_never_show(new_world, client_as):
    html = _zh(client_as("admin"), reverse("web:service_reviews") + "?from=2026-11-01&to=2026-11-30").content.decode()
    assert "买家甲" not in html and "&lt;script&gt;alert" not in html
    assert _zh(client_as("admin"), reverse("web:service_return_new", args=[new_world["order"].pk])).status_code == 404


def test_a_return_made_on_the_pages_walks_the_flow(new_world):
    shop, order = new_world["shop"], new_world["order"]
    client = _client(new_world["users"]["service"])
    line = OrderLine.objects.get(order=order, sku__sku_code="RT-A")
    url = reverse("web:service_return_new", args=[order.pk])
    page = _zh(client, url).content.decode()
    assert "¥270.00" in page  # the line's refundable amount, in the house's money format
    too_many = client.post(url, {"kind": "return_refund", "reason": "size", f"qty_{line.pk}": "9"}, **ZH)
    assert too_many.status_code == 422 and "1" in too_many.content.decode()
    assert not ReturnRequest.objects.filter(shop=shop).exists()
    bad_amount = client.post(url, {"kind": "return_refund", "reason": "size", f"qty_{line.pk}": "1",
                                   f"amount_{line.pk}": "abc"}, **ZH)
    assert bad_amount.status_code == 422 and not ReturnRequest.objects.filter(shop=shop).exists()
    made = client.post(url, {"kind": "return_refund", "reason": "size", f"qty_{line.pk}": "1"})
    found = ReturnRequest.objects.get(shop=shop)
    detail = reverse("web:service_return", args=[found.pk])
    assert made.status_code == 302 and made["Location"] == detail
    client.post(detail, {"action": "approve"})
    client.post(detail, {"action": "ship", "logistics_company": "", "logistics_no": ""})
    found.refresh_from_db()
    assert found.status == "approved"  # the tracking number is required: nothing moved
    client.post(detail, {"action": "ship", "logistics_company": "中通快递", "logistics_no": "ZT1"})
    rline = found.lines.get()
    client.post(detail, {"action": "receive", f"condition_{rline.pk}": "defective"})
    client.post(detail, {"action": "refund"})
    found.refresh_from_db()
    rline.refresh_from_db()
    assert (found.status, found.refunded_fen, rline.condition) == ("refunded", 9000, "defective")
    html = _zh(client, detail).content.decode()
    assert "¥90.00" in html and "中通快递" in html and "defective" not in html.replace('value="defective"', "")


def test_only_editors_take_steps(new_world):
    shop, order = new_world["shop"], new_world["order"]
    line = OrderLine.objects.get(order=order, sku__sku_code="RT-B")
    made, _new = services.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="quality",
                                         lines=[services.ReturnLineInput(line.pk, 1)])
    detail = reverse("web:service_return", args=[made.pk])
    viewer = _client(new_world["users"]["viewer"])
    assert viewer.get(detail).status_code == 200
    assert viewer.post(detail, {"action": "approve"}).status_code == 403
    made.refresh_from_db()
    assert made.status == "requested"


def test_the_dashboard_shows_the_selectors_numbers(new_world):
    shop, order = new_world["shop"], new_world["order"]
    line = OrderLine.objects.get(order=order, sku__sku_code="RT-A")
    services.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                            lines=[services.ReturnLineInput(line.pk, 2)],
                            at=dt.datetime(2026, 11, 12, 2, 0, tzinfo=dt.UTC))
    client = _client(new_world["users"]["admin"])
    query = "?from=2026-11-01&to=2026-11-30"
    panel = _zh(client, reverse("web:service_dashboard_panel") + query)
    context = panel.context
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    assert context["by_reason"] == selectors.returns_by_reason(shop=shop, date_from=start, date_to=end)
    assert context["by_sku"][0]["units"] == 2 and context["by_sku"][0]["sku_code"] == "RT-A"
    refunds = dashboard_selectors.refund_figures(shop=shop, date_from=start, date_to=end)
    assert context["refunds"]["returns"] == refunds["returns"] == 1
    html = panel.content.decode()
    assert "尺码" in html  # the reason's Chinese name
    assert f'href="{reverse("web:service_sku_returns", args=["RT-A"])}"' in html  # the SKU's page, by its code
    with translation.override("zh-hans"):
        no_data = translation.gettext("no data")
    dispute = html.split('data-kpi="dispute-rate"', 1)[1].split("</div></div>", 1)[0]
    assert refunds["dispute_rate"] is None and no_data in dispute and "0" not in dispute  # said, never 0
    chats = context["chat_agents"]
    assert [row["agent"] for row in chats] == ["kefu01"] and chats[0]["sessions"] == 1
    assert "kefu01" in html


def test_open_tickets_by_age_count_what_the_selector_counts(shop, client_as):
    from shopops.core.clock import now

    found = dashboard_selectors.open_tickets_by_age(shop=shop, now=now())
    response = _zh(client_as("service"), reverse("web:service_dashboard"))
    assert response.context["tickets"]["total"] == found["total"]
    assert response.context["tickets"]["totals"] == [found["totals"][s] for s in dashboard_selectors.SLA_COLUMNS]


def test_the_sku_page_links_to_its_top_return_reasons(new_world):
    client = _client(new_world["users"]["service"])
    sku_page = _zh(client, reverse("web:inventory_sku", args=["RT-A"])).content.decode()
    url = reverse("web:service_sku_returns", args=["RT-A"])
    assert url in sku_page
    assert _zh(client, url).status_code == 200
    assert _zh(client, reverse("web:service_sku_returns", args=["NOPE"])).status_code == 404


def test_a_bad_period_is_said_and_the_default_used(client_as):
    response = _zh(client_as("admin"), reverse("web:service_chats") + "?from=2026-13-01")
    assert response.status_code == 200
    assert response.context["start"] <= response.context["end"]


def test_the_dashboard_credits_each_agent_with_the_refunds_of_what_it_sold(new_world, tmp_path):
    """RT-1 (paid 10:00 on 11-11, Tmall) follows a 千牛 inquiry served by 小美 at 09:00: 小美 is credited with it,
    and its refund — through a return that took 30 hours — is 小美's refund rate and refund time."""
    shop, order = new_world["shop"], new_world["order"]
    CustomerIdentity.objects.create(shop=shop, customer=order.customer, channel="tmall", external_id="rt-buyer")
    chats = _write(tmp_path / "qn.csv", ["买家昵称", "客服昵称", "发送者", "发送时间", "消息内容"], [
        ["rt-buyer", "小美", "rt-buyer", "2026-11-11 09:00:00", "这件有货吗"],
        ["rt-buyer", "小美", "小美", "2026-11-11 09:00:30", "有的亲"]])
    assert _import(shop, "qianniu-chats", chats)["status"] == "done"
    line = OrderLine.objects.get(order=order, sku__sku_code="RT-A")
    asked = dt.datetime(2026, 11, 12, 2, 0, tzinfo=dt.UTC)
    request, _created = services.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="size",
                                                lines=[services.ReturnLineInput(line.pk, 1)], at=asked)
    services.return_approve(shop=shop, return_id=request.pk, at=asked)
    services.return_refund(shop=shop, return_id=request.pk, at=asked + dt.timedelta(hours=30))
    order.refresh_from_db()
    figures = chat_selectors.agent_refund_figures(shop=shop, date_from="2026-11-01", date_to="2026-11-30")
    assert set(figures) == {"小美"}
    mei = figures["小美"]
    assert (mei["orders"], mei["paid_fen"], mei["refunded_fen"]) == (1, order.paid_fen, order.refunded_fen) \
        and order.refunded_fen > 0
    assert mei["refund_rate"] == round(order.refunded_fen / order.paid_fen, 4)
    assert mei["refund_p50_seconds"] == 30 * 3600
    panel = _zh(_client(new_world["users"]["admin"]), reverse("web:service_dashboard_panel")
                + "?from=2026-11-01&to=2026-11-30")
    row = next(r for r in panel.context["chat_agents"] if r["agent"] == "小美")
    assert row["refunds"] == mei and row["refund_duration"] == "1.2 天"
