"""The ``reviews`` import: a realistic file from the shop's own orders, re-imported without changes, updates by
order number, and a hostile file rejected with each problem named by row and column, nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from shopops.core.errors import InvalidInput
from shopops.imports.formats import FORMATS
from shopops.imports.formats.review_samples import HOSTILE_PROBLEMS, write_hostile_reviews
from shopops.imports.services import export_sample, import_job_create, import_job_run, import_summary
from shopops.service import selectors, services
from shopops.service.models import Review


def _import(shop, path: Path, **options) -> dict:
    job = import_job_create(shop=shop, format_name="reviews", path=str(path), **options)
    return import_summary(import_job_run(job_id=job.pk))


def _write(path: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    return path


def test_the_format_is_registered_with_its_columns_and_aliases():
    fmt = FORMATS["reviews"]
    assert fmt.target == "reviews" and fmt.required == ["订单编号", "买家", "评价时间"]
    assert fmt.optional == ["描述相符", "服务态度", "物流服务", "评价内容"]
    assert "宝贝与描述相符" in fmt.columns[3].aliases and "物流服务质量" in fmt.columns[5].aliases


def test_a_realistic_sample_imports_then_changes_nothing_again(shop, tmp_path):
    sample = export_sample(shop=shop, format_name="reviews", path=str(tmp_path / "评价.csv"), limit=300)
    n = sample["rows"]
    assert n > 100 and sample["channel_account"] == "山茶集官方旗舰店"
    assert (tmp_path / "评价.csv").read_bytes().decode("gbk").startswith("订单编号,买家昵称,评价时间,宝贝与描述相符")
    first = _import(shop, tmp_path / "评价.csv")
    assert first["status"] == "done", first["errors"]
    assert (first["inserted"], first["updated"], first["unchanged"]) == (n, 0, 0)
    stored = Review.objects.filter(shop=shop)
    assert stored.count() == n and not stored.filter(order__isnull=True).exists()  # every order found
    assert not stored.exclude(order__status="completed").exists()
    defaults = stored.filter(is_default=True)
    assert defaults.exists() and not defaults.exclude(description=None).exists()
    assert stored.filter(description__lte=2).exists()  # the sample has bad reviews
    stamps = dict(stored.values_list("pk", "updated_at"))
    again = _import(shop, tmp_path / "评价.csv")
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, n)
    assert dict(Review.objects.filter(shop=shop).values_list("pk", "updated_at")) == stamps


def test_a_changed_row_updates_its_review_only(shop, tmp_path):
    rows = ["订单编号,买家,评价时间,描述相符,服务态度,物流服务,评价内容",
            "R-1,tb_a,2024-03-02 10:00:00,5,5,5,好", "R-2,tb_b,2024-03-03 11:00:00,4,,5,"]
    assert _import(shop, _write(tmp_path / "a.csv", rows))["inserted"] == 2
    rows[2] = "R-2,tb_b,2024-03-03 11:00:00,2,,5,描述不符"
    summary = _import(shop, _write(tmp_path / "b.csv", rows))
    assert (summary["inserted"], summary["updated"], summary["unchanged"]) == (0, 1, 1)
    review = Review.objects.get(shop=shop, order_no="R-2")
    assert (review.description, review.service, review.text, review.channel) == (2, None, "描述不符", "tmall")
    assert review.reviewed_at == dt.datetime(2024, 3, 3, 3, 0, tzinfo=dt.UTC)  # 11:00 in Shanghai


def test_english_and_platform_headers_are_read(shop, tmp_path):
    rows = ["order_no,buyer,reviewed_at,description,service,logistics,content",
            "E-1,tb_e,2024-03-02 10:00:00,3,4,5,ok"]
    assert _import(shop, _write(tmp_path / "en.csv", rows))["inserted"] == 1
    gbk = ["订单编号,买家昵称,评价时间,宝贝与描述相符,卖家服务态度,物流服务质量,评价内容",
           "G-1,淘宝买家,2024-03-02 10:00:00,,,,\"评价方未及时做出评价,系统默认好评!\""]
    summary = _import(shop, _write(tmp_path / "gbk.csv", gbk, encoding="gbk"))
    assert summary["status"] == "done", summary["errors"]
    assert Review.objects.get(shop=shop, order_no="G-1").is_default


def test_the_hostile_file_is_rejected_row_by_row_and_writes_nothing(shop, tmp_path):
    summary = _import(shop, write_hostile_reviews(tmp_path / "hostile.csv"))
    assert summary["status"] == "rejected"
    assert sorted((e["row"], e["column"]) for e in summary["errors"]) == sorted(HOSTILE_PROBLEMS)
    assert all(e["message"] for e in summary["errors"])
    assert not Review.objects.filter(shop=shop).exists()


def test_the_services_refusals_name_the_row_and_column(shop, tmp_path):
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    rows = ["订单编号,买家,评价时间,描述相符", f"F-1,tb_f,{future},5", "F-2," + "x" * 101 + ",2024-03-02 10:00:00,5"]
    summary = _import(shop, _write(tmp_path / "f.csv", rows))
    assert summary["status"] == "rejected"
    assert sorted((e["row"], e["column"]) for e in summary["errors"]) == [(2, "评价时间"), (3, "买家")]
    assert not Review.objects.filter(shop=shop).exists()


def test_a_missing_required_column_is_named(shop, tmp_path):
    summary = _import(shop, _write(tmp_path / "m.csv", ["订单编号,评价时间", "M-1,2024-03-02 10:00:00"]))
    assert summary["status"] == "rejected" and "买家" in [e["column"] for e in summary["errors"]]
    assert not Review.objects.filter(shop=shop).exists()


def test_the_service_checks_scores_itself(shop):
    with pytest.raises(InvalidInput) as refused:
        services.reviews_upsert(shop=shop, channel="taobao", rows=[services.ReviewRow(
            "S-1", "tb", dt.datetime(2024, 3, 1, tzinfo=dt.UTC), description=9)])
    assert [(e.field, e.row) for e in refused.value.errors] == [("description", None)]
    assert not Review.objects.filter(shop=shop).exists()


def test_bad_reviews_are_low_real_reviews_since_a_date(shop):
    at = dt.datetime(2024, 3, 10, 2, tzinfo=dt.UTC)
    services.reviews_upsert(shop=shop, channel="taobao", rows=[
        services.ReviewRow("B-1", "a", at, description=5, service=2, logistics=5),
        services.ReviewRow("B-2", "b", at, description=3, service=3, logistics=3),
        services.ReviewRow("B-3", "c", at, description=1, text="系统默认好评"),
        services.ReviewRow("B-4", "d", at - dt.timedelta(days=30), description=1)])
    assert [r.order_no for r in selectors.bad_reviews(shop, dt.date(2024, 3, 1))] == ["B-1"]
    assert [r.order_no for r in selectors.bad_reviews(shop, dt.date(2024, 2, 1))] == ["B-4", "B-1"]
    assert not selectors.bad_reviews(shop, dt.date(2024, 3, 11)).exists()


def test_the_import_command_takes_the_format(shop, tmp_path, capsys):
    path = _write(tmp_path / "c.csv", ["订单编号,买家,评价时间,描述相符", "C-1,tb_c,2024-03-02 10:00:00,5"])
    call_command("import", "reviews", str(path), "--shop", shop.code)
    assert Review.objects.filter(shop=shop, order_no="C-1").exists()


def test_docs_describe_the_reviews_format():
    text = (Path(__file__).resolve().parents[2] / "docs/formats.md").read_text(encoding="utf-8")
    fmt = FORMATS["reviews"]
    assert "`reviews`" in text and fmt.doc == "reviews" and '<a id="reviews"></a>' in text
    for column in fmt.required:
        assert f"| {column} | yes |" in text, column
    for column in fmt.optional:
        assert f"| {column} |  |" in text, column
    for quirk in fmt.quirks:
        assert f"- {quirk}" in text, quirk
    for row, column in HOSTILE_PROBLEMS:
        assert f"| {row} | {column} |" in text


def test_a_formula_in_the_text_is_kept_as_text(shop, tmp_path):
    rows = ["订单编号,买家,评价时间,描述相符,评价内容", 'X-9,@tb,2024-03-02 10:00:00,5,"=HYPERLINK(""http://x"")"']
    assert _import(shop, _write(tmp_path / "x.csv", rows))["inserted"] == 1
    review = Review.objects.get(shop=shop)
    assert review.text.startswith("'=") and not review.buyer.startswith("@")


def test_a_sample_review_is_never_ahead_of_the_clock():
    from zoneinfo import ZoneInfo

    from shopops.imports.formats.review_samples import SampleReviewOrder, review_rows

    latest = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
    orders = [SampleReviewOrder(str(i), f"b{i}", latest - dt.timedelta(hours=i)) for i in range(50)]
    rows = review_rows(orders, ZoneInfo("Asia/Shanghai"), latest)
    times = [dt.datetime.strptime(r[2], "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo("Asia/Shanghai")) for r in rows]
    assert max(times) <= latest and rows == review_rows(orders, ZoneInfo("Asia/Shanghai"), latest)
