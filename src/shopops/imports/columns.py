"""Declarative column specs for channel exports, and the pure step that maps and converts columns.

An importer declares what it needs (``Column("订单编号", aliases=("订单号",), required=True, kind="id")``);
:func:`resolve_columns` finds those columns in a file's headers, and :class:`ColumnConverter` turns
batches of raw cells into typed values plus row-level ``FieldError``\\ s. No Django, no I/O: the same
spec serves the web upload, the API and the CLI, and the whole file is validated before any write.

Header matching is exact after :func:`~shopops.imports.normalize.normalize_header` and case folding,
through the column's name and its aliases, because export versions rename columns
(``买家实际支付金额`` → ``买家实付金额``, docs/rules/platforms.md#taobao-order-report) and guessing by similarity would
silently pick the wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

from shopops.core.errors import FieldError
from shopops.core.money import format_fen
from shopops.core.text import Text, gettext_noop, listing
from shopops.imports.fastpaths import fast_cells
from shopops.imports.normalize import (
    DEFAULT_TZ,
    ValueProblem,
    clean_text,
    normalize_header,
    parse_date,
    parse_datetime,
    parse_id,
    parse_int,
    parse_money_fen,
    parse_rate,
)

Kind = Literal["text", "money", "int", "rate", "datetime", "date", "id"]
KINDS: tuple[str, ...] = ("text", "money", "int", "rate", "datetime", "date", "id")
HEADER_ROW = 1


@dataclass(frozen=True, slots=True)
class Column:
    """One column an importer reads.

    ``required``: the header must be present (a missing one is reported before any row is read).
    ``nullable``: a cell may be empty. ``minimum``/``maximum`` bound money (in fen), int and rate
    values. ``unique``: a value may appear once per file (duplicate ids are reported with both rows).
    """

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: Kind = "text"
    nullable: bool = True
    minimum: int | float | None = None
    maximum: int | float | None = None
    unique: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.name!r}")
        if isinstance(self.aliases, str):
            raise TypeError(f"aliases of {self.name!r} must be a tuple of strings, not a string")

    def match_keys(self) -> tuple[str, ...]:
        """The normalised, case-folded headers this column answers to."""
        return tuple(dict.fromkeys(_key(h) for h in (self.name, *self.aliases)))


def _key(header: object) -> str:
    return normalize_header(header).casefold()


class ColumnResolution(NamedTuple):
    """Where each declared column sits in the file.

    ``mapping``: column name → index in the file's headers (found columns only). ``errors``: missing
    required and ambiguous columns, ``row=1``. ``ignored``: headers no column asked for, for a warning.
    """

    mapping: dict[str, int]
    errors: list[FieldError]
    ignored: list[str]


def resolve_columns(headers: Sequence[object], spec: Sequence[Column]) -> ColumnResolution:
    """Match a file's headers to the spec: every missing required column and every ambiguity is reported.

    A header that matches a declared column twice (the file has both ``买家实际支付金额`` and
    ``买家实付金额``, or the same header twice) is an error rather than a silent first-wins: the two
    columns may hold different numbers.
    """
    owner: dict[str, str] = {}
    for column in spec:
        for key in column.match_keys():
            if owner.setdefault(key, column.name) != column.name:
                raise ValueError(f"header {key!r} is claimed by both {owner[key]!r} and {column.name!r}")
    found: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        key = _key(header)
        if not key:
            continue
        name = owner.get(key)
        if name is None:
            ignored.append(normalize_header(header))
        else:
            found.setdefault(name, []).append(index)
    errors: list[FieldError] = []
    mapping: dict[str, int] = {}
    for column in spec:
        indexes = found.get(column.name)
        if not indexes:
            if column.required:
                errors.append(FieldError(column.name, _missing_message(column), HEADER_ROW))
            continue
        if len(indexes) > 1:
            shown = "、".join(f"“{normalize_header(headers[i])}”" for i in indexes)
            errors.append(FieldError(column.name, gettext_noop(
                "column “%(column)s” appears %(count)s times (%(shown)s); cannot tell which to use",
                column=column.name, count=len(indexes), shown=shown), HEADER_ROW))
            continue
        mapping[column.name] = indexes[0]
    return ColumnResolution(mapping, errors, ignored)


def _missing_message(column: Column) -> Text:
    others = [a for a in column.aliases if _key(a) != _key(column.name)]
    if not others:
        return gettext_noop("required column “%(column)s” is missing", column=column.name)
    return gettext_noop("required column “%(column)s” is missing (also accepted: %(others)s)",
                        column=column.name, others=listing(others))


def _parser(kind: str, tz: str) -> Callable[[object], object]:
    if kind == "datetime":
        return lambda value: parse_datetime(value, tz)
    if kind == "date":
        return lambda value: parse_date(value, tz)
    return {"text": clean_text, "id": parse_id, "money": parse_money_fen, "int": parse_int,
            "rate": parse_rate}[kind]


def _checker(column: Column) -> Callable[[object], object] | None:
    """Emptiness and bounds of a parsed value, or None when the column has no such rule."""
    if column.nullable and column.minimum is None and column.maximum is None:
        return None

    def check(result: object) -> object:
        if result is None:
            if not column.nullable:
                raise ValueProblem(gettext_noop("must not be empty"))
            return None
        _check_bounds(column, result)
        return result

    return check


def cell_function(column: Column, *, tz: str = DEFAULT_TZ) -> Callable[[object], object]:
    """One function that reads a cell as the column's kind and applies its rules (raises ValueProblem)."""
    parse = _parser(column.kind, tz)
    check = _checker(column)
    if check is None:
        return parse
    return lambda value: check(parse(value))


