"""A bounded, streaming reader for one xlsx worksheet: memory depends on the limits, never on the file.

Why not python-calamine or openpyxl: calamine unpacks a whole sheet into a dense grid first (a 10 MB workbook
whose sheet XML inflates to 1.9 GB took 6 GB of memory; two cells at A1 and XFD1048576 make it ask for 512 GB
and abort the process), and openpyxl holds every shared string and pads rows to the widest one. Here the sheet's
XML is parsed by expat while it is being inflated, one row at a time, and every limit of :class:`XlsxLimits` is
checked

* **before reading** a part: the zip's declared uncompressed sizes (each part and their sum) and compression
  ratios, the sheet's ``<dimension>`` (rows × columns) and the shared-strings table's declared count;
* **while reading**: the bytes actually inflated (a zip may lie about its sizes) and the compression ratio they
  make, the cells read and the rows × columns held, the length of a text (Excel's own 32,767 characters) and
  of one XML tag or comment (expat holds an unfinished one whole), the memory the shared strings take, and
  Excel's own sheet bounds (1,048,576 rows × 16,384 columns).

No DTD or entity is accepted (an xlsx has none; they are how XML bombs expand). Values follow python-calamine,
the reader used before, so the column parsers see the same types: text → ``str``; numbers → ``float``;
date-formatted numbers → ``date`` (whole days), ``time`` (below one day), ``datetime``, or ``timedelta`` for
``[h]:mm`` durations; booleans → ``bool``; empty and error cells → ``""``.
"""


from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator

from shopops.core.text import gettext_noop, listing
from shopops.imports.filetypes import ReadError
from shopops.imports.xlsx_parts import (
    DURATION,
    EXCEL_MAX_CELL_CHARS,
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    Budget,
    Refused,
    XlsxLimits,
    damaged,
    local_name,
    new_parser,
    number_format_kind,
    parse_part,
    read_shared_strings,
    read_styles,
    read_workbook,
    too_long,
)

DEFAULT_XLSX_LIMITS = XlsxLimits()

__all__ = ["DEFAULT_XLSX_LIMITS", "XlsxLimits", "XlsxSheet", "choose_sheet", "excel_date", "number_format_kind"]


# ------------------------------------------------------------------------------------------------ values

# Excel's dates are wall-clock values with no zone: naive, as python-calamine gave them (the column parsers
# apply the shop's time zone)
_EPOCH_1900 = dt.datetime(1899, 12, 30)  # noqa: DTZ001
_EPOCH_1900_EARLY = dt.datetime(1899, 12, 31)  # noqa: DTZ001 (serials below 60, before the phantom 1900-02-29)
_EPOCH_1904 = dt.datetime(1904, 1, 1)  # noqa: DTZ001
_MS_PER_DAY = 86_400_000


def excel_date(serial: float, kind: int, date1904: bool) -> object:
    """A date-formatted number as python-calamine returns it (the number itself when it is no date)."""
    try:
        if kind == DURATION:
            return dt.timedelta(milliseconds=round(serial * _MS_PER_DAY))
        if serial < 0:
            return serial
        millis = round(serial * _MS_PER_DAY)
        if serial < 1:
            seconds, ms = divmod(millis % _MS_PER_DAY, 1000)
            return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, ms * 1000)
        epoch = _EPOCH_1904 if date1904 else _EPOCH_1900 if serial >= 60 else _EPOCH_1900_EARLY
        moment = epoch + dt.timedelta(milliseconds=millis)
    except (OverflowError, ValueError):
        return serial
    return moment.date() if serial == int(serial) else moment


def _column_index(letters: str) -> int:
    """0-based column of ``A``..``XFD``; -1 when it is no column."""
    index = 0
    for char in letters.upper():
        if not "A" <= char <= "Z":
            return -1
        index = index * 26 + ord(char) - 64
    return index - 1 if 0 < index <= EXCEL_MAX_COLUMNS else -1


# ------------------------------------------------------------------------------------------------- sheet

_DIGITS = "0123456789"


