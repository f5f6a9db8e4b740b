"""Hostile but valid xlsx files for the reader tests: sheets whose XML inflates far beyond the file, written in
seconds (one compressed block repeated, as a zip bomb is built), and zips whose directory lies about sizes."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="订单" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')


@dataclass
class Part:
    """A zip member as raw deflate pieces; ``declared_size`` is what the zip directory says (a lie if set)."""

    name: str
    pieces: Iterable[bytes]
    crc: int
    size: int
    compressed_size: int
    declared_size: int | None = None


def deflated(name: str, data: bytes | str) -> Part:
    raw = data.encode() if isinstance(data, str) else data
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = compressor.compress(raw) + compressor.flush()
    return Part(name, [body], zlib.crc32(raw), len(raw), len(body))


def repeated(name: str, head: bytes, block: bytes, repeats: int, tail: bytes, *,
             declared_size: int | None = None) -> Part:
    """``head + block × repeats + tail``, deflated with a full flush after each block: every block compresses
    to the same bytes, so a file of gigabytes unpacked is written in seconds. The smaller the block, the lower
    the compression ratio (4 KiB ≈ 60:1, 64 KiB ≈ 200:1)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH) == again
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)

    def pieces() -> Iterable[bytes]:
        yield first
        for _ in range(repeats):
            yield again
        yield last

    size = len(head) + len(block) * repeats + len(tail)
    # the block was compressed three times above: the stream holds `first`, `again` × (repeats) and `last`
    return Part(name, pieces(), crc, size, len(first) + len(again) * repeats + len(last), declared_size)


def write_zip(path: Path, parts: Sequence[Part]) -> Path:
    """A plain zip (deflate, no zip64) with exactly the sizes and CRCs given: the directory may lie."""
    directory = b""
    with path.open("wb") as out:
        for part in parts:
            name = part.name.encode()
            offset = out.tell()
            size = part.size if part.declared_size is None else part.declared_size
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, part.crc,
                                  part.compressed_size, size, len(name), 0) + name)
            for piece in part.pieces:
                out.write(piece)
            directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, part.crc,
                                     part.compressed_size, size, len(name), 0, 0, 0, 0, 0, offset) + name
        start = out.tell()
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), start, 0))
    return path


def inline_row(number: int, values: Sequence[str]) -> bytes:
    cells = "".join(f'<c r="{_letters(i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'.encode()


def _letters(index: int) -> str:
    index += 1
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def sheet_head(header: Sequence[str], *, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}<sheetData>').encode() + \
        inline_row(1, header)


SHEET_TAIL = b"</sheetData></worksheet>"


def bomb_xlsx(path: Path, header: Sequence[str], *, unpacked: int, block_bytes: int = 65536, columns: int = 16,
              cell: bytes = b"<c><v>1</v></c>", declared_size: int | None = None, strings: str = "") -> Path:
    """An xlsx whose first row is ``header`` followed by rows of ``columns`` cells (by default holding 1; no
    ``r`` attributes: valid, and as repetitive as it gets) until the sheet XML is about ``unpacked`` bytes."""
    unit = b"<row>" + cell * columns + b"</row>"
    block = unit * max(1, block_bytes // len(unit))
    head = sheet_head(header)
    repeats = max(1, (unpacked - len(head)) // len(block))
    sheet = repeated("xl/worksheets/sheet1.xml", head, block, repeats, SHEET_TAIL, declared_size=declared_size)
    parts = [deflated("[Content_Types].xml", CONTENT_TYPES), deflated("_rels/.rels", ROOT_RELS),
             deflated("xl/workbook.xml", WORKBOOK), deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
             sheet]
    if strings:
        parts.append(deflated("xl/sharedStrings.xml", strings))
    return write_zip(path, parts)


def sheet_xlsx(path: Path, sheet_xml: str | bytes, *, strings: str = "", styles: str = "") -> Path:
    """An xlsx with exactly this sheet XML (and shared strings / styles when given)."""
    parts = [deflated("[Content_Types].xml", CONTENT_TYPES), deflated("_rels/.rels", ROOT_RELS),
             deflated("xl/workbook.xml", WORKBOOK), deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
             deflated("xl/worksheets/sheet1.xml", sheet_xml)]
    if strings:
        parts.append(deflated("xl/sharedStrings.xml", strings))
    if styles:
        parts.append(deflated("xl/styles.xml", styles))
    return write_zip(path, parts)


def sheet_of(rows_xml: str, *, dimension: str | None = None, prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{dim}<sheetData>{rows_xml}'
            "</sheetData></worksheet>")


def strings_bomb_xlsx(path: Path, header: Sequence[str], *, entries: int) -> Path:
    """A small sheet whose shared-strings table holds ``entries`` short strings (no count declared), compressed
    less than 100:1 (small blocks)."""
    block = b"<si><t>ab</t></si>" * 200
    strings = repeated("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode(),
                       block, max(1, entries // 200), b"</sst>")
    sheet = sheet_head(header) + SHEET_TAIL
    return write_zip(path, [deflated("[Content_Types].xml", CONTENT_TYPES), deflated("_rels/.rels", ROOT_RELS),
                            deflated("xl/workbook.xml", WORKBOOK), deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                            deflated("xl/worksheets/sheet1.xml", sheet), strings])


def table_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """A plain xlsx of text cells, written the way many exporters do (inline strings, one row at a time)."""
    chunks = [sheet_head(header)]
    for number, values in enumerate(rows, start=2):
        chunks.append(inline_row(number, values))
    chunks.append(SHEET_TAIL)
    return write_zip(path, [deflated("[Content_Types].xml", CONTENT_TYPES), deflated("_rels/.rels", ROOT_RELS),
                            deflated("xl/workbook.xml", WORKBOOK), deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                            deflated("xl/worksheets/sheet1.xml", b"".join(chunks))])


def repeated_sheet_xlsx(path: Path, head: bytes, block: bytes, repeats: int, tail: bytes) -> Path:
    """An xlsx whose sheet XML is ``head + block × repeats + tail`` (written in seconds at any size)."""
    sheet = repeated("xl/worksheets/sheet1.xml", head, block, repeats, tail)
    return write_zip(path, [deflated("[Content_Types].xml", CONTENT_TYPES), deflated("_rels/.rels", ROOT_RELS),
                            deflated("xl/workbook.xml", WORKBOOK), deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                            sheet])
