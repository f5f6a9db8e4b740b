"""The to-do list: raised idempotently by other apps, shown to the right person, closed by them or by the raiser."""

from __future__ import annotations

import pytest

from shopops.core.errors import InvalidInput
from shopops.reports.models import TodoItem
from shopops.reports.services import todo_close, todo_close_missing, todo_upsert


def test_raise_is_idempotent_and_a_closed_item_stays_closed_unless_reopened(shop):
    first = todo_upsert(shop=shop, source="inventory", key="stockout:A1", title="A1 断货风险", severity="warning",
                        data={"days_of_cover": 3})
    again = todo_upsert(shop=shop, source="inventory", key="stockout:A1", title="A1 断货风险", severity="critical")
    assert first.pk == again.pk and again.severity == "critical"
    assert todo_close(shop=shop, source="inventory", key="stockout:A1") == 1
    still = todo_upsert(shop=shop, source="inventory", key="stockout:A1", title="A1 断货风险")
    assert still.status == "done"
    reopened = todo_upsert(shop=shop, source="inventory", key="stockout:A1", title="A1 断货风险", reopen=True)
    assert reopened.status == "open"
    with pytest.raises(InvalidInput):
        todo_upsert(shop=shop, source="inventory", key="x", title="x", severity="panic")


def test_close_missing_clears_conditions_that_no_longer_hold(shop):
    for key in ("a", "b", "c"):
        todo_upsert(shop=shop, source="alerts-test", key=key, title=key)
    assert todo_close_missing(shop=shop, source="alerts-test", keep_keys={"b"}) == 2
    assert list(TodoItem.objects.filter(shop=shop, source="alerts-test", status="open").values_list("key", flat=True)) \
        == ["b"]


def test_each_person_sees_their_items_and_can_tick_them(shop, client_as, user_of):
    operator, service = user_of("operator"), user_of("service")
    mine = todo_upsert(shop=shop, source="campaign", key="t:1", title="上传主图素材", assignee=operator)
    for_role = todo_upsert(shop=shop, source="inventory", key="t:2", title="<script>x</script>补货", role="operator")
    theirs = todo_upsert(shop=shop, source="campaign", key="t:3", title="客服话术", assignee=service)
    client = client_as("operator")
    page = client.get("/todos/").content.decode()
    assert "上传主图素材" in page and "&lt;script&gt;x&lt;/script&gt;补货" in page and "客服话术" not in page
    assert client.post(f"/todos/{theirs.pk}/status/", {"status": "done"}).status_code == 404  # not theirs to see
    theirs.refresh_from_db()
    assert theirs.status == "open"  # not mine: nothing changes
    client.post(f"/todos/{mine.pk}/status/", {"status": "done"})
    mine.refresh_from_db()
    assert mine.status == "done" and mine.closed_at is not None
    assert "上传主图素材" not in client.get("/todos/").content.decode()
    assert "上传主图素材" in client.get("/todos/?status=done").content.decode()
    client.post(f"/todos/{for_role.pk}/status/", {"status": "bogus"})
    for_role.refresh_from_db()
    assert for_role.status == "open"
