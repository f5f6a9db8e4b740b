"""A hypothesis state machine drives receipts, sales (reserve → commit), reservations, releases, expiries,
transfers, counts, adjustments and flash-sale pools through the service layer, and checks after every step
(hypothesis stateful testing, docs/rules/inventory.md#concurrency-tests):

- available ≥ 0 at every location;
- on hand = Σ ledger at every location;
- reserved = Σ held reservations outside pools; a pool's held = Σ its held reservations;
- pooled = Σ pool quantities at the location, and a pool never holds more than its quantity;
- units conserved: Σ on hand = received + adjusted + counted − sold, as tracked by the model here.

Each example runs inside a savepoint that is rolled back, so examples start from the same database. Runs on
SQLite and on PostgreSQL (the suite's second pass).
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, precondition, rule

from shopops.core.errors import Conflict
from shopops.inventory import selectors, services
from shopops.inventory.models import Balance, Pool, Reservation

T0 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
LOCATIONS = ("main", "store-a")


class StockMachine(RuleBasedStateMachine):
    reservations = Bundle("reservations")

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        from shopops.catalog.selectors import skus_by_code
        from shopops.core.selectors import all_shops

        self.shop = all_shops().get(code="demo")
        self.sku = sorted(skus_by_code(shop=self.shop))[1]
        services.location_default(shop=self.shop)
        services.location_create(shop=self.shop, code="store-a", name="A", kind="store", priority=5)
        self.clock = T0
        self.n = 0
        self.expected_on_hand = 0
        self.pools: list[str] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _ref(self) -> str:
        self.n += 1
        return f"ref-{self.n}"

    @rule(location=st.sampled_from(LOCATIONS), qty=st.integers(1, 8))
    def receive(self, location: str, qty: int) -> None:
        services.stock_move(shop=self.shop, sku_code=self.sku, qty=qty, type="receipt", ref=self._ref(),
                            location_code=location)
        self.expected_on_hand += qty

    @rule(location=st.sampled_from(LOCATIONS), qty=st.integers(-5, 5).filter(bool))
    def adjust(self, location: str, qty: int) -> None:
        try:
            services.stock_move(shop=self.shop, sku_code=self.sku, qty=qty, type="adjustment", ref=self._ref(),
                                location_code=location)
        except services.StockConflict:
            assert qty < 0
            return
        self.expected_on_hand += qty

    @rule(location=st.sampled_from(LOCATIONS), counted=st.integers(0, 12))
    def count(self, location: str, counted: int) -> None:
        before = selectors.balances_for_sku(shop=self.shop, sku_id=self._sku_id())["locations"]
        on_hand = next((b["on_hand"] for b in before if b["location"] == location), 0)
        try:
            services.stock_move(shop=self.shop, sku_code=self.sku, qty=counted, type="count", ref=self._ref(),
                                location_code=location)
        except services.StockConflict:
            return
        self.expected_on_hand += counted - on_hand

    @rule(source=st.sampled_from(LOCATIONS), qty=st.integers(1, 5))
    def transfer(self, source: str, qty: int) -> None:
        target = LOCATIONS[1 - LOCATIONS.index(source)]
        with contextlib.suppress(services.StockConflict):
            services.stock_transfer(shop=self.shop, sku_code=self.sku, qty=qty, from_location=source,
                                    to_location=target, ref=self._ref())

    @rule(target=reservations, qty=st.integers(1, 4), ttl=st.integers(1, 120), use_pool=st.booleans(),
          customer=st.sampled_from(("ann", "bo", "cy")))
    def reserve(self, qty: int, ttl: int, use_pool: bool, customer: str):
        pool = next((p for p in reversed(self.pools)), None) if use_pool else None
        ref = self._ref()
        try:
            reservation, created = services.reservation_create(
                shop=self.shop, sku_code=self.sku, qty=qty, ref=ref, ttl_seconds=ttl, pool_code=pool,
                customer=customer, now=self.clock)
        except services.StockConflict:
            return None
        assert created
        again, created = services.reservation_create(shop=self.shop, sku_code=self.sku, qty=qty, ref=ref,
                                                     pool_code=pool, customer=customer, now=self.clock)
        assert not created and again.pk == reservation.pk
        return reservation.pk

    @rule(reservation=consumes(reservations))
    def commit(self, reservation: int | None) -> None:
        if reservation is None:
            return
        before = Reservation.objects.get(pk=reservation)
        try:
            done = services.reservation_commit(shop=self.shop, reservation_id=reservation, now=self.clock)
        except Conflict:
            assert Reservation.objects.get(pk=reservation).status in ("expired", "released")
            return
        assert done.status == "committed"
        if before.status == "held":
            self.expected_on_hand -= before.qty

    @rule(reservation=consumes(reservations))
    def release(self, reservation: int | None) -> None:
        if reservation is None:
            return
        try:
            done = services.reservation_release(shop=self.shop, reservation_id=reservation, now=self.clock)
        except Conflict:
            assert Reservation.objects.get(pk=reservation).status == "committed"
            return
        assert done.status in ("released", "expired")

    @rule(seconds=st.integers(1, 90))
    def time_passes(self, seconds: int) -> None:
        self.clock += dt.timedelta(seconds=seconds)
        services.reservations_expire(now=self.clock)
        assert not Reservation.objects.filter(shop=self.shop, status="held", expires_at__lte=self.clock).exists()

    @precondition(lambda self: len(self.pools) < 3)
    @rule(qty=st.integers(1, 6), limit=st.sampled_from((None, 1, 2, 3)))
    def open_pool(self, qty: int, limit: int | None) -> None:
        code = f"pool-{self.n}"
        self.n += 1
        try:
            services.pool_create(shop=self.shop, code=code, sku_code=self.sku, qty=qty, per_customer_limit=limit)
        except services.StockConflict:
            return
        self.pools.append(code)

    @precondition(lambda self: bool(self.pools))
    @rule()
    def close_pool(self) -> None:
        services.pool_close(shop=self.shop, code=self.pools.pop(0))

    def _sku_id(self) -> int:
        from shopops.catalog.selectors import sku_by_code

        return sku_by_code(shop=self.shop, sku_code=self.sku).pk

    @invariant()
    def books_balance(self) -> None:
        sku_id = self._sku_id()
        ledger = selectors.ledger_sums(shop=self.shop, sku_id=sku_id)
        held = Reservation.objects.filter(shop=self.shop, sku_id=sku_id, status="held")
        total = 0
        for b in Balance.objects.filter(shop=self.shop, sku_id=sku_id):
            assert b.on_hand - b.reserved - b.pooled >= 0
            assert b.on_hand == ledger.get(b.location_id, 0)
            assert b.reserved == sum(r.qty for r in held if r.location_id == b.location_id and r.pool_id is None)
            pools = Pool.objects.filter(shop=self.shop, sku_id=sku_id, location_id=b.location_id)
            assert b.pooled == sum(p.qty for p in pools)
            for p in pools:
                assert 0 <= p.reserved <= p.qty
                assert p.reserved == sum(r.qty for r in held if r.pool_id == p.pk)
                if p.per_customer_limit:
                    for c in p.customers.all():
                        assert 0 <= c.qty <= p.per_customer_limit
            total += b.on_hand
        assert total == self.expected_on_hand


@pytest.mark.django_db
def test_stock_state_machine():
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(StockMachine, settings=settings(
        max_examples=40, stateful_step_count=30, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
