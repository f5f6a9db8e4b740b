"""Stock writes: ledger moves, reservations, flash-sale pools, purchase orders. Each is atomic.

Concurrency (docs/rules/inventory.md#conditional-decrement): every decrement is
a conditional ``UPDATE … WHERE on_hand − reserved − pooled >= q`` whose row count says whether it happened —
never read-then-write, which loses updates on PostgreSQL under READ COMMITTED. This is correct on SQLite
(IMMEDIATE transactions serialise writers) and on PostgreSQL (the UPDATE re-checks its WHERE on the newest
row version after waiting for the row lock). CHECK constraints in models.py are the last line of defence.

Lock order, the same in every write (deadlock avoidance, docs/rules/inventory.md#lock-order): reservation row
→ pool-customer row → pool row → balance rows in location-id order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import weakref
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, IntegrityError, ProgrammingError, connection, connections, transaction
from django.db.models import F, Sum
from django.db.models.base import ModelState
from django.utils.translation import gettext as _

from shopops.catalog.selectors import sku_by_code
from shopops.core.clock import now as clock_now
from shopops.core.domain import code_problem
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.models import Shop
from shopops.core.schemas import code_message
from shopops.inventory.domain import API_MOVE_TYPES, MAX_QTY, MAX_TTL_SECONDS, po_status
from shopops.inventory.models import (
    Balance,
    Location,
    Pool,
    PoolCustomer,
    PurchaseOrder,
    PurchaseOrderLine,
    Reservation,
    StockMove,
    Supplier,
    SupplierSku,
)

DEFAULT_LOCATION_CODE = "main"


class StockConflict(Conflict):
    """Not enough stock: the 409 carries how many units are available."""

    def __init__(self, detail: str, available: int) -> None:
        super().__init__(detail)
        self.available = available


# ---------------------------------------------------------------- helpers


def _sku(shop: Shop, sku_code: str, field: str = "sku"):  # noqa: ANN202 (a catalog Sku)
    code = (sku_code or "").strip()
    if not code:
        raise InvalidInput(_("Give a SKU code."), [FieldError(field, _("This field is required."))])
    sku = sku_by_code(shop=shop, sku_code=code)
    if sku is None:
        raise InvalidInput(_("Unknown SKU %(code)s.") % {"code": code},
                           [FieldError(field, _("No SKU with this code in this shop."))])
    return sku


def _qty(value: object, field: str = "qty", *, allow_zero: bool = False, allow_negative: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise InvalidInput(_("Quantities are whole numbers."),
                               [FieldError(field, _("Enter a whole number."))]) from None
    low = -MAX_QTY if allow_negative else (0 if allow_zero else 1)
    if not low <= value <= MAX_QTY or (value == 0 and not allow_zero):
        message = (_("Enter a whole number from %(low)s to %(high)s.") if allow_zero
                   else _("Enter a whole number from %(low)s to %(high)s, not zero."))
        raise InvalidInput(_("Quantity out of range."), [FieldError(field, message % {"low": low, "high": MAX_QTY})])
    return value


def _ref(value: str, field: str = "ref") -> str:
    ref = (value or "").strip()
    if not ref or len(ref) > 100:
        raise InvalidInput(_("Give a reference of 1 to 100 characters."),
                           [FieldError(field, _("A reference of 1 to 100 characters is required."))])
    return ref


def location_default(*, shop: Shop) -> Location:
    """The shop's default location, created ("main", 主仓) on first use."""
    found = Location.objects.filter(shop=shop, is_default=True).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return Location.objects.create(shop=shop, code=DEFAULT_LOCATION_CODE, name=_("Main warehouse"),
                                           is_default=True, priority=0)
    except IntegrityError:  # created meanwhile by another request, or "main" exists but is not the default
        found = Location.objects.filter(shop=shop, is_default=True).first()
        if found:
            return found
        return Location.objects.get(shop=shop, code=DEFAULT_LOCATION_CODE)


def _location(shop: Shop, code: str | None, field: str = "location") -> Location:
    if not code:
        return location_default(shop=shop)
    found = Location.objects.filter(shop=shop, code=code.strip()).first()
    if found is None:
        raise InvalidInput(_("Unknown location %(code)s.") % {"code": code},
                           [FieldError(field, _("No location with this code in this shop."))])
    return found


@transaction.atomic
def location_create(*, shop: Shop, code: str, name: str, kind: str = Location.Kind.WAREHOUSE,
                    is_default: bool = False, priority: int = 100) -> Location:
    code = (code or "").strip()
    if not code or Location.objects.filter(shop=shop, code=code).exists():
        raise InvalidInput(_("The location code is missing or already used."),
                           [FieldError("code", _("Enter a new location code."))])
    if kind not in Location.Kind.values:
        raise InvalidInput(_("Unknown location type."), [FieldError("kind", _("Choose warehouse or store."))])
    if is_default:
        Location.objects.filter(shop=shop, is_default=True).update(is_default=False)
    return Location.objects.create(shop=shop, code=code, name=name or code, kind=kind, is_default=is_default,
                                   priority=priority)


def _ensure_balance(shop: Shop, sku_id: int, location_id: int, sku_code: str = "") -> None:
    Balance.objects.bulk_create([Balance(shop=shop, sku_id=sku_id, location_id=location_id, sku_code=sku_code)],
                                ignore_conflicts=True)


def _available_total(sku_id: int) -> int:
    row = Balance.objects.filter(sku_id=sku_id, location__active=True).aggregate(
        a=Sum(F("on_hand") - F("reserved") - F("pooled")))
    return row["a"] or 0


def _available_at(sku_id: int, location_id: int) -> int:
    row = Balance.objects.filter(sku_id=sku_id, location_id=location_id).values_list(
        "on_hand", "reserved", "pooled").first()
    return row[0] - row[1] - row[2] if row else 0


def _take(sku_id: int, location_id: int, qty: int) -> bool:
    """Remove ``qty`` units from on hand if that many are available there (one conditional UPDATE)."""
    return bool(
        Balance.objects.filter(sku_id=sku_id, location_id=location_id,
                               on_hand__gte=F("reserved") + F("pooled") + qty)
        .update(on_hand=F("on_hand") - qty)
    )


def _put(shop: Shop, sku_id: int, location_id: int, qty: int, sku_code: str = "") -> None:
    if not Balance.objects.filter(sku_id=sku_id, location_id=location_id).update(on_hand=F("on_hand") + qty):
        _ensure_balance(shop, sku_id, location_id, sku_code)
        Balance.objects.filter(sku_id=sku_id, location_id=location_id).update(on_hand=F("on_hand") + qty)