class XlsxSheet:
    """One worksheet, opened and checked; iterate :meth:`rows` once.

    ``keep_columns`` may be lowered while reading (the caller knows the table's width after its header):
    cells right of it are counted but not kept.
    """

    def __init__(self, path: str, *, sheet: str | int | None = None, limits: XlsxLimits = DEFAULT_XLSX_LIMITS) -> None:
        self.limits = limits
        self.keep_columns = EXCEL_MAX_COLUMNS
        self.cells_read = 0
        try:
            self._archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise damaged(str(exc)) from None
        try:
            self._open(sheet)
        except Exception:
            self._archive.close()
            raise

    def _open(self, sheet: str | int | None) -> None:
        names = {info.filename.lower(): info for info in self._archive.infolist()}
        if "xl/workbook.xml" not in names:
            raise damaged("xl/workbook.xml is missing")
        self._budget = budget = Budget(self.limits)
        workbook = read_workbook(self._archive, names, budget)
        sheet_names = [name for name, _path in workbook.sheets]
        self.name = choose_sheet(sheet_names, sheet)
        sheet_path = dict(workbook.sheets)[self.name]
        info = names.get(sheet_path.lower())
        if info is None:
            raise damaged(f"{sheet_path} is missing")
        self._sheet_info = info
        strings_info = names.get(workbook.shared_strings.lower()) if workbook.shared_strings else None
        styles_info = names.get(workbook.styles.lower()) if workbook.styles else None
        # before reading anything big: what the zip directory declares for everything still to read
        budget.refuse_declared([i for i in (styles_info, strings_info, info) if i is not None])
        self._date_kinds = read_styles(self._archive, styles_info, budget)
        self._strings = read_shared_strings(self._archive, strings_info, budget, self.limits)
        self._date1904 = workbook.date1904

    def close(self) -> None:
        self._strings = []
        self._archive.close()

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """(Excel row number, cells from column A) for each row holding a value; empty cells are ``""`` and
        a row may be shorter than the table (trailing empty cells are left out)."""
        reader = _RowReader(self)
        parser = new_parser()
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.characters
        chunks = self._budget.chunks(self._archive, self._sheet_info)
        out = reader.out
        try:
            for _ in parse_part(chunks, parser, self._sheet_info.filename):
                if out:
                    yield from out
                    out.clear()
        finally:
            self.cells_read = reader.cells
            chunks.close()


_SKIP = object()  # an error cell: left empty


def _cell_value(text: str, cell_type: str | None, style: str | None, reader: _RowReader) -> object:
    """One cell's value as python-calamine gives it (see the module docstring), or ``_SKIP``."""
    if cell_type is None or cell_type == "n":
        try:
            value = float(text)
        except ValueError:
            raise Refused(_bad_cell(reader.where(), text)) from None
        if style is not None:
            date_kind = reader.date_kinds.get(style)
            if date_kind:
                return excel_date(value, date_kind, reader.date1904)
        return value
    if cell_type == "s":
        index = int(text) if text.isdigit() else -1
        if not 0 <= index < len(reader.strings):
            raise Refused(_bad_cell(reader.where(), text))
        return reader.strings[index]
    if cell_type == "b":
        return text.strip() in ("1", "true")
    if cell_type == "e":
        return _SKIP
    if cell_type == "d":
        try:
            return dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return text
    return text  # inlineStr, str (a formula's text)


class _RowReader:
    """expat's callbacks for one sheet and the state they share: the row being read, the cell being read,
    the counts the limits bound, and the finished rows (``out``) that ``XlsxSheet.rows`` hands on.

    This is the hot path (five to seven callbacks per cell): the state sits in slots and the common tags are
    tested first."""

    __slots__ = ("cell_type", "cells", "collect", "column", "columns", "date1904", "date_kinds", "keep",
                 "local_names", "max_cells", "out", "phonetic", "row", "row_number", "rows_seen", "sheet",
                 "slots", "strings", "style", "text")

    def __init__(self, sheet: XlsxSheet) -> None:
        self.sheet = sheet
        self.max_cells = sheet.limits.max_cells
        self.strings, self.date_kinds, self.date1904 = sheet._strings, sheet._date_kinds, sheet._date1904
        self.local_names: dict[str, str] = {}
        self.columns: dict[str, int] = {}
        self.out: list[tuple[int, list[object]]] = []
        self.row: list[object] = []
        self.row_number = self.rows_seen = self.cells = self.slots = self.phonetic = 0
        self.column = -1
        self.keep = sheet.keep_columns
        self.cell_type: str | None = None
        self.style: str | None = None
        self.text: str | None = None
        self.collect = False

    def where(self) -> str:
        return _cell_name(self.column, self.row_number)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            self._start_cell(attrs)
        elif name == "v":
            self.collect = True
        elif name == "t":
            self.collect = not self.phonetic
        elif name == "is":
            pass
        elif name == "row":
            self._start_row(attrs.get("r"))
        elif name == "rPh":
            self.phonetic += 1
        elif name == "dimension":
            _check_dimension(attrs.get("ref", ""), self.max_cells)
        else:
            plain = self._plain(name)
            if plain != name:
                self.start(plain, attrs)

    def end(self, name: str) -> None:
        if name == "c":
            self._end_cell()
        elif name == "v" or name == "t":
            self.collect = False
        elif name == "is":
            pass
        elif name == "row":
            self._end_row()
        elif name == "rPh":
            self.phonetic -= 1
        else:
            plain = self._plain(name)
            if plain != name:
                self.end(plain)

    def characters(self, data: str) -> None:
        if self.collect:
            text = data if self.text is None else self.text + data
            if len(text) > EXCEL_MAX_CELL_CHARS:
                raise Refused(too_long(self.where()))
            self.text = text

    def _plain(self, name: str) -> str:
        """A namespaced tag (``x:c``) by its local name (``c``)."""
        plain = self.local_names.get(name)
        if plain is None:
            plain = self.local_names[name] = local_name(name)
        return plain

    def _start_cell(self, attrs: dict[str, str]) -> None:
        self.cells += 1
        if self.cells > self.max_cells:
            raise Refused(_too_many_cells(self.cells, self.row_number, self.max_cells))
        ref = attrs.get("r")
        if ref is None:
            self.column += 1
        else:
            letters = ref.rstrip(_DIGITS)
            found = self.columns.get(letters)
            if found is None:
                found = _column_index(letters)
                if found < 0:
                    raise Refused(_out_of_sheet(ref, self.row_number))
                self.columns[letters] = found
            self.column = found
        if self.column >= EXCEL_MAX_COLUMNS:
            raise Refused(_out_of_sheet(self.where(), self.row_number))
        self.cell_type = attrs.get("t")
        self.style = attrs.get("s")
        self.text = None

    def _start_row(self, number: str | None) -> None:
        if number is None:
            found = self.row_number + 1
        else:
            found = int(number) if number.isdigit() else -1
        self.rows_seen += 1
        if not 1 <= found <= EXCEL_MAX_ROWS or self.rows_seen > EXCEL_MAX_ROWS:
            raise Refused(_out_of_sheet(f"row {number or found}", self.row_number))
        self.row_number = found
        self.column = -1
        self.keep = self.sheet.keep_columns
        self.row.clear()

    def _end_cell(self) -> None:
        text, column = self.text, self.column
        if text is None or column >= self.keep:
            return
        value = _cell_value(text, self.cell_type, self.style, self)
        if value is _SKIP:
            return
        row = self.row
        size = len(row)
        if column == size:
            row.append(value)
        elif column > size:
            row.extend([""] * (column - size))
            row.append(value)
        else:
            row[column] = value

    def _end_row(self) -> None:
        row = self.row
        if row:
            self.slots += len(row)  # the cells this row takes in memory, empty ones between values too
            if self.slots > self.max_cells:
                raise Refused(_too_many_slots(self.row_number, self.max_cells))
            self.out.append((self.row_number, row[:]))


