"""Pushing published quantities to sales platforms, with compare-and-set semantics.

docs/rules/inventory.md#compare-and-swap-pushes: "compare-and-swap for absolute updates pushed to or from
channels" (Shopify's ``changeFromQuantity``: a stale expected value is refused with
CHANGE_FROM_QUANTITY_STALE). Every adapter receives, per SKU, the quantity we believe the platform shows
(``expected``, our last successful push) and the new one; it must refuse (``stale``) an item whose platform
value is no longer ``expected`` — someone changed it on the platform — instead of overwriting it blindly.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from shopops.core.domain import neutralize_formula


@dataclass(frozen=True, slots=True)
class PushItem:
    sku: str
    expected: int | None  # what the platform should show now (None: never pushed)
    qty: int


@dataclass(frozen=True, slots=True)
class PushResult:
    sku: str
    status: str  # ok | stale
    platform_qty: int | None


class StockAdapter(Protocol):
    def push(self, *, channel: str, items: list[PushItem], at: dt.datetime) -> list[PushResult]: ...


class FileAdapter:
    """Writes each platform's 库存同步 file (UTF-8 with BOM CSV, opens in Excel/WPS): 商家编码, 可售库存.

    Its "platform state" is a JSON file next to the exports (what the last file told the platform), which is
    what compare-and-set checks against. The exact import templates of 聚水潭/旺店通 are not public
    (docs/rules/inventory.md#stock-sync-files), so the file carries the two columns every template has.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.written: list[Path] = []

    def _state_path(self, channel: str) -> Path:
        return self.directory / f"{channel}.state.json"

    def platform_state(self, channel: str) -> dict[str, int]:
        path = self._state_path(channel)
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def push(self, *, channel: str, items: list[PushItem], at: dt.datetime) -> list[PushResult]:
        self.directory.mkdir(parents=True, exist_ok=True)
        state = self.platform_state(channel)
        results = []
        for item in items:
            current = state.get(item.sku)
            if item.expected is not None and current is not None and current != item.expected:
                results.append(PushResult(item.sku, "stale", current))
                continue
            state[item.sku] = item.qty
            results.append(PushResult(item.sku, "ok", item.qty))
        path = self.directory / f"{channel}_库存同步_{at:%Y%m%d%H%M%S}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["商家编码", "可售库存"])
            for sku, qty in sorted(state.items()):
                writer.writerow([neutralize_formula(sku), qty])  # a code like =HYPERLINK(…) stays text
        self._state_path(channel).write_text(json.dumps(state, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        self.written.append(path)
        return results