# ---------------------------------------------------------------- ledger moves


@dataclass(frozen=True)
class MoveResult:
    moves: list[StockMove]
    created: bool


def _replay(shop: Shop, ref: str, *, sku_id: int, type_: str, qty: int | None) -> MoveResult | None:
    """The moves already written under ``ref``; Conflict when the same ref was used for something else."""
    moves = list(StockMove.objects.filter(shop=shop, ref=ref).select_related("location").order_by("line"))
    if not moves:
        return None
    first = moves[0]
    wanted = abs(qty) if type_ == "transfer" else qty
    same = first.sku_id == sku_id and first.type == type_ and (
        type_ == "count" or qty is None or (abs(first.qty) if type_ == "transfer" else first.qty) == wanted)
    if not same:
        raise Conflict(_("The reference %(ref)s was already used for a different stock move.") % {"ref": ref})
    return MoveResult(moves, created=False)


def stock_move(
    *,
    shop: Shop,
    sku_code: str,
    qty: object,
    type: str,  # noqa: A002 (the API's field name)
    ref: str,
    location_code: str | None = None,
    actor: AbstractBaseUser | None = None,
    note: str = "",
    allowed_types: tuple[str, ...] = API_MOVE_TYPES + ("return",),
) -> MoveResult:
    """Record a receipt, return, adjustment (±) or count (the counted quantity; the ledger gets the difference).

    Idempotent by ``ref``: the same ref again returns the moves already written (``created=False``); a ref
    reused for a different move is a Conflict. An adjustment or count that would take available stock below
    zero (units are reserved or in pools) is refused with a StockConflict.
    """
    if type not in allowed_types:
        raise InvalidInput(_("Unknown move type %(type)s.") % {"type": type},
                           [FieldError("type", _("Choose one of: %(types)s.") % {"types": ", ".join(allowed_types)})])
    ref = _ref(ref)
    if type == "count":
        amount = _qty(qty, allow_zero=True)
    elif type == "adjustment":
        amount = _qty(qty, allow_negative=True)
    else:
        amount = _qty(qty)
    sku = _sku(shop, sku_code)
    location = _location(shop, location_code)
    found = _replay(shop, ref, sku_id=sku.pk, type_=type, qty=amount)
    if found:
        return found
    try:
        with transaction.atomic():
            move = _apply(shop, sku.pk, location, type, amount, ref, actor, note, sku.sku_code)
    except IntegrityError:
        found = _replay(shop, ref, sku_id=sku.pk, type_=type, qty=amount)
        if found is None:
            raise
        return found
    return MoveResult([move], created=True)


def _apply(shop: Shop, sku_id: int, location: Location, type_: str, amount: int, ref: str,
           actor: AbstractBaseUser | None, note: str, sku_code: str = "") -> StockMove:
    delta = amount
    if type_ == "count":
        _ensure_balance(shop, sku_id, location.pk, sku_code)
        balance = Balance.objects.select_for_update().get(sku_id=sku_id, location_id=location.pk)
        if amount < balance.reserved + balance.pooled:
            raise StockConflict(
                _("Counted %(n)s, but %(held)s units are reserved or in flash-sale pools: resolve those first.")
                % {"n": amount, "held": balance.reserved + balance.pooled}, available=balance.available)
        delta = amount - balance.on_hand
        # compare-and-set on the value just read (the row is locked on PostgreSQL; SQLite serialises writers)
        if not Balance.objects.filter(pk=balance.pk, on_hand=balance.on_hand).update(on_hand=amount):
            raise Conflict(_("The stock changed while counting; count again."))
    elif delta < 0:
        if not _take(sku_id, location.pk, -delta):
            raise StockConflict(_("Only %(n)s units are available at %(loc)s.")
                                % {"n": _available_at(sku_id, location.pk), "loc": location.name},
                                available=_available_at(sku_id, location.pk))
    else:
        _put(shop, sku_id, location.pk, delta, sku_code)
    return StockMove.objects.create(shop=shop, sku_id=sku_id, location=location, type=type_, qty=delta, ref=ref,
                                    actor=actor, note=note[:200])


def stock_transfer(*, shop: Shop, sku_code: str, qty: object, from_location: str, to_location: str, ref: str,
                   actor: AbstractBaseUser | None = None) -> MoveResult:
    """Move available units between two locations: two ledger lines (−q, +q) under one ref; idempotent."""
    ref = _ref(ref)
    amount = _qty(qty)
    sku = _sku(shop, sku_code)
    source, target = _location(shop, from_location, "from"), _location(shop, to_location, "to")
    if source.pk == target.pk:
        raise InvalidInput(_("Transfer between two different locations."),
                           [FieldError("to", _("Choose another location."))])
    found = _replay(shop, ref, sku_id=sku.pk, type_="transfer", qty=amount)
    if found:
        return found
    try:
        with transaction.atomic():
            _ensure_balance(shop, sku.pk, target.pk, sku.sku_code)
            if not _take(sku.pk, source.pk, amount):
                raise StockConflict(_("Only %(n)s units are available at %(loc)s.")
                                    % {"n": _available_at(sku.pk, source.pk), "loc": source.name},
                                    available=_available_at(sku.pk, source.pk))
            _put(shop, sku.pk, target.pk, amount, sku.sku_code)
            moves = StockMove.objects.bulk_create([
                StockMove(shop=shop, sku_id=sku.pk, location=source, type="transfer", qty=-amount, ref=ref, line=0,
                          actor=actor),
                StockMove(shop=shop, sku_id=sku.pk, location=target, type="transfer", qty=amount, ref=ref, line=1,
                          actor=actor),
            ])
    except IntegrityError:
        found = _replay(shop, ref, sku_id=sku.pk, type_="transfer", qty=amount)
        if found is None:
            raise
        return found
    return MoveResult(moves, created=True)


# ---------------------------------------------------------------- reservations

# One statement picks the location (default first, then by priority) and takes the units there. On PostgreSQL
# the outer WHERE is re-checked on the newest row version after the row lock, so a concurrent taker can make it
# match nothing: then we try again (the loop below), never oversell.
_RESERVE_SQL = """
UPDATE inventory_balance SET reserved = reserved + %s
WHERE id = (SELECT b.id FROM inventory_balance b JOIN inventory_location l ON l.id = b.location_id
            WHERE b.sku_id = %s AND l.active AND b.on_hand - b.reserved - b.pooled >= %s
            ORDER BY l.is_default DESC, l.priority, l.id LIMIT 1)
  AND on_hand - reserved - pooled >= %s
RETURNING location_id
"""


