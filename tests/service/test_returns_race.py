"""Real threads race to refund the same order line: return refunds (each return once) against refunds the
platform records meanwhile (``orders.services.refund_record``). Under the order's row lock the line never
refunds more than it paid, each return refunds once, and the order's refunded amount is the sum of its refunds
(docs/rules/returns.md#refund). Runs on SQLite (a WAL file) and, in the PostgreSQL pass of scripts/test.sh, on
PostgreSQL, in a database of its own (tests/inventory/race.py's harness: the pattern of the stock races)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.inventory import race

THREADS = 12
UNITS = 3  # line RT-A of tests/service/returns_world.py: 3 units, 270.00 paid
SHARE = 9000


def _prepare() -> dict:
    from shopops.core.models import Shop
    from shopops.orders.models import OrderLine
    from shopops.service import services
    from tests.service.returns_world import new_shop_with_order

    info = new_shop_with_order("race")
    shop = Shop.objects.get(code="race")
    line = OrderLine.objects.get(shop=shop, order__order_no=info["order_no"], sku__sku_code="RT-A")
    ids = []
    for _unit in range(UNITS):
        request, _ = services.return_request(shop=shop, order_id=line.order_id, kind="refund_only",
                                             reason="quality", lines=[services.ReturnLineInput(line.pk, 1)])
        services.return_approve(shop=shop, return_id=request.pk)
        ids.append(request.pk)
    return {"order": line.order_id, "line": line.pk, "returns": ids}


def _race(setup: dict) -> list[dict]:
    from django.db import connection as child_connection
    from django.utils import timezone

    from shopops.core.errors import ShopOpsError
    from shopops.core.models import Shop
    from shopops.orders.services import refund_record
    from shopops.service import services

    start = threading.Barrier(THREADS)
    out: list[dict] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        shop = Shop.objects.get(code="race")
        start.wait()
        try:
            if n % 2 == 0:
                services.return_refund(shop=shop, return_id=setup["returns"][n // 2 % UNITS])
                row = {"who": f"return-{setup['returns'][n // 2 % UNITS]}", "ok": True}
            else:
                refund_record(shop=shop, order_id=setup["order"], line_id=setup["line"], refund_no=f"PLATFORM-{n}",
                              amount_fen=SHARE, kind="refund_only", reason="quality", at=timezone.now())
                row = {"who": f"platform-{n}", "ok": True}
        except ShopOpsError as exc:
            row = {"who": str(n), "ok": False, "refused": exc.detail}
        except Exception as exc:  # a bug (a deadlock, a lost lock): recorded so the test shows it
            row = {"who": str(n), "ok": False, "error": repr(exc)}
        finally:
            child_connection.close()
        with lock:
            out.append(row)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def _state(setup: dict) -> dict:
    from django.db.models import Sum

    from shopops.orders.models import Order, Refund
    from shopops.service.models import ReturnRequest

    return {
        "line_refunds": Refund.objects.filter(line_id=setup["line"]).aggregate(s=Sum("amount_fen"))["s"] or 0,
        "count": Refund.objects.filter(line_id=setup["line"]).count(),
        "order_refunded": Order.objects.get(pk=setup["order"]).refunded_fen,
        "refunded_returns": list(ReturnRequest.objects.filter(pk__in=setup["returns"], status="refunded")
                                 .values_list("pk", flat=True)),
        "return_refunds": Refund.objects.filter(refund_no__startswith="RT").count(),
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_never_exceed_what_the_line_paid():
    with race.race_database(connection.settings_dict) as env:
        setup = race._in_child(env, _prepare)
        rows = race._in_child(env, _race, setup)
        state = race._in_child(env, _state, setup)
    assert not [r for r in rows if "error" in r], rows
    won = [r for r in rows if r["ok"]]
    # every unit's money went exactly once: 3 × 90.00, whoever won, and nothing more
    assert len(won) == UNITS == state["count"]
    assert state["line_refunds"] == UNITS * SHARE == state["order_refunded"]
    assert len(state["refunded_returns"]) == state["return_refunds"] == len([r for r in won if r["who"].startswith("return")])
