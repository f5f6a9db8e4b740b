"""Where analytics queries run: Ibis over the lake, DuckDB in-process by default, PySpark on demand.

docs/architecture.md#stack: queries are written once as Ibis expressions and executed embedded (DuckDB) or
distributed (``SHOPOPS_ENGINE=pyspark``, Spark in local mode here). Every query module takes a
:class:`Tables` — a mapping from lake table name to an Ibis table already narrowed to one shop — so the same
expression runs on the lake (:class:`LakeTables`) or on a hand-built data set in tests
(:class:`MemoryTables`), on either engine (tests/conformance runs both and requires equal results).

Pitfalls handled here rather than in every query (docs/rules/analytics.md#analytics-engine-pitfalls):

* No DuckDB extensions (nothing may download at run time): ``lake.selectors`` names the current version's
  parquet files of a Delta table, and they are handed to DuckDB (its own parquet scan, see
  :func:`_duckdb_view`) and to Spark with the table's schema (partition values come from the hive-style
  paths). The lake is read only through ``lake.selectors`` (never its storage or table declarations).
* DuckDB connections are not safe to share between threads: one connection per thread.
* Spark binds to loopback only, runs in UTC and with few shuffle partitions (2 cores).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends.duckdb.converter import DuckDBPyArrowData

from shopops.lake.selectors import (
    TableVersion,
    lake_table_names,
    lake_table_partitions,
    lake_table_schema,
    lake_table_version,
    rollup_build,
    rollup_names,
    rollup_source,
    rollups_ready,
)

ENGINES = ("duckdb", "pyspark")


def engine_name() -> str:
    """The engine chosen by ``SHOPOPS_ENGINE`` (``duckdb`` unless set)."""
    name = os.environ.get("SHOPOPS_ENGINE", "duckdb").strip().lower() or "duckdb"
    if name not in ENGINES:
        raise ValueError(f"SHOPOPS_ENGINE must be one of {', '.join(ENGINES)}, not {name!r}")
    return name


COMPILED_MAX = 1024  # compiled queries kept per connection (the pages' queries are a few hundred shapes)


@dataclass
class Engine:
    """One Ibis backend plus the bookkeeping of what lake tables it has been shown.

    On DuckDB a lake table is the view ``lake_<table>``, re-pointed (CREATE OR REPLACE) when the table's
    version changes, so the same question asked after an import is the same Ibis expression; compiled SQL is
    kept per expression (:meth:`_sql`): Ibis nodes are immutable and hashable, an equal expression compiles to
    the same SQL (docs/architecture.md#query-caches).
    """

    name: str
    backend: ibis.BaseBackend
    _registered: dict[str, str] = field(default_factory=dict)  # Spark: lake uri@version -> view name
    _views: dict[str, tuple[tuple[str, int] | None, ir.Table]] = field(default_factory=dict)  # name -> (version, table)
    _compiled: OrderedDict[ops.Node, str] = field(default_factory=OrderedDict)  # expression -> SQL (DuckDB)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def to_pyarrow(self, expr: ir.Expr) -> pa.Table:
        if self.name != "duckdb":
            return self.backend.to_pyarrow(expr)
        backend = self.backend
        backend._run_pre_execute_hooks(expr)  # registers the expression's in-memory tables on this connection
        table = backend.con.sql(self._sql(expr.as_table())).to_arrow_table()
        return expr.__pyarrow_result__(table, data_mapper=DuckDBPyArrowData)

    def _sql(self, expr: ir.Table) -> str:
        """The SQL of ``expr``, compiled once per distinct expression (least recently used dropped)."""
        node = expr.op()
        with self._lock:
            sql = self._compiled.get(node)
            if sql is not None:
                self._compiled.move_to_end(node)
                return sql
        sql = self.backend.compile(expr)
        with self._lock:
            self._compiled[node] = sql
            while len(self._compiled) > COMPILED_MAX:
                self._compiled.popitem(last=False)
        return sql

    def rows(self, expr: ir.Table) -> list[dict]:
        """The result as plain Python rows (ints, floats, strings, dates)."""
        return self.to_pyarrow(expr).to_pylist()

    def scalar(self, expr: ir.Scalar) -> object:
        return self.to_pyarrow(expr).as_py()

    def lake_table(self, name: str) -> ir.Table:
        """The current version of lake table ``name`` (all shops); an empty table when it does not exist."""
        current = lake_table_version(name)
        version = None if current is None else (current.uri, current.version)
        with self._lock:
            known = self._views.get(name)
            if known is not None and known[0] == version:
                return known[1]
            table = self._show(name, current)
            self._views[name] = (version, table)
            return table

    def read_version(self, name: str) -> tuple[str, int] | None:
        """(lake uri, version) of lake table ``name`` as this engine's view of it reads it now (None: empty or
        not shown yet) — what a result computed from it depends on."""
        known = self._views.get(name)
        return None if known is None else known[0]

    def _show(self, name: str, current: TableVersion | None) -> ir.Table:
        """The engine's table for ``current`` (a version of lake table ``name``, None: nothing written yet)."""
        schema = lake_table_schema(name)
        if self.name == "duckdb":
            view = f"lake_{name}"  # stable: equal questions stay equal expressions across imports
            files = [] if current is None else list(current.files)
            _duckdb_view(self.backend, view, files, schema, lake_table_partitions(name))
            return self.backend.table(view)
        if current is None:
            return self.memtable(schema.empty_table())
        key = f"{current.uri}@{current.version}"
        view = self._registered.get(key)
        if view is None:
            view = f"lake_{name}_v{current.version}_{len(self._registered)}"
            _spark_view(self.backend, view, current.uri, list(current.files), schema)
            self._registered[key] = view
        return self.backend.table(view)

    def memtable(self, data: pa.Table) -> ir.Table:
        """A small in-memory table (tests, parameters) usable in expressions on this engine.

        On Spark built from the Arrow rows with the lake's types: Ibis's memtable goes through pandas, where an
        integer column with nulls becomes float NaN and Spark then reads every value of it as null.
        """
        if self.name != "pyspark":
            return ibis.memtable(data)
        view = f"shopops_mem_{next(_memtable_ids)}"
        session = self.backend._session
        session.createDataFrame(data.to_pylist(), _spark_schema(data.schema)).createOrReplaceTempView(view)
        table = self.backend.table(view)
        zoned = {f.name: ibis.dtype(f.type) for f in data.schema if pa.types.is_timestamp(f.type) and f.type.tz}
        return table.cast(zoned) if zoned else table  # Spark's TIMESTAMP is an instant: keep the zone


