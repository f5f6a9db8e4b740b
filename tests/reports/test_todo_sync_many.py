"""Many to-dos of one source raised at once (a whole-shop audit): the same rules as ``todo_upsert``, item by item,
in a few statements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shopops.core.errors import InvalidInput
from shopops.reports.models import TodoItem
from shopops.reports.services import TodoRaise, todo_close, todo_close_many, todo_sync_many, todo_upsert

SOURCE = "sync-test"


def _item(shop, key: str) -> TodoItem:
    return TodoItem.objects.get(shop=shop, source=SOURCE, key=key)


def test_new_items_are_created_with_every_field(shop, user_of):
    operator = user_of("operator")
    counts = todo_sync_many(shop=shop, source=SOURCE, items=[
        TodoRaise(key="a", title="A 标题", detail="细节", severity="warning", assignee=operator, role="operator",
                  due_date=dt.date(2030, 1, 2), url="/listings/1/", data={"n": 1}),
        TodoRaise(key="b", title="B" * 250)])
    assert counts == {"created": 2, "updated": 0, "reopened": 0}
    a, b = _item(shop, "a"), _item(shop, "b")
    assert (a.title, a.detail, a.severity, a.assignee, a.role, a.due_date, a.url, a.data, a.status) == (
        "A 标题", "细节", "warning", operator, "operator", dt.date(2030, 1, 2), "/listings/1/", {"n": 1}, "open")
    assert len(b.title) == 200 and b.severity == "info" and b.data == {}


def test_existing_items_are_refreshed_and_a_closed_one_reopens_only_when_asked(shop, user_of):
    operator = user_of("operator")
    for key in ("open", "closed", "back"):
        todo_upsert(shop=shop, source=SOURCE, key=key, title="old", assignee=operator, due_date=dt.date(2030, 1, 1))
    todo_close(shop=shop, source=SOURCE, key="closed")
    todo_close(shop=shop, source=SOURCE, key="back")
    TodoItem.objects.filter(key="back").update(snoozed_until=dt.date(2030, 1, 1))
    before = _item(shop, "open").updated_at
    counts = todo_sync_many(shop=shop, source=SOURCE, items=[
        TodoRaise(key="open", title="new", severity="critical", url="/x/"),
        TodoRaise(key="closed", title="new"),
        TodoRaise(key="back", title="new", reopen=True)])
    assert counts == {"created": 0, "updated": 3, "reopened": 1}
    refreshed = _item(shop, "open")
    assert (refreshed.title, refreshed.severity, refreshed.url) == ("new", "critical", "/x/")
    assert refreshed.assignee == operator and refreshed.due_date == dt.date(2030, 1, 1)  # a person's choice stays
    assert refreshed.updated_at > before
    closed = _item(shop, "closed")
    assert closed.status == "done" and closed.title == "new" and closed.closed_at is not None
    back = _item(shop, "back")
    assert back.status == "open" and back.closed_at is None and back.snoozed_until is None


def test_it_matches_todo_upsert_item_by_item(shop, user_of):
    """The same raises through both paths leave the same rows."""
    operator = user_of("operator")
    raises = [TodoRaise(key="k1", title="t1", severity="warning", role="operator"),
              TodoRaise(key="k2", title="t2", assignee=operator, reopen=True),
              TodoRaise(key="k3", title="t3", url="/y/", data={"a": [1]})]
    for source in ("one-by-one", "bulk"):
        for key in ("k2", "k3"):
            todo_upsert(shop=shop, source=source, key=key, title="before", due_date=dt.date(2031, 5, 5))
            todo_close(shop=shop, source=source, key=key)
    for raise_ in raises:
        todo_upsert(shop=shop, source="one-by-one", **{f: getattr(raise_, f) for f in raise_.__dataclass_fields__})
    todo_sync_many(shop=shop, source="bulk", items=raises)
    fields = ("key", "title", "detail", "severity", "status", "assignee", "role", "due_date", "url", "data",
              "snoozed_until")
    rows = {source: list(TodoItem.objects.filter(shop=shop, source=source).order_by("key").values(*fields))
            for source in ("one-by-one", "bulk")}
    assert rows["bulk"] == rows["one-by-one"]


def test_a_bad_severity_changes_nothing(shop):
    todo_upsert(shop=shop, source=SOURCE, key="a", title="old")
    with pytest.raises(InvalidInput):
        todo_sync_many(shop=shop, source=SOURCE, items=[TodoRaise(key="a", title="new"),
                                                        TodoRaise(key="b", title="b", severity="panic")])
    assert _item(shop, "a").title == "old" and not TodoItem.objects.filter(key="b").exists()


def test_a_batch_costs_a_few_statements_not_one_per_item(shop):
    items = [TodoRaise(key=f"k{i}", title=f"t{i}") for i in range(300)]
    todo_sync_many(shop=shop, source=SOURCE, items=items[:150])
    with CaptureQueriesContext(connection) as queries:
        todo_sync_many(shop=shop, source=SOURCE, items=items)
    assert len(queries) < 10
    assert TodoItem.objects.filter(shop=shop, source=SOURCE).count() == 300


def test_close_many_closes_only_open_items_of_the_keys(shop):
    for key in ("a", "b", "c"):
        todo_upsert(shop=shop, source=SOURCE, key=key, title=key)
    todo_close(shop=shop, source=SOURCE, key="b", status="dismissed")
    assert todo_close_many(shop=shop, source=SOURCE, keys=["a", "b", "zz"]) == 1
    assert {i.key: i.status for i in TodoItem.objects.filter(shop=shop, source=SOURCE)} == {
        "a": "done", "b": "dismissed", "c": "open"}
