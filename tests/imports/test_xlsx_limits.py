"""xlsx files that would exhaust the machine are refused before or while reading, with the limit and the numbers
in the message; memory does not depend on the file (channels.xlsx).

| file                                                        | outcome                                       |
|-------------------------------------------------------------|-----------------------------------------------|
| valid zip, sheet XML declared far beyond the unpacked limit | refused before reading (the zip's directory)  |
| a part compressed more than 100:1                           | refused before reading (declared ratio)       |
| a zip whose directory understates a part                    | refused while reading (damaged: size/CRC)     |
| a part inflating beyond what was declared                   | refused while reading (bytes counted)         |
| <dimension> of rows × columns over the cell limit           | refused before the first row                  |
| more cells than the limit (empty ones count too)            | refused while reading, naming the row         |
| cells right of the table                                    | counted, never kept                           |
| rows × columns held over the cell limit                     | refused while reading, naming the row         |
| two cells at A1 and XFD1048576                              | read in kilobytes (calamine asked for 512 GB) |
| positions outside an Excel sheet                            | refused                                       |
| a shared-strings table too long or too big                  | refused (declared count, entries, memory)     |
| a text over Excel's 32,767 characters                       | refused                                       |
| a DTD or entity declaration (billion laughs)                | refused                                       |
| one XML tag or comment of hundreds of MB                    | refused past 4 MiB, never held whole          |
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from shopops.imports.readers import ReadError, ReadLimits, read_table
from shopops.imports.xlsx import XlsxLimits, XlsxSheet, number_format_kind
from shopops.imports.xlsx_parts import Budget
from tests.imports.said import zh
from tests.imports.xlsx_bombs import MAIN, bomb_xlsx, inline_row, repeated_sheet_xlsx, sheet_of, sheet_xlsx

HEADER = ["订单号", "商品名称", "订购数量"]
# A child process's own peak resident memory in MB: VmHWM belongs to the process's memory since exec (ru_maxrss
# would include the RSS of pytest, which the child is forked from)
PEAK_MB = ("print(next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM'))"
           " // 1024)")


def read_rows(path: Path, **limits: int) -> list[tuple[int, dict]]:
    with read_table(path, limits=ReadLimits(**limits)) as stream:
        return [(number, row) for batch in stream for number, row in zip(batch.row_numbers, batch.rows(),
                                                                          strict=True)]


def test_a_sheet_declared_beyond_the_unpacked_limit_is_refused_before_reading(tmp_path):
    path = bomb_xlsx(tmp_path / "bomb.xlsx", HEADER, unpacked=3 * 1024**2, block_bytes=4096)
    with pytest.raises(ReadError) as caught:
        read_rows(path, max_xlsx_unpacked_bytes=1024**2)
    assert "unpacks to 3.0 MiB, more than the limit of 1.0 MiB" in caught.value.text
    assert "超过上限 1.0 MiB" in zh(caught.value.text)


def test_a_part_compressed_beyond_the_ratio_is_refused_before_reading(tmp_path):
    path = bomb_xlsx(tmp_path / "bomb.xlsx", HEADER, unpacked=8 * 1024**2, block_bytes=65536)
    with pytest.raises(ReadError) as caught:
        read_rows(path)
    message = caught.value.text
    assert "xl/worksheets/sheet1.xml in the xlsx is compressed" in message and "limit of 100:1" in message
    assert int(message.split("compressed ")[1].split(":")[0]) > 100


def test_a_zip_that_understates_a_part_is_refused(tmp_path):
    path = bomb_xlsx(tmp_path / "liar.xlsx", HEADER, unpacked=4 * 1024**2, block_bytes=4096, declared_size=5000)
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 5000
    with pytest.raises(ReadError, match="damaged"):
        read_rows(path)


def test_inflated_bytes_are_counted_while_reading():
    """Whatever the zip library does with a lying directory, the bytes that come out are counted."""
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    info.file_size, info.compress_size = 10, 1024**2

    class Archive:
        def open(self, _info: zipfile.ZipInfo) -> io.BytesIO:
            return io.BytesIO(b"<" * (3 * 1024**2))

    budget = Budget(XlsxLimits(max_unpacked_bytes=2 * 1024**2))
    with pytest.raises(ReadError, match="bigger than the zip directory says"):
        for _chunk in budget.chunks(Archive(), info):  # type: ignore[arg-type]
            pass


def test_a_dimension_over_the_cell_limit_is_refused_before_the_first_row(tmp_path):
    path = sheet_xlsx(tmp_path / "wide.xlsx", sheet_of(inline_row(1, HEADER).decode(), dimension="A1:XFD1048576"))
    with pytest.raises(ReadError) as caught:
        read_rows(path)
    assert f"1048576 rows × 16384 columns = 17179869184 cells, more than the limit of {XlsxLimits().max_cells}" in \
        caught.value.text


def test_cells_are_counted_while_reading_empty_ones_too(tmp_path):
    path = bomb_xlsx(tmp_path / "cells.xlsx", HEADER, unpacked=1024**2, block_bytes=4096, columns=3)
    with pytest.raises(ReadError) as caught:
        read_rows(path, max_xlsx_cells=20_000)
    assert "the sheet has more than 20000 cells (20001 by row 6667)" in caught.value.text
    empty = bomb_xlsx(tmp_path / "empty.xlsx", HEADER, unpacked=1024**2, block_bytes=4096, cell=b'<c s="1"/>')
    with pytest.raises(ReadError, match="more than 20000 cells"):
        read_rows(empty, max_xlsx_cells=20_000)


def test_cells_right_of_the_table_are_counted_but_not_kept(tmp_path):
    rows = inline_row(1, HEADER).decode() + "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c>' + "".join(f'<c r="{c}{n}"><v>7</v></c>' for c in "DEFGHIJ")
        + "</row>" for n in range(2, 5))
    path = sheet_xlsx(tmp_path / "wide.xlsx", sheet_of(rows))
    sheet = XlsxSheet(str(path))
    sheet.keep_columns = 3
    assert list(sheet.rows())[1:] == [(2, [2.0]), (3, [3.0]), (4, [4.0])]
    assert sheet.cells_read == 3 + 3 * 8
    assert [row for _n, row in read_rows(path)] == [{"订单号": 2.0, "商品名称": "", "订购数量": ""},
                                                    {"订单号": 3.0, "商品名称": "", "订购数量": ""},
                                                    {"订单号": 4.0, "商品名称": "", "订购数量": ""}]


def test_two_cells_far_apart_are_read_in_kilobytes(tmp_path):
    """python-calamine allocated the whole grid between A1 and XFD1048576 (512 GB) and aborted the process;
    run in a child process, so a crash fails this test instead of ending the test run."""
    rows = (inline_row(1, HEADER).decode() + '<row r="7"><c r="A7"><v>1</v></c><c r="XFD7"><v>1</v></c></row>'
            '<row r="1048576"><c r="B1048576" t="inlineStr"><is><t>最后一行</t></is></c><c r="XFD1048576">'
            "<v>1</v></c></row>")
    path = sheet_xlsx(tmp_path / "far.xlsx", sheet_of(rows))
    code = ("import sys\nfrom shopops.imports.readers import read_table\n"
            "with read_table(sys.argv[1]) as stream:\n"
            "    print([(n, r) for b in stream for n, r in zip(b.row_numbers, b.rows(), strict=True)])\n"
            f"{PEAK_MB}\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    rows_out, peak_mb = done.stdout.strip().splitlines()
    assert rows_out == ("[(7, {'订单号': 1.0, '商品名称': '', '订购数量': ''}), "
                        "(1048576, {'订单号': '', '商品名称': '最后一行', '订购数量': ''})]")
    assert int(peak_mb) < 300


def test_rows_reaching_far_right_are_counted_as_rows_times_columns(tmp_path):
    """Rows read before the table's width is known are as wide as their last cell: 20,000 rows reaching column
    XFD would take 2.6 GB as Python lists; the rows × columns they come to are counted and refused."""
    rows = inline_row(1, HEADER).decode() + "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 40_000))
    path = sheet_xlsx(tmp_path / "far-right.xlsx", sheet_of(rows))
    code = ("import sys\nfrom shopops.imports.readers import ReadError, read_table\n"
            "try:\n    with read_table(sys.argv[1]) as stream:\n        sum(len(b) for b in stream)\n"
            "except ReadError as error:\n    print(error.text)\n"
            f"{PEAK_MB}\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    message, peak_mb = done.stdout.strip().splitlines()
    assert message.startswith(f"the sheet's rows × columns come to more than {XlsxLimits().max_cells} cells (by row ")
    assert int(peak_mb) < 300


@pytest.mark.parametrize("rows", [
    '<row r="2"><c r="XFE2"><v>1</v></c></row>',
    '<row r="1048577"><c r="A1048577"><v>1</v></c></row>',
    '<row r="2"><c r="A1"><v>1</v></c><c r="1B"><v>1</v></c></row>',
])
def test_positions_outside_an_excel_sheet_are_refused(tmp_path, rows):
    path = sheet_xlsx(tmp_path / "out.xlsx", sheet_of(inline_row(1, HEADER).decode() + rows))
    with pytest.raises(ReadError, match="outside an Excel sheet"):
        read_rows(path)


@pytest.mark.parametrize(("opening", "closing"), [(b'<c r="A2" x="', b'"/>'), (b"<!--", b"-->")])
def test_a_giant_tag_or_comment_is_refused_without_being_held(tmp_path, opening, closing):
    """expat keeps an unfinished tag or comment whole: 300 MB of one attribute or comment (under the unpacked
    and ratio limits) would take gigabytes; it is refused once it passes 4 MiB."""
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode() + inline_row(1, HEADER) + \
        b'<row r="2">' + opening
    block = bytes(range(65, 91)) * 157  # 4 KiB of A-Z: compressed about 60:1
    path = repeated_sheet_xlsx(tmp_path / "token.xlsx", head, block, 300_000_000 // len(block),
                               closing + b"</row></sheetData></worksheet>")
    code = ("import sys\nfrom shopops.imports.readers import ReadError, read_table\n"
            "try:\n    with read_table(sys.argv[1]) as stream:\n        sum(len(b) for b in stream)\n"
            "except ReadError as error:\n    print(error.text)\n"
            f"{PEAK_MB}\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    message, peak_mb = done.stdout.strip().splitlines()
    assert message == ("xl/worksheets/sheet1.xml in the xlsx holds an XML tag, comment or instruction longer than "
                       "4.0 MiB: not an export")
    assert int(peak_mb) < 150


def _strings(count: int, *, declared: bool) -> str:
    unique = f' uniqueCount="{count}"' if declared else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"{unique}>'
            + "".join(f"<si><t>s{n}</t></si>" for n in range(count)) + "</sst>")


def test_a_shared_strings_table_too_long_or_too_big_is_refused(tmp_path):
    sheet = sheet_of('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    declared = sheet_xlsx(tmp_path / "declared.xlsx", sheet, strings=_strings(1001, declared=True))
    with pytest.raises(ReadError) as caught:
        read_rows(declared, max_xlsx_strings=1000)
    assert "shared-strings table has 1001 or more entries, more than the limit of 1000" in caught.value.text
    silent = sheet_xlsx(tmp_path / "silent.xlsx", sheet, strings=_strings(1001, declared=False))
    with pytest.raises(ReadError, match="1001 or more entries"):
        read_rows(silent, max_xlsx_strings=1000)
    with pytest.raises(ReadError, match="needs more than 32.0 KiB of memory"):
        read_rows(silent, max_xlsx_strings_bytes=32 * 1024)
    assert list(XlsxSheet(str(silent)).rows()) == [(1, ["s0"])]  # within the limits it reads


def test_a_text_longer_than_excel_allows_is_refused(tmp_path):
    path = sheet_xlsx(tmp_path / "long.xlsx", sheet_of(inline_row(1, HEADER).decode()
                                                       + inline_row(2, ["1", "x" * 40_000, "1"]).decode()))
    with pytest.raises(ReadError, match="B2 in the xlsx is longer than 32767 characters"):
        read_rows(path)


def test_dtds_and_entities_are_refused(tmp_path):
    laughs = ('<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    path = sheet_xlsx(tmp_path / "laughs.xlsx", sheet_of(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row>', prolog=laughs))
    with pytest.raises(ReadError, match="DTD or entity declarations"):
        read_rows(path)


# ------------------------------------------------------------------------------------------------- values

def test_values_are_the_types_python_calamine_gave(tmp_path):
    """Text, floats, dates by number format (date, datetime, time, duration), booleans, shared strings with rich
    text and phonetic runs, formula results and errors, a namespace prefix, rows and cells without ``r``."""
    styles = (f'<styleSheet xmlns="{MAIN}"><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss"/>'
              '<numFmt numFmtId="165" formatCode="[h]:mm"/><numFmt numFmtId="166" formatCode="0.00;[Red]-0.00"/>'
              '</numFmts><cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/>'
              '<xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="21"/></cellXfs></styleSheet>')
    strings = (f'<sst xmlns="{MAIN}" count="2" uniqueCount="2"><si><t>普通</t></si>'
               '<si><r><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh><t>ふりがな</t></rPh></si></sst>')
    rows = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>文本</x:t></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c>'
            '<x:c t="s"><x:v>1</x:v></x:c><x:c><x:v>89.9</x:v></x:c><x:c s="1"><x:v>46337.00350694444</x:v></x:c>'
            '<x:c s="2"><x:v>46337</x:v></x:c><x:c s="5"><x:v>0.4375</x:v></x:c><x:c s="3"><x:v>1.5</x:v></x:c>'
            '<x:c s="4"><x:v>-3</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>文本</x:v>'
            '</x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="N1"><x:v>3801234567890123456</x:v></x:c></x:row>'
            '<x:row><x:c><x:v>1</x:v></x:c></x:row>')
    sheet = (f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>{rows}</x:sheetData>'
             "</x:worksheet>")
    path = sheet_xlsx(tmp_path / "types.xlsx", sheet, strings=strings, styles=styles)
    got = list(XlsxSheet(str(path)).rows())
    assert got == [
        (1, ["文本", "普通", "富文本 ", 89.9, dt.datetime(2026, 11, 11, 0, 5, 3), dt.date(2026, 11, 11),
             dt.time(10, 30), dt.timedelta(days=1.5), -3.0, True, "文本", "", "", float("3801234567890123456")]),
        (2, [1.0]),
    ]


@pytest.mark.parametrize(("code", "kind"), [
    ("General", 0), ("0.00", 0), ("#,##0.00_);[Red](#,##0.00)", 0), ("0.00E+00", 0), ("@", 0),
    ('yyyy"年"m"月"d"日"', 1), ("[$-F800]dddd, mmmm dd, yyyy", 1), ("h:mm AM/PM", 1), ("mm:ss", 1),
    ("[h]:mm:ss", 2), ('"Total: "0', 0), ("0;[Red]-0;yyyy", 0),
])
def test_number_formats_that_hold_dates(code, kind):
    assert number_format_kind(code) == kind


def test_the_1904_date_system(tmp_path):
    path = sheet_xlsx(tmp_path / "mac.xlsx", sheet_of('<row r="1"><c r="A1" s="1"><v>1</v></c></row>'),
                      styles=f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
                             "</styleSheet>")
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode().replace("<sheets>", '<workbookPr date1904="1"/><sheets>')
    rebuilt = tmp_path / "mac1904.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, workbook if info.filename == "xl/workbook.xml" else source.read(info))
    assert list(XlsxSheet(str(rebuilt)).rows()) == [(1, [dt.date(1904, 1, 2)])]