_memtable_ids = itertools.count()

_DUCKDB_TYPES = {"date32[day]": "DATE", "string": "VARCHAR", "large_string": "VARCHAR", "int64": "BIGINT"}


def _duckdb_view(backend: ibis.BaseBackend, view: str, files: list[str], schema: pa.Schema,
                 partition_by: tuple[str, ...]) -> None:
    """A DuckDB view over the current version's parquet files (DuckDB's own scan, no extension): partition
    values from the hive-style paths, pruning from the parquet footers.

    Not ``DeltaTable.to_pyarrow_dataset()``: it turns Delta file stats into fragment guarantees, and a column
    without min/max in the stats becomes ``column >= null``, which makes every filter on it drop the whole
    file (found by benchmarks/analytics.py on the import-fed tables, whose stats cover integer columns only).
    An Arrow dataset of the same files is correct but scans at half DuckDB's speed (benchmarks/analytics.py).
    """
    if not files:  # an Arrow table registered under its own name: a registered name shadows a view's
        backend.con.register(f"{view}_empty", schema.empty_table())
        backend.raw_sql(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {view}_empty")
        return
    listing = ", ".join(_sql_text(_local_path(f)) for f in files)
    types = ", ".join(f"{_sql_text(p)}: {_DUCKDB_TYPES[str(schema.field(p).type)]}" for p in partition_by)
    columns = ", ".join(f'"{name}"' for name in schema.names)
    backend.raw_sql(f"CREATE OR REPLACE VIEW {view} AS SELECT {columns} FROM read_parquet([{listing}], "
                    f"hive_partitioning = true, hive_types = {{{types}}})")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _local_path(uri: str) -> str:
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path) if uri.startswith("file://") else uri


def _spark_view(backend: ibis.BaseBackend, view: str, uri: str, files: list[str], schema: pa.Schema) -> None:
    session = backend._session
    spark_schema = _spark_schema(schema)
    if files:
        frame = session.read.schema(spark_schema).option("basePath", uri).parquet(*files)
    else:
        frame = session.createDataFrame([], spark_schema)
    frame.select(*schema.names).createOrReplaceTempView(view)


def _spark_schema(schema: pa.Schema):  # -> pyspark StructType
    from pyspark.sql import types as T

    def spark_type(arrow: pa.DataType):
        if pa.types.is_int64(arrow):
            return T.LongType()
        if pa.types.is_int32(arrow):
            return T.IntegerType()
        if pa.types.is_floating(arrow):
            return T.DoubleType()
        if pa.types.is_boolean(arrow):
            return T.BooleanType()
        if pa.types.is_date(arrow):
            return T.DateType()
        if pa.types.is_timestamp(arrow):
            return T.TimestampType()
        if pa.types.is_string(arrow) or pa.types.is_large_string(arrow) or pa.types.is_dictionary(arrow):
            return T.StringType()
        raise TypeError(f"no Spark type for {arrow}")

    return T.StructType([T.StructField(f.name, spark_type(f.type), True) for f in schema])


_local = threading.local()