def parse_cell(column: Column, value: object, *, tz: str = DEFAULT_TZ) -> object:
    """One cell as the column's kind; raises ``ValueProblem`` for a bad value or a broken bound."""
    return cell_function(column, tz=tz)(value)


def _shown_bound(column: Column, bound: float) -> str:
    return format_fen(int(bound)) if column.kind == "money" else f"{bound:g}"


def _check_bounds(column: Column, value: object) -> None:
    if column.minimum is not None and value < column.minimum:  # type: ignore[operator]
        bound = _shown_bound(column, column.minimum)
        raise ValueProblem(gettext_noop("must be at least %(bound)s (got %(value)s)",
                                        bound=bound, value=_shown_value(column, value)))
    if column.maximum is not None and value > column.maximum:  # type: ignore[operator]
        bound = _shown_bound(column, column.maximum)
        raise ValueProblem(gettext_noop("must be at most %(bound)s (got %(value)s)",
                                        bound=bound, value=_shown_value(column, value)))


def _shown_value(column: Column, value: object) -> str:
    return format_fen(value) if column.kind == "money" and isinstance(value, int) else str(value)


class CellBatch(Protocol):
    """What the converter needs of a batch (``readers.Batch`` has it): source row numbers, the cells of a
    column by index, and optionally the column as a pyarrow array (enables the vectorised fast path)."""

    row_numbers: Sequence[int]

    def column(self, key: int) -> Sequence[object]: ...


