"""Delta table storage under SHOPOPS_LAKE_URI (a local folder by default; object storage via its URI).

Writes are one Delta commit each: a crash leaves the previous version. Replacing "a shop's rows" (or a
source's date range) uses replace-by-predicate, so other rows are untouched.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake
from django.conf import settings

from shopops.lake.tables import TABLES, LakeTable


def table_uri(name: str) -> str:
    return str(Path(settings.SHOPOPS_LAKE_URI) / name)


def table_exists(name: str) -> bool:
    return DeltaTable.is_deltatable(table_uri(name))


def replace_rows(table: LakeTable, data: pa.Table, *, predicate: str) -> int:
    """Replace exactly the rows matching ``predicate`` with ``data`` in one commit; returns the new version."""
    data = data.cast(table.schema)
    uri = table_uri(table.name)
    if not DeltaTable.is_deltatable(uri):
        Path(uri).mkdir(parents=True, exist_ok=True)
        write_deltalake(uri, data, mode="overwrite", partition_by=list(table.partition_by),
                        name=table.name, description=table.description)
    else:
        write_deltalake(uri, data, mode="overwrite", predicate=predicate)
    return DeltaTable(uri).version()


def table_info() -> list[dict]:
    """Per declared table: rows, version, files and bytes (absent tables say so)."""
    out = []
    for name, table in TABLES.items():
        uri = table_uri(name)
        if not DeltaTable.is_deltatable(uri):
            out.append({"table": name, "exists": False, "rows": 0, "version": None, "files": 0, "bytes": 0,
                        "partition_by": list(table.partition_by)})
            continue
        delta = DeltaTable(uri)
        actions = pa.table(delta.get_add_actions(flatten=True))
        out.append({
            "table": name,
            "exists": True,
            "rows": int(pa.compute.sum(actions["num_records"]).as_py() or 0) if actions.num_rows else 0,
            "version": delta.version(),
            "files": actions.num_rows,
            "bytes": int(pa.compute.sum(actions["size_bytes"]).as_py() or 0) if actions.num_rows else 0,
            "partition_by": list(table.partition_by),
        })
    return out


def read_table(name: str) -> pa.Table:
    return DeltaTable(table_uri(name)).to_pyarrow_table()