def _reserve_units(sku_id: int, qty: int) -> int | None:
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


# The hot path (the performance goal: at least half the throughput of a bare conditional UPDATE). A plain
# reservation (no pool) is found by the shop and the SKU code on the balance row itself (Balance.sku_code), so
# no catalog lookup and no ORM query run; the units are taken by one conditional UPDATE and the reservation row
# is inserted in the same transaction; idempotency by ``ref`` is the unique constraint (a replay fails the
# INSERT, everything rolls back and the full path below answers it). Nothing else (no audit, no task) runs
# while the write lock is held.
#   PostgreSQL: ONE statement in autocommit (a data-modifying CTE): the UPDATE re-checks its WHERE on the newest
#     row version after waiting for the row lock, and the INSERT sees only the rows the UPDATE returned.
#   SQLite: BEGIN IMMEDIATE (the write lock up front), UPDATE, INSERT, COMMIT on the driver's connection:
#     SQLite serialises writers, so the lock is held for two short statements. What costs is the commit: it
#     writes every page the transaction changed to the WAL (models.Reservation says which), and the checkpoint
#     copies them again; the statements and the Python around them are kept lean for the same reason (the
#     returned Reservation is built without Model.__init__, datetimes are written as Django writes them).
# Whenever the hot path does not succeed (no balance row with the code, not enough stock at the first-choice
# location, a replayed ref), the full path runs and gives the exact answer (409 with what is available, the
# stored reservation, or a retry at another location).
_PICK = """SELECT b.id FROM inventory_balance b JOIN inventory_location l ON l.id = b.location_id
 WHERE b.shop_id = %s AND b.sku_code = %s AND l.active AND b.on_hand - b.reserved - b.pooled >= %s
 ORDER BY l.is_default DESC, l.priority, l.id LIMIT 1"""
_FAST_UPDATE = f"""UPDATE inventory_balance SET reserved = reserved + %s
 WHERE id = ({_PICK}) AND on_hand - reserved - pooled >= %s RETURNING sku_id, location_id"""
_FAST_INSERT = """INSERT INTO inventory_reservation
 (shop_id, sku_id, location_id, pool_id, qty, ref, channel, customer, status, expires_at, created_at, closed_at)
 VALUES (%s, %s, %s, NULL, %s, %s, %s, %s, 'held', %s, %s, NULL) RETURNING id"""
_FAST_PG = f"""WITH b AS ({_FAST_UPDATE})
INSERT INTO inventory_reservation
 (shop_id, sku_id, location_id, pool_id, qty, ref, channel, customer, status, expires_at, created_at, closed_at)
SELECT %s, b.sku_id, b.location_id, NULL, %s, %s, %s, %s, 'held', %s, %s, NULL FROM b
RETURNING id, sku_id, location_id"""
# PostgreSQL: the statement is planned once per connection (SQL-level PREPARE; Django turns psycopg's own
# prepared statements off for pooler compatibility): planning the CTE cost more than running it. If the
# server forgot it (a pooler handed us another server connection, a reconnect), we prepare again.
_PG_NAME = "shopops_reserve_v1"
_PG_PREPARE = (f"PREPARE {_PG_NAME} (bigint, bigint, text, bigint, bigint, bigint, bigint, text, text, text, "
               f"timestamptz, timestamptz) AS " + _FAST_PG.replace("%s", "${}").format(*range(1, 13)))
_PG_EXECUTE = f"EXECUTE {_PG_NAME} (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
_pg_prepared: weakref.WeakSet = weakref.WeakSet()
_FAST_INSERT_Q = _FAST_INSERT.replace("%s", "?")
# SQLite: the first choice of a code (its balance row at the default location) is remembered per process
# after the first reservation, and the UPDATE then finds the row by primary key (no index search, no join, no
# sort: _PICK costs a third of the statement time). The UPDATE re-checks that the row still is _PICK's first
# choice: the same shop and code, the location still the shop's default (which ranks first) and active, the
# units available. A stale hint (a location change, another database in the same process) just matches
# nothing, and _PICK runs.
_PICK_UPDATE_Q = (_FAST_UPDATE.replace("%s", "?").replace(
    "RETURNING sku_id, location_id",
    "RETURNING id, sku_id, location_id, (SELECT l.is_default FROM inventory_location l WHERE l.id = location_id)"))
_HINT_UPDATE_Q = """UPDATE inventory_balance SET reserved = reserved + ?
 WHERE id = ? AND shop_id = ? AND sku_code = ? AND on_hand - reserved - pooled >= ?
   AND (SELECT l.is_default AND l.active FROM inventory_location l WHERE l.id = location_id)"""
_first_choice: dict[tuple[int, str], tuple[int, int, int]] = {}  # (shop, code) → (balance, SKU, location)


_ZERO = dt.timedelta(0)


def _sqlite_dt(conn, value: dt.datetime) -> str:  # noqa: ANN001
    """What Django's SQLite backend stores for an aware datetime (naive UTC text), without its detours."""
    if value.utcoffset() == _ZERO:
        return str(value.replace(tzinfo=None))
    return conn.ops.adapt_datetimefield_value(value)


