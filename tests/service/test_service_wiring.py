"""The wiring between the service parts: bad reviews become 差评 tickets (one per review, a re-import opens none),
a return request opens or joins its order's 退换货 ticket (once per return), and an imported chat of a customer
with an open ticket about an order adds its messages to that ticket; a chat asking for after-sales help about a
paid order opens one ticket (once per session), a pre-sales question none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from shopops.channels.models import ChannelAccount
from shopops.core.models import Shop
from shopops.imports.services import export_sample, import_job_create, import_job_run, import_summary
from shopops.members.models import CustomerIdentity
from shopops.orders.models import Order, OrderLine
from shopops.service import selectors
from shopops.service import services as returns
from shopops.service.models import Review, Ticket, TicketEvent, TicketKind
from shopops.service.services.return_tickets import return_ticket_ensure
from shopops.service.services.tickets import ticket_open
from tests.service.returns_world import new_shop_with_order


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _import(shop, name: str, path: Path, **options) -> dict:
    job = import_job_create(shop=shop, format_name=name, path=str(path), **options)
    return import_summary(import_job_run(job_id=job.pk))


def _events(shop) -> list[tuple]:
    return list(TicketEvent.objects.filter(shop=shop).order_by("pk").values_list("pk", "kind", "at", "text"))


def test_bad_reviews_become_one_ticket_each_and_a_reimport_changes_nothing(shop, tmp_path):
    path = tmp_path / "评价.csv"
    export_sample(shop=shop, format_name="reviews", path=str(path), limit=300)
    first = _import(shop, "reviews", path)
    assert first["status"] == "done", first["errors"]
    since = min(Review.objects.filter(shop=shop).values_list("reviewed_at", flat=True)).date()
    bad = list(selectors.bad_reviews(shop, since - dt.timedelta(days=1)))
    assert bad, "the sample has bad reviews"
    tickets = Ticket.objects.filter(shop=shop, kind=TicketKind.BAD_REVIEW)
    assert first["changes"]["bad_review_tickets"] == len(bad) == tickets.count()
    assert {t.order_id for t in tickets} == {r.order_id for r in bad}
    for review in bad:
        ticket = tickets.get(order_id=review.order_id)
        assert ticket.created_at == review.reviewed_at and ticket.priority == "high"
        assert ticket.customer_id == Order.objects.get(pk=review.order_id).customer_id
    before = _events(shop)
    again = _import(shop, "reviews", path)
    assert again["status"] == "done" and again["changes"]["bad_review_tickets"] == 0
    assert _events(shop) == before


def test_a_dry_run_of_reviews_opens_no_ticket(shop, tmp_path):
    path = tmp_path / "评价.csv"
    export_sample(shop=shop, format_name="reviews", path=str(path), limit=300)
    assert _import(shop, "reviews", path, options={"dry_run": "1"})["status"] == "done"
    assert not Ticket.objects.filter(shop=shop).exists()


@pytest.fixture
def world(db):
    info = new_shop_with_order("wire-rt")
    shop = Shop.objects.get(code=info["shop"])
    order = Order.objects.get(shop=shop, order_no=info["order_no"])
    line_a, line_b = OrderLine.objects.filter(order=order).order_by("pk")
    return shop, order, line_a, line_b


def test_a_return_request_opens_its_orders_ticket_and_a_second_one_joins_it(world):
    shop, order, line_a, line_b = world
    first, _ = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                                      lines=[returns.ReturnLineInput(line_a.pk, 1)], note="尺码偏小")
    ticket = Ticket.objects.get(shop=shop)
    assert (ticket.kind, ticket.order_id, ticket.customer_id, ticket.channel) == (
        TicketKind.RETURN, order.pk, order.customer_id, "tmall")
    assert ticket.events.get(kind="created").text == "尺码偏小"
    second, _ = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="quality",
                                       lines=[returns.ReturnLineInput(line_b.pk, 1)])
    assert Ticket.objects.filter(shop=shop).count() == 1  # joined, not a duplicate
    assert ticket.events.filter(kind="merged", data__return=second.pk).exists()
    before = _events(shop)
    assert return_ticket_ensure(shop=shop, request=first) is None
    assert return_ticket_ensure(shop=shop, request=second) is None
    again, created = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                                            lines=[returns.ReturnLineInput(line_a.pk, 1)], external_no="TB-9")
    assert created
    again_same, created = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                                                 lines=[returns.ReturnLineInput(line_a.pk, 1)], external_no="TB-9")
    assert not created and again_same.pk == again.pk
    assert len(_events(shop)) == len(before) + 1  # the new return joined once; its repeat added nothing


def test_a_refused_return_opens_no_ticket(world):
    shop, order, line_a, _line_b = world
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                               lines=[returns.ReturnLineInput(line_a.pk, 99)])
    assert not Ticket.objects.filter(shop=shop).exists()


def _chat_file(path: Path, rows: list[tuple[str, str, str, str, dt.datetime, str]]) -> Path:
    lines = ["会话ID,买家昵称,客服昵称,发送方,发送时间,消息内容"]
    lines += [f"{s},{b},{a},{side},{at.astimezone(dt.timezone(dt.timedelta(hours=8))):%Y-%m-%d %H:%M:%S},{t}"
              for s, b, a, side, at, t in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_chat_joins_the_open_ticket_of_its_customer_and_opens_none_otherwise(shop, tmp_path):
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    with_ticket, without = (CustomerIdentity.objects.filter(shop=shop, channel="tmall")
                            .exclude(customer=None).order_by("pk")[:2])
    order = Order.objects.filter(shop=shop, customer_id=with_ticket.customer_id).order_by("pk").first()
    opened = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    ticket, _ = ticket_open(shop=shop, subject="物流咨询", kind=TicketKind.LOGISTICS, order_id=order.pk, at=opened)
    minute = dt.timedelta(minutes=1)
    rows = [("S1", with_ticket.external_id, "客服小美", "买家", opened - minute, "在吗"),  # before the ticket
            ("S1", with_ticket.external_id, "客服小美", "买家", opened + minute, "快递到哪了"),
            ("S1", with_ticket.external_id, "客服小美", "客服", opened + 3 * minute, "亲，已经在派送了"),
            ("S1", with_ticket.external_id, "客服小美", "系统", opened + 4 * minute, "会话结束"),
            ("S2", without.external_id, "客服阿杰", "买家", opened, "有优惠吗"),
            ("S2", without.external_id, "客服阿杰", "客服", opened + minute, "亲，下单立减")]
    path = _chat_file(tmp_path / "qianniu.csv", rows)
    first = _import(shop, "qianniu-chats", path, channel_account=account.name)
    assert first["status"] == "done", first["errors"]
    assert first["changes"]["ticket_messages"] == 2
    assert Ticket.objects.filter(shop=shop).count() == 1  # no ticket for the other chat
    ticket.refresh_from_db()
    kinds = list(ticket.events.order_by("at", "pk").values_list("kind", "text"))
    assert kinds == [("created", ""), ("customer_message", "快递到哪了"), ("agent_reply", "亲，已经在派送了")]
    assert ticket.first_response_at == opened + 3 * minute
    before = _events(shop)
    again = _import(shop, "qianniu-chats", path, channel_account=account.name)
    assert again["status"] == "done" and again["changes"]["ticket_messages"] == 0
    assert _events(shop) == before


def test_a_chat_leaves_a_resolved_ticket_alone(shop, tmp_path):
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    identity = CustomerIdentity.objects.filter(shop=shop, channel="tmall").exclude(customer=None).order_by("pk")[0]
    order = Order.objects.filter(shop=shop, customer_id=identity.customer_id).order_by("pk").first()
    opened = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    ticket, _ = ticket_open(shop=shop, subject="咨询", order_id=order.pk, at=opened)
    returns_resolved = Ticket.objects.filter(pk=ticket.pk)
    returns_resolved.update(status=Ticket.Status.RESOLVED)
    path = _chat_file(tmp_path / "q.csv", [("S9", identity.external_id, "客服小美", "买家",
                                              opened + dt.timedelta(hours=1), "谢谢")])
    summary = _import(shop, "qianniu-chats", path, channel_account=account.name)
    assert summary["status"] == "done" and summary["changes"]["ticket_messages"] == 0
    assert ticket.events.count() == 1


def _tmall_buyer(shop):
    """A tmall customer's identity, their newest tmall order and a time after it was paid."""
    for identity in CustomerIdentity.objects.filter(shop=shop, channel="tmall").exclude(customer=None).order_by("pk"):
        order = (Order.objects.filter(shop=shop, customer_id=identity.customer_id, channel="tmall")
                 .exclude(paid_at=None).order_by("-paid_at", "-pk").first())
        if order is not None:
            return identity, order, order.paid_at + dt.timedelta(days=2)
    raise AssertionError("the demo shop has a tmall buyer")