def _cell_name(column: int, row: int) -> str:
    column += 1
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _bad_cell(where: str, text: str) -> ReadError:
    return damaged(f"cell {where} holds {text[:40]!r}, not a value of its type")


def _too_many_cells(cells: int, row: int, limit: int) -> ReadError:
    return ReadError(gettext_noop("the sheet has more than %(limit)s cells (%(cells)s by row %(row)s): split the "
                                  "file or export it as CSV", limit=limit, cells=cells, row=row))


def _too_many_slots(row: int, limit: int) -> ReadError:
    return ReadError(gettext_noop("the sheet's rows × columns come to more than %(limit)s cells (by row %(row)s): "
                                  "split the file or export it as CSV", limit=limit, row=row))


def _out_of_sheet(ref: str, row: int) -> ReadError:
    return ReadError(gettext_noop("the xlsx has a position %(ref)s outside an Excel sheet (at most %(rows)s rows × "
                                  "%(columns)s columns) after row %(row)s: not an export",
                                  ref=repr(ref[:40]), rows=EXCEL_MAX_ROWS, columns=EXCEL_MAX_COLUMNS, row=row))


def _check_dimension(ref: str, max_cells: int) -> None:
    """The sheet's own ``<dimension ref="A1:P100001">``, before its first row: rows × columns over the limit
    is refused at once. A missing or odd ref is no refusal (exports often carry a wrong one); the cells read
    are counted anyway."""
    first, _sep, last = ref.upper().partition(":")
    if not last:
        return
    corners = []
    for corner in (first, last):
        letters = corner.rstrip(_DIGITS)
        digits = corner[len(letters):]
        column = _column_index(letters)
        if column < 0 or not digits.isdigit():
            return
        corners.append((int(digits), column))
    rows = abs(corners[1][0] - corners[0][0]) + 1
    columns = abs(corners[1][1] - corners[0][1]) + 1
    if rows * columns > max_cells:
        raise Refused(ReadError(gettext_noop(
            "the sheet has %(rows)s rows × %(columns)s columns = %(cells)s cells, more than the limit of "
            "%(limit)s: split the file or export it as CSV", rows=rows, columns=columns, cells=rows * columns,
            limit=max_cells)))


def choose_sheet(names: list[str], sheet: str | int | None) -> str:
    """The sheet asked for (by 0-based index or name; default the first), or a ReadError listing the sheets."""
    if sheet is None:
        sheet = 0
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif sheet in names:
        return sheet
    raise ReadError(gettext_noop("no sheet %(sheet)s; the file has: %(sheets)s", sheet=repr(sheet),
                                 sheets=listing(names)))