def _reserve_fast(conn, shop_id: int, code: str, qty: int, ref: str, channel: str, customer: str,  # noqa: ANN001
                  expires_at: dt.datetime, created_at: dt.datetime) -> tuple[int, int, int] | None:
    """(reservation id, SKU id, location id), or None when the hot path did not take the units.
    Raises IntegrityError when ``ref`` exists (then nothing was changed). ``conn`` is the Django connection."""
    take = [qty, shop_id, code, qty, qty]
    if conn.vendor == "postgresql":
        params = [*take, shop_id, qty, ref, channel, customer, expires_at, created_at]
        for attempt in (1, 2):
            try:
                with transaction.atomic() if conn.in_atomic_block else contextlib.nullcontext(), \
                        conn.cursor() as cursor:
                    raw = conn.connection
                    if raw not in _pg_prepared:
                        cursor.execute(_PG_PREPARE)
                        _pg_prepared.add(raw)
                    cursor.execute(_PG_EXECUTE, params)
                    return cursor.fetchone()
            except ProgrammingError as exc:  # "prepared statement … does not exist": prepare again, once
                _pg_prepared.discard(conn.connection)
                if attempt == 2 or "shopops_reserve" not in str(exc):
                    raise
    if conn.vendor == "sqlite" and not conn.in_atomic_block:
        conn.ensure_connection()
        raw = conn.connection
        key = (shop_id, code)
        hint = _first_choice.get(key)
        with conn.wrap_database_errors:
            raw.execute("BEGIN IMMEDIATE")
            try:
                if hint and raw.execute(_HINT_UPDATE_Q, [qty, hint[0], shop_id, code, qty]).rowcount == 1:
                    _balance_id, sku_id, location_id = hint
                else:
                    row = raw.execute(_PICK_UPDATE_Q, take).fetchone()
                    if row is None:
                        raw.execute("ROLLBACK")
                        return None
                    balance_id, sku_id, location_id, is_default = row
                    if is_default:
                        _first_choice[key] = (balance_id, sku_id, location_id)
                rid = raw.execute(_FAST_INSERT_Q, [shop_id, sku_id, location_id, qty, ref, channel, customer,
                                                   _sqlite_dt(conn, expires_at),
                                                   _sqlite_dt(conn, created_at)]).fetchone()[0]
                raw.execute("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
        return rid, sku_id, location_id
    with transaction.atomic(), conn.cursor() as cursor:  # inside a caller's transaction: a savepoint
        cursor.execute(_FAST_UPDATE, take)
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(_FAST_INSERT, [shop_id, row[0], row[1], qty, ref, channel, customer, expires_at,
                                      created_at])
        return cursor.fetchone()[0], row[0], row[1]


_new_reservation = object.__new__
_HELD = Reservation.Status.HELD.value


def _held(conn, shop: Shop, rid: int, sku_id: int, location_id: int, qty: int, ref: str,  # noqa: ANN001
          channel: str, customer: str, expires_at: dt.datetime, created_at: dt.datetime) -> Reservation:
    """The Reservation just inserted by the hot path, built from what we wrote (no query). Built the way
    ``Model.from_db`` builds one, minus ``__init__``'s per-field work (a tenth of the hot path's time)."""
    r = _new_reservation(Reservation)
    r.__dict__.update(id=rid, shop_id=shop.pk, sku_id=sku_id, location_id=location_id, pool_id=None, qty=qty,
                      ref=ref, channel=channel, customer=customer, status=_HELD, expires_at=expires_at,
                      created_at=created_at, closed_at=None)
    state = r._state = ModelState()
    state.adding = False
    state.db = conn.alias
    state.fields_cache["shop"] = shop
    return r


def _same_request(r: Reservation, sku_id: int, qty: int, pool: Pool | None) -> bool:
    return r.sku_id == sku_id and r.qty == qty and r.pool_id == (pool.pk if pool else None)


def _existing_reservation(shop: Shop, ref: str, sku_id: int, qty: int, pool: Pool | None) -> Reservation | None:
    found = Reservation.objects.filter(shop=shop, ref=ref).first()
    if found is not None and not _same_request(found, sku_id, qty, pool):
        raise Conflict(_("The reference %(ref)s was already used for a different reservation.") % {"ref": ref})
    return found


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
    ref = _ref(ref)
    amount = _qty(qty)
    ttl = _qty(ttl_seconds, "ttl_seconds")
    if ttl > MAX_TTL_SECONDS:
        raise InvalidInput(_("A reservation lasts at most 7 days."),
                           [FieldError("ttl_seconds", _("At most %(n)s seconds.") % {"n": MAX_TTL_SECONDS})])
    customer = (customer or "").strip()[:100]
    channel = (channel or "").strip()[:20]
    at = now or clock_now()
    expires_at = at + dt.timedelta(seconds=ttl)
    code = (sku_code or "").strip()
    if not pool_code and code:
        created_at = clock_now() if now else at
        conn = connections[DEFAULT_DB_ALIAS]
        try:
            hit = _reserve_fast(conn, shop.pk, code, amount, ref, channel, customer, expires_at, created_at)
        except IntegrityError:  # the ref exists: the full path returns it (or says it was used differently)
            hit = None
        if hit is not None:
            return _held(conn, shop, *hit, amount, ref, channel, customer, expires_at, created_at), True
    sku = _sku(shop, sku_code)
    if not pool_code and Balance.objects.filter(sku_id=sku.pk, sku_code="").exists():
        Balance.objects.filter(sku_id=sku.pk, sku_code="").update(sku_code=sku.sku_code)  # rows from before 0002
    pool = None
    if pool_code:
        pool = Pool.objects.filter(shop=shop, code=pool_code.strip()).first()
        if pool is None:
            raise InvalidInput(_("Unknown flash-sale pool %(code)s.") % {"code": pool_code},
                               [FieldError("pool", _("No pool with this code in this shop."))])
        if pool.sku_id != sku.pk:
            raise InvalidInput(_("The pool %(code)s is for another SKU.") % {"code": pool_code},
                               [FieldError("pool", _("This pool holds a different SKU."))])
        if pool.per_customer_limit and not customer:
            raise InvalidInput(_("This pool limits units per customer: say who the customer is."),
                               [FieldError("customer", _("Required for this pool."))])
    try:
        with transaction.atomic():
            if pool is None:
                location_id = _reserve_units(sku.pk, amount)
                if location_id is None:
                    raise StockConflict(_("Not enough stock: %(n)s available.") % {"n": _available_total(sku.pk)},
                                        available=_available_total(sku.pk))
            else:
                location_id = pool.location_id
                _pool_take(pool, customer, amount)
            reservation = Reservation.objects.create(
                shop=shop, sku_id=sku.pk, location_id=location_id, pool=pool, qty=amount, ref=ref, channel=channel,
                customer=customer, expires_at=expires_at)
    except IntegrityError:  # the same ref was written meanwhile: everything above rolled back
        found = _existing_reservation(shop, ref, sku.pk, amount, pool)
        if found is None:
            raise
        return found, False
    except StockConflict:
        found = _existing_reservation(shop, ref, sku.pk, amount, pool)
        if found is not None:  # a replay of a request that succeeded earlier
            return found, False
        raise
    return reservation, True


def _pool_take(pool: Pool, customer: str, amount: int) -> None:
    if pool.per_customer_limit:
        PoolCustomer.objects.bulk_create([PoolCustomer(pool=pool, customer=customer, qty=0,
                                                       lim=pool.per_customer_limit)], ignore_conflicts=True)
        if not PoolCustomer.objects.filter(pool=pool, customer=customer, qty__lte=F("lim") - amount).update(
                qty=F("qty") + amount):
            held = PoolCustomer.objects.filter(pool=pool, customer=customer).values_list("qty", "lim").first()
            left = max(0, held[1] - held[0]) if held else 0
            raise StockConflict(_("Limit per customer reached: %(n)s more units allowed.") % {"n": left},
                                available=left)
    if not Pool.objects.filter(pk=pool.pk, status=Pool.Status.OPEN, qty__gte=F("reserved") + amount).update(
            reserved=F("reserved") + amount):
        row = Pool.objects.filter(pk=pool.pk).values_list("qty", "reserved", "status").first()
        left = row[0] - row[1] if row and row[2] == Pool.Status.OPEN else 0
        raise StockConflict(_("Not enough stock in the pool: %(n)s available.") % {"n": left}, available=left)


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
        q = reservation.qty
        if reservation.pool_id is None:
            Balance.objects.filter(sku_id=reservation.sku_id, location_id=reservation.location_id).update(
                reserved=F("reserved") - q)
            return True
        if reservation.customer:
            PoolCustomer.objects.filter(pool_id=reservation.pool_id, customer=reservation.customer).update(
                qty=F("qty") - q)
        Pool.objects.filter(pk=reservation.pool_id).update(reserved=F("reserved") - q)
        # a closed pool keeps only what is held: the freed units go back to available
        if Pool.objects.filter(pk=reservation.pool_id, status=Pool.Status.CLOSED).update(qty=F("qty") - q):
            Balance.objects.filter(sku_id=reservation.sku_id, location_id=reservation.location_id).update(
                pooled=F("pooled") - q)
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
                       actor: AbstractBaseUser | None = None) -> Reservation:
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


