"""Following a to-do item up: snooze it, comment on it, give it to someone, date it — on the page and in the
API, only on items the person sees; bad input changes nothing and says why."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from shopops.core.clock import today
from shopops.core.errors import InvalidInput
from shopops.reports.models import TodoComment, TodoItem
from shopops.reports.selectors import todo_summary, todos_for
from shopops.reports.services import todo_assign, todo_snooze, todo_upsert


@pytest.fixture
def items(shop, user_of):
    """One item for everyone, one for the operator only, one for the service person only."""
    everyone = todo_upsert(shop=shop, source="inventory", key="fu:1", title="补货 A1", severity="warning")
    operator = todo_upsert(shop=shop, source="campaign", key="fu:2", title="上传主图", assignee=user_of("operator"))
    service = todo_upsert(shop=shop, source="campaign", key="fu:3", title="客服话术", assignee=user_of("service"))
    return everyone, operator, service


def _tomorrow(shop) -> dt.date:
    return today(shop.timezone) + dt.timedelta(days=1)


def test_a_snoozed_item_leaves_the_open_list_until_its_date(shop, items, client_as, user_of):
    everyone, _op, _sv = items
    client = client_as("operator")
    until = _tomorrow(shop) + dt.timedelta(days=2)
    client.post(f"/todos/{everyone.pk}/snooze/", {"until": until.isoformat()})
    everyone.refresh_from_db()
    assert everyone.snoozed_until == until
    assert "补货 A1" not in client.get("/todos/").content.decode()
    assert "补货 A1" in client.get("/todos/?status=snoozed").content.decode()
    assert everyone.pk not in [i.pk for i in todos_for(shop=shop, user=user_of("operator"))]
    assert todo_summary(shop=shop)["snoozed"] >= 1
    client.post(f"/todos/{everyone.pk}/snooze/", {"until": ""})  # wake it up
    everyone.refresh_from_db()
    assert everyone.snoozed_until is None and "补货 A1" in client.get("/todos/").content.decode()


def test_a_snooze_in_the_past_or_on_a_closed_item_is_refused(shop, items, user_of, client_as):
    everyone, _op, _sv = items
    with pytest.raises(InvalidInput):
        todo_snooze(shop=shop, item_id=everyone.pk, until=today(shop.timezone), actor=user_of("operator"))
    response = client_as("operator").post(f"/todos/{everyone.pk}/snooze/", {"until": "not-a-date"}, follow=True)
    assert "not-a-date" in response.content.decode()
    everyone.refresh_from_db()
    assert everyone.snoozed_until is None
    everyone.status = TodoItem.Status.DONE
    everyone.save()
    with pytest.raises(InvalidInput):
        todo_snooze(shop=shop, item_id=everyone.pk, until=_tomorrow(shop), actor=user_of("operator"))


def test_raising_an_item_again_keeps_what_people_set(shop, items, user_of):
    everyone, _op, _sv = items
    todo_assign(shop=shop, item_id=everyone.pk, assignee_id=user_of("viewer").pk, actor=user_of("operator"))
    todo_snooze(shop=shop, item_id=everyone.pk, until=_tomorrow(shop), actor=user_of("operator"))
    again = todo_upsert(shop=shop, source="inventory", key="fu:1", title="补货 A1 (更新)", severity="critical")
    assert again.assignee == user_of("viewer") and again.snoozed_until == _tomorrow(shop)
    assert again.title == "补货 A1 (更新)"


def test_comments_are_shown_escaped_and_kept_in_order(shop, items, client_as):
    _e, operator_item, _sv = items
    client = client_as("operator")
    client.post(f"/todos/{operator_item.pk}/comments/", {"text": "<b>已联系</b>设计"})
    client.post(f"/todos/{operator_item.pk}/comments/", {"text": "周三交稿"})
    client.post(f"/todos/{operator_item.pk}/comments/", {"text": "   "})  # empty: refused, nothing added
    comments = list(TodoComment.objects.filter(item=operator_item).values_list("text", flat=True))
    assert comments == ["<b>已联系</b>设计", "周三交稿"]
    page = client.get("/todos/").content.decode()
    assert "&lt;b&gt;已联系&lt;/b&gt;设计" in page and "<b>已联系</b>" not in page
    assert page.index("已联系") < page.index("周三交稿")


def test_assign_and_due_date_from_the_page(shop, items, client_as, user_of):
    everyone, _op, _sv = items
    client = client_as("operator")
    client.post(f"/todos/{everyone.pk}/due/", {"due_date": "2026-12-31"})
    client.post(f"/todos/{everyone.pk}/assign/", {"assignee": str(user_of("ads").pk)})
    assert client.post(f"/todos/{everyone.pk}/due/", {"due_date": ""}).status_code == 404  # no longer theirs
    everyone.refresh_from_db()
    assert everyone.assignee == user_of("ads") and everyone.due_date == dt.date(2026, 12, 31)
    assert "补货 A1" in client_as("ads").get("/todos/").content.decode()
    assert "补货 A1" not in client.get("/todos/").content.decode()  # given away: no longer the operator's


def test_nobody_follows_up_items_they_do_not_see(shop, items, client_as, user_of):
    _e, _op, service_item = items
    client = client_as("operator")
    for path, data in [("snooze", {"until": _tomorrow(shop).isoformat()}), ("comments", {"text": "x"}),
                       ("assign", {"assignee": str(user_of("operator").pk)}), ("due", {"due_date": "2026-12-31"})]:
        assert client.post(f"/todos/{service_item.pk}/{path}/", data).status_code == 404
    service_item.refresh_from_db()
    assert service_item.snoozed_until is None and service_item.due_date is None
    assert service_item.assignee == user_of("service") and not TodoComment.objects.filter(item=service_item)


def test_assigning_to_someone_outside_the_shop_is_refused(shop, items, user_of, second_shop):
    everyone, _op, _sv = items
    with pytest.raises(InvalidInput):
        todo_assign(shop=shop, item_id=everyone.pk, assignee_id=second_shop.users["admin"].pk,
                    actor=user_of("operator"))


def _post(client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_api_follows_up_the_same_way(shop, items, api_as, user_of):
    everyone, _op, service_item = items
    client = api_as("operator")
    listed = client.get("/api/v1/todos").json()
    assert {i["id"] for i in listed} >= {everyone.pk} and service_item.pk not in {i["id"] for i in listed}
    until = _tomorrow(shop).isoformat()
    answer = _post(client, f"/api/v1/todos/{everyone.pk}/snooze", {"until": until})
    assert answer.status_code == 200 and answer.json()["snoozed_until"] == until
    assert everyone.pk in {i["id"] for i in client.get("/api/v1/todos?status=snoozed").json()}
    assert everyone.pk not in {i["id"] for i in client.get("/api/v1/todos").json()}
    assert _post(client, f"/api/v1/todos/{everyone.pk}/due", {"due_date": "2026-12-24"}).json()["due_date"] \
        == "2026-12-24"
    created = _post(client, f"/api/v1/todos/{everyone.pk}/comments", {"text": "已下单"})
    assert created.status_code == 201 and created.json()["author"] == "operator"
    assert [c["text"] for c in client.get(f"/api/v1/todos/{everyone.pk}/comments").json()] == ["已下单"]
    bad = _post(client, f"/api/v1/todos/{everyone.pk}/assign", {"assignee": "nobody-here"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "assignee"
    done = _post(client, f"/api/v1/todos/{everyone.pk}/assign", {"assignee": "ads"})
    assert done.status_code == 200 and done.json()["assignee"] == "ads"
    assert _post(client, f"/api/v1/todos/{service_item.pk}/comments", {"text": "x"}).status_code == 404
    assert _post(client, f"/api/v1/todos/{service_item.pk}/status", {"status": "done"}).status_code == 404
    service_item.refresh_from_db()
    assert service_item.status == "open"
