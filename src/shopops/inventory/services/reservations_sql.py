"""The hot path's SQL, written once with ``{name}`` placeholders that each database's module fills with its
driver's syntax (reservations_fast.py explains the path), and what it writes (:class:`Hold`)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Hold(NamedTuple):
    """What the hot path writes: ``qty`` units of the SKU ``code`` of shop ``shop`` under ``ref`` (a tuple:
    built once per reservation, four times cheaper than a frozen dataclass)."""

    shop: int
    code: str
    qty: int
    ref: str
    channel: str
    customer: str
    expires_at: dt.datetime
    created_at: dt.datetime


# The first choice of a location (docs/rules/inventory.md#conditional-decrement): the default location first,
# then by priority, among active locations with enough available units. The outer WHERE repeats the
# availability test: on PostgreSQL it is re-checked on the newest row version after the row lock, so a
# concurrent taker makes the UPDATE match nothing instead of overselling.
TAKE = """UPDATE inventory_balance SET reserved = reserved + {qty}
 WHERE id = (SELECT b.id FROM inventory_balance b JOIN inventory_location l ON l.id = b.location_id
             WHERE b.shop_id = {shop} AND b.sku_code = {code} AND l.active
               AND b.on_hand - b.reserved - b.pooled >= {qty}
             ORDER BY l.is_default DESC, l.priority, l.id LIMIT 1)
   AND on_hand - reserved - pooled >= {qty}
 RETURNING sku_id, location_id"""

COLUMNS = ("(shop_id, sku_id, location_id, pool_id, qty, ref, channel, customer, status, expires_at, created_at,"
           " closed_at)")
ROW = ("{shop}, {sku}, {location}, NULL, {qty}, {ref}, {channel}, {customer}, 'held', {expires_at}, {created_at},"
       " NULL")
INSERT = f"INSERT INTO inventory_reservation {COLUMNS} VALUES ({ROW}) RETURNING id"


# The parameters in a fixed order: a driver with numbered placeholders (SQLite's ``?N``) binds a tuple in it.
# TAKE needs the first three, the INSERT all of them.
PARAMETERS = ("qty", "shop", "code", "sku", "location", "ref", "channel", "customer", "expires_at", "created_at")


def placeholders(style: str) -> dict[str, str]:
    """Each parameter's placeholder in a driver's style: ``"%({name})s"`` (Django, psycopg), ``"?{number}"``
    (SQLite, numbered from 1 in ``PARAMETERS`` order)."""
    return {name: style.format(name=name, number=number) for number, name in enumerate(PARAMETERS, 1)}