def _commit_units(shop: Shop, reservation: Reservation, actor: AbstractBaseUser | None) -> None:
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


# ---------------------------------------------------------------- flash-sale pools


def pool_create(*, shop: Shop, code: str, sku_code: str, qty: object, per_customer_limit: object = None,
                location_code: str | None = None, name: str = "") -> Pool:
    """Carve ``qty`` units out of a location's available stock for one activity (秒杀/活动库存)."""
    code = (code or "").strip()
    problem = code_problem(code, max_length=40)
    if problem is not None:
        raise InvalidInput(_("Give the pool a code."), [FieldError("code", code_message(problem, max_length=40))])
    amount = _qty(qty)
    limit = _qty(per_customer_limit, "per_customer_limit") if per_customer_limit not in (None, "") else None
    sku = _sku(shop, sku_code)
    location = _location(shop, location_code)
    try:
        with transaction.atomic():
            if not Balance.objects.filter(sku_id=sku.pk, location_id=location.pk,
                                          on_hand__gte=F("reserved") + F("pooled") + amount).update(
                    pooled=F("pooled") + amount):
                left = _available_at(sku.pk, location.pk)
                raise StockConflict(_("Only %(n)s units are available for the pool.") % {"n": left}, available=left)
            return Pool.objects.create(shop=shop, code=code, name=name or code, sku_id=sku.pk, location=location,
                                       qty=amount, per_customer_limit=limit)
    except IntegrityError:
        raise Conflict(_("A pool with the code %(code)s exists already.") % {"code": code}) from None


def pool_close(*, shop: Shop, code: str) -> Pool:
    """End the activity: units not held return to available; held ones can still be committed or released."""
    with transaction.atomic():
        pool = Pool.objects.select_for_update().filter(shop=shop, code=code).first()
        if pool is None:
            raise NotFound(_("No such pool."))
        if pool.status == Pool.Status.OPEN:
            free = pool.qty - pool.reserved
            Pool.objects.filter(pk=pool.pk).update(status=Pool.Status.CLOSED, qty=F("qty") - free)
            Balance.objects.filter(sku_id=pool.sku_id, location_id=pool.location_id).update(
                pooled=F("pooled") - free)
        pool.refresh_from_db()
        return pool


# ---------------------------------------------------------------- suppliers and purchase orders


def supplier_upsert(*, shop: Shop, code: str, name: str, lead_time_days: object = 7, lead_time_sd_days: object = 0,
                    moq: object = 1, case_pack: object = 1, contact: str = "") -> Supplier:
    from decimal import Decimal, InvalidOperation

    code = (code or "").strip()
    errors = []
    if not code or len(code) > 40:
        errors.append(FieldError("code", _("1 to 40 characters.")))
    try:
        lead, sd = Decimal(str(lead_time_days)), Decimal(str(lead_time_sd_days))
        if not (0 <= lead <= 365 and 0 <= sd <= 365):
            raise InvalidOperation
    except InvalidOperation:
        errors.append(FieldError("lead_time_days", _("Lead times are days between 0 and 365.")))
        lead = sd = Decimal(0)
    if errors:
        raise InvalidInput(_("The supplier was not saved."), errors)
    supplier, _created = Supplier.objects.update_or_create(
        shop=shop, code=code, defaults={"name": name or code, "lead_time_days": lead, "lead_time_sd_days": sd,
                                        "moq": _qty(moq, "moq"), "case_pack": _qty(case_pack, "case_pack"),
                                        "contact": contact})
    return supplier


def supplier_sku_set(*, shop: Shop, supplier_code: str, sku_code: str, unit_cost_fen: int = 0,
                     moq: int | None = None, case_pack: int | None = None) -> SupplierSku:
    supplier = Supplier.objects.filter(shop=shop, code=supplier_code).first()
    if supplier is None:
        raise InvalidInput(_("Unknown supplier %(code)s.") % {"code": supplier_code},
                           [FieldError("supplier", _("No supplier with this code."))])
    sku = _sku(shop, sku_code)
    link, _created = SupplierSku.objects.update_or_create(
        shop=shop, sku_id=sku.pk, defaults={"supplier": supplier, "unit_cost_fen": max(0, int(unit_cost_fen)),
                                            "moq": moq, "case_pack": case_pack})
    return link


def _po_number(shop: Shop) -> str:
    last = PurchaseOrder.objects.filter(shop=shop, number__startswith="PO").order_by("-id").values_list(
        "number", flat=True).first()
    try:
        n = int(last[2:]) + 1 if last else 1
    except ValueError:
        n = PurchaseOrder.objects.filter(shop=shop).count() + 1
    return f"PO{n:06d}"


