"""Returns and exchanges end to end through the services (docs/rules/returns.md): the flow and its refusals,
the refundable amount from the line's allocated paid amount, refunds as the orders app's refunds (so the order,
its fingerprint and the lake's facts see them), stock back through the ledger to a sellable or the defective
location (the inventory invariants hold), exchanges through reservations. Two worlds: a new shop with one
order (tests/service/returns_world.py) and the demo shop."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest
from django.db.models import Sum
from django.utils import translation

from shopops.core.errors import Conflict, InvalidInput
from shopops.core.models import AuditEntry, Shop
from shopops.inventory import selectors as inventory_selectors
from shopops.inventory import services as inventory
from shopops.inventory.models import Balance, Location
from shopops.lake.storage import read_table
from shopops.orders import selectors as order_selectors
from shopops.orders.domain import order_fingerprint
from shopops.orders.models import FactsRefreshDue, Order, OrderLine, Refund
from shopops.service import selectors
from shopops.service import services as returns
from shopops.service.models import ReturnRequest
from tests.service.returns_world import new_shop_with_order

L = returns.ReturnLineInput


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    info = new_shop_with_order()
    shop = Shop.objects.get(code=info["shop"])
    order = Order.objects.get(shop=shop, order_no=info["order_no"])
    line_a, line_b = OrderLine.objects.filter(order=order).order_by("pk")
    return shop, order, line_a, line_b


def _on_hand(shop, sku_code: str, location: str = "main") -> int:
    return Balance.objects.get(shop=shop, sku__sku_code=sku_code, location__code=location).on_hand


def _ledger_explains_stock(shop) -> None:
    for balance in Balance.objects.filter(shop=shop):
        sums = inventory_selectors.ledger_sums(shop=shop, sku_id=balance.sku_id)
        assert sums.get(balance.location_id, 0) == balance.on_hand
        assert balance.on_hand - balance.reserved - balance.pooled >= 0


def _through(shop, request, *, conditions=None):
    returns.return_approve(shop=shop, return_id=request.pk)
    returns.return_ship(shop=shop, return_id=request.pk, logistics_company="顺丰速运", logistics_no="SF1234567890")
    return returns.return_receive(shop=shop, return_id=request.pk, conditions=conditions)


def test_return_and_refund_of_one_unit(world):
    shop, order, line_a, _line_b = world
    assert (line_a.qty, line_a.paid_fen) == (3, 27000)  # 3 × 100.00, 30.00 of the coupon allocated
    request, created = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                                              lines=[L(line_a.pk, 1)])
    assert created and request.status == "requested" and request.channel == "tmall"
    assert request.lines.get().amount_fen == 9000  # the line's 到手价 per unit, not its list price

    received = _through(shop, request)
    assert received.status == "received"
    assert _on_hand(shop, "RT-A") == 11  # the unit is back, sellable, through the ledger
    refunded = returns.return_refund(shop=shop, return_id=request.pk)
    assert refunded.status == "refunded" and refunded.refunded_fen == 9000

    refund = Refund.objects.get(shop=shop, order=order)
    assert (refund.line_id, refund.amount_fen, refund.status, refund.kind, refund.reason) == (
        line_a.pk, 9000, "success", "return_refund", "size")
    order.refresh_from_db()
    assert order.refunded_fen == 9000
    # the stored fingerprint says the order with its refund: re-importing the same file changes nothing
    stored = order_selectors.orders_as_inputs(shop=shop, channel_account_id=order.channel_account_id,
                                              order_nos=[order.order_no])[order.order_no]
    assert order.fingerprint == order_fingerprint(stored)
    # the lake's order facts were refreshed after the commit: GMV and the refund figures see it
    assert not FactsRefreshDue.objects.filter(shop=shop).exists()
    facts = read_table("orders_fact").filter(pc.equal(pc.field("shop_id"), shop.pk))
    assert facts.filter(pc.equal(facts["order_id"], order.pk))["refunded_fen"].to_pylist() == [9000]
    actions = list(AuditEntry.objects.filter(shop=shop, object_type="return").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["return.request", "return.approve", "return.ship", "return.receive", "return.refund"]
    _ledger_explains_stock(shop)


def test_all_units_in_steps_refund_exactly_what_was_paid(world):
    shop, order, line_a, line_b = world
    first, _ = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="quality",
                                      lines=[L(line_a.pk, 2), L(line_b.pk, 1)])
    second, _ = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="quality",
                                       lines=[L(line_a.pk, 1)])
    for request in (first, second):
        returns.return_approve(shop=shop, return_id=request.pk)
        returns.return_refund(shop=shop, return_id=request.pk)
    refunded = Refund.objects.filter(line=line_a).aggregate(s=Sum("amount_fen"))["s"]
    assert refunded == line_a.paid_fen
    assert Refund.objects.get(line=line_b).amount_fen == line_b.paid_fen == 4500
    with pytest.raises(InvalidInput) as exc:  # every unit is claimed: nothing more to return
        returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="quality",
                               lines=[L(line_a.pk, 1)])
    assert exc.value.errors[0].field == "lines[0].qty"


def test_refusals_name_the_field_and_write_nothing(world):
    shop, order, line_a, line_b = world
    cases = [
        ({"kind": "swap", "lines": [L(line_a.pk, 1)]}, "kind"),
        ({"lines": []}, "lines"),
        ({"lines": [L(line_a.pk, 4)]}, "lines[0].qty"),
        ({"lines": [L(line_a.pk, 0)]}, "lines[0].qty"),
        ({"lines": [L(line_a.pk, 1, amount_fen=9001)]}, "lines[0].amount"),
        ({"lines": [L(999999999, 1)]}, "lines[0].line_id"),
        ({"lines": [L(line_b.pk, 1), L(line_b.pk, 1)]}, "lines[1].line_id"),
    ]
    for changes, field in cases:
        args = {"kind": "return_refund", "reason": "quality", **changes}
        with pytest.raises(InvalidInput) as exc:
            returns.return_request(shop=shop, order_id=order.pk, **args)
        assert field in [e.field for e in exc.value.errors], (changes, exc.value.errors)
    with pytest.raises(InvalidInput) as exc:
        returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="bored",
                               lines=[L(line_a.pk, 1)])
    assert exc.value.errors[0].field == "reason"
    assert not ReturnRequest.objects.filter(shop=shop).exists()


def test_bad_transitions_are_clear_conflicts(world):
    shop, order, line_a, _ = world
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="missing_item",
                                        lines=[L(line_a.pk, 1)])
    with pytest.raises(Conflict, match="cannot become"):
        returns.return_refund(shop=shop, return_id=request.pk)  # not approved yet
    returns.return_approve(shop=shop, return_id=request.pk)
    with pytest.raises(Conflict):
        returns.return_ship(shop=shop, return_id=request.pk, logistics_company="圆通", logistics_no="YT1")
    with pytest.raises(InvalidInput):
        returns.return_reject(shop=shop, return_id=request.pk, reason=" ")
    returns.return_refund(shop=shop, return_id=request.pk)
    with pytest.raises(Conflict, match="already"):
        returns.return_refund(shop=shop, return_id=request.pk)  # a double click refunds once
    assert Refund.objects.filter(order=order).count() == 1


def test_rejected_return_frees_its_units(world):
    shop, order, line_a, _ = world
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="changed_mind",
                                        lines=[L(line_a.pk, 3)])
    rejected = returns.return_reject(shop=shop, return_id=request.pk, reason="商品已拆封使用，不支持七天无理由")
    assert rejected.status == "rejected" and rejected.reject_reason.startswith("商品已拆封")
    again, created = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund",
                                            reason="changed_mind", lines=[L(line_a.pk, 3)])
    assert created and again.lines.get().amount_fen == 27000


def test_defective_units_go_to_the_inactive_defective_location(world):
    shop, order, line_a, _ = world
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="quality",
                                        lines=[L(line_a.pk, 2)])
    line = request.lines.get()
    _through(shop, request, conditions={line.pk: "defective"})
    defective = Location.objects.get(shop=shop, code=inventory.DEFECTIVE_LOCATION_CODE)
    assert not defective.active
    assert _on_hand(shop, "RT-A", "defective") == 2 and _on_hand(shop, "RT-A") == 10
    # defective units are never sold: only the 10 sellable units can be reserved
    with pytest.raises(inventory.StockConflict):
        inventory.reservation_create(shop=shop, sku_code="RT-A", qty=11, ref="too-many")
    line.refresh_from_db()
    assert line.condition == "defective"
    _ledger_explains_stock(shop)


def test_receive_refuses_an_unknown_condition(world):
    shop, order, line_a, _ = world
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="quality",
                                        lines=[L(line_a.pk, 1)])
    returns.return_approve(shop=shop, return_id=request.pk)
    with pytest.raises(InvalidInput):
        returns.return_receive(shop=shop, return_id=request.pk, conditions={request.lines.get().pk: "broken"})
    assert _on_hand(shop, "RT-A") == 10
    assert ReturnRequest.objects.get(pk=request.pk).status == "approved"


def test_exchange_ships_a_replacement_through_inventory(world):
    shop, order, line_a, _ = world
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="exchange", reason="size",
                                        lines=[L(line_a.pk, 1, exchange_sku="RT-B")])
    assert request.lines.get().amount_fen == 0
    _through(shop, request)
    with pytest.raises(Conflict):
        returns.return_refund(shop=shop, return_id=request.pk)  # an exchange refunds nothing
    done = returns.return_exchange(shop=shop, return_id=request.pk)
    assert done.status == "exchanged"
    assert (_on_hand(shop, "RT-A"), _on_hand(shop, "RT-B")) == (11, 9)
    assert not Refund.objects.filter(order=order).exists()
    _ledger_explains_stock(shop)


def test_a_refund_recorded_meanwhile_lowers_what_the_return_may_refund(world):
    shop, order, line_a, _ = world
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="quality",
                                        lines=[L(line_a.pk, 3)])
    returns.return_approve(shop=shop, return_id=request.pk)
    # the platform's own refund of 50.00 on the line arrives (an import, a refund-only payment)
    from django.utils import timezone

    from shopops.orders.services import refund_record
    refund_record(shop=shop, order_id=order.pk, line_id=line_a.pk, refund_no="TB-R-1", amount_fen=5000,
                  kind="refund_only", reason="quality", at=timezone.now())
    with pytest.raises(InvalidInput, match="not refunded") as exc:
        returns.return_refund(shop=shop, return_id=request.pk)
    assert "220.00" in exc.value.errors[0].message  # what is left, named
    assert ReturnRequest.objects.get(pk=request.pk).status == "approved"
    assert Refund.objects.filter(line=line_a).aggregate(s=Sum("amount_fen"))["s"] == 5000


def test_external_number_makes_requests_idempotent(world):
    shop, order, line_a, _ = world
    first, created = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="quality",
                                            lines=[L(line_a.pk, 1)], external_no="TB-AS-1")
    again, created_again = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only",
                                                  reason="quality", lines=[L(line_a.pk, 1)], external_no="TB-AS-1")
    assert created and not created_again and again.pk == first.pk


def test_figures_by_reason_sku_and_status(world):
    shop, order, line_a, line_b = world
    for reason, lines in (("size", [L(line_a.pk, 1)]), ("size", [L(line_b.pk, 1)]), ("quality", [L(line_a.pk, 1)])):
        returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason=reason, lines=lines)
    rejected, _ = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="damaged",
                                         lines=[L(line_a.pk, 1)])
    returns.return_reject(shop=shop, return_id=rejected.pk, reason="无破损照片")
    by_reason = selectors.returns_by_reason(shop=shop)
    assert [(r["reason"], r["returns"], r["units"]) for r in by_reason] == [("size", 2, 2), ("quality", 1, 1)]
    sku_a = line_a.sku_id
    top = selectors.top_return_reasons(shop, sku_a)
    assert [(r["reason"], r["returns"]) for r in top] == [("size", 1), ("quality", 1)]  # ties: the taxonomy's order
    assert {r["sku_code"]: r["units"] for r in selectors.returns_by_sku(shop=shop)} == {"RT-A": 2, "RT-B": 1}
    statuses = {r["status"]: r["returns"] for r in selectors.returns_by_status(shop=shop)}
    assert statuses == {"requested": 3, "rejected": 1}
    assert [r["reason"] for r in selectors.top_return_reasons(shop, sku_a, limit=1)] == ["size"]


# ------------------------------------------------------------------------------------------- the demo shop


def test_demo_order_full_return_refunds_exactly_what_the_line_paid(shop):
    line = (OrderLine.objects.filter(shop=shop, qty__gte=2, sku__isnull=False, refunds__isnull=True,
                                     order__refunds__isnull=True).order_by("pk").first())
    assert line is not None
    order = line.order
    paid_before = order.refunded_fen
    units = [1, line.qty - 1]
    for qty in units:
        request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="return_refund",
                                            reason="no_reason_7d", lines=[L(line.pk, qty)])
        _through(shop, request)
        returns.return_refund(shop=shop, return_id=request.pk)
    assert Refund.objects.filter(line=line).aggregate(s=Sum("amount_fen"))["s"] == line.paid_fen
    order.refresh_from_db()
    assert order.refunded_fen == paid_before + line.paid_fen <= order.paid_fen
    assert [r["reason"] for r in selectors.top_return_reasons(shop, line.sku_id)] == ["no_reason_7d"]


def test_a_shop_adds_its_own_reason(world):
    shop, order, line_a, _ = world
    reason = returns.return_reason_create(shop=shop, code="late-delivery", name="发货太慢")
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="late-delivery",
                                        lines=[L(line_a.pk, 1)])
    assert request.reason == reason and selectors.reason_label(reason) == "发货太慢"
    for code, name in (("late-delivery", "又一个"), ("size", "尺码"), ("Bad Code", "x"), ("ok", "")):
        with pytest.raises(InvalidInput):
            returns.return_reason_create(shop=shop, code=code, name=name)


def test_exchange_without_stock_changes_nothing(world):
    shop, order, line_a, _ = world
    inventory.stock_move(shop=shop, sku_code="RT-B", qty=-10, type="adjustment", ref="empty-b")
    request, _ = returns.return_request(shop=shop, order_id=order.pk, kind="exchange", reason="size",
                                        lines=[L(line_a.pk, 1, exchange_sku="RT-B")])
    _through(shop, request)
    with pytest.raises(inventory.StockConflict):
        returns.return_exchange(shop=shop, return_id=request.pk)
    assert ReturnRequest.objects.get(pk=request.pk).status == "received"
    assert _on_hand(shop, "RT-B") == 0
    _ledger_explains_stock(shop)
