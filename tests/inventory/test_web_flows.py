"""The inventory pages' POST flows: approving replenishment suggestions creates purchase
orders; receiving a PO partly and then fully moves stock through the ledger and moves the PO's status; the
sync page writes the channels' sync files. Each checks the permission (403 for roles without
MANAGE_PURCHASING / CHANGE_STOCK, and nothing written) and that bad input is a 4xx page with a message, never
a 500 and never a partial write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shopops.catalog.selectors import skus_by_code
from shopops.demo.seed_inventory import inventory_demo_seed
from shopops.inventory import selectors, services
from shopops.inventory.models import Balance, ChannelSync, PurchaseOrder, StockMove

END = dt.date(2026, 11, 20)
NOT_PURCHASERS = ("ads", "service", "viewer")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _balance(shop, code: str, location_code: str = "main") -> tuple[int, int]:
    b = Balance.objects.filter(shop=shop, sku__sku_code=code, location__code=location_code).first()
    return (b.on_hand, b.in_transit) if b else (0, 0)


# ---------------------------------------------------------------- replenishment → purchase orders


@pytest.fixture
def seeded(shop):
    inventory_demo_seed(shop=shop, end_date=END, seed=7)
    return shop


def test_approving_suggestions_creates_draft_purchase_orders(seeded, client_as):
    shop = seeded
    plan = [r for r in selectors.replenishment_plan(shop=shop, end=END) if r["suggested_qty"] > 0 and r["supplier"]]
    assert plan, "the demo world has SKUs to reorder"
    chosen = plan[:3]
    before = set(PurchaseOrder.objects.filter(shop=shop).values_list("pk", flat=True))
    url = reverse("web:inventory_replenishment_approve")

    for role in NOT_PURCHASERS:
        assert client_as(role).post(url, {"sku": [r["sku"] for r in chosen], "date": END.isoformat()}).status_code == 403
    assert set(PurchaseOrder.objects.filter(shop=shop).values_list("pk", flat=True)) == before

    response = client_as("operator").post(url, {"sku": [r["sku"] for r in chosen] + ["NO-SUCH-SKU"],
                                                "date": END.isoformat()}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("web:inventory_po_list")
    assert "NO-SUCH-SKU" in _messages(response)  # reported as skipped
    new = PurchaseOrder.objects.filter(shop=shop).exclude(pk__in=before)
    assert {o.supplier.code for o in new} == {r["supplier"] for r in chosen}  # one draft per supplier
    assert all(o.status == "draft" for o in new)
    lines = {li.sku.sku_code: li.qty_ordered for o in new for li in o.lines.select_related("sku")}
    assert lines == {r["sku"]: r["suggested_qty"] for r in chosen}
    for o in new:
        assert o.number in _messages(response)


def test_approve_without_a_choice_is_a_422_page_and_writes_nothing(seeded, client_as):
    shop = seeded
    before = PurchaseOrder.objects.filter(shop=shop).count()
    url = reverse("web:inventory_replenishment_approve")
    for data in ({}, {"sku": ["", "  "]}, {"date": "not-a-date"}):
        response = client_as("operator").post(url, data)
        assert response.status_code == 422
        assert "SKU" in _messages(response) or "SKU" in response.content.decode()
    assert client_as("operator").get(url).status_code == 405
    assert PurchaseOrder.objects.filter(shop=shop).count() == before


# ---------------------------------------------------------------- receiving a purchase order


@pytest.fixture
def order(shop):
    codes = sorted(skus_by_code(shop=shop))[:2]
    services.supplier_upsert(shop=shop, code="web-supplier", name="Web supplier")
    po = services.po_create(shop=shop, supplier_code="web-supplier", lines=[(codes[0], 10), (codes[1], 6)])
    return po, codes


def _action(client, po, **data):
    return client.post(reverse("web:inventory_po_action", args=[po.pk]), data)


def test_receiving_partly_then_fully_moves_stock_through_the_ledger(shop, order, client_as):
    po, (a, b) = order
    start = {a: _balance(shop, a), b: _balance(shop, b)}
    operator = client_as("operator")
    assert _action(operator, po, action="place").status_code == 302
    po.refresh_from_db()
    assert po.status == "ordered"
    assert _balance(shop, a)[1] == start[a][1] + 10 and _balance(shop, b)[1] == start[b][1] + 6

    lines = {li.sku.sku_code: li for li in po.lines.select_related("sku")}
    partly = {"action": "receive", "ref": "DN-1", f"qty_{lines[a].pk}": "4", f"qty_{lines[b].pk}": "0"}
    assert _action(operator, po, **partly).status_code == 302
    po.refresh_from_db()
    assert po.status == "partly_received"
    moves = list(StockMove.objects.filter(shop=shop, ref=f"po:{po.pk}:DN-1").values_list("sku__sku_code", "qty",
                                                                                          "type"))
    assert moves == [(a, 4, "receipt")]
    assert _balance(shop, a) == (start[a][0] + 4, start[a][1] + 6)
    assert _balance(shop, b) == (start[b][0], start[b][1] + 6)

    # the same delivery note again changes nothing (idempotent)
    assert _action(operator, po, **partly).status_code == 302
    assert StockMove.objects.filter(shop=shop, ref=f"po:{po.pk}:DN-1").count() == 1

    # no quantity fields: everything still open arrives
    assert _action(operator, po, action="receive", ref="DN-2").status_code == 302
    po.refresh_from_db()
    assert po.status == "received"
    assert dict(StockMove.objects.filter(shop=shop, ref=f"po:{po.pk}:DN-2").values_list("sku__sku_code", "qty")) \
        == {a: 6, b: 6}
    assert _balance(shop, a) == (start[a][0] + 10, start[a][1])
    assert _balance(shop, b) == (start[b][0] + 6, start[b][1])
    assert [li.qty_received for li in po.lines.order_by("sku__sku_code")] == [10, 6]
    # a received order cannot be received or cancelled again: 409 with the page and a message
    response = _action(operator, po, action="receive", ref="DN-3")
    assert response.status_code == 409 and _messages(response)
    assert _action(operator, po, action="cancel").status_code == 409


def test_bad_receipts_are_4xx_pages_and_write_nothing(shop, order, client_as):
    po, (a, b) = order
    operator = client_as("operator")
    # receiving a draft: 409
    assert _action(operator, po, action="receive", ref="DN").status_code == 409
    services.po_place(shop=shop, po_id=po.pk)
    lines = {li.sku.sku_code: li for li in po.lines.select_related("sku")}
    before = (_balance(shop, a), _balance(shop, b), StockMove.objects.filter(shop=shop).count())
    bad = [
        {"action": "receive", "ref": "DN", f"qty_{lines[a].pk}": "abc"},  # not a number
        {"action": "receive", "ref": "DN", f"qty_{lines[a].pk}": "-2"},  # negative
        {"action": "receive", "ref": "DN", f"qty_{lines[a].pk}": "11"},  # more than is open
        {"action": "receive", "ref": "DN", f"qty_{lines[a].pk}": "3", f"qty_{lines[b].pk}": "7"},  # one line too many
        {"action": "receive", "ref": "DN", f"qty_{lines[a].pk}": "0", f"qty_{lines[b].pk}": ""},  # nothing
        {"action": "receive", "ref": "", f"qty_{lines[a].pk}": "3"},  # no delivery note
        {"action": "receive", "ref": "x" * 101},  # delivery note too long
    ]
    for data in bad:
        response = _action(operator, po, **data)
        assert response.status_code == 422, data
        assert _messages(response), data
    response = _action(operator, po, action="explode")
    assert response.status_code == 400 and _messages(response)
    assert (_balance(shop, a), _balance(shop, b), StockMove.objects.filter(shop=shop).count()) == before
    po.refresh_from_db()
    assert po.status == "ordered"
    assert client_as("operator").post(reverse("web:inventory_po_action", args=[999_999_999]),
                                      {"action": "cancel"}).status_code == 404


def test_roles_without_manage_purchasing_cannot_touch_purchase_orders(shop, order, client_as):
    po, (a, _b) = order
    for role in NOT_PURCHASERS:
        for data in ({"action": "place"}, {"action": "cancel"}, {"action": "receive", "ref": "DN"}):
            assert _action(client_as(role), po, **data).status_code == 403
    po.refresh_from_db()
    assert po.status == "draft"
    assert not StockMove.objects.filter(shop=shop, ref__startswith=f"po:{po.pk}:").exists()
    # they still see it
    assert client_as("viewer").get(reverse("web:inventory_po_detail", args=[po.pk])).status_code == 200


# ---------------------------------------------------------------- channel sync


def test_sync_post_writes_the_sync_files(shop, client_as, settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path
    code = sorted(skus_by_code(shop=shop))[0]
    services.stock_move(shop=shop, sku_code=code, qty=40, type="receipt", ref="sync-in")
    services.channel_rule_set(shop=shop, channel="tmall", ratio="0.5")
    services.channel_rule_set(shop=shop, channel="jd", ratio="0.5")
    url = reverse("web:inventory_sync_run")
    for role in NOT_PURCHASERS:
        assert client_as(role).post(url).status_code == 403
    assert not ChannelSync.objects.filter(shop=shop).exists()
    assert not (tmp_path / "stock-sync").exists() or not any((tmp_path / "stock-sync").iterdir())
    assert client_as("operator").get(url).status_code == 405

    response = client_as("operator").post(url, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("web:inventory_sync")
    files = sorted(p.name for p in (tmp_path / "stock-sync").rglob("*") if p.is_file())
    assert files and _messages(response)
    synced = dict(ChannelSync.objects.filter(shop=shop, sku__sku_code=code).values_list("channel", "qty"))
    assert {"tmall", "jd"} <= set(synced)
    # a second sync: nothing changed, so the page shows no pending change for that SKU
    page = client_as("viewer").get(reverse("web:inventory_sync"))
    assert page.status_code == 200
    assert all(r["sku"] != code for r in page.context["changed"])
