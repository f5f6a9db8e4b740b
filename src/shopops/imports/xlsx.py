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
import posixpath
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from .filetypes import ReadError, human_size

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767
_CHUNK = 1024 * 1024
_RATIO_FLOOR = 1024 * 1024  # a part smaller than this may compress as well as it likes
_MAX_TOKEN = 4 * 1024 * 1024  # one XML tag, comment or instruction (real ones are a few hundred bytes)


@dataclass(frozen=True, slots=True)
class XlsxLimits:
    """What an xlsx may cost; every value is configurable (``readers.ReadLimits`` carries them).

    ``max_unpacked_bytes``: the parts read (workbook, styles, shared strings, the sheet), declared and actually
    inflated. ``max_ratio``: uncompressed ÷ compressed size of a part (real exports stay far below 100:1).
    ``max_cells``: cells of the sheet (its ``<dimension>`` rows × columns before reading, the cells read while
    reading). ``max_strings`` and ``max_strings_bytes``: entries of the shared-strings table and the memory
    they take (the one part held in memory whole).
    """

    max_unpacked_bytes: int = 1024**3
    max_ratio: int = 100
    max_cells: int = 4_000_000  # 100,000 rows × 40 columns; a full sheet of that many cells imports in < 500 MB
    max_strings: int = 2_000_000
    max_strings_bytes: int = 128 * 1024**2


class _Refused(Exception):
    """Raised inside expat callbacks; turned into a ReadError by the caller (expat would wrap nothing)."""

    def __init__(self, error: ReadError) -> None:
        super().__init__(error.message_en)
        self.error = error


# --------------------------------------------------------------------------------------------- zip parts


