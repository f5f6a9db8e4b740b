"""/api/v1/service/tickets: list with filters and paging, detail with history and SLA, open (joining the open
ticket of the same order), the actions, permissions per role and shop isolation; on the demo shop and on a
new shop. (Mounted by the root API: api.add_router("/service/tickets", …).)"""

from __future__ import annotations

import pytest
from django.test import Client

from shopops.core.services import shop_create, user_create
from shopops.orders.models import Order
from shopops.service.services.calendars import sla_policy_create
from shopops.service.services.tickets import ticket_open
from tests.conftest import PASSWORD

URL = "/api/v1/service/tickets"


def post(client: Client, path: str, body: dict) -> object:
    return client.post(path, data=body, content_type="application/json")


def test_open_act_and_read_a_ticket(api_as, shop):
    sla_policy_create(shop=shop, name="标准", first_response=60, resolution=480)
    client = api_as("service")
    order = Order.objects.filter(shop=shop).order_by("id").first()
    created = post(client, URL, {"subject": "少发一件", "type": "complaint", "priority": "high",
                                 "order": order.pk, "assignee": "service", "tags": ["少件"], "text": "只收到一件"})
    assert created.status_code == 201, created.content
    ticket = created.json()
    assert ticket["type"] == "complaint" and ticket["assignee"] == "service" and ticket["policy"] == "标准"
    assert ticket["order"] == {"id": order.pk, "order_no": order.order_no}
    assert ticket["customer"]["id"] == order.customer_id and ticket["channel"] == order.channel
    assert ticket["sla"]["first_response"]["state"] in ("ok", "warning", "breached")
    assert [e["kind"] for e in ticket["history"]] == ["created", "assigned"]
    joined = post(client, URL, {"subject": "还是少一件", "order": order.pk})
    assert joined.status_code == 200 and joined.json()["id"] == ticket["id"]
    path = f"{URL}/{ticket['id']}"
    assert post(client, f"{path}/reply", {"text": "马上补发"}).json()["first_response_at"] is not None
    assert post(client, f"{path}/note", {"text": "仓库漏拣"}).status_code == 200
    paused = post(client, f"{path}/pause", {}).json()
    assert paused["status"] == "pending" and paused["resolution_due"] is None
    assert post(client, f"{path}/resume", {}).json()["status"] == "open"
    assert post(client, f"{path}/assign", {"assignee": "operator"}).json()["assignee"] == "operator"
    assert post(client, f"{path}/resolve", {"text": "已补发"}).json()["status"] == "resolved"
    closed = post(client, f"{path}/close", {}).json()
    assert closed["status"] == "closed"
    assert [e["kind"] for e in closed["history"]] == [
        "created", "assigned", "merged", "agent_reply", "note", "status", "status", "assigned", "status", "status"]
    assert client.get(path).json()["history"][3]["actor"] == "service"


def test_bad_input_names_the_field_and_changes_nothing(api_as, shop):
    client = api_as("service")
    bad = post(client, URL, {"subject": "", "type": "spam", "assignee": "nobody"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"subject", "type", "assignee"}
    assert client.get(URL).json()["count"] == 0
    ticket, _ = ticket_open(shop=shop, subject="x")
    assert post(client, f"{URL}/{ticket.pk}/reply", {"text": "  "}).status_code == 422
    assert post(client, f"{URL}/{ticket.pk}/assign", {}).status_code == 422
    assert post(client, f"{URL}/{ticket.pk}/resume", {}).status_code == 422  # open, not pending
    assert post(client, f"{URL}/{ticket.pk}/merge", {"into": ticket.pk}).status_code == 422
    detail = client.get(f"{URL}/{ticket.pk}").json()
    assert [e["kind"] for e in detail["history"]] == ["created"] and detail["status"] == "open"


def test_list_filters_and_paging(api_as, shop, user_of):
    for index in range(3):
        ticket_open(shop=shop, subject=f"咨询{index}", channel="tmall", assignee_id=user_of("service").pk)
    ticket_open(shop=shop, subject="差评", kind="bad_review", channel="jd")
    client = api_as("viewer")
    assert client.get(URL).json()["count"] == 4
    assert [t["subject"] for t in client.get(URL, {"type": "bad_review"}).json()["items"]] == ["差评"]
    assert client.get(URL, {"assignee": "service"}).json()["count"] == 3
    assert client.get(URL, {"assignee": "-"}).json()["count"] == 1
    assert client.get(URL, {"channel": "jd", "status": "open"}).json()["count"] == 1
    page = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    assert client.get(URL, {"status": "gone"}).status_code == 422


def test_permissions_per_role(api_as, shop):
    ticket, _ = ticket_open(shop=shop, subject="x")
    for role, read, write in (("admin", 200, 200), ("operator", 200, 200), ("service", 200, 200),
                              ("viewer", 200, 403), ("ads", 403, 403)):
        client = api_as(role)
        assert client.get(URL).status_code == read, role
        assert client.get(f"{URL}/{ticket.pk}").status_code == read, role
        assert post(client, f"{URL}/{ticket.pk}/note", {"text": role}).status_code == write, role
    assert Client().get(URL).status_code == 401


def test_a_new_shop_sees_only_its_own_tickets(db, token_for, shop):
    other, _ = ticket_open(shop=shop, subject="甲店的")
    new = shop_create(code="new-kefu", name="新客服店")
    agent = user_create(username="kefu-new", password=PASSWORD, role="service", shops=[new], validate=False)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(agent)}")
    assert client.get(URL).json() == {"items": [], "count": 0}
    assert client.get(f"{URL}/{other.pk}").status_code == 404
    assert post(client, f"{URL}/{other.pk}/note", {"text": "x"}).status_code == 404
    created = post(client, URL, {"subject": "新店第一单"})
    assert created.status_code == 201 and created.json()["policy"] is None and created.json()["sla"] == {}
    assert post(client, URL, {"subject": "x", "order": Order.objects.filter(shop=shop).first().pk}).status_code == 422


@pytest.mark.parametrize("path", ["/0", "/99999999999999999999"])
def test_out_of_range_ids_are_refused(api_as, path):
    assert api_as("admin").get(URL + path).status_code == 422
