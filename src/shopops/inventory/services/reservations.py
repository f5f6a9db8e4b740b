"""Reservations: units held for an order for a while, then committed (sold), released or expired.

A plain reservation first goes through the hot path (reservations_fast.py); whenever that cannot answer,
the full path below does (catalog lookup, pools, the exact 409, replays). Lock order and the conditional
decrement rule: balances.py.
"""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F
from django.db.models.base import ModelState
from django.utils.translation import gettext as _

from shopops.core.clock import now as clock_now
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.models import Shop, User
from shopops.inventory.domain import MAX_TTL_SECONDS
from shopops.inventory.models import Balance, Pool, Reservation, StockMove
from shopops.inventory.services.balances import StockConflict, available_total
from shopops.inventory.services.inputs import qty_clean, ref_clean, sku_find
from shopops.inventory.services.pools import pool_find, pool_units_free, pool_units_take
from shopops.inventory.services.reservations_fast import reservation_take_fast
from shopops.inventory.services.reservations_sql import Hold

# The full path's statement: the first-choice location (reservations_sql.TAKE's order) by SKU id, since rows
# written before Balance.sku_code may lack the code. On PostgreSQL a concurrent taker can make the outer
# WHERE match nothing: then _reserve_units tries again, never overselling.
_RESERVE_SQL = """
UPDATE inventory_balance SET reserved = reserved + %s
WHERE id = (SELECT b.id FROM inventory_balance b JOIN inventory_location l ON l.id = b.location_id
            WHERE b.sku_id = %s AND l.active AND b.on_hand - b.reserved - b.pooled >= %s
            ORDER BY l.is_default DESC, l.priority, l.id LIMIT 1)
  AND on_hand - reserved - pooled >= %s
RETURNING location_id
"""
_HELD = Reservation.Status.HELD.value
_FIELDS = tuple(field.attname for field in Reservation._meta.concrete_fields)  # from_db's value order
_new_model = object.__new__


def reservation_create(
    *,
    shop: Shop,
    sku_code: str,
    qty: object,
    ref: str,
    channel: str = "",
    ttl_seconds: object = 900,
    pool_code: str | None = None,
    customer: str = "",
    now: dt.datetime | None = None,
) -> tuple[Reservation, bool]:
    """Hold ``qty`` units for ``ttl_seconds``; returns (reservation, created).

    Idempotent by ``ref``: the same request again returns the same reservation with ``created=False`` (the
    API answers 200 instead of 201), whatever its status now; the same ref with another SKU, quantity or pool
    is a Conflict. Not enough stock (or pool stock, or customer limit) → StockConflict with what is available.
    Units are taken at one location (default first, then by priority); a reservation is not split.
    """
    ref = ref_clean(ref)
    amount = qty_clean(qty)
    ttl = qty_clean(ttl_seconds, "ttl_seconds")
    if ttl > MAX_TTL_SECONDS:
        raise InvalidInput(_("A reservation lasts at most 7 days."),
                           [FieldError("ttl_seconds", _("At most %(n)s seconds.") % {"n": MAX_TTL_SECONDS})])
    at = now or clock_now()
    hold = Hold(shop=shop.pk, code=(sku_code or "").strip(), qty=amount, ref=ref,
                channel=(channel or "").strip()[:20], customer=(customer or "").strip()[:100],
                expires_at=at + dt.timedelta(seconds=ttl), created_at=clock_now() if now else at)
    if not pool_code and hold.code:
        conn = connections[DEFAULT_DB_ALIAS]
        try:
            taken = reservation_take_fast(conn, hold)
        except IntegrityError:  # the ref exists: the full path returns it (or says it was used differently)
            taken = None
        if taken is not None:
            return _held(conn.alias, shop, taken, hold), True
    return _reservation_create_full(shop, sku_code, pool_code, hold)


def _held(alias: str, shop: Shop, taken: tuple[int, int, int], hold: Hold) -> Reservation:
    """The Reservation the hot path just inserted, built from what it wrote (no query): the state
    ``Model.from_db`` leaves (values by attname, not adding, its database, the shop cached), without
    ``__init__``'s per-field descriptor calls, a tenth of the hot path's time. The hot-path tests compare it
    with the stored row field by field."""
    reservation_id, sku_id, location_id = taken
    reservation = _new_model(Reservation)
    reservation.__dict__.update(zip(_FIELDS, (
        reservation_id, hold.shop, sku_id, location_id, None, hold.qty, hold.ref, hold.channel, hold.customer,
        _HELD, hold.expires_at, hold.created_at, None), strict=True))
    state = reservation._state = ModelState()
    state.adding, state.db = False, alias
    state.fields_cache["shop"] = shop
    return reservation


def _reservation_create_full(shop: Shop, sku_code: str, pool_code: str | None,
                             hold: Hold) -> tuple[Reservation, bool]:
    """reservation_create when the hot path did not answer: pools, rows without their code, exact 409s."""
    sku = sku_find(shop, sku_code)
    pool = pool_find(shop, pool_code, sku.pk, hold.customer) if pool_code else None
    if pool is None and Balance.objects.filter(sku_id=sku.pk, sku_code="").exists():
        Balance.objects.filter(sku_id=sku.pk, sku_code="").update(sku_code=sku.sku_code)  # rows from before 0002
    try:
        with transaction.atomic():
            if pool is None:
                location_id = _reserve_units(sku.pk, hold.qty)
                if location_id is None:
                    left = available_total(sku.pk)
                    raise StockConflict(_("Not enough stock: %(n)s available.") % {"n": left}, available=left)
            else:
                location_id = pool.location_id
                pool_units_take(pool, hold.customer, hold.qty)
            reservation = Reservation.objects.create(
                shop=shop, sku_id=sku.pk, location_id=location_id, pool=pool, qty=hold.qty, ref=hold.ref,
                channel=hold.channel, customer=hold.customer, expires_at=hold.expires_at)
    except IntegrityError:  # the same ref was written meanwhile: everything above rolled back
        found = _existing_reservation(shop, hold.ref, sku.pk, hold.qty, pool)
        if found is None:
            raise
        return found, False
    except StockConflict:
        found = _existing_reservation(shop, hold.ref, sku.pk, hold.qty, pool)
        if found is not None:  # a replay of a request that succeeded earlier
            return found, False
        raise
    return reservation, True


