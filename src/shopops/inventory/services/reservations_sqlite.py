"""The reservation hot path on SQLite, outside any transaction (reservations_fast.py says what it promises).

SQLite serialises writers, so the write lock is held for two short statements: ``BEGIN IMMEDIATE`` (the lock
up front, never a read→write upgrade: docs/rules/inventory.md#sqlite-transactions), take the units, insert
the reservation, ``COMMIT``, all on the driver's connection. What costs is the commit: it writes every page the
transaction changed to the WAL (models.Reservation says which) and the checkpoint copies them again, so the
statements and the Python around them are kept lean; datetimes are written as Django writes them
(core.bulk.db_datetime_adapter).

Taking the units tries the default location first: the default location ranks first in the first-choice
order and a shop has exactly one (Location's ``one_default_location``), so when it is active and has enough
units it *is* the first choice, found without the general statement's join and sort (a third of its time).
The balance row found there is kept per Django connection as a hint, and the next reservation of the code
takes it by primary key — with a statement that re-checks everything that made it the first choice (the
shop, the code, its location still the default and active, the units available) and returns the SKU and
location from the row itself. So a hint can never be acted on when it no longer holds: it just matches
nothing, and the default-location statement, then the general one, run.
"""

from __future__ import annotations

import sqlite3
import weakref

from django.db.backends.base.base import BaseDatabaseWrapper

from shopops.core.bulk import db_datetime_adapter
from shopops.inventory.services.reservations_sql import INSERT, TAKE, Hold, placeholders

_NAMED = placeholders(":{}")
TAKE_BY_HINT = """UPDATE inventory_balance SET reserved = reserved + :qty
 WHERE id = :hint AND shop_id = :shop AND sku_code = :code AND on_hand - reserved - pooled >= :qty
   AND (SELECT l.is_default AND l.active FROM inventory_location l WHERE l.id = location_id)
 RETURNING id, sku_id, location_id"""
TAKE_AT_DEFAULT = """UPDATE inventory_balance SET reserved = reserved + :qty
 WHERE shop_id = :shop AND sku_code = :code AND on_hand - reserved - pooled >= :qty
   AND location_id = (SELECT l.id FROM inventory_location l WHERE l.shop_id = :shop AND l.is_default AND l.active)
 RETURNING id, sku_id, location_id"""
TAKE_AT_FIRST_CHOICE = TAKE.format(**_NAMED)
INSERT_ROW = INSERT.format(**_NAMED)
# Django connection → (shop id, SKU code) → balance id at the default location: hints, checked by TAKE_BY_HINT
_default_rows: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[int, str], int]] = (
    weakref.WeakKeyDictionary())


def reservation_take(conn: BaseDatabaseWrapper, hold: Hold) -> tuple[int, int, int] | None:
    """(reservation id, SKU id, location id), or None with nothing changed; IntegrityError on a known ref."""
    adapt = db_datetime_adapter(conn)
    hints = _default_rows.get(conn)
    if hints is None:
        hints = _default_rows[conn] = {}
    key = (hold.shop, hold.code)
    params = {"qty": hold.qty, "shop": hold.shop, "code": hold.code, "ref": hold.ref, "channel": hold.channel,
              "customer": hold.customer, "expires_at": adapt(hold.expires_at), "created_at": adapt(hold.created_at),
              "hint": hints.get(key)}
    conn.ensure_connection()
    raw = conn.connection
    with conn.wrap_database_errors:
        raw.execute("BEGIN IMMEDIATE")
        try:
            row = _take(raw, params)
            if row is None:
                raw.execute("ROLLBACK")
                return None
            balance_id, sku_id, location_id, at_default = row
            params["sku"], params["location"] = sku_id, location_id
            reservation_id = raw.execute(INSERT_ROW, params).fetchone()[0]
            raw.execute("COMMIT")
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
    if at_default and balance_id is not None:
        hints[key] = balance_id
    return reservation_id, sku_id, location_id


def _take(raw: sqlite3.Connection, params: dict) -> tuple[int | None, int, int, bool] | None:
    """(balance id, SKU id, location id, taken at the default location) or None: the hinted row, else the
    default location's row, else the first choice among the others."""
    if params["hint"] is not None:
        row = raw.execute(TAKE_BY_HINT, params).fetchone()
        if row is not None:
            return (*row, True)
    row = raw.execute(TAKE_AT_DEFAULT, params).fetchone()
    if row is not None:
        return (*row, True)
    row = raw.execute(TAKE_AT_FIRST_CHOICE, params).fetchone()
    return None if row is None else (None, *row, False)