@transaction.atomic
def po_create(*, shop: Shop, supplier_code: str, lines: list[tuple[str, int]], location_code: str | None = None,
              note: str = "", expected_date: dt.date | None = None) -> PurchaseOrder:
    """A draft purchase order: ``lines`` are (SKU code, quantity); unit costs from the supplier's SKU list."""
    supplier = Supplier.objects.filter(shop=shop, code=supplier_code).first()
    if supplier is None:
        raise InvalidInput(_("Unknown supplier %(code)s.") % {"code": supplier_code},
                           [FieldError("supplier", _("No supplier with this code."))])
    if not lines:
        raise InvalidInput(_("A purchase order needs at least one line."), [FieldError("lines", _("Add a SKU."))])
    location = _location(shop, location_code)
    merged: dict[int, int] = {}
    errors = []
    for index, (code, qty) in enumerate(lines):
        try:
            sku = _sku(shop, code, f"lines[{index}].sku")
            merged[sku.pk] = merged.get(sku.pk, 0) + _qty(qty, f"lines[{index}].qty")
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(_("The purchase order was not created."), errors)
    costs = dict(SupplierSku.objects.filter(shop=shop, sku_id__in=merged).values_list("sku_id", "unit_cost_fen"))
    order = PurchaseOrder.objects.create(shop=shop, number=_po_number(shop), supplier=supplier, location=location,
                                         note=note[:200], expected_date=expected_date)
    PurchaseOrderLine.objects.bulk_create([
        PurchaseOrderLine(shop=shop, order=order, sku_id=sku_id, qty_ordered=qty, unit_cost_fen=costs.get(sku_id, 0))
        for sku_id, qty in merged.items()
    ])
    return order


def _po(shop: Shop, po_id: int) -> PurchaseOrder:
    order = PurchaseOrder.objects.select_for_update().filter(shop=shop, pk=po_id).first()
    if order is None:
        raise NotFound(_("No such purchase order."))
    return order


@transaction.atomic
def po_place(*, shop: Shop, po_id: int, now: dt.datetime | None = None) -> PurchaseOrder:
    """draft → ordered: the ordered units count as in transit at the PO's location."""
    order = _po(shop, po_id)
    if order.status != PurchaseOrder.Status.DRAFT:
        raise Conflict(_("Only a draft can be ordered."))
    if not PurchaseOrder.objects.filter(pk=order.pk, status=PurchaseOrder.Status.DRAFT).update(
            status=PurchaseOrder.Status.ORDERED, ordered_at=now or clock_now()):
        raise Conflict(_("Only a draft can be ordered."))
    for line in order.lines.select_related("sku"):
        _ensure_balance(shop, line.sku_id, order.location_id, line.sku.sku_code)
        Balance.objects.filter(sku_id=line.sku_id, location_id=order.location_id).update(
            in_transit=F("in_transit") + line.qty_ordered)
    order.refresh_from_db()
    return order


@transaction.atomic
def po_cancel(*, shop: Shop, po_id: int) -> PurchaseOrder:
    """Cancel a draft or an open order; what was not received leaves in transit."""
    order = _po(shop, po_id)
    if order.status in (PurchaseOrder.Status.RECEIVED, PurchaseOrder.Status.CANCELLED):
        raise Conflict(_("This purchase order is closed."))
    was_open = order.status != PurchaseOrder.Status.DRAFT
    PurchaseOrder.objects.filter(pk=order.pk).update(status=PurchaseOrder.Status.CANCELLED)
    if was_open:
        for line in order.lines.all():
            Balance.objects.filter(sku_id=line.sku_id, location_id=order.location_id).update(
                in_transit=F("in_transit") - (line.qty_ordered - line.qty_received))
    order.refresh_from_db()
    return order


def po_receive(*, shop: Shop, po_id: int, ref: str, lines: dict[str, int] | None = None,
               actor: AbstractBaseUser | None = None) -> PurchaseOrder:
    """Receive a purchase order partly (``lines`` = {SKU code: units}) or fully (everything still open).

    Each received line is a ``receipt`` in the ledger under ``ref`` (the delivery note), so receiving the same
    delivery twice changes nothing. Receiving more than is still open on a line is refused.
    """
    ref = _ref(ref)
    full_ref = f"po:{po_id}:{ref}"
    if StockMove.objects.filter(shop=shop, ref=full_ref).exists():
        return PurchaseOrder.objects.get(shop=shop, pk=po_id)
    try:
        with transaction.atomic():
            order = _po(shop, po_id)
            if order.status not in (PurchaseOrder.Status.ORDERED, PurchaseOrder.Status.PARTLY_RECEIVED):
                raise Conflict(_("Only an ordered purchase order can be received."))
            po_lines = {line.sku.sku_code: line for line in order.lines.select_related("sku")}
            if lines is None:
                wanted = {code: line.qty_ordered - line.qty_received for code, line in po_lines.items()}
            else:
                errors = [FieldError(f"lines.{code}", _("This SKU is not on the purchase order."))
                          for code in lines if code not in po_lines]
                if errors:
                    raise InvalidInput(_("Nothing was received."), errors)
                wanted = {code: _qty(qty, f"lines.{code}") for code, qty in lines.items()}
            moves = []
            for index, (code, qty) in enumerate(sorted((c, q) for c, q in wanted.items() if q > 0)):
                line = po_lines[code]
                if not PurchaseOrderLine.objects.filter(pk=line.pk, qty_received__lte=F("qty_ordered") - qty).update(
                        qty_received=F("qty_received") + qty):
                    raise InvalidInput(_("Nothing was received."), [FieldError(
                        f"lines.{code}", _("Only %(n)s units are still open on this line.")
                        % {"n": line.qty_ordered - line.qty_received})])
                _ensure_balance(shop, line.sku_id, order.location_id, code)
                Balance.objects.filter(sku_id=line.sku_id, location_id=order.location_id).update(
                    on_hand=F("on_hand") + qty, in_transit=F("in_transit") - qty)
                moves.append(StockMove(shop=shop, sku_id=line.sku_id, location_id=order.location_id,
                                       type=StockMove.Type.RECEIPT, qty=qty, ref=full_ref, line=index, po_line=line,
                                       actor=actor, note=order.number))
            if not moves:
                raise InvalidInput(_("Nothing to receive."), [FieldError("lines", _("Give at least one unit."))])
            StockMove.objects.bulk_create(moves)
            status = po_status(list(order.lines.values_list("qty_ordered", "qty_received")), order.status)
            PurchaseOrder.objects.filter(pk=order.pk).update(status=status)
    except IntegrityError:
        if StockMove.objects.filter(shop=shop, ref=full_ref).exists():
            return PurchaseOrder.objects.get(shop=shop, pk=po_id)
        raise
    return PurchaseOrder.objects.get(pk=po_id)



# ---------------------------------------------------------------- channel sync


