"""Ledger moves, balances, reservations and pools through the service layer and the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from shopops.core.errors import Conflict, InvalidInput
from shopops.inventory import selectors, services
from shopops.inventory.models import Balance, Reservation, StockMove

T0 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def sku(shop):
    from shopops.catalog.selectors import skus_by_code

    return sorted(skus_by_code(shop=shop).values(), key=lambda s: s.sku_code)[0]


def _receive(shop, sku, qty, ref="r1", location=None):
    return services.stock_move(shop=shop, sku_code=sku.sku_code, qty=qty, type="receipt", ref=ref,
                               location_code=location)


def _total(shop, sku):
    return selectors.balances_for_sku(shop=shop, sku_id=sku.pk)["total"]


def test_receipt_is_idempotent_by_ref_and_feeds_the_default_location(shop, sku):
    first = _receive(shop, sku, 10)
    again = _receive(shop, sku, 10)
    assert first.created and not again.created and again.moves[0].pk == first.moves[0].pk
    assert _total(shop, sku)["on_hand"] == 10
    assert services.location_default(shop=shop).code == "main"
    with pytest.raises(Conflict):  # the same ref for something else
        _receive(shop, sku, 11)


def test_adjustment_and_count_never_take_available_below_zero(shop, sku):
    _receive(shop, sku, 5)
    services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=3, ref="o1", now=T0)
    with pytest.raises(services.StockConflict) as info:
        services.stock_move(shop=shop, sku_code=sku.sku_code, qty=-3, type="adjustment", ref="a1")
    assert info.value.available == 2
    services.stock_move(shop=shop, sku_code=sku.sku_code, qty=-2, type="adjustment", ref="a2")
    with pytest.raises(services.StockConflict):
        services.stock_move(shop=shop, sku_code=sku.sku_code, qty=2, type="count", ref="c1")
    result = services.stock_move(shop=shop, sku_code=sku.sku_code, qty=7, type="count", ref="c2")
    assert result.moves[0].qty == 4  # the ledger gets the difference: 3 → 7
    assert _total(shop, sku) == {"on_hand": 7, "reserved": 3, "pooled": 0, "available": 4, "in_transit": 0}


def test_bad_input_names_the_field(shop, sku):
    with pytest.raises(InvalidInput) as info:
        services.stock_move(shop=shop, sku_code="NOPE", qty=1, type="receipt", ref="x")
    assert info.value.errors[0].field == "sku"
    with pytest.raises(InvalidInput) as info:
        services.stock_move(shop=shop, sku_code=sku.sku_code, qty=0, type="receipt", ref="x")
    assert info.value.errors[0].field == "qty"
    with pytest.raises(InvalidInput):
        services.stock_move(shop=shop, sku_code=sku.sku_code, qty=1, type="sale", ref="x")
    assert not StockMove.objects.filter(shop=shop, ref="x").exists()


def test_reservation_lifecycle(shop, sku):
    _receive(shop, sku, 4)
    r, created = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=3, ref="o1", ttl_seconds=60,
                                             now=T0)
    assert created and r.status == "held" and r.expires_at == T0 + dt.timedelta(seconds=60)
    again, created = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=3, ref="o1", now=T0)
    assert not created and again.pk == r.pk
    with pytest.raises(Conflict):
        services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=2, ref="o1", now=T0)
    with pytest.raises(services.StockConflict) as info:
        services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=2, ref="o2", now=T0)
    assert info.value.available == 1
    services.reservation_commit(shop=shop, reservation_id=r.pk, now=T0)
    assert services.reservation_commit(shop=shop, reservation_id=r.pk, now=T0).status == "committed"
    sale = StockMove.objects.get(reservation=r)
    assert sale.type == "sale" and sale.qty == -3
    assert _total(shop, sku) == {"on_hand": 1, "reserved": 0, "pooled": 0, "available": 1, "in_transit": 0}
    with pytest.raises(Conflict):
        services.reservation_release(shop=shop, reservation_id=r.pk)


def test_release_and_expiry_free_the_units(shop, sku):
    _receive(shop, sku, 2)
    a, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="a", ttl_seconds=60, now=T0)
    b, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="b", ttl_seconds=600, now=T0)
    assert _total(shop, sku)["available"] == 0
    services.reservation_release(shop=shop, reservation_id=a.pk, now=T0)
    assert services.reservation_release(shop=shop, reservation_id=a.pk, now=T0).status == "released"
    assert services.reservations_expire(now=T0 + dt.timedelta(seconds=601)) >= 1
    b.refresh_from_db()
    assert b.status == "expired" and _total(shop, sku)["available"] == 2
    with pytest.raises(Conflict):
        services.reservation_commit(shop=shop, reservation_id=b.pk)


def test_commit_after_expiry_time_is_refused_and_expires(shop, sku):
    _receive(shop, sku, 1)
    r, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="late", ttl_seconds=5, now=T0)
    with pytest.raises(Conflict):
        services.reservation_commit(shop=shop, reservation_id=r.pk, now=T0 + dt.timedelta(seconds=6))
    r.refresh_from_db()
    assert r.status == "expired" and _total(shop, sku)["available"] == 1


def test_reservation_falls_back_to_another_location(shop, sku):
    services.location_create(shop=shop, code="store-1", name="Store", kind="store")
    _receive(shop, sku, 1)
    _receive(shop, sku, 5, ref="r2", location="store-1")
    r, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=3, ref="o", now=T0)
    assert r.location.code == "store-1"
    r2, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="o2", now=T0)
    assert r2.location.code == "main"  # the default location first


def test_transfer_keeps_the_total(shop, sku):
    services.location_create(shop=shop, code="store-1", name="Store", kind="store")
    _receive(shop, sku, 5)
    services.stock_transfer(shop=shop, sku_code=sku.sku_code, qty=2, from_location="main", to_location="store-1",
                            ref="t1")
    services.stock_transfer(shop=shop, sku_code=sku.sku_code, qty=2, from_location="main", to_location="store-1",
                            ref="t1")
    rows = {r["location"]: r["on_hand"] for r in selectors.balances_for_sku(shop=shop, sku_id=sku.pk)["locations"]}
    assert rows == {"main": 3, "store-1": 2}
    with pytest.raises(services.StockConflict):
        services.stock_transfer(shop=shop, sku_code=sku.sku_code, qty=4, from_location="main",
                                to_location="store-1", ref="t2")


def test_pool_limits_pool_and_customer(shop, sku):
    _receive(shop, sku, 10)
    pool = services.pool_create(shop=shop, code="miaosha", sku_code=sku.sku_code, qty=4, per_customer_limit=2)
    assert _total(shop, sku)["available"] == 6
    with pytest.raises(InvalidInput):  # a limited pool needs the customer
        services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="p0", pool_code="miaosha", now=T0)
    a, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=2, ref="p1", pool_code="miaosha",
                                       customer="alice", now=T0)
    with pytest.raises(services.StockConflict) as info:
        services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="p2", pool_code="miaosha",
                                    customer="alice", now=T0)
    assert info.value.available == 0
    services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=2, ref="p3", pool_code="miaosha",
                                customer="bob", now=T0)
    with pytest.raises(services.StockConflict):
        services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="p4", pool_code="miaosha",
                                    customer="carol", now=T0)
    services.reservation_commit(shop=shop, reservation_id=a.pk, now=T0)
    pool.refresh_from_db()
    assert (pool.qty, pool.reserved, pool.sold) == (2, 2, 2)
    services.pool_close(shop=shop, code="miaosha")
    bob = Reservation.objects.get(ref="p3")
    services.reservation_release(shop=shop, reservation_id=bob.pk, now=T0)
    assert _total(shop, sku) == {"on_hand": 8, "reserved": 0, "pooled": 0, "available": 8, "in_transit": 0}


def test_purchase_order_flow(shop, sku):
    services.supplier_upsert(shop=shop, code="acme", name="Acme", lead_time_days=10, moq=10, case_pack=5)
    order = services.po_create(shop=shop, supplier_code="acme", lines=[(sku.sku_code, 20)])
    assert order.status == "draft"
    services.po_place(shop=shop, po_id=order.pk)
    assert _total(shop, sku)["in_transit"] == 20
    order = services.po_receive(shop=shop, po_id=order.pk, ref="dn1", lines={sku.sku_code: 8})
    assert order.status == "partly_received"
    assert services.po_receive(shop=shop, po_id=order.pk, ref="dn1", lines={sku.sku_code: 8}).status == \
        "partly_received"
    with pytest.raises(InvalidInput):
        services.po_receive(shop=shop, po_id=order.pk, ref="dn2", lines={sku.sku_code: 13})
    order = services.po_receive(shop=shop, po_id=order.pk, ref="dn3")
    assert order.status == "received"
    assert _total(shop, sku) == {"on_hand": 20, "reserved": 0, "pooled": 0, "available": 20, "in_transit": 0}
    assert sum(selectors.ledger_sums(shop=shop, sku_id=sku.pk).values()) == 20


def test_balance_constraint_refuses_negative_available(shop, sku):
    from django.db import IntegrityError, transaction

    _receive(shop, sku, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Balance.objects.filter(sku=sku).update(reserved=2)


# ---------------------------------------------------------------- API


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_reservation_api(api_as, shop, sku):
    client = api_as("operator")
    response = _post(client, "/api/v1/inventory/movements",
                     {"sku": sku.sku_code, "qty": 2, "type": "receipt", "ref": "api-r1"})
    assert response.status_code == 201, response.content
    assert _post(client, "/api/v1/inventory/movements",
                 {"sku": sku.sku_code, "qty": 2, "type": "receipt", "ref": "api-r1"}).status_code == 200
    body = {"sku": sku.sku_code, "qty": 2, "ref": "order-1", "channel": "tmall", "ttl_seconds": 600}
    response = _post(client, "/api/v1/inventory/reservations", body)
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "held" and data["id"] and data["expires_at"]
    assert _post(client, "/api/v1/inventory/reservations", body).json()["id"] == data["id"]
    response = _post(client, "/api/v1/inventory/reservations", {**body, "ref": "order-2", "qty": 1})
    assert response.status_code == 409 and response.json()["available"] == 0 and response.json()["detail"]
    balances = client.get(f"/api/v1/inventory/balances?sku={sku.sku_code}").json()
    assert balances["total"]["reserved"] == 2 and balances["locations"][0]["location"] == "main"
    response = client.post(f"/api/v1/inventory/reservations/{data['id']}/commit")
    assert response.status_code == 200 and response.json()["status"] == "committed"
    assert client.post(f"/api/v1/inventory/reservations/{data['id']}/release").status_code == 409
    assert client.get("/api/v1/inventory/balances?sku=NOPE").status_code == 404
    assert api_as("viewer").get(f"/api/v1/inventory/balances?sku={sku.sku_code}").status_code == 200
    assert _post(api_as("viewer"), "/api/v1/inventory/reservations", body).status_code == 403
