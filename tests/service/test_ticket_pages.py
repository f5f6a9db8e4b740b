"""The ticket and SLA pages: who sees them, what their forms change and how they refuse bad input, escaping of
what customers wrote, one shop never seeing another's tickets, and words instead of codes on the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from shopops.orders.models import Order
from shopops.service.models import BusinessCalendar, SlaPolicy, Ticket, TicketEvent
from shopops.service.services.calendars import sla_policy_create
from shopops.service.services.tickets import ticket_open

SCRIPT = "<script>alert(1)</script>"
# codes a page must never show as text (they may sit in option values and URLs)
RAW_CODES = ("bad_review", "inquiry", "first_response", "next_response", "agent_reply", "customer_message",
             "breached", "pending", "taobao", "douyin", "urgent")


def visible_text(html: str) -> str:
    """The page's words: tags, attribute values and scripts stripped."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def order(shop) -> Order:
    return Order.objects.filter(shop=shop).select_related("customer").order_by("id").first()


@pytest.fixture
def ticket(shop, order) -> Ticket:
    sla_policy_create(shop=shop, name="标准", first_response=60, next_response=120, resolution=480)
    ticket, _created = ticket_open(shop=shop, subject=f"客户留言 {SCRIPT}", order_id=order.pk, kind="bad_review",
                                   priority="urgent", text=f"买家说 {SCRIPT}",
                                   at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))
    return ticket


def act(client, ticket, **data):
    return client.post(reverse("web:service_ticket_act", args=[ticket.pk]), data)


