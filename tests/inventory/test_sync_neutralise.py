"""The stock-sync files (库存同步 CSV, opened in Excel/WPS before an upload to the platform) never carry a live
formula: a SKU code that starts like one (= + - @, also after blanks) is written with a leading ' as the
imports store such text (channels.normalize.neutralize_formula, the OWASP CSV-injection rule); the compare-and-set
state keeps the real code."""

from __future__ import annotations

import csv
import datetime as dt

from shopops.inventory.adapters import FileAdapter, PushItem

AT = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
HOSTILE = {
    '=HYPERLINK("http://evil.example","点我")': '\'=HYPERLINK("http://evil.example","点我")',
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "SKU-001": "SKU-001",
    "-5": "-5",  # a plain number is no formula
}


def test_sync_file_cells_that_start_like_a_formula_are_neutralised(tmp_path):
    adapter = FileAdapter(tmp_path)
    results = adapter.push(channel="tmall", items=[PushItem(sku, None, 3) for sku in HOSTILE], at=AT)
    assert {r.status for r in results} == {"ok"}
    with adapter.written[-1].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["商家编码", "可售库存"]
    assert dict(rows[1:]) == dict.fromkeys(HOSTILE.values(), "3")
    assert set(adapter.platform_state("tmall")) == set(HOSTILE)  # compare-and-set keeps the real codes
    again = adapter.push(channel="tmall", items=[PushItem(sku, 3, 4) for sku in HOSTILE], at=AT)
    assert {r.status for r in again} == {"ok"}
