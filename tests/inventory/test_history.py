"""Loading a past ledger (ledger.stock_history_load) and assigning suppliers in bulk
(purchasing.supplier_skus_assign): the services the demo seed writes through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from shopops.core.errors import InvalidInput
from shopops.inventory import selectors, services
from shopops.inventory.models import Balance, StockMove
from shopops.inventory.services import LedgerLine

T0 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def code(shop):
    from shopops.catalog.selectors import skus_by_code

    return sorted(skus_by_code(shop=shop))[0]


def _on_hand(shop, code: str, location: str) -> int:
    return Balance.objects.get(shop=shop, sku__sku_code=code, location__code=location).on_hand


def test_a_past_ledger_keeps_its_times_and_moves_the_balance(shop, code):
    services.stock_move(shop=shop, sku_code=code, qty=10, type="receipt", ref="h-in")
    services.location_create(shop=shop, code="hist", name="History")
    lines = [LedgerLine(code, "receipt", 5, "h-1", T0 - dt.timedelta(days=3), "opening"),
             LedgerLine(code, "sale", -2, "h-2", T0 - dt.timedelta(days=1))]
    assert services.stock_history_load(shop=shop, lines=lines) == 2
    assert services.stock_history_load(shop=shop, lines=[LedgerLine(code, "receipt", 5, "h-3", T0)],
                                       location_code="hist") == 1
    assert _on_hand(shop, code, "main") == 13  # added to what was there
    assert _on_hand(shop, code, "hist") == 5  # a new balance row, with the SKU's code for the hot path
    assert Balance.objects.get(shop=shop, sku__sku_code=code, location__code="hist").sku_code == code
    moves = {m.ref: m for m in StockMove.objects.filter(shop=shop, ref__startswith="h-")}
    assert moves["h-1"].at == T0 - dt.timedelta(days=3) and moves["h-1"].note == "opening"
    assert moves["h-2"].qty == -2 and moves["h-2"].type == "sale"
    sku_id = moves["h-1"].sku_id
    main = moves["h-in"].location_id
    assert selectors.ledger_sums(shop=shop, sku_id=sku_id)[main] == 13


def test_a_bad_history_writes_nothing(shop, code):
    before = StockMove.objects.filter(shop=shop).count()
    with pytest.raises(InvalidInput) as exc:
        services.stock_history_load(shop=shop, lines=[LedgerLine(code, "receipt", 1, "b-1", T0),
                                                      LedgerLine("NO-SUCH-SKU", "receipt", 1, "b-2", T0),
                                                      LedgerLine(code, "theft", 1, "b-3", T0)])
    assert [e.field for e in exc.value.errors] == ["lines[1]", "lines[2].type"]
    with pytest.raises(IntegrityError):  # a history ending below zero fails whole (the balance's CHECK)
        services.stock_history_load(shop=shop, lines=[LedgerLine(code, "sale", -1_000_000, "b-4", T0)])
    assert StockMove.objects.filter(shop=shop).count() == before


def test_suppliers_are_assigned_in_bulk(shop, code):
    services.supplier_upsert(shop=shop, code="sup-a", name="A")
    assert services.supplier_skus_assign(shop=shop, assignments=[("sup-a", code, 1234)]) == 1
    link = next(s for s in selectors.supplier_by_sku(shop=shop).values() if s.sku.sku_code == code)
    assert link.supplier.code == "sup-a" and link.unit_cost_fen == 1234
    with pytest.raises(InvalidInput):
        services.supplier_skus_assign(shop=shop, assignments=[("no-such-supplier", code, 1)])
