"""The reservation hot path on PostgreSQL (reservations_fast.py says what it promises).

ONE statement, a data-modifying CTE: the UPDATE takes the units (re-checking its WHERE on the newest row
version after waiting for the row lock, so it never oversells) and the INSERT sees only the row the UPDATE
returned. In autocommit mode it is its own transaction; inside a caller's transaction it runs in a savepoint.

The statement is planned once per server connection (an SQL-level ``PREPARE``; Django turns psycopg's own
prepared statements off for pooler compatibility): planning the CTE cost more than running it. Nothing in
this process remembers which connections prepared it: ``EXECUTE`` is tried first and, when the server does
not know the statement (a new connection, a pooler that handed us another server connection, a
``DEALLOCATE``), it is prepared and executed again. The name carries a digest of the text, so a server
connection that prepared an older version of the statement never runs it.
"""

from __future__ import annotations

import contextlib
import zlib

from django.db import ProgrammingError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from shopops.inventory.services.reservations_sql import COLUMNS, TAKE, Hold

# the parameters in EXECUTE order, with their types
_PARAMETERS = (("qty", "bigint"), ("shop", "bigint"), ("code", "text"), ("ref", "text"), ("channel", "text"),
               ("customer", "text"), ("expires_at", "timestamptz"), ("created_at", "timestamptz"))
_NUMBERED = {name: f"${n}" for n, (name, _type) in enumerate(_PARAMETERS, start=1)}
STATEMENT = (f"WITH taken AS ({TAKE.format(**_NUMBERED)})\n"
             f"INSERT INTO inventory_reservation {COLUMNS}\n"
             "SELECT {shop}, taken.sku_id, taken.location_id, NULL, {qty}, {ref}, {channel}, {customer}, 'held', "
             "{expires_at}, {created_at}, NULL FROM taken\n"
             "RETURNING id, sku_id, location_id").format(**_NUMBERED)
NAME = f"shopops_reserve_{zlib.crc32(STATEMENT.encode()):08x}"
PREPARE = f"PREPARE {NAME} ({', '.join(t for _name, t in _PARAMETERS)}) AS {STATEMENT}"
EXECUTE = f"EXECUTE {NAME} ({', '.join(['%s'] * len(_PARAMETERS))})"
_UNKNOWN_STATEMENT = "26000"  # invalid_sql_statement_name: "prepared statement … does not exist"


def reservation_take(conn: BaseDatabaseWrapper, hold: Hold) -> tuple[int, int, int] | None:
    """(reservation id, SKU id, location id), or None with nothing changed; IntegrityError on a known ref."""
    params = [hold.qty, hold.shop, hold.code, hold.ref, hold.channel, hold.customer, hold.expires_at,
              hold.created_at]
    try:
        return _execute(conn, params, prepare=False)
    except ProgrammingError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != _UNKNOWN_STATEMENT:
            raise
    return _execute(conn, params, prepare=True)


def _execute(conn: BaseDatabaseWrapper, params: list, *, prepare: bool) -> tuple[int, int, int] | None:
    # a savepoint inside a caller's transaction: a failed statement then undoes only itself
    with transaction.atomic(using=conn.alias) if conn.in_atomic_block else contextlib.nullcontext(), \
            conn.cursor() as cursor:
        if prepare:
            cursor.execute(PREPARE)
        cursor.execute(EXECUTE, params)
        return cursor.fetchone()
