"""The reservation hot path on SQLite, outside any transaction (reservations_fast.py says what it promises).

SQLite serialises writers, so the write lock is held for two short statements: ``BEGIN IMMEDIATE`` (the lock
up front, never a read→write upgrade: docs/rules/inventory.md#sqlite-transactions), take the units, insert
the reservation, ``COMMIT``, all on the driver's connection. What costs is the commit: it writes every page the
transaction changed to the WAL (models.Reservation says which) and the checkpoint copies them again, so the
statements and the Python around them are kept lean; datetimes are written as Django writes them
(core.bulk.db_datetime_adapter).

Taking the units tries the default location first: the default location ranks first in the first-choice order and
a shop has exactly one (Location's ``one_default_location``), so when it is active and has enough units it *is*
the first choice, found without the general statement's join and sort (a third of its time). The balance row found
there is kept per Django connection as a hint (the row's id with its SKU and location), and the next reservation
of the code takes it with a statement that re-checks everything that made it the first choice (the shop, the code,
the location still the default and active, the units available). So a hint can never be acted on when it no longer
holds: it just matches nothing, and the default-location statement, then the general one, run. Parameters are
numbered (``?N``) and bound from one list in ``PARAMETERS`` order, the cheapest binding the driver has.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import weakref
from collections.abc import Callable

from django.db.backends.base.base import BaseDatabaseWrapper

from shopops.core.bulk import SqlValue, db_datetime_adapter
from shopops.inventory.services.reservations_sql import INSERT, TAKE, Hold, placeholders

_NUMBERED = placeholders("?{number}")
_BALANCE = f"?{len(_NUMBERED) + 1}"  # the hinted balance row's id, after PARAMETERS
TAKE_BY_HINT = """UPDATE inventory_balance SET reserved = reserved + {qty}
 WHERE id = {balance} AND sku_id = {sku} AND location_id = {location} AND shop_id = {shop} AND sku_code = {code}
   AND on_hand - reserved - pooled >= {qty}
   AND (SELECT l.is_default AND l.active FROM inventory_location l WHERE l.id = location_id)""".format(**_NUMBERED, balance=_BALANCE)
TAKE_AT_DEFAULT = """UPDATE inventory_balance SET reserved = reserved + {qty}
 WHERE shop_id = {shop} AND sku_code = {code} AND on_hand - reserved - pooled >= {qty}
   AND location_id = (SELECT l.id FROM inventory_location l WHERE l.shop_id = {shop} AND l.is_default AND l.active)
 RETURNING id, sku_id, location_id""".format(**_NUMBERED)
TAKE_AT_FIRST_CHOICE = TAKE.format(**_NUMBERED)
INSERT_ROW = INSERT.format(**_NUMBERED)
_TAKES = len(("qty", "shop", "code"))  # the parameters the take statements bind (PARAMETERS order)
_INSERTS = len(_NUMBERED)
# Django connection → (shop id, SKU code) → (SKU id, location id, balance id) at the default location: hints,
# checked by TAKE_BY_HINT
_default_rows: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[int, str], tuple[int, int, int]]] = (
    weakref.WeakKeyDictionary())
_adapters: weakref.WeakKeyDictionary[BaseDatabaseWrapper, Callable[[dt.datetime | None], SqlValue]] = (
    weakref.WeakKeyDictionary())


def reservation_take(conn: BaseDatabaseWrapper, hold: Hold) -> tuple[int, int, int] | None:
    """(reservation id, SKU id, location id), or None with nothing changed; IntegrityError on a known ref."""
    adapt = _adapters.get(conn)
    if adapt is None:
        adapt = _adapters[conn] = db_datetime_adapter(conn)
    hints = _default_rows.get(conn)
    if hints is None:
        hints = _default_rows[conn] = {}
    key = (hold.shop, hold.code)
    hint = hints.get(key)
    sku_hint, location_hint, balance_hint = hint or (None, None, None)
    params: list[SqlValue] = [hold.qty, hold.shop, hold.code, sku_hint, location_hint, hold.ref, hold.channel,
                              hold.customer, adapt(hold.expires_at), adapt(hold.created_at), balance_hint]
    conn.ensure_connection()
    raw = conn.connection
    with conn.wrap_database_errors:
        raw.execute("BEGIN IMMEDIATE")
        try:
            taken = _take(raw, params, hint is not None)
            if taken is None:
                raw.execute("ROLLBACK")
                return None
            sku_id, location_id, balance_id = taken
            params[3], params[4] = sku_id, location_id
            reservation_id = raw.execute(INSERT_ROW, params[:_INSERTS]).fetchone()[0]
            raw.execute("COMMIT")
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
    if balance_id is not None:
        hints[key] = (sku_id, location_id, balance_id)
    return reservation_id, sku_id, location_id


def _take(raw: sqlite3.Connection, params: list[SqlValue], hinted: bool) -> tuple[int, int, int | None] | None:
    """(SKU id, location id, balance id when taken at the default location) or None: the hinted row, else the
    default location's row, else the first choice among the others."""
    if hinted and raw.execute(TAKE_BY_HINT, params).rowcount == 1:
        return params[3], params[4], params[-1]  # type: ignore[return-value]  # the hint, checked by the WHERE
    row = raw.execute(TAKE_AT_DEFAULT, params[:_TAKES]).fetchone()
    if row is not None:
        balance_id, sku_id, location_id = row
        return sku_id, location_id, balance_id
    row = raw.execute(TAKE_AT_FIRST_CHOICE, params[:_TAKES]).fetchone()
    return None if row is None else (*row, None)