def test_an_after_sales_chat_opens_one_ticket_about_the_order(shop, tmp_path):
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    identity, order, at = _tmall_buyer(shop)
    minute = dt.timedelta(minutes=1)
    path = _chat_file(tmp_path / "q.csv", [("R1", identity.external_id, "客服小美", "买家", at, "在吗"),
                                          ("R1", identity.external_id, "客服小美", "买家", at + minute, "杯子破损了，我要退货"),
                                          ("R1", identity.external_id, "客服小美", "客服", at + 2 * minute, "亲，马上处理")])
    first = _import(shop, "qianniu-chats", path, channel_account=account.name)
    assert first["status"] == "done", first["errors"]
    ticket = Ticket.objects.get(shop=shop, order=order)
    assert (ticket.kind, ticket.channel, ticket.customer_id, ticket.created_at) == (
        TicketKind.RETURN, "tmall", identity.customer_id, at + minute)
    assert "退货" in ticket.subject and identity.external_id in ticket.subject
    kinds = list(ticket.events.order_by("at", "pk").values_list("kind", "text"))
    assert kinds == [("created", ""), ("customer_message", "杯子破损了，我要退货"), ("agent_reply", "亲，马上处理")]
    assert first["changes"]["ticket_messages"] == 2
    before = _events(shop)
    _import(shop, "qianniu-chats", path, channel_account=account.name)
    assert _events(shop) == before  # the re-import opens nothing and copies nothing
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    _import(shop, "qianniu-chats", path, channel_account=account.name)
    assert Ticket.objects.filter(shop=shop, order=order).count() == 1  # one ticket per session, even closed


