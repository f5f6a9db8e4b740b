"""What an uploaded file is, before a row is read: its kind (by content) and its text encoding.

Operators upload GBK CSV or xlsx (docs/rules/platforms.md#file-encodings), sometimes a file that is neither.

* **Recognise by content, never by extension** (:func:`sniff`): only the first 64 KiB are read (plus the
  zip directory or the parquet footer), so a 2 GB file that is not a table is refused in milliseconds.
* **Encoding rule** (:func:`detect_encoding`): UTF-8 BOM → ``utf-8-sig``; samples from the start, the
  middle and the end all valid UTF-8 → ``utf-8``; else all valid GB18030 (a superset of GBK and GB2312)
  → ``gb18030``, unless charset-normalizer is sure it is another CJK code page (Big5, Shift-JIS, EUC-KR),
  which would decode as GB18030 into nonsense; anything else (UTF-16, Latin-1, binary) is refused.

Refusals raise :class:`ReadError` (an ``InvalidInput``) whose message is an English ``core.text.Text``: the
face that shows it says it in the user's language (``core.i18n.say``).
"""

from __future__ import annotations

import codecs
import os
import zipfile
from dataclasses import dataclass
from enum import StrEnum

from shopops.core.errors import FieldError, InvalidInput
from shopops.core.text import Text, gettext_noop

SNIFF_BYTES = 64 * 1024
_GB_FAMILY = {"gb18030", "gbk", "gb2312", "hz", "cp936"}
_FOREIGN_CJK = {"big5", "big5hkscs", "cp950", "shift_jis", "cp932", "shift_jis_2004", "shift_jisx0213",
                "euc_jp", "euc_jis_2004", "euc_jisx0213", "euc_kr", "cp949", "johab", "iso2022_jp", "iso2022_kr"}