def _reserve_units(sku_id: int, qty: int) -> int | None:
    """The location where ``qty`` units were reserved, or None when no active location has enough."""
    with connection.cursor() as cursor:
        for _attempt in range(5):
            cursor.execute(_RESERVE_SQL, [qty, sku_id, qty, qty])
            row = cursor.fetchone()
            if row:
                return row[0]
            if connection.vendor == "sqlite":  # writers are serialised: nothing matched means not enough
                return None
            best = Balance.objects.filter(sku_id=sku_id, location__active=True).annotate(
                a=F("on_hand") - F("reserved") - F("pooled")).order_by("-a").values_list("a", flat=True).first()
            if not best or best < qty:
                return None
    return None


def _existing_reservation(shop: Shop, ref: str, sku_id: int, qty: int, pool: Pool | None) -> Reservation | None:
    """The reservation stored under ``ref``; Conflict when it was made for another SKU, quantity or pool."""
    found = Reservation.objects.filter(shop=shop, ref=ref).first()
    if found is not None and not (found.sku_id == sku_id and found.qty == qty
                                  and found.pool_id == (pool.pk if pool else None)):
        raise Conflict(_("The reference %(ref)s was already used for a different reservation.") % {"ref": ref})
    return found


def _reservation(shop: Shop, reservation_id: int) -> Reservation:
    found = Reservation.objects.filter(shop=shop, pk=reservation_id).first()
    if found is None:
        raise NotFound(_("No such reservation."))
    return found


def _close(reservation: Reservation, status: str, at: dt.datetime) -> bool:
    """held → released/expired, freeing its units; False when another request closed it first."""
    with transaction.atomic():
        if not Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.HELD).update(
                status=status, closed_at=at):
            return False
        if reservation.pool_id is None:
            Balance.objects.filter(sku_id=reservation.sku_id, location_id=reservation.location_id).update(
                reserved=F("reserved") - reservation.qty)
        else:
            pool_units_free(reservation.pool_id, reservation.customer, reservation.qty, reservation.sku_id,
                            reservation.location_id)
        return True


def reservation_release(*, shop: Shop, reservation_id: int, now: dt.datetime | None = None) -> Reservation:
    """Free a held reservation. Releasing it again (or after it expired) changes nothing; a committed one
    cannot be released (Conflict)."""
    reservation = _reservation(shop, reservation_id)
    _close(reservation, Reservation.Status.RELEASED, now or clock_now())
    reservation.refresh_from_db()
    if reservation.status == Reservation.Status.COMMITTED:
        raise Conflict(_("This reservation was already committed (sold); it cannot be released."))
    return reservation


def reservation_commit(*, shop: Shop, reservation_id: int, now: dt.datetime | None = None,
                       actor: User | None = None) -> Reservation:
    """Turn a held reservation into a sale: units leave on hand, a ``sale`` line enters the ledger.

    Idempotent (committing again returns it). A released or expired reservation cannot be committed
    (Conflict); one past its expiry is expired now and refused.
    """
    at = now or clock_now()
    reservation = _reservation(shop, reservation_id)
    if reservation.status == Reservation.Status.HELD and reservation.expires_at <= at:
        _close(reservation, Reservation.Status.EXPIRED, at)
        reservation.refresh_from_db()
    if reservation.status == Reservation.Status.HELD:
        with transaction.atomic():
            if Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.HELD).update(
                    status=Reservation.Status.COMMITTED, closed_at=at):
                _commit_units(shop, reservation, actor)
        reservation.refresh_from_db()
    if reservation.status != Reservation.Status.COMMITTED:
        raise Conflict(_("This reservation is %(status)s; it cannot be committed.")
                       % {"status": reservation.get_status_display()})
    return reservation


def _commit_units(shop: Shop, reservation: Reservation, actor: User | None) -> None:
    q = reservation.qty
    balance = Balance.objects.filter(sku_id=reservation.sku_id, location_id=reservation.location_id)
    if reservation.pool_id is None:
        balance.update(on_hand=F("on_hand") - q, reserved=F("reserved") - q)
    else:
        Pool.objects.filter(pk=reservation.pool_id).update(
            qty=F("qty") - q, reserved=F("reserved") - q, sold=F("sold") + q)
        balance.update(on_hand=F("on_hand") - q, pooled=F("pooled") - q)
    StockMove.objects.create(
        shop=shop, sku_id=reservation.sku_id, location_id=reservation.location_id, type=StockMove.Type.SALE,
        qty=-q, ref=f"reservation:{reservation.pk}", reservation=reservation,
        note=f"{reservation.channel} {reservation.ref}"[:200], actor=actor)


def reservations_expire(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Expire held reservations past their time (the periodic task calls this every minute); returns how many."""
    at = now or clock_now()
    due = list(Reservation.objects.filter(status=Reservation.Status.HELD, expires_at__lte=at)
               .order_by("expires_at", "pk")[:limit])
    return sum(1 for r in due if _close(r, Reservation.Status.EXPIRED, at))