def _duckdb() -> Engine:
    engine = getattr(_local, "duckdb", None)
    if engine is None:
        backend = ibis.duckdb.connect(threads=int(os.environ.get("SHOPOPS_DUCKDB_THREADS", os.cpu_count() or 2)))
        limit = os.environ.get("SHOPOPS_DUCKDB_MEMORY_LIMIT")
        if limit:
            backend.raw_sql(f"SET memory_limit = '{limit}'")
        # parquet footers read once per file, not at every query's bind: a lake file never changes (a new
        # version adds new files), and binding the views was a fifth of a dashboard view (measured on the demo)
        backend.raw_sql("SET parquet_metadata_cache = true")
        engine = _local.duckdb = Engine("duckdb", backend)
    return engine


@cache
def _pyspark() -> Engine:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers use this virtualenv
    session = (
        SparkSession.builder.master(os.environ.get("SHOPOPS_SPARK_MASTER", "local[2]"))
        .appName("shopops")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", os.environ.get("SHOPOPS_SPARK_SHUFFLE_PARTITIONS", "4"))
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.driver.memory", os.environ.get("SHOPOPS_SPARK_DRIVER_MEMORY", "2g"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return Engine("pyspark", ibis.pyspark.connect(session))


def get_engine(name: str | None = None) -> Engine:
    """The engine for this thread: ``name`` or the one ``SHOPOPS_ENGINE`` chooses."""
    name = name or engine_name()
    if name == "duckdb":
        return _duckdb()
    if name == "pyspark":
        return _pyspark()
    raise ValueError(f"unknown engine {name!r}")


class Tables(Mapping[str, ir.Table]):
    """Lake table name → Ibis table holding one shop's rows. Query modules read only through this.

    ``rollups`` says whether the rollup tables (docs/architecture.md#rollups) hold the same data as the facts
    and may be read instead of them; when False the queries read the facts (the raw path), which always works.
    """

    engine: Engine

    @property
    def rollups(self) -> bool:
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(lake_table_names())

    def __len__(self) -> int:
        return len(lake_table_names())


class LakeTables(Tables):
    """The lake as it is now, narrowed to ``shop_id``. ``rollups`` None: read the rollups when the lake says
    they are ready for the shop; False: the raw path (tests and benchmarks compare the two)."""

    def __init__(self, engine: Engine, shop_id: int, *, rollups: bool | None = None) -> None:
        self.engine = engine
        self.shop_id = shop_id
        self._cache: dict[str, ir.Table] = {}
        self._rollups = rollups

    @property
    def rollups(self) -> bool:
        """The lake's rollups are complete for this shop (asked once per instance: a request's reads agree)."""
        if self._rollups is None:
            self._rollups = rollups_ready(self.shop_id)
        return self._rollups

    def __getitem__(self, name: str) -> ir.Table:
        if name not in lake_table_names():
            raise KeyError(name)
        if name not in self._cache:
            table = self.engine.lake_table(name)
            self._cache[name] = table.filter(table.shop_id == self.shop_id)
        return self._cache[name]


class MemoryTables(Tables):
    """Hand-built tables (tests, benchmarks): missing columns of the lake schema are filled with nulls or "".

    Rollups not given in ``data`` are built from the given facts with the lake's own builders (when first
    read), so a hand-built data set has rollups that match it; ``rollups=False`` makes the queries take the
    raw path.
    """

    def __init__(self, engine: Engine, data: Mapping[str, pa.Table | dict], *, shop_id: int = 1,
                 rollups: bool = True) -> None:
        self.engine = engine
        self.shop_id = shop_id
        self._rollups = rollups
        self._data = {name: conform(name, table, shop_id=shop_id) for name, table in data.items()}
        self._cache: dict[str, ir.Table] = {}

    @property
    def rollups(self) -> bool:
        return self._rollups

    def _rows(self, name: str) -> pa.Table:
        if name not in self._data:
            if name in rollup_names():
                self._data[name] = rollup_build(name, self._rows(rollup_source(name)))
            else:
                return lake_table_schema(name).empty_table()
        return self._data[name]

    def __getitem__(self, name: str) -> ir.Table:
        if name not in lake_table_names():
            raise KeyError(name)
        if name not in self._cache:
            self._cache[name] = self.engine.memtable(self._rows(name))
        return self._cache[name]


def conform(name: str, data: pa.Table | dict, *, shop_id: int = 1) -> pa.Table:
    """Shape ``data`` (a pyarrow table or a dict of columns) to lake table ``name``'s schema."""
    schema = lake_table_schema(name)
    if isinstance(data, dict):
        data = pa.table(data)
    rows = data.num_rows
    columns = []
    for f in schema:
        if f.name in data.column_names:
            columns.append(data[f.name].cast(f.type))
        elif f.name == "shop_id":
            columns.append(pa.array([shop_id] * rows, pa.int64()))
        elif pa.types.is_string(f.type):
            columns.append(pa.array([""] * rows, pa.string()))
        else:
            columns.append(pa.nulls(rows, f.type))
    return pa.Table.from_arrays(columns, schema=schema)