def test_a_complaint_is_urgent_and_a_presale_question_opens_nothing(shop, tmp_path):
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    identity, order, at = _tmall_buyer(shop)
    before = Ticket.objects.filter(shop=shop).count()
    path = _chat_file(tmp_path / "q.csv", [("P1", identity.external_id, "客服小美", "买家", at, "这款支持退货吗"),
                                          ("P2", "从没买过的人", "客服小美", "买家", at, "我要退款")])
    assert _import(shop, "qianniu-chats", path, channel_account=account.name)["status"] == "done"
    assert Ticket.objects.filter(shop=shop).count() == before  # a question before buying; a buyer with no order
    path = _chat_file(tmp_path / "c.csv", [("C1", identity.external_id, "客服小美", "买家", at, "还没到货，我要投诉")])
    _import(shop, "qianniu-chats", path, channel_account=account.name)
    ticket = Ticket.objects.get(shop=shop, order=order)
    assert (ticket.kind, ticket.priority) == (TicketKind.COMPLAINT, "high")


def test_a_chat_before_the_order_was_paid_opens_nothing(shop, tmp_path):
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    identity, order, _at = _tmall_buyer(shop)
    first_paid = (Order.objects.filter(shop=shop, customer_id=identity.customer_id, channel="tmall")
                  .exclude(paid_at=None).order_by("paid_at").first().paid_at)
    before = Ticket.objects.filter(shop=shop).count()
    path = _chat_file(tmp_path / "q.csv", [("E1", identity.external_id, "客服小美", "买家",
                                           first_paid - dt.timedelta(days=1), "我要退货")])
    assert _import(shop, "qianniu-chats", path, channel_account=account.name)["status"] == "done"
    assert Ticket.objects.filter(shop=shop).count() == before