class FileKind(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"
    UNKNOWN = "unknown"


class ReadError(InvalidInput):
    """A file that cannot be read as a table; nothing was imported. ``detail`` (and each error's message) is an
    English ``Text`` that the face says in the user's language."""

    def __init__(self, message: Text, errors: list[FieldError] | None = None) -> None:
        super().__init__(message, errors)
        self.text = message


def human_size(size: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


# ------------------------------------------------------------------------------------------------ sniff


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What a file is, and for an unknown file why it is not a table (an English ``Text``)."""

    kind: FileKind
    size: int
    reason: Text = Text("")


_OTHER_MAGIC: tuple[tuple[bytes, Text], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     gettext_noop("an old Excel (.xls) or other Office binary file: save it as .xlsx or CSV")),
    (b"\x1f\x8b", gettext_noop("a gzip archive: unpack it first")),
    (b"%PDF", gettext_noop("a PDF document")),
    (b"\x89PNG", gettext_noop("a PNG image")),
    (b"\xff\xd8\xff", gettext_noop("a JPEG image")),
    (b"Rar!", gettext_noop("a RAR archive: unpack it first")),
    (b"7z\xbc\xaf", gettext_noop("a 7z archive: unpack it first")),
)
_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_MARKUP_STARTS = (b"<html", b"<!doctype", b"<?xml", b"<table", b"<head", b"<meta")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def sniff(path: str | os.PathLike[str]) -> FileKind:
    """csv | xlsx | parquet | unknown, from magic bytes and a text check on the first 64 KiB."""
    return sniff_detail(path).kind


def sniff_detail(path: str | os.PathLike[str]) -> Sniffed:
    """:func:`sniff` with the reason an unknown file was not recognised, for the refusal message."""
    size = os.stat(path).st_size
    if size == 0:
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop("the file is empty"))
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
        if head.startswith(b"PAR1"):
            handle.seek(-4, os.SEEK_END)
            if size >= 12 and handle.read(4) == b"PAR1":
                return Sniffed(FileKind.PARQUET, size)
            return Sniffed(FileKind.UNKNOWN, size, gettext_noop("a truncated parquet file"))
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path, size)
    for magic, reason in _OTHER_MAGIC:
        if head.startswith(magic):
            return Sniffed(FileKind.UNKNOWN, size, reason)
    if head.startswith(_UTF16_BOMS):
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop("UTF-16/UTF-32 text: save it as a UTF-8 or GBK CSV"))
    if b"\x00" in head:
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop("binary data (NUL bytes), not a table"))
    if head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:9].lower().startswith(_MARKUP_STARTS):
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop(
            "an HTML/XML page (often a renamed “xls”): open it in Excel and save as .xlsx"))
    final = size <= SNIFF_BYTES
    if not (_decodes(head, "utf-8", final) or _decodes(head, "gb18030", final)):
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop("not text in UTF-8 or GBK/GB18030"))
    controls = sum(head.count(b) for b in _CONTROL_BYTES)
    if controls > len(head) // 100:
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop("binary data (control characters)"))
    return Sniffed(FileKind.CSV, size)


def _sniff_zip(path: str | os.PathLike[str], size: int) -> Sniffed:
    """A zip is an xlsx only if it holds ``xl/workbook.xml``; reads the central directory only."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop("a damaged zip/xlsx file"))
    if "xl/workbook.xml" in names:
        return Sniffed(FileKind.XLSX, size)
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        return Sniffed(FileKind.UNKNOWN, size, gettext_noop("a Word/PowerPoint file, not a table"))
    return Sniffed(FileKind.UNKNOWN, size, gettext_noop("a zip archive: unpack the CSV/xlsx first"))


# --------------------------------------------------------------------------------------------- encoding


def _decodes(data: bytes, encoding: str, final: bool) -> bool:
    """Whether ``data`` is valid ``encoding``; a sequence cut at the end of a sample is fine."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final)
    except UnicodeDecodeError:
        return False
    return True


def _samples(path: str | os.PathLike[str], size: int, sample_bytes: int) -> list[tuple[bytes, bool]]:
    """Up to three samples (start, middle, end), each starting at a line start: no split characters.

    A newline byte never occurs inside a UTF-8 or GB18030 multi-byte sequence, so cutting after one is safe.
    """
    samples: list[tuple[bytes, bool]] = []
    with open(path, "rb") as handle:
        head = handle.read(sample_bytes)
        samples.append((head, size <= sample_bytes))
        for start in (size // 2, size - sample_bytes):
            if start <= sample_bytes:
                continue
            handle.seek(start)
            chunk = handle.read(sample_bytes)
            newline = chunk.find(b"\n")
            if newline >= 0:
                samples.append((chunk[newline + 1 :], start + len(chunk) >= size))
    return samples


def detect_encoding(path: str | os.PathLike[str], *, sample_bytes: int = SNIFF_BYTES) -> str:
    """``utf-8-sig``, ``utf-8`` or ``gb18030`` (module doc: the encoding rule); ReadError otherwise."""
    size = os.stat(path).st_size
    samples = _samples(path, size, sample_bytes)
    head = samples[0][0]
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):
        raise ReadError(gettext_noop("the file is UTF-16/UTF-32: save it as a UTF-8 or GBK CSV"))
    if all(_decodes(data, "utf-8", final) for data, final in samples):
        return "utf-8"
    if all(_decodes(data, "gb18030", final) for data, final in samples):
        other = _foreign_cjk_guess(head)
        if other:
            raise ReadError(gettext_noop("the file looks like %(encoding)s (Traditional Chinese/Japanese/Korean), "
                                         "not GBK: save it as a UTF-8 CSV", encoding=other))
        return "gb18030"
    raise ReadError(gettext_noop("unknown encoding: neither UTF-8 nor GBK/GB18030; save the file as a UTF-8 CSV"))


def _foreign_cjk_guess(sample: bytes) -> str | None:
    """charset-normalizer's guess when it is clearly a non-GB CJK code page, else None.

    Big5 or Shift-JIS bytes are mostly valid GB18030 too, and would import as nonsense characters.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - optional dependency
        return None
    matches = from_bytes(sample[: 16 * 1024])
    best = matches.best()
    if best is None or best.encoding in _GB_FAMILY or best.encoding not in _FOREIGN_CJK:
        return None
    gb_chaos = min((m.chaos for m in matches if m.encoding in _GB_FAMILY), default=1.0)
    return best.encoding if best.chaos + 0.05 < gb_chaos else None
