"""Threads racing to open a ticket about the same order get one ticket, every other request joined to it:
on SQLite (IMMEDIATE write transactions) and, in the PostgreSQL pass, through the advisory lock on the order
(shopops.service.services.tickets._serialize_order)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.inventory import race

THREADS = 8


def _setup() -> int:
    from shopops.channels.services import channel_account_ensure
    from shopops.core.clock import now, today
    from shopops.core.services import shop_create
    from shopops.members.models import Customer
    from shopops.orders.models import Order

    shop = shop_create(code="race", name="Race")
    account = channel_account_ensure(shop=shop, channel="tmall", name="天猫店")
    customer = Customer.objects.create(shop=shop, code="c1", name="买家", created_at=now())
    order = Order.objects.create(shop=shop, channel_account=account, channel="tmall", order_no="R1",
                                 customer=customer, placed_at=now(), paid_at=now(), paid_date=today(),
                                 goods_fen=1000, paid_fen=1000)
    return order.pk


def _open_at_once(order_id: int) -> dict:
    from django.db import connection as child_connection

    from shopops.core.models import Shop
    from shopops.service.models import Ticket, TicketEvent
    from shopops.service.services.tickets import ticket_open

    shop = Shop.objects.get(code="race")
    start = threading.Barrier(THREADS)
    results: list[object] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        start.wait()
        try:
            ticket, created = ticket_open(shop=shop, subject=f"请求 {index}", order_id=order_id)
            outcome: object = (ticket.pk, created)
        except Exception as exc:  # a failed request is a finding: reported, not hidden
            outcome = repr(exc)
        finally:
            child_connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"results": results, "tickets": list(Ticket.objects.values_list("pk", flat=True)),
            "joined": TicketEvent.objects.filter(kind="merged").count()}


@pytest.fixture
def race_env(db):
    with race.race_database(connection.settings_dict) as env:
        yield env


def test_one_ticket_per_open_order_under_concurrency(race_env):
    order_id = race._in_child(race_env, _setup)
    outcome = race._in_child(race_env, _open_at_once, order_id)
    results = outcome["results"]
    assert all(isinstance(r, tuple) for r in results), results
    (ticket,) = outcome["tickets"]
    assert sorted(created for _pk, created in results) == [False] * (THREADS - 1) + [True]
    assert {pk for pk, _created in results} == {ticket}
    assert outcome["joined"] == THREADS - 1
