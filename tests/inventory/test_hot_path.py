"""The reservation hot path (services/reservations_fast.py, there for speed): what it returns is the stored
row, it falls back to the full path whenever it cannot answer (a balance row from before Balance.sku_code, a
replayed ref, a location without enough stock), and on PostgreSQL it survives losing its prepared statement.
The invariants under concurrency are checked by test_concurrency.py and test_stateful.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from shopops.core.errors import Conflict
from shopops.inventory import services
from shopops.inventory.models import Balance, Reservation

T0 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def sku(shop):
    from shopops.catalog.selectors import skus_by_code

    s = sorted(skus_by_code(shop=shop).values(), key=lambda s: s.sku_code)[0]
    services.stock_move(shop=shop, sku_code=s.sku_code, qty=10, type="receipt", ref="hot-in")
    return s


def _reserved(shop, sku) -> int:
    return sum(Balance.objects.filter(shop=shop, sku=sku).values_list("reserved", flat=True))


def test_the_returned_reservation_is_the_stored_row(shop, sku):
    r, created = services.reservation_create(shop=shop, sku_code=f"  {sku.sku_code} ", qty=3, ref="h1",
                                             channel="tmall", ttl_seconds=60, customer="c1", now=T0)
    assert created
    stored = Reservation.objects.get(pk=r.pk)
    fields = [f.attname for f in Reservation._meta.concrete_fields if f.attname != "created_at"]
    assert {f: getattr(r, f) for f in fields} == {f: getattr(stored, f) for f in fields}
    assert r.expires_at == T0 + dt.timedelta(seconds=60) and r.sku.sku_code == sku.sku_code
    assert r.location.code == "main" and r.pool is None and r.get_status_display()
    assert _reserved(shop, sku) == 3
    r.refresh_from_db()  # a normal model instance
    services.reservation_commit(shop=shop, reservation_id=r.pk, now=T0)
    assert Balance.objects.get(shop=shop, sku=sku).on_hand == 7


def test_datetimes_are_stored_as_django_stores_them(shop, sku):
    """Also inside a caller's transaction (the savepoint path): on SQLite the text must be Django's (naive
    UTC), or comparisons such as the expiry's ``expires_at <= now`` would miss the row."""
    r, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="h-dt", ttl_seconds=60, now=T0)
    expires = T0 + dt.timedelta(seconds=60)
    assert Reservation.objects.filter(pk=r.pk, expires_at=expires).exists()
    assert services.reservations_expire(now=expires) >= 1
    assert Reservation.objects.get(pk=r.pk).status == "expired"


def test_replays_and_conflicts_take_the_full_path_and_change_nothing(shop, sku):
    first, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=4, ref="h2", now=T0)
    again, created = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=4, ref="h2", now=T0)
    assert not created and again.pk == first.pk and _reserved(shop, sku) == 4
    with pytest.raises(Conflict):
        services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=5, ref="h2", now=T0)
    with pytest.raises(services.StockConflict) as exc:
        services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=7, ref="h3", now=T0)
    assert exc.value.available == 6 and _reserved(shop, sku) == 4
    assert not Reservation.objects.filter(shop=shop, ref="h3").exists()


def test_a_balance_row_without_its_code_is_served_and_healed(shop, sku):
    Balance.objects.filter(sku=sku).update(sku_code="")  # as written before migration 0002
    r, created = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=2, ref="h4", now=T0)
    assert created and _reserved(shop, sku) == 2
    assert set(Balance.objects.filter(sku=sku).values_list("sku_code", flat=True)) == {sku.sku_code}
    r2, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=2, ref="h5", now=T0)
    assert _reserved(shop, sku) == 4 and r2.pk != r.pk


def test_another_location_is_used_when_the_first_choice_is_short(shop, sku):
    services.location_create(shop=shop, code="hot-store", name="Store", priority=5)
    services.stock_move(shop=shop, sku_code=sku.sku_code, qty=20, type="receipt", ref="hot-store-in",
                        location_code="hot-store")
    r, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=15, ref="h6", now=T0)
    assert r.location.code == "hot-store"
    r, _ = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=8, ref="h7", now=T0)
    assert r.location.code == "main"  # the default location first when it has enough


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statement")
def test_a_lost_prepared_statement_is_prepared_again(shop, sku):
    services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="h8", now=T0)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler or a reconnect does
    r, created = services.reservation_create(shop=shop, sku_code=sku.sku_code, qty=1, ref="h9", now=T0)
    assert created and _reserved(shop, sku) == 2


def _outside_a_transaction() -> dict:
    """Runs in a child process on a fresh database, outside any transaction: the SQLite branch that drives the
    driver's connection itself (BEGIN IMMEDIATE …), trying the default location first."""
    from shopops.core.selectors import all_shops
    from shopops.inventory.models import Location

    shop = all_shops().get(code="race")
    out: dict = {"locations": []}

    def reserve(ref: str, qty: int = 1) -> None:
        r, created = services.reservation_create(shop=shop, sku_code="HOT", qty=qty, ref=ref, now=T0)
        stored = Reservation.objects.get(pk=r.pk)
        fields = [f.attname for f in Reservation._meta.concrete_fields if f.attname != "created_at"]
        assert created and {f: getattr(r, f) for f in fields} == {f: getattr(stored, f) for f in fields}
        out["locations"].append(r.location.code)

    reserve("o1")  # found by the shop and code at the default location
    reserve("o2")
    services.location_create(shop=shop, code="new-default", name="N", is_default=True)
    services.stock_move(shop=shop, sku_code="HOT", qty=5, type="receipt", ref="in-n", location_code="new-default")
    reserve("o3")  # the old default's row is no longer the first choice: the new default is
    reserve("o4")
    Location.objects.filter(code="new-default").update(active=False)
    reserve("o5")  # an inactive location is never used
    try:
        reserve("o6", qty=3)  # more than the old default has left, and no other location is active
    except services.StockConflict as exc:
        out["short"] = exc.available
    replay, created = services.reservation_create(shop=shop, sku_code="HOT", qty=1, ref="o5", now=T0)
    out["replay"] = (created, replay.ref)
    out["reserved"] = {b.location.code: b.reserved for b in Balance.objects.select_related("location")}
    out["held"] = {code: sum(Reservation.objects.filter(location__code=code).values_list("qty", flat=True))
                   for code in ("main", "new-default")}
    return out


def test_outside_a_transaction_the_first_choice_follows_location_changes(db):
    """Nothing is remembered between reservations: after the default location changes or is deactivated,
    reservations go where the full path would send them; replays and shortages behave alike.
    On PostgreSQL the same requests go through the one-statement path."""
    from tests.inventory import race

    with race.race_database(connection.settings_dict) as env:
        race.prepare(env, 5, 0, 1)
        out = race._in_child(env, _outside_a_transaction)
    assert out["short"] == 2 and out["locations"] == ["main", "main", "new-default", "new-default", "main"]
    assert out["replay"] == (False, "o5")
    assert out["reserved"] == out["held"] == {"main": 3, "new-default": 2}
