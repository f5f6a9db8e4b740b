"""``shopops service returns [--json]``: returns by status and by reason with money as yuan strings, in the
demo shop and in a new shop; bad input is a message and exit 2."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shopops.core.models import Shop
from shopops.orders.models import Order, OrderLine
from shopops.service import services as returns
from tests.service.returns_world import new_shop_with_order


def _run(*args: str) -> str:
    out = StringIO()
    call_command("service", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_new_shop_without_returns(db):
    new_shop_with_order("rt-empty")
    report = json.loads(_run("returns", "--shop", "rt-empty", "--json"))
    assert report == {"shop": "rt-empty", "date_from": None, "date_to": None, "returns": 0, "by_status": [],
                      "by_reason": []}
    assert _run("returns", "--shop", "rt-empty", "--language", "en").strip() == "No returns yet."


def test_a_new_shop_with_returns(db):
    new_shop_with_order("rt-cli")
    shop = Shop.objects.get(code="rt-cli")
    order = Order.objects.get(shop=shop, order_no="RT-1")
    line_a, line_b = OrderLine.objects.filter(order=order).order_by("pk")
    done, _ = returns.return_request(shop=shop, order_id=order.pk, kind="refund_only", reason="missing_item",
                                     lines=[returns.ReturnLineInput(line_b.pk, 1)])
    returns.return_approve(shop=shop, return_id=done.pk)
    returns.return_refund(shop=shop, return_id=done.pk)
    returns.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                           lines=[returns.ReturnLineInput(line_a.pk, 2)])
    report = json.loads(_run("returns", "--shop", "rt-cli", "--json", "--language", "en"))
    assert report["returns"] == 2
    assert {r["status"]: (r["returns"], r["asked"], r["refunded"]) for r in report["by_status"]} == {
        "requested": (1, "180.00", "0.00"), "refunded": (1, "45.00", "45.00")}
    assert [(r["reason"], r["name"], r["units"], r["refunded"]) for r in report["by_reason"]] == [
        ("size", "Size or fit", 2, "0.00"), ("missing_item", "Missing items", 1, "45.00")]
    for row in report["by_status"]:
        assert Decimal(row["refunded"]).as_tuple().exponent == -2  # yuan strings, never floats
    text = _run("returns", "--shop", "rt-cli", "--language", "en")
    assert "Returns by status" in text and "Missing items" in text
    dated = json.loads(_run("returns", "--shop", "rt-cli", "--json", "--from", "2000-01-01", "--to", "2000-01-02"))
    assert dated["by_reason"] == [] and dated["returns"] == 2  # statuses are all-time, reasons of the period


def test_the_demo_shop(shop):
    line = (OrderLine.objects.filter(shop=shop, qty__gte=1, refunds__isnull=True, order__refunds__isnull=True)
            .order_by("pk").first())
    returns.return_request(shop=shop, order_id=line.order_id, kind="return_refund", reason="quality",
                           lines=[returns.ReturnLineInput(line.pk, 1)])
    report = json.loads(_run("returns", "--json"))
    assert report["shop"] == "demo" and report["by_reason"][0]["reason"] == "quality"


@pytest.mark.parametrize("args", [
    ("returns", "--shop", "nope"), ("returns", "--from", "2026-13-01"),
    ("returns", "--from", "2026-11-02", "--to", "2026-11-01"),
])
def test_bad_input_is_exit_2(shop, args):
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert exc.value.returncode == 2