def test_the_list_shows_words_badges_and_filters(client_as, ticket):
    response = client_as("service").get(reverse("web:service_tickets"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"#{ticket.pk} " in html and "&lt;script&gt;" in html and SCRIPT not in html
    text = visible_text(html)
    for code in RAW_CODES:
        assert not re.search(rf"\b{code}\b", text), code
    assert ticket.get_kind_display() in text and ticket.get_priority_display() in text
    filtered = client_as("service").get(reverse("web:service_tickets"), {"type": "inquiry"}).content.decode()
    assert f"#{ticket.pk} " not in filtered


def test_a_passed_due_time_shows_and_filters_as_breached(client_as, ticket):
    """The stored state dates from the ticket's last event; a due time gone by is a breach on the list."""
    assert ticket.sla_state != "breached" and ticket.first_response_due is not None
    html = client_as("service").get(reverse("web:service_tickets"), {"sla": "breached"}).content.decode()
    assert f"#{ticket.pk} " in html and "✕" in html
    html = client_as("service").get(reverse("web:service_tickets"), {"sla": "ok"}).content.decode()
    assert f"#{ticket.pk} " not in html


def test_my_tickets_lists_only_mine(client_as, user_of, shop, ticket):
    mine, _new = ticket_open(shop=shop, subject="只给客服的工单", assignee_id=user_of("service").pk)
    html = client_as("service").get(reverse("web:service_tickets"), {"assignee": "me"}).content.decode()
    assert f"#{mine.pk} " in html and f"#{ticket.pk} " not in html


def test_the_detail_shows_order_customer_sla_and_escaped_history(client_as, ticket, order):
    response = client_as("service").get(reverse("web:service_ticket", args=[ticket.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("web:order_detail", args=[order.pk]) in html
    assert reverse("web:customer_detail", args=[order.customer_id]) in html
    assert 'id="sla-targets"' in html and 'id="history"' in html
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = visible_text(html)
    for code in RAW_CODES:
        assert not re.search(rf"\b{code}\b", text), code


def test_a_viewer_reads_without_forms_and_ads_is_refused(client_as, ticket):
    html = client_as("viewer").get(reverse("web:service_ticket", args=[ticket.pk])).content.decode()
    assert 'name="action"' not in html
    assert client_as("ads").get(reverse("web:service_ticket", args=[ticket.pk])).status_code == 403
    assert act(client_as("viewer"), ticket, action="note", text="x").status_code == 403
    assert client_as("viewer").get(reverse("web:service_ticket_new")).status_code == 403


def test_actions_change_the_ticket(client_as, user_of, shop, ticket):
    client = client_as("service")
    assert act(client, ticket, action="reply", text="您好，已为您处理").status_code == 302
    assert act(client, ticket, action="note", text="内部：查物流").status_code == 302
    assert act(client, ticket, action="assign", assignee=str(user_of("operator").pk)).status_code == 302
    assert act(client, ticket, action="pause").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING and ticket.assignee == user_of("operator")
    assert act(client, ticket, action="resume").status_code == 302
    assert act(client, ticket, action="resolve").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED and ticket.first_response_at is not None
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {"agent_reply", "note", "assigned", "status"} <= set(kinds)
    assert act(client, ticket, action="close").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_bad_actions_say_why_and_change_nothing(client_as, shop, ticket):
    client = client_as("service")
    events = TicketEvent.objects.filter(ticket=ticket).count()
    response = act(client, ticket, action="reply", text="   ")
    assert response.status_code == 422 and 'data-field="reply"' in response.content.decode()
    response = act(client, ticket, action="merge", into="abc")
    assert response.status_code == 422 and 'data-field="into"' in response.content.decode()
    response = act(client, ticket, action="merge", into=str(ticket.pk))
    assert response.status_code == 422
    response = act(client, ticket, action="resume")  # open, not waiting: not allowed
    assert response.status_code == 422 and 'id="action-error"' in response.content.decode()
    assert act(client, ticket, action="explode").status_code == 404
    assert TicketEvent.objects.filter(ticket=ticket).count() == events


def test_merge_into_another_ticket(client_as, shop, ticket):
    other, _new = ticket_open(shop=shop, subject="同一个客户的另一张工单", customer_id=ticket.customer_id)
    response = act(client_as("service"), ticket, action="merge", into=f"#{other.pk}")
    assert response.status_code == 302 and response.url == reverse("web:service_ticket", args=[other.pk])
    ticket.refresh_from_db()
    assert ticket.merged_into == other and ticket.status == Ticket.Status.CLOSED
    html = client_as("service").get(reverse("web:service_ticket", args=[ticket.pk])).content.decode()
    assert 'name="action"' not in html  # a merged ticket is worked on in the other one


def test_a_new_ticket_from_the_order_page(client_as, shop, order):
    client = client_as("service")
    page = client.get(reverse("web:order_detail", args=[order.pk])).content.decode()
    link = f"{reverse('web:service_ticket_new')}?order={order.pk}"
    assert link in page
    assert f'value="{order.order_no}"' in client.get(link).content.decode()
    response = client.post(reverse("web:service_ticket_new"), {
        "channel": "", "type": "logistics", "priority": "high", "order_no": order.order_no, "customer": "",
        "assignee": "", "subject": "", "text": "快递三天没动了"})
    assert response.status_code == 302
    ticket = Ticket.objects.filter(shop=shop).latest("id")
    assert (ticket.order, ticket.customer_id, ticket.kind) == (order, order.customer_id, "logistics")
    assert ticket.subject == "快递三天没动了" and ticket.channel == order.channel
    assert "order=" not in client_as("viewer").get(reverse("web:order_detail", args=[order.pk])).content.decode()


def test_a_new_ticket_with_bad_fields_names_them(client_as, shop):
    before = Ticket.objects.filter(shop=shop).count()
    response = client_as("service").post(reverse("web:service_ticket_new"), {
        "channel": "nowhere", "type": "logistics", "priority": "high", "order_no": "NO-SUCH-ORDER",
        "customer": "NO-SUCH-CUSTOMER", "assignee": "", "subject": "", "text": "x"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-field="order_no"' in html and 'data-field="customer"' in html and "NO-SUCH-ORDER" in html
    response = client_as("service").post(reverse("web:service_ticket_new"), {
        "channel": "nowhere", "type": "logistics", "priority": "high", "order_no": "", "customer": "",
        "assignee": "somebody", "subject": "", "text": "x"})
    assert response.status_code == 422 and 'data-field="assignee"' in response.content.decode()
    response = client_as("service").post(reverse("web:service_ticket_new"), {
        "channel": "nowhere", "type": "logistics", "priority": "high", "order_no": "", "customer": "",
        "assignee": "", "subject": "", "text": "x"})
    assert response.status_code == 422 and 'data-field="channel"' in response.content.decode()
    assert Ticket.objects.filter(shop=shop).count() == before


def test_another_shop_never_sees_the_ticket(client, second_shop, ticket):
    client.force_login(second_shop.users["service"])
    assert client.get(reverse("web:service_ticket", args=[ticket.pk])).status_code == 404
    assert act(client, ticket, action="note", text="越界").status_code == 404
    listed = client.get(reverse("web:service_tickets")).content.decode()
    assert f"#{ticket.pk} " not in listed and "客户留言" not in listed
    mine, _new = ticket_open(shop=second_shop.shop, subject="乙店工单")
    response = client.post(reverse("web:service_ticket_act", args=[mine.pk]), {"action": "merge",
                                                                              "into": str(ticket.pk)})
    assert response.status_code == 422
    assert Ticket.objects.get(pk=mine.pk).merged_into is None


def test_sla_attainment_lists_breaches(client_as, ticket):
    response = client_as("viewer").get(reverse("web:service_sla"),
                                       {"date_from": "2026-11-01", "date_to": "2026-11-30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("web:service_ticket", args=[ticket.pk]) in html  # long overdue: a breach
    assert 'id="sla-by-agent"' in html and 'id="sla-by-channel"' in html
    bad = client_as("viewer").get(reverse("web:service_sla"), {"date_from": "nonsense"})
    assert bad.status_code == 200 and 'class="error"' in bad.content.decode()


def save(client, **data):
    return client.post(reverse("web:service_settings_save"), data)


WEEK = {f"week{i}": "09:00-12:00, 13:30-18:00" for i in range(5)} | {"week5": "", "week6": ""}


def test_settings_save_a_calendar_and_a_policy(client_as, shop):
    admin = client_as("admin")
    assert admin.get(reverse("web:service_settings")).status_code == 200
    response = save(admin, what="calendar", name="大促客服", timezone="Asia/Shanghai", holidays="cn",
                    closed="2026-12-24\n2026-12-25", working="2026-12-27", **WEEK)
    assert response.status_code == 302
    record = BusinessCalendar.objects.get(shop=shop, name="大促客服")
    assert record.week[0] == "09:00-12:00, 13:30-18:00" and record.closed_dates == ["2026-12-24", "2026-12-25"]
    response = save(admin, what="policy", policy="", name="抖音差评", channel="douyin", type="bad_review",
                    priority="", first_response="30", next_response="", resolution="240", warn_percent="80",
                    calendar="大促客服", active="1")
    assert response.status_code == 302
    policy = SlaPolicy.objects.get(shop=shop, name="抖音差评")
    assert (policy.first_response_minutes, policy.resolution_minutes, policy.calendar) == (30, 240, record)
    response = save(admin, what="policy", policy=str(policy.pk), name="抖音差评", channel="douyin",
                    type="bad_review", priority="", first_response="45", next_response="", resolution="240",
                    warn_percent="80", calendar="大促客服", active="")
    policy.refresh_from_db()
    assert response.status_code == 302 and policy.first_response_minutes == 45 and not policy.active
    html = admin.get(reverse("web:service_settings")).content.decode()
    text = visible_text(html)
    assert "大促客服" in text and not re.search(r"\b(douyin|bad_review)\b", text)


def test_settings_refuse_bad_fields_by_name(client_as, shop):
    admin = client_as("admin")
    response = save(admin, what="calendar", name="坏日历", timezone="Mars/Base", holidays="cn",
                    closed="2026-13-45", working="", **{**WEEK, "week0": "9点到6点"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-field="closed"' in html and "2026-13-45" in html
    assert 'data-field="week0"' in html and 'data-field="timezone"' in html  # every problem at once
    response = save(admin, what="calendar", name="坏日历", timezone="Mars/Base", holidays="cn", closed="",
                    working="", **{**WEEK, "week0": "9点到6点"})
    html = response.content.decode()
    assert response.status_code == 422 and 'data-field="week0"' in html and 'data-field="timezone"' in html
    assert not BusinessCalendar.objects.filter(shop=shop, name="坏日历").exists()
    response = save(admin, what="policy", policy="", name="", channel="", type="", priority="",
                    first_response="abc", next_response="", resolution="0", warn_percent="150", calendar="",
                    active="1")
    html = response.content.decode()
    assert response.status_code == 422
    for field in ("name", "first_response", "warn_percent"):
        assert f'data-field="{field}"' in html, field
    assert not SlaPolicy.objects.filter(shop=shop).exists()


def test_only_an_administrator_changes_the_settings(client_as, shop):
    html = client_as("service").get(reverse("web:service_settings")).content.decode()
    assert "service_settings_save" not in html and reverse("web:service_settings_save") not in html
    assert save(client_as("operator"), what="policy", name="x", resolution="60").status_code == 403
    assert not SlaPolicy.objects.filter(shop=shop).exists()