class _Budget:
    """The bytes the parts read may still inflate to, shared by all parts of one workbook."""

    def __init__(self, limits: XlsxLimits, language: str) -> None:
        self.limits = limits
        self.language = language
        self.left = limits.max_unpacked_bytes

    def refuse_declared(self, parts: list[zipfile.ZipInfo]) -> None:
        """The zip directory's own sizes, before a byte of these parts is inflated."""
        limit = self.limits.max_unpacked_bytes
        total = sum(info.file_size for info in parts)
        if total > self.left:
            raise ReadError(
                f"xlsx 解压后有 {human_size(total + limit - self.left)}，超过上限 {human_size(limit)}：请导出为 CSV",
                f"the xlsx unpacks to {human_size(total + limit - self.left)}, more than the limit of "
                f"{human_size(limit)}: export it as CSV", language=self.language)
        for info in parts:
            self._check_ratio(info, info.file_size)

    def _check_ratio(self, info: zipfile.ZipInfo, size: int) -> None:
        ratio = self.limits.max_ratio
        if size > _RATIO_FLOOR and size > ratio * max(info.compress_size, 1):
            shown = size // max(info.compress_size, 1)
            raise ReadError(
                f"xlsx 中的 {info.filename} 压缩比为 {shown}:1，超过上限 {ratio}:1（疑似压缩炸弹）：不是正常的导出文件",
                f"{info.filename} in the xlsx is compressed {shown}:1, more than the limit of {ratio}:1 "
                "(a zip bomb?): not an export", language=self.language)

    def chunks(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The part's bytes as inflated, counted against the budget and the ratio as they come."""
        self.refuse_declared([info])
        read = 0
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > self.left:
                    limit = self.limits.max_unpacked_bytes
                    raise ReadError(
                        f"xlsx 解压后超过上限 {human_size(limit)}（{info.filename} 比 zip 目录声明的更大）：请导出为 CSV",
                        f"the xlsx unpacks to more than the limit of {human_size(limit)} ({info.filename} is bigger "
                        "than the zip directory says): export it as CSV", language=self.language)
                self._check_ratio(info, read)
                yield chunk
        self.left -= read


def _damaged(detail: str, language: str) -> ReadError:
    return ReadError(f"xlsx 文件损坏，无法读取：{detail}", f"the xlsx file is damaged: {detail}", language=language)


def _parse(chunks: Iterator[bytes], parser: Any, part: str, language: str) -> Iterator[None]:
    """Feed ``parser`` chunk by chunk; yields after each chunk so the caller can drain what it produced.

    expat holds an unfinished tag, comment or processing instruction whole until it ends: bytes fed past the
    last parse event are that token, and one longer than _MAX_TOKEN is refused (text is handed over as it
    comes, so a long text is no token)."""
    fed = 0
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - parser.CurrentByteIndex > _MAX_TOKEN:
                raise ReadError(
                    f"xlsx 的 {part} 中有一个超过 {human_size(_MAX_TOKEN)} 的 XML 标签、注释或指令：不是正常的导出文件",
                    f"{part} in the xlsx holds an XML tag, comment or instruction longer than "
                    f"{human_size(_MAX_TOKEN)}: not an export", language=language)
            yield
        parser.Parse(b"", True)
        yield
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        raise _damaged(f"{part}: {expat.ErrorString(exc.code)} (line {exc.lineno})", language) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        # a bad CRC, a truncated or encrypted member, an unknown compression method
        raise _damaged(f"{part}: {exc}", language) from None


def _no_dtd(language: str) -> Callable[..., None]:
    def refuse(*_args: object) -> None:
        raise _Refused(ReadError("xlsx 含有 DTD/实体声明：不是正常的 Excel 文件",
                                 "the xlsx holds a DTD or entity declarations: not an Excel file", language=language))

    return refuse


def _new_parser(language: str) -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    refuse = _no_dtd(language)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    return parser


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by its local name, whatever its prefix (``r:id``, ``ns1:id``)."""
    value = attrs.get(local)
    if value is not None:
        return value
    for key, found in attrs.items():
        if key.endswith(":" + local):
            return found
    return None


def _small_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, language: str,
                start: Callable[[str, dict[str, str]], None]) -> None:
    parser = _new_parser(language)
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    for _ in _parse(budget.chunks(archive, info), parser, info.filename, language):
        pass


# --------------------------------------------------------------------------------------------- workbook


@dataclass(slots=True)
class _Workbook:
    sheets: list[tuple[str, str]]  # (name, part path) in workbook order
    date1904: bool
    shared_strings: str | None
    styles: str | None


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def _read_workbook(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], budget: _Budget,
                   language: str) -> _Workbook:
    sheets: list[tuple[str, str]] = []
    flags = {"date1904": False}

    def on_workbook(name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            sheets.append((attrs.get("name", ""), _attr(attrs, "id") or ""))
        elif name == "workbookPr":
            flags["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    _small_part(archive, names["xl/workbook.xml"], budget, language, on_workbook)
    targets: dict[str, str] = {}
    by_type: dict[str, str] = {}

    def on_rels(name: str, attrs: dict[str, str]) -> None:
        if name == "Relationship" and attrs.get("TargetMode", "") != "External":
            target = _resolve("xl", attrs.get("Target", ""))
            targets[attrs.get("Id", "")] = target
            by_type.setdefault(attrs.get("Type", "").rpartition("/")[2], target)

    rels = names.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        _small_part(archive, rels, budget, language, on_rels)
    listed = [(name, targets.get(rel_id) or f"xl/worksheets/sheet{index + 1}.xml")
              for index, (name, rel_id) in enumerate(sheets)]

    def part(kind: str, default: str) -> str | None:
        path = by_type.get(kind, default)
        return path if path.lower() in names else None

    return _Workbook(listed, flags["date1904"], part("sharedStrings", "xl/sharedStrings.xml"),
                     part("styles", "xl/styles.xml"))


# ------------------------------------------------------------------------------------------------ styles

_BUILTIN_DATES = {*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)}  # 27-36, 50-58: CJK date formats
_BUILTIN_DURATIONS = {46}
_DATE, _DURATION = 1, 2


def number_format_kind(code: str) -> int:
    """0 (a number), _DATE or _DURATION for a custom number format, as python-calamine decides it: date/time
    letters outside quotes, escapes and brackets in the first section; ``[h]``, ``[m]``, ``[s]`` make a
    duration."""
    escaped = quoted = ap = hms = False
    brackets = 0
    prev = " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return 0
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and hms:
            return _DURATION
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not ap and char in "aA":
            ap = True
        elif brackets == 0 and ((ap and char in "pm/PM") or (not ap and char in "dmhysDMHYS")):
            return _DATE
        elif not (hms and char.lower() == prev.lower()):
            hms = prev == "[" and char in "mhsMHS"
        prev = char
    return 0


def _read_styles(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, budget: _Budget,
                 language: str) -> dict[str, int]:
    """Cell style index (as written in ``s="…"``) → _DATE or _DURATION, for the date-formatted styles."""
    if info is None:
        return {}
    custom: dict[str, int] = {}
    xf_formats: list[str] = []
    where = {"cellXfs": False}

    def on_start(name: str, attrs: dict[str, str]) -> None:
        if name == "numFmt":
            custom[attrs.get("numFmtId", "")] = number_format_kind(attrs.get("formatCode", ""))
        elif name == "cellXfs":
            where["cellXfs"] = True
        elif name == "xf" and where["cellXfs"]:
            if len(xf_formats) >= EXCEL_MAX_CELL_STYLES:
                raise _Refused(_damaged("styles.xml: too many cell styles", language))
            xf_formats.append(attrs.get("numFmtId", "0"))

    def on_end(name: str) -> None:
        if _local(name) == "cellXfs":
            where["cellXfs"] = False

    parser = _new_parser(language)
    parser.StartElementHandler = lambda name, attrs: on_start(_local(name), attrs)
    parser.EndElementHandler = on_end
    for _ in _parse(budget.chunks(archive, info), parser, info.filename, language):
        pass
    kinds: dict[str, int] = {}
    for index, fmt in enumerate(xf_formats):
        kind = custom.get(fmt)
        if kind is None:
            number = int(fmt) if fmt.isdigit() else -1
            kind = _DATE if number in _BUILTIN_DATES else _DURATION if number in _BUILTIN_DURATIONS else 0
        if kind:
            kinds[str(index)] = kind
    return kinds


EXCEL_MAX_CELL_STYLES = 65_490  # Excel's own limit of cell formats in a workbook


# ---------------------------------------------------------------------------------------- shared strings


def _read_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, budget: _Budget,
                         limits: XlsxLimits, language: str) -> list[str]:
    """The shared-strings table: the one part held whole, so its entries and memory are counted."""
    if info is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"collect": False, "phonetic": 0, "chars": 0, "memory": 0}
    getsizeof = sys.getsizeof

    def too_many(count: int) -> ReadError:
        return ReadError(f"xlsx 的共享字符串表有 {count} 项以上，超过上限 {limits.max_strings}：请导出为 CSV",
                         f"the xlsx's shared-strings table has {count} or more entries, more than the limit of "
                         f"{limits.max_strings}: export it as CSV", language=language)

    def on_start(name: str, attrs: dict[str, str]) -> None:
        name = _local(name)
        if name == "t":
            state["collect"] = not state["phonetic"]
        elif name == "rPh":
            state["phonetic"] += 1
        elif name == "si":
            parts.clear()
            state["chars"] = 0
        elif name == "sst":
            declared = attrs.get("uniqueCount") or attrs.get("count") or ""
            if declared.isdigit() and int(declared) > limits.max_strings:
                raise _Refused(too_many(int(declared)))

    def on_end(name: str) -> None:
        name = _local(name)
        if name == "t":
            state["collect"] = False
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == "si":
            text = parts[0] if len(parts) == 1 else "".join(parts)
            if len(strings) >= limits.max_strings:
                raise _Refused(too_many(len(strings) + 1))
            state["memory"] += getsizeof(text) + 8
            if state["memory"] > limits.max_strings_bytes:
                raise _Refused(ReadError(
                    f"xlsx 的共享字符串表需要超过 {human_size(limits.max_strings_bytes)} 内存：请导出为 CSV",
                    f"the xlsx's shared-strings table needs more than {human_size(limits.max_strings_bytes)} "
                    "of memory: export it as CSV", language=language))
            strings.append(text)

    def on_text(data: str) -> None:
        if state["collect"]:
            state["chars"] += len(data)
            if state["chars"] > EXCEL_MAX_CELL_CHARS:
                raise _Refused(_too_long(f"#{len(strings) + 1}", language))
            parts.append(data)

    parser = _new_parser(language)
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    for _ in _parse(budget.chunks(archive, info), parser, info.filename, language):
        pass
    return strings


def _too_long(where: str, language: str) -> ReadError:
    return ReadError(f"xlsx 的文本 {where} 超过 {EXCEL_MAX_CELL_CHARS} 个字符（Excel 的上限）：不是正常的导出文件",
                     f"text {where} in the xlsx is longer than {EXCEL_MAX_CELL_CHARS} characters (Excel's own "
                     "limit): not an export", language=language)


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
        if kind == _DURATION:
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

    def __init__(self, path: str, *, sheet: str | int | None = None, limits: XlsxLimits = XlsxLimits(),
                 language: str = "zh") -> None:
        self.language = language
        self.limits = limits
        self.keep_columns = EXCEL_MAX_COLUMNS
        self.cells_read = 0
        try:
            self._archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _damaged(str(exc), language) from None
        try:
            self._open(sheet)
        except Exception:
            self._archive.close()
            raise

    def _open(self, sheet: str | int | None) -> None:
        language = self.language
        names = {info.filename.lower(): info for info in self._archive.infolist()}
        if "xl/workbook.xml" not in names:
            raise _damaged("xl/workbook.xml is missing", language)
        self._budget = budget = _Budget(self.limits, language)
        workbook = _read_workbook(self._archive, names, budget, language)
        sheet_names = [name for name, _path in workbook.sheets]
        self.name = choose_sheet(sheet_names, sheet, language)
        sheet_path = dict(workbook.sheets)[self.name]
        info = names.get(sheet_path.lower())
        if info is None:
            raise _damaged(f"{sheet_path} is missing", language)
        self._sheet_info = info
        strings_info = names.get(workbook.shared_strings.lower()) if workbook.shared_strings else None
        styles_info = names.get(workbook.styles.lower()) if workbook.styles else None
        # before reading anything big: what the zip directory declares for everything still to read
        budget.refuse_declared([i for i in (styles_info, strings_info, info) if i is not None])
        self._date_kinds = _read_styles(self._archive, styles_info, budget, language)
        self._strings = _read_shared_strings(self._archive, strings_info, budget, self.limits, language)
        self._date1904 = workbook.date1904

    def close(self) -> None:
        self._strings = []
        self._archive.close()

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """(Excel row number, cells from column A) for each row holding a value; empty cells are ``""`` and
        a row may be shorter than the table (trailing empty cells are left out)."""
        language = self.language
        max_cells = self.limits.max_cells
        strings, date_kinds, date1904 = self._strings, self._date_kinds, self._date1904
        n_strings = len(strings)
        local_names: dict[str, str] = {}
        columns: dict[str, int] = {}
        out: list[tuple[int, list[object]]] = []
        row: list[object] = []
        sheet = self
        # The parser's state lives in closure variables, the fastest to reach from expat's callbacks (this is
        # the hot path: five to seven callbacks per cell).
        row_number = rows_seen = cells = slots = phonetic = 0
        column = -1
        keep = self.keep_columns
        cell_type: str | None = None
        style: str | None = None
        text: str | None = None
        collect = False

        def where() -> str:
            return _cell_name(column, row_number)

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_number, rows_seen, cells, phonetic, column, keep, cell_type, style, text, collect
            if name == "c":
                cells += 1
                if cells > max_cells:
                    raise _Refused(_too_many_cells(cells, row_number, max_cells, language))
                ref = attrs.get("r")
                if ref is None:
                    column += 1
                else:
                    letters = ref.rstrip(_DIGITS)
                    found = columns.get(letters)
                    if found is None:
                        found = _column_index(letters)
                        if found < 0:
                            raise _Refused(_out_of_sheet(ref, row_number, language))
                        columns[letters] = found
                    column = found
                if column >= EXCEL_MAX_COLUMNS:
                    raise _Refused(_out_of_sheet(where(), row_number, language))
                cell_type = attrs.get("t")
                style = attrs.get("s")
                text = None
            elif name == "v":
                collect = True
            elif name == "t":
                collect = not phonetic
            elif name == "is":
                pass
            elif name == "row":
                number = attrs.get("r")
                if number is None:
                    found = row_number + 1
                else:
                    found = int(number) if number.isdigit() else -1
                rows_seen += 1
                if not 1 <= found <= EXCEL_MAX_ROWS or rows_seen > EXCEL_MAX_ROWS:
                    raise _Refused(_out_of_sheet(f"row {number or found}", row_number, language))
                row_number = found
                column = -1
                keep = sheet.keep_columns
                row.clear()
            elif name == "rPh":
                phonetic += 1
            elif name == "dimension":
                _check_dimension(attrs.get("ref", ""), max_cells, language)
            else:
                plain = local_names.get(name)
                if plain is None:
                    plain = local_names[name] = _local(name)
                if plain != name:
                    start(plain, attrs)

        def end(name: str) -> None:
            nonlocal phonetic, collect, slots
            if name == "c":
                if text is None or column >= keep:
                    return
                value: object
                if cell_type is None or cell_type == "n":
                    try:
                        value = float(text)
                    except ValueError:
                        raise _Refused(_bad_cell(where(), text, language)) from None
                    if style is not None:
                        date_kind = date_kinds.get(style)
                        if date_kind:
                            value = excel_date(value, date_kind, date1904)  # type: ignore[arg-type]
                elif cell_type == "s":
                    index = int(text) if text.isdigit() else -1
                    if not 0 <= index < n_strings:
                        raise _Refused(_bad_cell(where(), text, language))
                    value = strings[index]
                elif cell_type == "b":
                    value = text.strip() in ("1", "true")
                elif cell_type == "e":
                    return
                elif cell_type == "d":
                    try:
                        value = dt.datetime.fromisoformat(text.strip())
                    except ValueError:
                        value = text
                else:  # inlineStr, str (a formula's text)
                    value = text
                size = len(row)
                if column == size:
                    row.append(value)
                elif column > size:
                    row.extend([""] * (column - size))
                    row.append(value)
                else:
                    row[column] = value
            elif name == "v" or name == "t":
                collect = False
            elif name == "is":
                pass
            elif name == "row":
                if row:
                    slots += len(row)  # the cells this row takes in memory, empty ones between values too
                    if slots > max_cells:
                        raise _Refused(_too_many_slots(row_number, max_cells, language))
                    out.append((row_number, row[:]))
            elif name == "rPh":
                phonetic -= 1
            else:
                plain = local_names.get(name)
                if plain is None:
                    plain = local_names[name] = _local(name)
                if plain != name:
                    end(plain)

        def characters(data: str) -> None:
            nonlocal text
            if collect:
                if text is None:
                    text = data
                else:
                    text += data
                if len(text) > EXCEL_MAX_CELL_CHARS:
                    raise _Refused(_too_long(where(), language))

        parser = _new_parser(language)
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        chunks = self._budget.chunks(self._archive, self._sheet_info)
        try:
            for _ in _parse(chunks, parser, self._sheet_info.filename, language):
                if out:
                    yield from out
                    out.clear()
        finally:
            self.cells_read = cells
            chunks.close()


def _cell_name(column: int, row: int) -> str:
    column += 1
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _bad_cell(where: str, text: str, language: str) -> ReadError:
    return _damaged(f"cell {where} holds {text[:40]!r}, not a value of its type", language)


def _too_many_cells(cells: int, row: int, limit: int, language: str) -> ReadError:
    return ReadError(f"工作表超过 {limit} 个单元格（读到第 {row} 行时已有 {cells} 个）：请拆分文件或导出为 CSV",
                     f"the sheet has more than {limit} cells ({cells} by row {row}): split the file or export it "
                     "as CSV", language=language)


def _too_many_slots(row: int, limit: int, language: str) -> ReadError:
    return ReadError(f"工作表的行 × 列超过 {limit} 个单元格（到第 {row} 行为止）：请拆分文件或导出为 CSV",
                     f"the sheet's rows × columns come to more than {limit} cells (by row {row}): split the file "
                     "or export it as CSV", language=language)


def _out_of_sheet(ref: str, row: int, language: str) -> ReadError:
    return ReadError(f"xlsx 中第 {row} 行之后有超出 Excel 工作表范围的位置 {ref[:40]!r}（最多 {EXCEL_MAX_ROWS} 行 × "
                     f"{EXCEL_MAX_COLUMNS} 列）：不是正常的导出文件",
                     f"the xlsx has a position {ref[:40]!r} outside an Excel sheet (at most {EXCEL_MAX_ROWS} rows × "
                     f"{EXCEL_MAX_COLUMNS} columns) after row {row}: not an export", language=language)


def _check_dimension(ref: str, max_cells: int, language: str) -> None:
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
        raise _Refused(ReadError(
            f"工作表有 {rows} 行 × {columns} 列 = {rows * columns} 个单元格，超过上限 {max_cells}：请拆分文件或导出为 CSV",
            f"the sheet has {rows} rows × {columns} columns = {rows * columns} cells, more than the limit of "
            f"{max_cells}: split the file or export it as CSV", language=language))


def choose_sheet(names: list[str], sheet: str | int | None, language: str) -> str:
    """The sheet asked for (by 0-based index or name; default the first), or a ReadError listing the sheets."""
    if sheet is None:
        sheet = 0
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif sheet in names:
        return sheet
    listed = "、".join(names)
    raise ReadError(f"找不到工作表 {sheet!r}；文件中有：{listed}", f"no sheet {sheet!r}; the file has: {', '.join(names)}",
                    language=language)
