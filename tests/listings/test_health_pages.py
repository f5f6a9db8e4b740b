"""The listing health page (商品体检) and a listing's page, in a new shop built only from a Taobao item export and
in the demo shop: summary, filters, pages, xlsx, highlighted and escaped titles, the audit run as a task with its
progress, permissions per role (docs/rules/listings.md#audit)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from shopops.accounts.management.commands.shop import shop_open
from shopops.catalog.models import Listing
from shopops.core.progress import write_progress_file
from shopops.listings import views_health
from shopops.listings.highlight import Piece, title_pieces
from shopops.listings.models import ListingAudit, ShopWord
from shopops.listings.selectors.audits import progress_path
from shopops.listings.services.audits import audit_listings
from tests.import_files import import_file, write_csv
from tests.imports.test_catalog_import import TAOBAO_HEADER

HOSTILE = "<script>alert(1)</script> 最好的杯子"
ROWS = [
    ["最生活 最好的保温杯 316不锈钢 大容量", "家居/杯具", "49.00", "100", "CI-CUP", "", "", "", "", "770001", "出售中"],
    ["最生活 加绒卫衣 BZ-YQ1722 男款", "男装/卫衣", "129.00", "30", "CI-HOOD", "颜色:黑;尺码:L", "CI-HOOD-L", "5001",
     "129.00", "770002", "出售中"],
    [HOSTILE, "家居/杯具", "19.00", "10", "CI-X", "", "", "", "", "770003", "出售中"],
]


def _new_shop(code: str):
    shop, admin, _created, _accounts = shop_open(code=code, name="新店", admin_username=f"{code}-admin",
                                                 admin_password="Listings-pass-2026")
    client = Client()
    client.force_login(admin)
    return shop, client


@pytest.fixture
def imported(db, tmp_path):
    """A new shop with nothing but a Taobao item export (three listings, one with a hostile title)."""
    shop, client = _new_shop("health-new")
    summary = import_file(shop, "taobao-items", write_csv(tmp_path / "items.csv", TAOBAO_HEADER, ROWS, encoding="gbk"))
    assert summary["status"] == "done", summary["errors"]
    ShopWord.objects.create(shop=shop, word="最生活", kind=ShopWord.Kind.BRAND)
    return shop, client


def _listing(shop, item_id: str) -> Listing:
    return Listing.objects.get(shop=shop, external_id=item_id)


def test_a_shop_without_listings_is_told_to_import_its_item_export(db):
    _shop, client = _new_shop("health-empty")
    page = client.get("/listings/").content.decode()
    assert 'id="health-empty"' in page and "/imports/new/?target=catalog" in page
    assert 'id="health-table"' not in page and 'id="run-audit"' not in page


def test_listings_never_audited_offer_the_audit_which_queues_and_reports_its_progress(imported):
    shop, client = imported
    page = client.get("/listings/").content.decode()
    assert 'id="health-never"' in page and 'id="run-audit"' in page
    try:
        done = client.post("/listings/audit/", HTTP_HX_REQUEST="true").content.decode()  # huey runs it at once
        assert 'id="audit-done"' in done and "hx-trigger" not in done
        assert ListingAudit.objects.filter(shop=shop).count() == 3
        assert client.post("/listings/audit/").status_code == 302  # without JavaScript: back to the page
        assert 'id="audit-done"' in client.get("/listings/audit/progress/").content.decode()
        assert 'id="audit-done"' not in client.get("/listings/").content.decode()  # told once, to the watcher
    finally:
        progress_path(shop).unlink()
    write_progress_file(progress_path(shop), {"status": "running", "progress": 0.4, "phase": "auditing"})
    try:
        polling = client.get("/listings/audit/progress/").content.decode()
    finally:
        progress_path(shop).unlink()
    assert 'hx-trigger="every 1s"' in polling and 'value="40"' in polling and "auditing" not in polling


def test_rows_are_worst_first_with_flagged_words_highlighted_and_imported_text_escaped(imported):
    shop, client = imported
    audit_listings(shop=shop)
    page = client.get("/listings/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/" in page  # "script" twice: flagged
    assert '<mark class="flag flag-error"' in page and ">最好</mark>" in page
    assert ">淘宝<" in page and ">taobao<" not in page and ">ad_law<" not in page
    assert 'id="sum-audited">3<' in page
    scores = [a.score for a in ListingAudit.objects.filter(shop=shop).order_by("score", "listing_id")]
    rows = page.split('<span class="score ')[1:]
    assert [int(r.split(">")[1].split("<")[0]) for r in rows[:3]] == scores
    detail = client.get(f"/listings/{_listing(shop, '770003').pk}/").content.decode()
    assert "<script>alert" not in detail and "&lt;script&gt;" in detail


def test_filters_by_channel_problem_severity_and_category(imported):
    shop, client = imported
    audit_listings(shop=shop)
    cup = _listing(shop, "770001")
    assert 'id="list-empty"' in client.get("/listings/?channel=tmall").content.decode()
    by_rule = client.get("/listings/?rule=ad_law").content.decode()
    assert f"/listings/{cup.pk}/" in by_rule and f"/listings/{_listing(shop, '770002').pk}/\"" not in by_rule
    assert 'id="list-empty"' not in client.get("/listings/?severity=error").content.decode()
    category = cup.product.category.code
    in_category = client.get(f"/listings/?category={category}").content.decode()
    assert f"/listings/{cup.pk}/" in in_category and f"/listings/{_listing(shop, '770002').pk}/\"" not in in_category
    assert 'id="list-empty"' not in client.get("/listings/?rule=unknown").content.decode()  # ignored


def test_pages_never_render_every_row(imported, monkeypatch):
    shop, client = imported
    audit_listings(shop=shop)
    monkeypatch.setattr(views_health, "PAGE_SIZE", 2)
    first = client.get("/listings/").content.decode()
    assert first.count('<span class="score ') == 2 and "page=2" in first
    second = client.get("/listings/?page=2").content.decode()
    assert second.count('<span class="score ') == 1


def test_the_xlsx_export_holds_every_filtered_audit_in_words(imported):
    shop, client = imported
    audit_listings(shop=shop)
    response = client.get("/listings/?export=xlsx&severity=error")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + ListingAudit.objects.filter(shop=shop, problems__icontains='"severity": "error"').count()
    assert {row[2] for row in rows[1:]} == {"淘宝"} and all("error" not in str(row[6]) for row in rows[1:])


def test_a_changed_title_shows_its_audit_as_stale_and_the_listing_page_audits_it_again(imported):
    shop, client = imported
    audit_listings(shop=shop)
    cup = _listing(shop, "770001")
    Listing.objects.filter(pk=cup.pk).update(title="最生活 保温杯 316不锈钢 大容量")
    page = client.get("/listings/").content.decode()
    assert page.count('class="tag stale"') == 1
    detail = client.get(f"/listings/{cup.pk}/").content.decode()
    assert ListingAudit.objects.get(listing=cup).title == "最生活 保温杯 316不锈钢 大容量"
    assert "<mark" not in detail.split('id="listing-title"')[1].split("</p>")[0]


def test_the_listing_page_explains_the_score_and_loads_its_panels_after_it(imported):
    shop, client = imported
    cup = _listing(shop, "770001")
    page = client.get(f"/listings/{cup.pk}/").content.decode()  # never audited: audited on the spot
    audit = ListingAudit.objects.get(listing=cup)
    assert f'score big {views_health.band(audit.score)}">{audit.score}<' in page
    assert page.count("<tr><td>") >= len(audit.components) and ">最好</mark>" in page
    for url in (f"/keywords/listings/{cup.pk}/suggestion/", f"/listings/{cup.pk}/title/",
                f"/competitors/rivals/{cup.pk}/"):
        assert f'hx-get="{url}"' in page
    assert "770001" in page and f"/products/{cup.product_id}/" in page
    product = client.get(f"/products/{cup.product_id}/").content.decode()
    assert f'href="/listings/{cup.pk}/"' in product


def test_another_shops_listing_is_not_found(imported, shop):
    _new, client = imported
    other = Listing.objects.filter(shop=shop).first()
    assert client.get(f"/listings/{other.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["ads", "service", "viewer"])
def test_readers_see_the_page_without_the_audit_button_and_may_not_run_it(client_as, shop, role):
    client = client_as(role)
    page = client.get("/listings/")
    assert page.status_code == 200 and 'id="run-audit"' not in page.content.decode()
    assert client.post("/listings/audit/").status_code == 403


def test_the_demo_shop_is_audited_and_read_page_by_page(client_as, shop):
    summary = audit_listings(shop=shop)
    assert summary["audited"] > 0
    client = client_as("operator")
    page = client.get("/listings/").content.decode()
    assert 'id="run-audit"' in page and 'id="health-table"' in page
    assert page.count('<span class="score ') == min(summary["audited"], views_health.PAGE_SIZE)
    worst = ListingAudit.objects.filter(shop=shop).order_by("score", "listing_id").first()
    assert client.get(f"/listings/{worst.listing_id}/").status_code == 200


def test_title_pieces_merge_overlapping_spans_and_skip_spans_that_no_longer_match():
    title = "最好的保温杯"
    problems = [{"rule": "ad_law", "severity": "error", "span": "最好", "start": 0, "end": 2},
                {"rule": "repeated_word", "severity": "warning", "span": "好的", "start": 1, "end": 3},
                {"rule": "title_length", "severity": "error", "span": "不对", "start": 4, "end": 6}]
    assert title_pieces(title, problems) == [Piece("最", ("ad_law",), "error"),
                                             Piece("好", ("ad_law", "repeated_word"), "error"),
                                             Piece("的", ("repeated_word",), "warning"), Piece("保温杯")]
    assert title_pieces("", problems) == []
