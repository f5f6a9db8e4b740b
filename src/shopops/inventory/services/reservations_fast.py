"""The reservation hot path: one plain reservation (no pool) taken and recorded in one short write.

Why it exists (benchmarks/reservations.py; goal: at least half the throughput of a bare conditional UPDATE):
the full path in reservations.py runs a catalog lookup and several ORM queries. Here the balance row is found
by the shop and the SKU code it carries (Balance.sku_code), the units are taken by one conditional UPDATE and
the reservation row is inserted in the same transaction. Idempotency by ``ref`` is the unique constraint: a
replayed ref fails the INSERT, everything rolls back and the caller runs the full path, which answers it.
Nothing else (no audit, no task) runs while the write lock is held.

Whenever the hot path does not succeed (no balance row with the code, not enough stock at the first-choice
location, a replayed ref) it returns None or raises IntegrityError, having changed nothing, and the full path
gives the exact answer (409 with what is available, the stored reservation, or a retry at another location).

One function, :func:`reservation_take_fast`, picks the way per database:
  * SQLite outside a transaction: reservations_sqlite.py (BEGIN IMMEDIATE on the driver's connection);
  * PostgreSQL: reservations_postgres.py (one prepared statement);
  * anything else, or SQLite inside a caller's transaction: the two statements below in a savepoint.
The SQL is written once (reservations_sql.py) with ``{name}`` placeholders that each module fills with its driver's syntax.
"""

from __future__ import annotations

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from shopops.core.bulk import SqlValue, db_datetime_adapter
from shopops.inventory.services import reservations_postgres, reservations_sqlite
from shopops.inventory.services.reservations_sql import INSERT, TAKE, Hold, placeholders

_DJANGO = placeholders("%({name})s")
_TAKE_DJANGO = TAKE.format(**_DJANGO)
_INSERT_DJANGO = INSERT.format(**_DJANGO)


def reservation_take_fast(conn: BaseDatabaseWrapper, hold: Hold) -> tuple[int, int, int] | None:
    """(reservation id, SKU id, location id) when the units were taken and the reservation row written; None
    when the hot path cannot take them. Raises IntegrityError when ``hold.ref`` exists (nothing changed)."""
    if conn.vendor == "postgresql":
        return reservations_postgres.reservation_take(conn, hold)
    if conn.vendor == "sqlite" and not conn.in_atomic_block:
        return reservations_sqlite.reservation_take(conn, hold)
    return _take_in_savepoint(conn, hold)


def _take_in_savepoint(conn: BaseDatabaseWrapper, hold: Hold) -> tuple[int, int, int] | None:
    """Inside a caller's transaction: the two statements through Django's cursor, in a savepoint so that a
    replayed ref undoes only this."""
    adapt = db_datetime_adapter(conn)
    params: dict[str, SqlValue] = {
        "qty": hold.qty, "shop": hold.shop, "code": hold.code, "ref": hold.ref, "channel": hold.channel,
        "customer": hold.customer, "expires_at": adapt(hold.expires_at), "created_at": adapt(hold.created_at),
    }
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(_TAKE_DJANGO, params)
        row = cursor.fetchone()
        if row is None:
            return None
        sku_id, location_id = row
        cursor.execute(_INSERT_DJANGO, {**params, "sku": sku_id, "location": location_id})
        return cursor.fetchone()[0], sku_id, location_id