def channel_rule_set(*, shop: Shop, channel: str, sku_code: str | None = None, ratio: object = 1,
                     cap: int | None = None, priority: int = 100, buffer: int = 0, presale: int = 0):  # noqa: ANN201
    """Create or replace one channel's publishing rule (for all SKUs, or one)."""
    from decimal import Decimal, InvalidOperation

    from shopops.channels.domain import CHANNEL_CODES
    from shopops.inventory.models import ChannelRule

    if channel not in CHANNEL_CODES:
        raise InvalidInput(_("Unknown channel %(c)s.") % {"c": channel}, [FieldError("channel", _("Unknown channel."))])
    try:
        value = Decimal(str(ratio))
        if not 0 <= value <= 1:
            raise InvalidOperation
    except InvalidOperation:
        raise InvalidInput(_("The ratio is a number from 0 to 1."), [FieldError("ratio", _("From 0 to 1."))]) from None
    sku_id = _sku(shop, sku_code).pk if sku_code else None
    rule, _created = ChannelRule.objects.update_or_create(
        shop=shop, channel=channel, sku_id=sku_id,
        defaults={"ratio": value, "cap": cap, "priority": priority, "buffer": max(0, buffer),
                  "presale": max(0, presale)})
    return rule


def stock_sync(*, shop: Shop, adapter, now: dt.datetime | None = None) -> dict:  # noqa: ANN001 (a StockAdapter)
    """Publish every channel's quantities through ``adapter`` (compare-and-set against our last push) and
    remember what each channel accepted. Returns the plan rows with each item's push status."""
    from shopops.inventory.adapters import PushItem
    from shopops.inventory.models import ChannelSync
    from shopops.inventory.selectors import sync_plan

    at = now or clock_now()
    plan = sync_plan(shop=shop)
    by_channel: dict[str, list[dict]] = {}
    for row in plan:
        by_channel.setdefault(row["channel"], []).append(row)
    accepted = []
    for channel, rows in sorted(by_channel.items()):
        results = adapter.push(channel=channel, items=[PushItem(r["sku"], r["previous"], r["qty"]) for r in rows],
                               at=at)
        for row, result in zip(rows, results, strict=True):
            row["status"] = result.status
            row["platform_qty"] = result.platform_qty
            if result.status == "ok":
                accepted.append(ChannelSync(shop=shop, channel=channel, sku_id=row["sku_id"], qty=row["qty"],
                                            synced_at=at))
    ChannelSync.objects.bulk_create(accepted, update_conflicts=True, unique_fields=["shop", "channel", "sku"],
                                    update_fields=["qty", "synced_at"])
    return {"at": at, "rows": plan,
            "files": [str(p) for p in getattr(adapter, "written", [])],
            "stale": sum(1 for r in plan if r.get("status") == "stale")}


# ---------------------------------------------------------------- replenishment


def replenishment_approve(*, shop: Shop, sku_codes: list[str], end: dt.date,
                          quantities: dict[str, int] | None = None) -> tuple[list[PurchaseOrder], list[str]]:
    """Turn the suggestions for ``sku_codes`` into draft purchase orders, one per supplier.

    ``quantities`` may override a suggested quantity. SKUs without a supplier or with nothing to order are
    returned as skipped, and so are codes that are not active SKUs of the shop. Drafts count as incoming in
    the next plan, so approving twice does not order twice.
    """
    from shopops.inventory.selectors import replenishment_plan

    wanted = set(sku_codes)
    by_supplier: dict[str, list[tuple[str, int]]] = {}
    skipped = []
    seen = set()
    for row in replenishment_plan(shop=shop, end=end):
        if row["sku"] not in wanted:
            continue
        seen.add(row["sku"])
        qty = (quantities or {}).get(row["sku"], row["suggested_qty"])
        if not row["supplier"] or not qty or qty <= 0:
            skipped.append(row["sku"])
            continue
        by_supplier.setdefault(row["supplier"], []).append((row["sku"], int(qty)))
    with transaction.atomic():
        orders = [po_create(shop=shop, supplier_code=code, lines=lines, note=_("From replenishment"))
                  for code, lines in sorted(by_supplier.items())]
    return orders, skipped + sorted(wanted - seen)


# ---------------------------------------------------------------- alerts into the to-do list

ALERT_SOURCE = "inventory"


def inventory_alerts_run(*, shop: Shop, date: dt.date) -> dict[str, int]:
    """Raise or refresh the stock alerts of the operator's to-do list, and close those whose condition cleared.

    Kinds: ``stockout_risk`` (days of cover of available + in transit below the lead time),
    ``overstock``, ``slow_mover`` (inventory.domain.classify) and ``channel_sync`` (what a channel shows
    differs from what it should publish now: run `shopops stock sync`). Keys are ``<kind>:<SKU code>``.
    """
    from django.urls import reverse

    from shopops.inventory.domain import AlertInput, classify
    from shopops.inventory.selectors import replenishment_plan, sync_plan
    from shopops.reports.services import todo_close_missing, todo_upsert

    titles = {
        "stockout_risk": _("Stockout risk: %(sku)s covers %(days)s days, lead time %(lead)s days"),
        "overstock": _("Overstock: %(sku)s covers %(days)s days"),
        "slow_mover": _("Slow mover: %(sku)s sold nothing in 30 days"),
        "channel_sync": _("Channel stock out of sync: %(sku)s"),
    }
    keep: set[str] = set()
    counts: dict[str, int] = {}

    def raise_item(kind: str, sku: str, severity: str, params: dict, data: dict) -> None:
        key = f"{kind}:{sku}"
        keep.add(key)
        counts[kind] = counts.get(kind, 0) + 1
        todo_upsert(shop=shop, source=ALERT_SOURCE, key=key, title=titles[kind] % {"sku": sku, **params},
                    severity=severity, role="operator", due_date=date, data=data, reopen=kind == "stockout_risk",
                    url=reverse("web:inventory_sku", args=[sku]))

    for row in replenishment_plan(shop=shop, end=date):
        item = AlertInput(sku=row["sku"], available=row["available"], in_transit=row["in_transit"],
                          daily_demand=float(row["forecast_daily"] or 0), lead_time_days=row["lead_time_days"],
                          sold_last_30=row["sold_last_30"])
        for alert in classify(item):
            days = "∞" if alert.days_of_cover is None else f"{alert.days_of_cover:.1f}"
            raise_item(alert.kind, row["sku"], alert.severity,
                       {"days": days, "lead": f"{row['lead_time_days']:g}"},
                       {"available": row["available"], "in_transit": row["in_transit"],
                        "forecast_daily": row["forecast_daily"], "suggested_qty": row["suggested_qty"]})
    out_of_sync: dict[str, list[str]] = {}
    for row in sync_plan(shop=shop):
        if row["previous"] is not None and row["change"] != 0:
            out_of_sync.setdefault(row["sku"], []).append(f"{row['channel']} {row['previous']}→{row['qty']}")
    for sku, changes in out_of_sync.items():
        raise_item("channel_sync", sku, "warning", {}, {"changes": changes})
    todo_close_missing(shop=shop, source=ALERT_SOURCE, keep_keys=keep)
    return counts


