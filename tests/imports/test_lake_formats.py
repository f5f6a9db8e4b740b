"""The lake formats: each imports its realistic sample; hostile files get the documented outcome
and write nothing; re-import is idempotent; a corrected file updates; options are checked up front."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from shopops.imports.formats import FORMATS
from shopops.imports.formats.lake_formats import (
    AD_LAYOUTS,
    AD_PLATFORMS,
    LAKE_FORMATS,
    parse_report_date,
)
from shopops.imports.formats.lake_samples import write_ad_sample, write_sample
from shopops.imports.lake_import import MAX_ERRORS, import_lake_file
from shopops.imports.normalize import ValueProblem
from shopops.imports.readers import ReadError
from shopops.lake.services import feed_rows
from shopops.lake.storage import table_version
from shopops.lake.tables import TABLES
from tests.imports.said import zh

END = dt.date(2026, 11, 20)
NAMES = [f.name for f in LAKE_FORMATS]
OPTIONS = {"ad-report": {"platform": "ztc"}}
ENCODING = {"events": "utf-8", "amazon-business-report": "utf-8", "taobao-userbehavior": "ascii"}
# a date column, a column that must not be negative, and the text column checked for formulas
SHAPES = {
    "events": ("ts", "price", "user_id"),
    "sycm-traffic": ("日期", "访客数", "流量来源"),
    "amazon-business-report": ("Date", "Units Ordered", None),
    "ad-report": ("日期", "花费", "关键词"),
    "search-terms": ("日期", "访客数", "搜索词"),
    "competitor-snapshot": ("日期", "价格", "标题"),
}


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    return tmp_path / "lake"


def run(name: str, path: Path, *, skip: bool = False, dry: bool = False, account: int | None = 3, **options: str):
    return import_lake_file(shop_id=1, fmt=FORMATS[name], path=str(path), channel_account_id=account,
                            channel="tmall", skip_invalid=skip, dry_run=dry,
                            options={**OPTIONS.get(name, {}), **options})


def sample(name: str, tmp_path: Path, **kwargs) -> tuple[Path, int]:
    path = tmp_path / f"{name}.csv"
    return path, write_sample(name, str(path), end_date=END, **kwargs)


def rows_of(path: Path, encoding: str) -> tuple[list[str], list[list[str]]]:
    records = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))
    return records[0], records[1:]


def rewrite(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def version(name: str) -> int | None:
    return table_version(TABLES[FORMATS[name].table])


def test_every_lake_format_is_registered_with_a_table_and_a_sample():
    for name in NAMES:
        fmt = FORMATS[name]
        assert fmt.target == "lake" and fmt.table in TABLES and fmt.quirks
        assert {"shop_id", "date"} <= set(TABLES[fmt.table].schema.names)


@pytest.mark.parametrize("name", NAMES)
def test_sample_imports_and_reimport_is_idempotent(name, tmp_path):
    path, count = sample(name, tmp_path)
    first = run(name, path)
    assert first.errors == [] and first.rejected == 0 and first.written
    assert first.rows == count and first.inserted + first.skipped == count
    assert first.updated == first.unchanged == 0
    table = TABLES[FORMATS[name].table]
    stored = feed_rows(table=table, feed=first.feed)
    assert stored.num_rows == first.inserted
    assert set(pc.unique(stored["shop_id"]).to_pylist()) == {1}
    before = version(name)
    again = run(name, path)
    assert (again.inserted, again.updated, again.unchanged, again.written) == (0, 0, first.inserted, False)
    assert version(name) == before  # nothing changed: no new Delta version


@pytest.mark.parametrize("platform", AD_PLATFORMS)
def test_every_ad_platform_sample_imports_at_its_level(platform, tmp_path):
    path = tmp_path / f"ad-{platform}.csv"
    count = write_ad_sample(platform, str(path), end_date=END, days=7)
    result = run("ad-report", path, platform=platform)
    assert result.errors == [] and result.inserted == count
    rows = feed_rows(table=TABLES["ad_daily"], feed=result.feed)
    level = AD_LAYOUTS[platform].targets[0][1]
    assert set(rows["level"].to_pylist()) == {level} and set(rows["platform"].to_pylist()) == {platform}
    assert pc.min(rows["cost_fen"]).as_py() >= 0 and pc.sum(rows["impressions"]).as_py() > 0
    if platform == "amazon-sp":
        assert set(rows["currency"].to_pylist()) == {"USD"}
        assert rows["date"][0].as_py() == END - dt.timedelta(days=6)  # "Nov 14, 2026"


def test_ad_report_needs_a_known_platform(tmp_path):
    path, _count = sample("ad-report", tmp_path)
    for options in ({"platform": ""}, {"platform": "baidu"}):
        with pytest.raises(ReadError) as refused:
            import_lake_file(shop_id=1, fmt=FORMATS["ad-report"], path=str(path), channel_account_id=None,
                             channel="tmall", skip_invalid=False, dry_run=False, options=options)
        assert "platform" in str(refused.value) and refused.value.errors
    assert version("ad-report") is None


def test_bad_options_are_file_level_errors(tmp_path):
    path, _count = sample("sycm-traffic", tmp_path)
    with pytest.raises(ReadError, match="YYYY-MM-DD"):
        run("sycm-traffic", path, date="20/11/2026")
    with pytest.raises(ReadError, match="time zone"):
        run("sycm-traffic", path, tz="Mars/Olympus")


def test_money_counts_and_rates_are_exact(tmp_path):
    """Amazon values like "$1,937.41", "1,128", "18.53%" (docs/rules/platforms.md#amazon-business-report) →
    cents, ints, fractions."""
    path = rewrite(tmp_path / "br.csv", ["Date", "Ordered Product Sales", "Units Ordered", "Sessions - Total",
                                         "Unit Session Percentage", "Featured Offer (Buy Box) Percentage"],
                   [["11/20/2026", "$1,937.41", "1,128", "6,087", "18.53%", "100.00%"]], "utf-8")
    result = run("amazon-business-report", path)
    row = feed_rows(table=TABLES["traffic_daily"], feed=result.feed).to_pylist()[0]
    assert (row["sales_fen"], row["units"], row["visitors"]) == (193741, 1128, 6087)
    assert row["conversion_rate"] == pytest.approx(0.1853) and row["buy_box_rate"] == 1.0
    assert (row["date"], row["currency"], row["level"]) == (dt.date(2026, 11, 20), "USD", "store")


def test_child_item_report_takes_its_day_from_the_options(tmp_path):
    header = ["(Parent) ASIN", "(Child) ASIN", "Title", "SKU", "Sessions - Total", "Page Views - Total",
              "Units Ordered", "Ordered Product Sales", "Total Order Items"]
    rows = [["B0PARENT01", "B0CHILD001", "Wool sweater", "SKU-WOOL-01", "120", "180", "9", "$269.91", "8"],
            ["B0PARENT01", "B0CHILD002", "Wool sweater L", "SKU-WOOL-02", "80", "95", "3", "$89.97", "3"]]
    path = rewrite(tmp_path / "child.csv", header, rows, "utf-8")
    with pytest.raises(ReadError) as refused:
        run("amazon-business-report", path)
    assert refused.value.errors[0].field == "Date"
    result = run("amazon-business-report", path, date="2026-11-19")
    stored = feed_rows(table=TABLES["traffic_daily"], feed=result.feed)
    assert result.feed.endswith(".item") and stored["item_id"].to_pylist() == ["B0CHILD001", "B0CHILD002"]
    assert set(stored["date"].to_pylist()) == {dt.date(2026, 11, 19)}


def test_report_dates():
    assert parse_report_date("11/20/2026", "Asia/Shanghai") == dt.date(2026, 11, 20)
    assert parse_report_date("Nov 20, 2026", "Asia/Shanghai") == dt.date(2026, 11, 20)
    assert parse_report_date("2026-11-20", "Asia/Shanghai") == dt.date(2026, 11, 20)
    with pytest.raises(ValueProblem):
        parse_report_date("02/30/2026", "Asia/Shanghai")


# --------------------------------------------------------------------------------------- hostile files

HOSTILE = [n for n in NAMES if n != "taobao-userbehavior"]


@pytest.mark.parametrize("name", NAMES)
def test_a_2gb_file_that_is_not_a_csv_is_refused_before_reading(name, tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + os.urandom(4096))
        handle.truncate(2 * 1024**3)  # sparse: 2 GiB on paper
    with pytest.raises(ReadError):
        run(name, path)
    assert version(name) is None


@pytest.mark.parametrize("name", NAMES)
def test_wrong_encoding_is_refused(name, tmp_path):
    path, _count = sample(name, tmp_path)
    path.write_bytes(path.read_bytes().decode(ENCODING.get(name, "gbk")).encode("utf-16"))
    with pytest.raises(ReadError):
        run(name, path)
    assert version(name) is None


@pytest.mark.parametrize("name", HOSTILE)
def test_missing_required_column_is_named(name, tmp_path):
    path, _count = sample(name, tmp_path)
    encoding = ENCODING.get(name, "gbk")
    header, rows = rows_of(path, encoding)
    fmt = FORMATS[name]
    required = [c for c in fmt.columns if c.required and c.name in header] or \
        [c for c in fmt.columns if c.name in header and c.name == SHAPES[name][1]]
    missing = required[0].name
    drop = header.index(missing)
    rewrite(path, header[:drop] + header[drop + 1:], [r[:drop] + r[drop + 1:] for r in rows], encoding)
    with pytest.raises(ReadError) as refused:
        run(name, path)
    assert refused.value.errors and refused.value.errors[0].field == missing and refused.value.errors[0].row == 1
    assert version(name) is None


@pytest.mark.parametrize("name", HOSTILE)
def test_bad_date_and_negative_number_reject_the_file_and_name_rows(name, tmp_path):
    path, count = sample(name, tmp_path)
    encoding = ENCODING.get(name, "gbk")
    header, rows = rows_of(path, encoding)
    date_column, number_column, _text = SHAPES[name]
    rows[2][header.index(date_column)] = "2026-02-30" if name != "amazon-business-report" else "02/30/2026"
    rows[4][header.index(number_column)] = "-3"
    rewrite(path, header, rows, encoding)
    result = run(name, path)
    assert not result.written and result.rejected == 2 and result.inserted == 0
    assert {(e.row, e.field) for e in result.errors} == {(4, date_column), (6, number_column)}
    assert version(name) is None  # nothing written
    skipped = run(name, path, skip=True)
    assert skipped.written and skipped.rejected == 2 and skipped.inserted == count - 2


@pytest.mark.parametrize("name", [n for n in HOSTILE if n != "events"])
def test_duplicate_keys_are_row_errors(name, tmp_path):
    path, _count = sample(name, tmp_path)
    encoding = ENCODING.get(name, "gbk")
    header, rows = rows_of(path, encoding)
    rows.append(list(rows[3]))
    rewrite(path, header, rows, encoding)
    result = run(name, path)
    assert not result.written and result.rejected == 1
    assert result.errors[0].row == len(rows) + 1 and "row 5" in result.errors[0].message
    assert version(name) is None


@pytest.mark.parametrize("name", [n for n in HOSTILE if SHAPES[n][2]])
def test_formulas_in_text_cells_are_stored_neutralised(name, tmp_path):
    path, _count = sample(name, tmp_path)
    encoding = ENCODING.get(name, "gbk")
    header, rows = rows_of(path, encoding)
    column = SHAPES[name][2]
    payload = "=cmd|' /C calc'!A0"
    rows[0][header.index(column)] = payload
    rewrite(path, header, rows, encoding)
    result = run(name, path)
    assert result.written and result.errors == []
    stored = feed_rows(table=TABLES[FORMATS[name].table], feed=result.feed)
    field = {"user_id": "user_id", "流量来源": "source", "关键词": "target", "搜索词": "term", "标题": "title"}[column]
    values = stored[field].to_pylist()
    assert "'" + payload in values and payload not in values


def test_too_many_errors_are_capped(tmp_path):
    path = tmp_path / "events.csv"
    rewrite(path, ["ts", "user_id", "item_id", "category_id", "behavior"],
            [["not a time", "u1", "i1", "c1", "pv"]] * (MAX_ERRORS + 50), "utf-8")
    result = run("events", path)
    assert result.rejected == MAX_ERRORS + 50 and len(result.errors) == MAX_ERRORS and not result.written


# ------------------------------------------------------------------------------------------------- events


def test_events_csv_shapes_and_parquet(tmp_path):
    header = ["ts", "user_id", "item_id", "category_id", "behavior", "price", "channel"]
    rows = [["2026-11-11 00:05:03", "u1", "i1", "c1", "pv", "", ""],
            ["1762790703", "u2", "i1", "c1", "加购", "", "wecom"],
            ["2026-11-11T00:05:03+08:00", '="0012"', "i2", "c2", "BUY", "1,234.50", ""],
            ["1762790703000", "u3", "i2", "c2", "share", "12.30", ""]]
    path = rewrite(tmp_path / "events.csv", header, rows, "utf-8")
    result = run("events", path)
    assert result.errors == [] and result.inserted == 4
    stored = feed_rows(table=TABLES["events"], feed=result.feed).sort_by("user_id").to_pylist()
    by_user = {r["user_id"]: r for r in stored}
    assert by_user["u2"]["behavior"] == "cart" and by_user["u2"]["channel"] == "wecom"
    assert by_user["0012"]["behavior"] == "buy" and by_user["0012"]["price_fen"] == 123450
    assert by_user["u1"]["ts"] == dt.datetime(2026, 11, 10, 16, 5, 3, tzinfo=dt.UTC)
    assert by_user["u1"]["date"] == dt.date(2026, 11, 11) and by_user["u1"]["channel"] == "tmall"
    assert by_user["u3"]["ts"] == by_user["u2"]["ts"]
    parquet = tmp_path / "events.parquet"
    pq.write_table(pa.table({"ts": pa.array([dt.datetime(2026, 11, 11, 0, 5, 3)]), "user_id": ["p1"],
                             "item_id": pa.array([42]), "category_id": ["c"], "behavior": ["fav"]}), parquet)
    from_parquet = run("events", parquet, account=4)
    assert from_parquet.inserted == 1
    row = feed_rows(table=TABLES["events"], feed=from_parquet.feed).to_pylist()[0]
    assert (row["item_id"], row["date"]) == ("42", dt.date(2026, 11, 11))


def test_events_bad_behaviour_and_empty_ids(tmp_path):
    rows = [["2026-11-11 00:05:03", "", "i1", "c1", "pv"], ["2026-11-11 00:05:03", "u1", "i1", "c1", "点赞!!"]]
    path = rewrite(tmp_path / "events.csv", ["ts", "user_id", "item_id", "category_id", "behavior"], rows, "utf-8")
    result = run("events", path)
    assert {(e.row, e.field) for e in result.errors} == {(2, "user_id"), (3, "behavior")}
    assert zh(result.errors[0].message) == "不能为空" and not result.written


# -------------------------------------------------------------------------------------------- userbehavior


def test_userbehavior_dirty_timestamps_are_skipped_and_counted(tmp_path):
    """docs/rules/platforms.md#tianchi-userbehavior-dataset: timestamps outside 2017-11-25..12-03 (min ≈ 1902,
    max 2037) must be filtered."""
    path, count = sample("taobao-userbehavior", tmp_path, rows=10_000)
    result = run("taobao-userbehavior", path)
    assert result.skipped == 2 and result.inserted == count - 2 and result.rejected == 0
    stored = feed_rows(table=TABLES["events"], feed=result.feed)
    assert pc.min(stored["date"]).as_py() >= dt.date(2017, 11, 25)
    assert pc.max(stored["date"]).as_py() <= dt.date(2017, 12, 3)
    assert set(pc.unique(stored["behavior"]).to_pylist()) <= {"pv", "fav", "cart", "buy"}
    assert set(stored["channel"].to_pylist()) == {"tmall"}
    first = path.read_text().splitlines()[0].split(",")
    row = stored.filter(pc.equal(stored["user_id"], first[0])).to_pylist()[0]
    assert row["ts"] == dt.datetime.fromtimestamp(int(first[4]), dt.UTC)
    narrower = run("taobao-userbehavior", path, date_from="2017-11-26", date_to="2017-11-26")
    assert narrower.skipped > count // 2


def test_userbehavior_bad_rows_are_named_even_on_the_fast_path(tmp_path):
    lines = ["1,2,3,pv,1511572800", "4,5,6,click,1511572800", "7,x8,9,pv,1511572800", "-1,2,3,buy,1511572800",
             "10,11,12,fav,1511659200"]
    path = tmp_path / "ub.csv"
    path.write_text("\n".join(lines) + "\n")
    result = run("taobao-userbehavior", path)
    assert {(e.row, e.field) for e in result.errors} == {(2, "behavior_type"), (3, "item_id"), (4, "user_id")}
    assert result.rejected == 3 and not result.written and version("taobao-userbehavior") is None
    skipped = run("taobao-userbehavior", path, skip=True)
    assert skipped.inserted == 2 and skipped.rejected == 3 and skipped.written


def test_dry_run_counts_but_writes_nothing(tmp_path, lake):
    path, count = sample("search-terms", tmp_path)
    result = run("search-terms", path, dry=True)
    assert result.inserted == count and not result.written and version("search-terms") is None
    assert not list(lake.rglob("*.parquet"))  # the staged files are gone too
