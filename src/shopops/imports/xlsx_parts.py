"""The parts of an xlsx the sheet reader needs before its rows, read within the limits: the zip's budget
(declared and inflated sizes, compression ratios), a DTD-free expat parser, the workbook (which sheet is where),
the styles (which cells hold dates) and the shared-strings table (the one part held whole). ``xlsx`` says why.
"""

from __future__ import annotations

import posixpath
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from shopops.core.text import gettext_noop
from shopops.imports.filetypes import ReadError, human_size

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


class Refused(Exception):
    """Raised inside expat callbacks; turned into a ReadError by the caller (expat would wrap nothing)."""

    def __init__(self, error: ReadError) -> None:
        super().__init__(error.text)
        self.error = error


# --------------------------------------------------------------------------------------------- zip parts


class Budget:
    """The bytes the parts read may still inflate to, shared by all parts of one workbook."""

    def __init__(self, limits: XlsxLimits) -> None:
        self.limits = limits
        self.left = limits.max_unpacked_bytes

    def refuse_declared(self, parts: list[zipfile.ZipInfo]) -> None:
        """The zip directory's own sizes, before a byte of these parts is inflated."""
        limit = self.limits.max_unpacked_bytes
        total = sum(info.file_size for info in parts)
        if total > self.left:
            raise ReadError(gettext_noop(
                "the xlsx unpacks to %(size)s, more than the limit of %(limit)s: export it as CSV",
                size=human_size(total + limit - self.left), limit=human_size(limit)))
        for info in parts:
            self._check_ratio(info, info.file_size)

    def _check_ratio(self, info: zipfile.ZipInfo, size: int) -> None:
        ratio = self.limits.max_ratio
        if size > _RATIO_FLOOR and size > ratio * max(info.compress_size, 1):
            shown = size // max(info.compress_size, 1)
            raise ReadError(gettext_noop(
                "%(part)s in the xlsx is compressed %(shown)s:1, more than the limit of %(ratio)s:1 "
                "(a zip bomb?): not an export", part=info.filename, shown=shown, ratio=ratio))

    def chunks(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The part's bytes as inflated, counted against the budget and the ratio as they come."""
        self.refuse_declared([info])
        read = 0
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > self.left:
                    limit = self.limits.max_unpacked_bytes
                    raise ReadError(gettext_noop(
                        "the xlsx unpacks to more than the limit of %(limit)s (%(part)s is bigger "
                        "than the zip directory says): export it as CSV", limit=human_size(limit), part=info.filename))
                self._check_ratio(info, read)
                yield chunk
        self.left -= read


def damaged(detail: str) -> ReadError:
    return ReadError(gettext_noop("the xlsx file is damaged: %(detail)s", detail=detail))


def parse_part(chunks: Iterator[bytes], parser: Any, part: str) -> Iterator[None]:
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
                raise ReadError(gettext_noop(
                    "%(part)s in the xlsx holds an XML tag, comment or instruction longer than "
                    "%(limit)s: not an export", part=part, limit=human_size(_MAX_TOKEN)))
            yield
        parser.Parse(b"", True)
        yield
    except Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        raise damaged(f"{part}: {expat.ErrorString(exc.code)} (line {exc.lineno})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        # a bad CRC, a truncated or encrypted member, an unknown compression method
        raise damaged(f"{part}: {exc}") from None


def _no_dtd() -> Callable[..., None]:
    def refuse(*_args: object) -> None:
        raise Refused(ReadError(gettext_noop("the xlsx holds a DTD or entity declarations: not an Excel file")))

    return refuse


def new_parser() -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    refuse = _no_dtd()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    return parser


def local_name(name: str) -> str:
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


def _small_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget,
                start: Callable[[str, dict[str, str]], None]) -> None:
    parser = new_parser()
    parser.StartElementHandler = lambda name, attrs: start(local_name(name), attrs)
    for _ in parse_part(budget.chunks(archive, info), parser, info.filename):
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


def read_workbook(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], budget: Budget) -> _Workbook:
    sheets: list[tuple[str, str]] = []
    flags = {"date1904": False}

    def on_workbook(name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            sheets.append((attrs.get("name", ""), _attr(attrs, "id") or ""))
        elif name == "workbookPr":
            flags["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    _small_part(archive, names["xl/workbook.xml"], budget, on_workbook)
    targets: dict[str, str] = {}
    by_type: dict[str, str] = {}

    def on_rels(name: str, attrs: dict[str, str]) -> None:
        if name == "Relationship" and attrs.get("TargetMode", "") != "External":
            target = _resolve("xl", attrs.get("Target", ""))
            targets[attrs.get("Id", "")] = target
            by_type.setdefault(attrs.get("Type", "").rpartition("/")[2], target)

    rels = names.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        _small_part(archive, rels, budget, on_rels)
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
DATE, DURATION = 1, 2


def number_format_kind(code: str) -> int:
    """0 (a number), DATE or DURATION for a custom number format, as python-calamine decides it: date/time
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
            return DURATION
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not ap and char in "aA":
            ap = True
        elif brackets == 0 and ((ap and char in "pm/PM") or (not ap and char in "dmhysDMHYS")):
            return DATE
        elif not (hms and char.lower() == prev.lower()):
            hms = prev == "[" and char in "mhsMHS"
        prev = char
    return 0


def read_styles(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, budget: Budget) -> dict[str, int]:
    """Cell style index (as written in ``s="…"``) → DATE or DURATION, for the date-formatted styles."""
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
                raise Refused(damaged("styles.xml: too many cell styles"))
            xf_formats.append(attrs.get("numFmtId", "0"))

    def on_end(name: str) -> None:
        if local_name(name) == "cellXfs":
            where["cellXfs"] = False

    parser = new_parser()
    parser.StartElementHandler = lambda name, attrs: on_start(local_name(name), attrs)
    parser.EndElementHandler = on_end
    for _ in parse_part(budget.chunks(archive, info), parser, info.filename):
        pass
    kinds: dict[str, int] = {}
    for index, fmt in enumerate(xf_formats):
        kind = custom.get(fmt)
        if kind is None:
            number = int(fmt) if fmt.isdigit() else -1
            kind = DATE if number in _BUILTIN_DATES else DURATION if number in _BUILTIN_DURATIONS else 0
        if kind:
            kinds[str(index)] = kind
    return kinds


EXCEL_MAX_CELL_STYLES = 65_490  # Excel's own limit of cell formats in a workbook


# ---------------------------------------------------------------------------------------- shared strings


def read_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, budget: Budget,
                         limits: XlsxLimits) -> list[str]:
    """The shared-strings table: the one part held whole, so its entries and memory are counted."""
    if info is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"collect": False, "phonetic": 0, "chars": 0, "memory": 0}
    getsizeof = sys.getsizeof

    def on_start(name: str, attrs: dict[str, str]) -> None:
        name = local_name(name)
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
                raise Refused(_too_many_strings(int(declared), limits))

    def on_end(name: str) -> None:
        name = local_name(name)
        if name == "t":
            state["collect"] = False
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == "si":
            text = parts[0] if len(parts) == 1 else "".join(parts)
            if len(strings) >= limits.max_strings:
                raise Refused(_too_many_strings(len(strings) + 1, limits))
            state["memory"] += getsizeof(text) + 8
            if state["memory"] > limits.max_strings_bytes:
                raise Refused(_strings_too_big(limits))
            strings.append(text)

    def on_text(data: str) -> None:
        if state["collect"]:
            state["chars"] += len(data)
            if state["chars"] > EXCEL_MAX_CELL_CHARS:
                raise Refused(too_long(f"#{len(strings) + 1}"))
            parts.append(data)

    parser = new_parser()
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    for _ in parse_part(budget.chunks(archive, info), parser, info.filename):
        pass
    return strings


def _too_many_strings(count: int, limits: XlsxLimits) -> ReadError:
    return ReadError(gettext_noop("the xlsx's shared-strings table has %(count)s or more entries, more than the "
                                  "limit of %(limit)s: export it as CSV", count=count, limit=limits.max_strings))


def _strings_too_big(limits: XlsxLimits) -> ReadError:
    return ReadError(gettext_noop("the xlsx's shared-strings table needs more than %(limit)s of memory: export it "
                                  "as CSV", limit=human_size(limits.max_strings_bytes)))


def too_long(where: str) -> ReadError:
    return ReadError(gettext_noop("text %(where)s in the xlsx is longer than %(limit)s characters (Excel's own "
                                  "limit): not an export", where=where, limit=EXCEL_MAX_CELL_CHARS))
