"""Stock writes: ledger moves, reservations, flash-sale pools, purchase orders, channel sync, alerts.

Each service is atomic; the rules they share (the conditional decrement, the lock order) are in balances.py.
Callers import the services from here (``from shopops.inventory import services``); the modules are:

  counts.py        stock counts (盘点): on hand set to the count, one adjustment per difference
  ledger.py        receipts, returns, adjustments, counts, transfers; loading a past ledger
  reservations.py  reservations (hold, commit, release, expire); the hot path: reservations_fast.py with one
                   module per database (reservations_sqlite.py, reservations_postgres.py)
  pools.py         flash-sale pools
  purchasing.py    suppliers and purchase orders
  replenishing.py  approved replenishment suggestions → draft purchase orders
  sync.py          channel publishing rules and stock sync
  alerts.py        stock alerts in the operator's to-do list
  locations.py, balances.py, inputs.py   what the others share
"""

from __future__ import annotations

from shopops.inventory.services.alerts import ALERT_SOURCE, inventory_alerts_all, inventory_alerts_run
from shopops.inventory.services.balances import StockConflict
from shopops.inventory.services.counts import (
    CountDiff,
    CountLine,
    CountResult,
    stock_count_apply,
    stock_count_check,
    stock_count_preview,
)
from shopops.inventory.services.ledger import (
    LedgerLine,
    MoveResult,
    stock_history_load,
    stock_move,
    stock_transfer,
)
from shopops.inventory.services.locations import (
    DEFAULT_LOCATION_CODE,
    DEFECTIVE_LOCATION_CODE,
    location_create,
    location_default,
    location_defective,
)
from shopops.inventory.services.pools import pool_close, pool_create
from shopops.inventory.services.purchasing import (
    po_cancel,
    po_create,
    po_place,
    po_receive,
    supplier_skus_assign,
    supplier_upsert,
)
from shopops.inventory.services.replenishing import replenishment_approve
from shopops.inventory.services.reservations import (
    reservation_commit,
    reservation_create,
    reservation_release,
    reservations_expire,
)
from shopops.inventory.services.sync import channel_rule_set, stock_sync

__all__ = [
    "ALERT_SOURCE",
    "CountDiff",
    "CountLine",
    "CountResult",
    "DEFAULT_LOCATION_CODE",
    "DEFECTIVE_LOCATION_CODE",
    "LedgerLine",
    "MoveResult",
    "StockConflict",
    "channel_rule_set",
    "inventory_alerts_all",
    "inventory_alerts_run",
    "location_create",
    "location_default",
    "location_defective",
    "po_cancel",
    "po_create",
    "po_place",
    "po_receive",
    "pool_close",
    "pool_create",
    "replenishment_approve",
    "reservation_commit",
    "reservation_create",
    "reservation_release",
    "reservations_expire",
    "stock_count_apply",
    "stock_count_check",
    "stock_count_preview",
    "stock_history_load",
    "stock_move",
    "stock_sync",
    "stock_transfer",
    "supplier_skus_assign",
    "supplier_upsert",
]