def inventory_alerts_all(*, date: dt.date | None = None) -> dict[str, dict[str, int]]:
    """``inventory_alerts_run`` for every shop (the daily periodic task), each on its own local date unless
    ``date`` is given. A shop whose run fails is logged and reported as ``{"error": 1}``; the others still run.
    Returns {shop code: counts by kind}."""
    import logging

    from shopops.core.clock import today
    from shopops.core.selectors import all_shops

    out: dict[str, dict[str, int]] = {}
    for shop in all_shops():
        try:
            with transaction.atomic():
                out[shop.code] = inventory_alerts_run(shop=shop, date=date or today(shop.timezone))
        except Exception:  # noqa: BLE001 (one shop's bad data must not stop the others' alerts)
            logging.getLogger(__name__).exception("stock alerts failed for shop %s", shop.code)
            out[shop.code] = {"error": 1}
    return out


# ---------------------------------------------------------------- demo data


def inventory_demo_seed(*, shop: Shop, end_date: dt.date, seed: int) -> dict[str, int]:
    """Locations, suppliers, receipts, sales in the ledger and purchase orders consistent with the shop's
    orders up to ``end_date``: for every SKU, an opening receipt before its first sale, replenishment receipts
    along the way, and one ``sale`` line per SKU and day equal to the units sold, so the ledger explains today's
    stock. Some SKUs end low (stockout alerts), some high (overstock). Deterministic for a seed; does nothing
    when the shop already has suppliers."""
    import random
    from collections import defaultdict
    from zoneinfo import ZoneInfo

    from shopops.catalog.selectors import skus_by_code
    from shopops.orders.selectors import line_fact_columns

    if Supplier.objects.filter(shop=shop).exists():
        return {"created": 0}
    rng = random.Random(seed)
    tz = ZoneInfo(shop.timezone)
    with transaction.atomic():
        main = location_default(shop=shop)
        Location.objects.get_or_create(shop=shop, code="east", defaults={"name": _("East China warehouse"),
                                                                          "priority": 10})
        Location.objects.get_or_create(shop=shop, code="store-sh", defaults={
            "name": _("Shanghai store"), "kind": Location.Kind.STORE, "priority": 50})
        suppliers = [
            supplier_upsert(shop=shop, code="yiwu-textile", name="义乌纺织", lead_time_days=12, lead_time_sd_days=3,
                            moq=50, case_pack=10),
            supplier_upsert(shop=shop, code="guangzhou-oem", name="广州代工厂", lead_time_days=20,
                            lead_time_sd_days=5, moq=100, case_pack=20),
            supplier_upsert(shop=shop, code="local-pack", name="本地包装", lead_time_days=5, lead_time_sd_days=1,
                            moq=20, case_pack=5),
        ]
        skus = sorted(skus_by_code(shop=shop).values(), key=lambda s: s.sku_code)
        SupplierSku.objects.bulk_create([
            SupplierSku(shop=shop, supplier=suppliers[i % len(suppliers)], sku=s, unit_cost_fen=s.cost_fen)
            for i, s in enumerate(skus)])
        sold: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        cols = line_fact_columns(shop=shop)
        for day, sku_id, qty in zip(cols["order__paid_date"], cols["sku_id"], cols["qty"], strict=True):
            if day <= end_date:
                sold[sku_id][day] += qty
        moves, balances = [], []
        for s in skus:
            days = sorted(sold[s.pk])
            total = sum(sold[s.pk].values())
            first = days[0] if days else end_date - dt.timedelta(days=30)
            rate = total / max(1, (end_date - first).days + 1)
            # end cover in days: mostly healthy, some short (stockout alerts) and some long (overstock)
            cover = rng.choice([2, 5, 20, 30, 30, 45, 60, 240]) if total else rng.choice([0, 15])
            closing = int(round(rate * cover)) + (rng.randint(5, 30) if not total and cover else 0)
            receipts_total = total + closing
            opening = receipts_total if not days else max(1, receipts_total // 2)
            refill = receipts_total - opening
            at = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(9), tzinfo=tz)
            moves.append(StockMove(shop=shop, sku=s, location=main, type=StockMove.Type.RECEIPT, qty=opening,
                                   ref=f"demo-open:{s.sku_code}", at=at, note=_("Opening stock")))
            running = opening
            refilled = False
            for day in days:
                qty = sold[s.pk][day]
                if refill and not refilled and running - qty < refill // 2 + 1:
                    running += refill
                    refilled = True
                    moves.append(StockMove(shop=shop, sku=s, location=main, type=StockMove.Type.RECEIPT, qty=refill,
                                           ref=f"demo-refill:{s.sku_code}",
                                           at=dt.datetime.combine(day, dt.time(8), tzinfo=tz)))
                running -= qty
                moves.append(StockMove(shop=shop, sku=s, location=main, type=StockMove.Type.SALE, qty=-qty,
                                       ref=f"demo-sale:{s.sku_code}:{day.isoformat()}",
                                       at=dt.datetime.combine(day, dt.time(20), tzinfo=tz)))
            if refill and not refilled:
                running += refill
                moves.append(StockMove(shop=shop, sku=s, location=main, type=StockMove.Type.RECEIPT, qty=refill,
                                       ref=f"demo-refill:{s.sku_code}",
                                       at=dt.datetime.combine(end_date, dt.time(8), tzinfo=tz)))
            balances.append(Balance(shop=shop, sku=s, sku_code=s.sku_code, location=main, on_hand=running))
        Balance.objects.bulk_create(balances)
        StockMove.objects.bulk_create(moves, batch_size=2000)
        # purchase orders: one received, one on its way, one draft
        pos = 0
        for supplier, status in zip(suppliers, ("received", "ordered", "draft"), strict=True):
            lines = [(s.sku_code, supplier.moq) for s in skus
                     if SupplierSku.objects.filter(sku=s, supplier=supplier).exists()][:3]
            if not lines:
                continue
            order = po_create(shop=shop, supplier_code=supplier.code, lines=lines, note=_("Demo"),
                              expected_date=end_date + dt.timedelta(days=int(supplier.lead_time_days)))
            pos += 1
            if status in ("received", "ordered"):
                po_place(shop=shop, po_id=order.pk)
            if status == "received":
                po_receive(shop=shop, po_id=order.pk, ref="demo-delivery")
    return {"created": 1, "locations": Location.objects.filter(shop=shop).count(), "suppliers": len(suppliers),
            "moves": StockMove.objects.filter(shop=shop).count(), "purchase_orders": pos}
