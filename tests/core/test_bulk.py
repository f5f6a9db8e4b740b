"""``core.bulk``: ids reserved before writing are the ones the database would hand out and are never handed out
twice; rows written through the staging table are stored exactly as a plain insert stores them, constraints
included (benchmarks/import_taobao_orders.py)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from shopops.core.bulk import SideWork, db_datetime_adapter, insert_rows, reserve_ids
from shopops.members.models import Customer

TABLE = Customer._meta.db_table
COLUMNS = ("id", "shop_id", "code", "name", "phone_masked", "province", "city", "created_at", "orders_count",
           "paid_fen_total")
AT = dt.datetime(2026, 10, 1, 8, 30, 15, 250, tzinfo=dt.UTC)


def _row(shop, pk: int, code: str, **overrides: object) -> tuple:
    values = {"id": pk, "shop_id": shop.pk, "code": code, "name": "买家 <b>", "phone_masked": "138****0000",
              "province": "浙江省", "city": "杭州市", "created_at": db_datetime_adapter()(AT), "orders_count": 0,
              "paid_fen_total": 0, **overrides}
    return tuple(values[column] for column in COLUMNS)


def test_reserved_ids_follow_the_largest_id_and_are_used_by_the_insert(shop):
    with transaction.atomic():
        first = reserve_ids(TABLE, 3)
        assert first == sorted(first) and len(set(first)) == 3
        assert min(first) > max(Customer.objects.values_list("pk", flat=True), default=0)
        insert_rows(TABLE, COLUMNS, [_row(shop, pk, f"bulk-{pk}") for pk in first])
        # the next reservation starts after the rows just written
        assert min(reserve_ids(TABLE, 2)) > max(first)
    stored = Customer.objects.filter(code__startswith="bulk-").order_by("pk")
    assert [c.pk for c in stored] == first
    assert stored[0].created_at == AT and stored[0].name == "买家 <b>" and stored[0].province == "浙江省"
    assert reserve_ids(TABLE, 0) == []


def test_ids_of_deleted_rows_are_not_handed_out_again(shop):
    """SQLite's AUTOINCREMENT never reuses an id, even after the largest rows are deleted; a reservation does
    not either (PostgreSQL's sequences never go back)."""
    with transaction.atomic():
        ids = reserve_ids(TABLE, 2)
        insert_rows(TABLE, COLUMNS, [_row(shop, pk, f"gone-{pk}") for pk in ids])
    Customer.objects.filter(pk__in=ids).delete()
    with transaction.atomic():
        assert min(reserve_ids(TABLE, 1)) > max(ids)


def test_staged_rows_keep_their_types(shop):
    """Values pass through the staging table untouched: text that looks like a number stays text, big ints
    and NULLs survive, and the real table's column types apply as for a plain insert."""
    pk = reserve_ids(TABLE, 1)[0]
    insert_rows(TABLE, (*COLUMNS, "first_order_at"),
                [(*_row(shop, pk, "007", name="0123", phone_masked="", paid_fen_total=2**62), None)])
    customer = Customer.objects.get(pk=pk)
    assert (customer.code, customer.name, customer.paid_fen_total, customer.first_order_at) == (
        "007", "0123", 2**62, None)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code, name FROM {TABLE} WHERE id = %s", [pk])
        assert cursor.fetchone() == ("007", "0123")


def test_a_constraint_violation_fails_the_whole_insert_and_leaves_no_staging_table(shop):
    pk = reserve_ids(TABLE, 1)[0]
    insert_rows(TABLE, COLUMNS, [_row(shop, pk, "dup")])
    with pytest.raises(IntegrityError), transaction.atomic():  # (shop, code) is unique
        insert_rows(TABLE, COLUMNS, [_row(shop, pk + 1, "fresh"), _row(shop, pk + 2, "dup")])
    assert not Customer.objects.filter(code="fresh").exists()
    assert insert_rows(TABLE, COLUMNS, []) == 0
    insert_rows(TABLE, COLUMNS, [_row(shop, pk + 3, "after")])  # the staging table was dropped: works again
    assert Customer.objects.filter(code="after").exists()


def test_side_work_runs_each_task_once_in_order_beside_a_statement_or_on_demand(shop):
    ran: list[tuple[int, str]] = []
    side = SideWork()
    for n in range(6):
        side.add(n, lambda n=n: ran.append((n, threading.current_thread().name)))
    side.run(0)  # on demand, in the caller's thread
    pk = reserve_ids(TABLE, 1)[0]
    insert_rows(TABLE, COLUMNS, [_row(shop, pk, "side-work")], side_work=side)
    side.run(1)  # ran already (beside the statement, or now): never twice
    side.run_all()
    assert [n for n, _thread in ran] == list(range(6))
    assert ran[0][1] == threading.current_thread().name
    assert Customer.objects.filter(code="side-work").exists()


def test_a_side_task_failure_is_raised_in_the_caller_after_the_statement(shop):
    side = SideWork()

    def broken() -> None:
        raise ValueError("side task broke")

    side.add("broken", broken)
    pk = reserve_ids(TABLE, 1)[0]
    with pytest.raises(ValueError, match="side task broke"):
        insert_rows(TABLE, COLUMNS, [_row(shop, pk, "side-broken")], side_work=side)
    with side.beside():  # nothing left to run: a plain block
        pass