@dataclass
class ConvertedBatch:
    """Typed values of one batch, column by column, with the problems found in it.

    ``values[name][i]`` belongs to source row ``row_numbers[i]``; a cell with a problem is ``None`` and
    its row is in ``bad_rows``.
    """

    row_numbers: Sequence[int]
    values: dict[str, list[object]]
    errors: list[FieldError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def records(self, *, include_bad: bool = False) -> list[dict[str, object]]:
        """Row-wise dicts (``{"_row": n, name: value, …}``), for importers that build one object per row."""
        names = list(self.values)
        columns = [self.values[n] for n in names]
        out = []
        for index, row in enumerate(self.row_numbers):
            if not include_bad and row in self.bad_rows:
                continue
            record: dict[str, object] = {"_row": row}
            for name, values in zip(names, columns, strict=True):
                record[name] = values[index]
            out.append(record)
        return out

    def views(self, *, include_bad: bool = False) -> list[RowView]:
        """The rows as :class:`RowView` s over this batch's columns (what ``records`` gives, without a dict per
        row)."""
        values = self.values
        bad = self.bad_rows
        return [RowView(values, index, row) for index, row in enumerate(self.row_numbers)
                if include_bad or row not in bad]


class RowView:
    """One converted row read in place from its batch's columns: ``view[name]``, ``view.get(name)`` and
    ``view["_row"]`` answer as the row's :meth:`ConvertedBatch.records` dict would, without building a dict
    per row (an order import reads a million rows; see benchmarks/import_taobao_orders.py)."""

    __slots__ = ("_values", "_index", "_row")

    def __init__(self, values: Mapping[str, Sequence[object]], index: int, row: int) -> None:
        self._values = values
        self._index = index
        self._row = row

    def __getitem__(self, name: str) -> object:
        if name == "_row":
            return self._row
        return self._values[name][self._index]

    def get(self, name: str, default: object = None) -> object:
        if name == "_row":
            return self._row
        column = self._values.get(name)
        return default if column is None else column[self._index]

    def __contains__(self, name: object) -> bool:
        return name == "_row" or name in self._values

    def keys(self) -> list[str]:
        return ["_row", *self._values]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._values) + 1

    def as_dict(self) -> dict[str, object]:
        return {name: self[name] for name in self.keys()}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowView):
            other = other.as_dict()
        return isinstance(other, Mapping) and self.as_dict() == dict(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RowView({self.as_dict()!r})"


class ColumnConverter:
    """Converts batches for one file: parses each declared column, checks bounds, emptiness, uniqueness.

    Stateful only for ``unique`` columns (first row of each value), so it must see the file's batches in
    order and be used for one file. Columns are converted whole: for pyarrow-backed CSV batches the common
    cell shapes are parsed vectorised (``fastpaths``), the rest by the ``normalize`` parsers.
    """

    def __init__(self, spec: Sequence[Column], resolution: ColumnResolution | Mapping[str, int], *,
                 tz: str = DEFAULT_TZ, vectorised: bool = True) -> None:
        mapping = resolution.mapping if isinstance(resolution, ColumnResolution) else resolution
        self.spec = tuple(spec)
        self.mapping = dict(mapping)
        self.tz = tz
        self.vectorised = vectorised
        self._cells = {c.name: cell_function(c, tz=tz) for c in self.spec}
        self._checks = {c.name: _checker(c) for c in self.spec}
        self._seen: dict[str, dict[object, int]] = {c.name: {} for c in self.spec if c.unique}

    def convert(self, batch: CellBatch) -> ConvertedBatch:
        """Typed values and row errors for one batch (see :class:`CellBatch`)."""
        rows = batch.row_numbers
        result = ConvertedBatch(rows, {})
        arrow_column = getattr(batch, "arrow_column", None) if self.vectorised else None
        for spec_column in self.spec:
            index = self.mapping.get(spec_column.name)
            if index is None:  # optional and absent (a missing required column is a resolve error)
                result.values[spec_column.name] = [None] * len(rows)
                continue
            array = arrow_column(index) if arrow_column is not None else None
            fast = None
            if array is not None:
                fast = fast_cells(spec_column.kind, array, self.tz)
            if fast is None:
                values = self._convert_cells(result, spec_column, batch.column(index))
            else:
                values = self._finish_fast(result, spec_column, fast, array)
            seen = self._seen.get(spec_column.name)
            if seen is not None:
                self._check_unique(result, spec_column, values, seen)
            result.values[spec_column.name] = values
        result.errors.sort(key=lambda error: error.row or 0)  # by row, then column (the sort is stable)
        return result

    def _convert_cells(self, result: ConvertedBatch, spec_column: Column, raw: Sequence[object]) -> list[object]:
        cell = self._cells[spec_column.name]
        rows = result.row_numbers
        out: list[object] = [None] * len(raw)
        for i, value in enumerate(raw):
            try:
                out[i] = cell(value)
            except ValueProblem as problem:
                self._fail(result, spec_column, rows[i], problem.text)
        return out

    def _finish_fast(self, result: ConvertedBatch, spec_column: Column, fast: tuple[list[object], list[int]],
                     array: Any) -> list[object]:
        """Fallback cells through the Python parser; then the column's rules over the fast values."""
        values, fallback = fast
        rows = result.row_numbers
        cell = self._cells[spec_column.name]
        if fallback:
            raw = array.take(fallback).to_pylist()
            for i, value in zip(fallback, raw, strict=True):
                try:
                    values[i] = cell(value)
                except ValueProblem as problem:
                    values[i] = None
                    self._fail(result, spec_column, rows[i], problem.text)
        self._apply_rules(result, spec_column, values, set(fallback))
        return values

    def _apply_rules(self, result: ConvertedBatch, spec_column: Column, values: list[object],
                     done: set[int]) -> None:
        """Emptiness and bounds over fast-path values (``done``: fallback cells, already checked)."""
        check = self._checks[spec_column.name]
        if check is None:
            return
        nullable, low, high = spec_column.nullable, spec_column.minimum, spec_column.maximum
        rows = result.row_numbers
        for i, value in enumerate(values):
            if value is None:
                if nullable:
                    continue
            elif (low is None or value >= low) and (high is None or value <= high):  # type: ignore[operator]
                continue
            if i in done:
                continue
            try:
                check(value)
            except ValueProblem as problem:
                values[i] = None
                self._fail(result, spec_column, rows[i], problem.text)

    def _check_unique(self, result: ConvertedBatch, spec_column: Column, values: list[object],
                      seen: dict[object, int]) -> None:
        rows = result.row_numbers
        for i, value in enumerate(values):
            if value is None:
                continue
            first = seen.setdefault(value, rows[i])
            if first != rows[i]:
                self._fail(result, spec_column, rows[i], gettext_noop(
                    "“%(value)s” duplicates row %(row)s", value=value, row=first))
                values[i] = None

    @staticmethod
    def _fail(result: ConvertedBatch, spec_column: Column, row: int, message: str) -> None:
        result.errors.append(FieldError(spec_column.name, message, row))
        result.bad_rows.add(row)


def duplicate_headers(headers: Iterable[object]) -> list[str]:
    """Normalised headers that occur more than once (for a warning even when no column asks for them)."""
    counts: dict[str, int] = {}
    for header in headers:
        key = normalize_header(header)
        if key:
            counts[key] = counts.get(key, 0) + 1
    return [h for h, n in counts.items() if n > 1]
