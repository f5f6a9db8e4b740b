"""The listing audit in a new shop built only from imports (a Taobao catalog export): audits saved, to-dos
raised and closed, selectors, the CLI and API JSON contracts (docs/rules/listings.md#audit)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shopops.accounts.management.commands.shop import shop_open
from shopops.catalog.models import Listing
from shopops.imports.services import import_job_create
from shopops.imports.tasks import import_job_task
from shopops.listings.models import ListingAudit, ShopWord
from shopops.listings.selectors import audits as selectors
from shopops.listings.selectors.dictionary import shop_words
from shopops.listings.services.audits import audit_listings
from shopops.reports.models import TodoItem
from tests.import_files import import_file, write_csv
from tests.imports.test_catalog_import import TAOBAO_HEADER

ROWS = [
    ["最生活 最好的保温杯 316不锈钢 大容量", "家居/杯具", "49.00", "100", "CI-CUP", "", "", "", "", "770001", "出售中"],
    ["最生活 加绒卫衣 BZ-YQ1722 男款", "男装/卫衣", "129.00", "30", "CI-HOOD", "颜色:黑;尺码:L", "CI-HOOD-L", "5001",
     "129.00", "770002", "出售中"],
]


@pytest.fixture
def imported(db, tmp_path):
    shop, _admin, _created, _accounts = shop_open(code="listings-new", name="新店", admin_username="listings-admin",
                                                  admin_password="Listings-pass-2026")
    summary = import_file(shop, "taobao-items", write_csv(tmp_path / "items.csv", TAOBAO_HEADER, ROWS, encoding="gbk"))
    assert summary["status"] == "done", summary["errors"]
    ShopWord.objects.create(shop=shop, word="最生活", kind=ShopWord.Kind.BRAND)
    return shop


def _cup(shop) -> Listing:
    return Listing.objects.get(shop=shop, external_id="770001")


def test_the_dictionary_selector_gives_every_kind(imported):
    words = shop_words(imported)
    assert words["brand"] == ("最生活",) and words["rival_brand"] == () and set(words) >= {"model", "allowed"}


def test_a_new_shop_is_audited_with_a_todo_per_listing_with_errors_closed_when_fixed(imported):
    summary = audit_listings(shop=imported)
    assert summary["audited"] == 2 and summary["with_errors"] == 1 and summary["todos_raised"] == 1
    cup = ListingAudit.objects.get(listing=_cup(imported))
    assert [(p["rule"], p["span"]) for p in cup.problems if p["rule"] == "ad_law"] == [("ad_law", "最好")]
    assert cup.worst_severity == "error" and cup.problem_count == len(cup.problems) and cup.channel == "taobao"
    assert set(cup.components) == {"title", "compliance", "attributes", "media", "images"}
    hood = ListingAudit.objects.exclude(pk=cup.pk).get(shop=imported)
    assert "ad_law" not in [p["rule"] for p in hood.problems]  # 最生活 is our brand, BZ-YQ1722 one word
    todo = TodoItem.objects.get(shop=imported, source="listing")
    assert todo.key == f"listing:{cup.listing_id}" and todo.status == "open" and "770001" in todo.title
    assert todo.url == f"/listings/{cup.listing_id}/"  # the listing page (listings:detail)

    again = audit_listings(shop=imported)  # nothing changed: no to-do touched
    assert again["todos_raised"] == 0 and again["todos_closed"] == 0
    Listing.objects.filter(pk=cup.listing_id).update(title="最生活 保温杯 316不锈钢 大容量")
    fixed = audit_listings(shop=imported)
    assert fixed["todos_closed"] == 1 and fixed["with_errors"] == 0
    assert TodoItem.objects.get(shop=imported, source="listing").status == "done"


def test_the_todo_of_a_listing_that_is_gone_is_closed(imported):
    audit_listings(shop=imported)
    _cup(imported).delete()
    assert audit_listings(shop=imported)["todos_closed"] == 1
    assert TodoItem.objects.get(shop=imported, source="listing").status == "done"


def test_selectors_filter_and_order_worst_first(imported):
    audit_listings(shop=imported)
    everything = list(selectors.audits(shop=imported))
    assert [a.score for a in everything] == sorted(a.score for a in everything)
    assert [a.listing.external_id for a in selectors.audits(shop=imported, rule="ad_law")] == ["770001"]
    assert [a.listing.external_id for a in selectors.audits(shop=imported, severity="error")] == ["770001"]
    assert list(selectors.audits(shop=imported, severity="fatal")) == []
    assert list(selectors.audits(shop=imported, channel="douyin")) == []
    assert len(selectors.audits(shop=imported, category=everything[0].listing.product.category.code)) >= 1
    row = selectors.audit_xlsx_row(selectors.listing_audit(shop=imported, listing_id=_cup(imported).pk))
    assert tuple(row) == selectors.AUDIT_COLUMNS and row["channel"] == "淘宝" and "最好" in row["problems"]


def test_the_progress_of_a_tracked_run_is_readable(imported):
    from shopops.listings.tasks import queue_audit

    assert selectors.audit_progress(shop=imported)["status"] in {"idle", "done"}
    queue_audit(shop=imported)  # huey runs tasks at once in the tests
    state = selectors.audit_progress(shop=imported)
    assert state["status"] == "done" and state["progress"] == 1.0 and state["summary"]["audited"] == 2


def test_cli_audit_json_contract(imported):
    out = io.StringIO()
    call_command("listings", "audit", "--shop", imported.code, "--json", "-v", "0", stdout=out)
    items = json.loads(out.getvalue())
    assert len(items) == 2 and set(items[0]) >= {"listing", "item_id", "channel", "score", "problems"}
    cup = next(i for i in items if i["item_id"] == "770001")
    assert cup["listing"] == _cup(imported).pk
    assert set(cup["problems"][0]) >= {"rule", "severity", "message", "span"}
    assert any(p["rule"] == "ad_law" and p["span"] == "最好" for p in cup["problems"])


def test_cli_check_json_contract_channel_by_chinese_name(imported):
    out = io.StringIO()
    call_command("listings", "check", "--shop", imported.code, "--channel", "淘宝", "--title",
                 "2024新款iPhone15手机壳", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["channel"] == "taobao" and result["length"] == {"value": 22, "limit": 60, "unit": "gbk_bytes"}
    assert set(result) == {"channel", "title", "length", "score", "problems"} and 0 <= result["score"] <= 100


@pytest.mark.parametrize("args", [["check", "--channel", "火星", "--title", "杯"], ["check", "--title", "杯"],
                                  ["check", "--channel", "tmall", "--title", " "], ["audit", "--channel", "x"]])
def test_cli_bad_input_exits_2(imported, args):
    with pytest.raises(CommandError) as refused:
        call_command("listings", *args, "--shop", imported.code, stdout=io.StringIO())
    assert refused.value.returncode == 2 and str(refused.value).strip()


def test_api_contracts(shop, api_as):
    operator = api_as("operator")
    checked = operator.post("/api/v1/listings/check", {"channel": "天猫", "title": "最好的保温杯"},
                            content_type="application/json")
    assert checked.status_code == 200, checked.content
    body = checked.json()
    assert body["channel"] == "tmall" and [p["span"] for p in body["problems"] if p["rule"] == "ad_law"] == ["最好"]
    bad = operator.post("/api/v1/listings/check", {"channel": "火星", "title": "杯"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "channel"

    queued = operator.post("/api/v1/listings/audit", {"channel": "tmall"}, content_type="application/json")
    assert queued.status_code == 202 and queued.json()["status"] == "done"
    listed = operator.get("/api/v1/listings?limit=5")
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert listed.json()["count"] >= len(items) > 0 and all(i["channel"] == "tmall" for i in items)
    assert [i["score"] for i in items] == sorted(i["score"] for i in items)
    one = operator.get(f"/api/v1/listings/{items[0]['listing']}")
    assert one.status_code == 200 and one.json()["listing"] == items[0]["listing"]
    assert operator.get(f"/api/v1/listings/{2**62}").status_code == 404
    assert api_as("viewer").post("/api/v1/listings/audit", {}, content_type="application/json").status_code == 403


def test_cli_text_output_in_english(imported):
    out = io.StringIO()
    call_command("listings", "audit", "--shop", imported.code, "--language", "en", "-v", "0", stdout=out)
    text = out.getvalue()
    assert "Taobao" in text and "“最好” is forbidden by the Advertising Law" in text and "2 listings audited." in text
    out = io.StringIO()
    call_command("listings", "check", "--shop", imported.code, "--channel", "douyin", "--title", "🔥" + "杯" * 30,
                 "--language", "en", stdout=out)
    assert "length 31 / 30 characters" in out.getvalue() and "Emoji are not allowed" in out.getvalue()


def test_a_catalog_import_audits_the_listings_from_the_command_and_in_the_worker(db, tmp_path):
    """After `shopops import taobao-items` (and after a web upload, in the worker) the listings are audited: the
    health page, the scores and the to-dos are current without anyone pressing the button."""
    shop, _admin, _created, _accounts = shop_open(code="listings-cli", name="新店", admin_username="listings-cli",
                                                  admin_password="Listings-pass-2026")
    path = write_csv(tmp_path / "items.csv", TAOBAO_HEADER, ROWS, encoding="gbk")
    out = io.StringIO()
    call_command("import", "taobao-items", str(path), "--shop", shop.code, "--no-warm-up", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["listings_audit"]["audited"] == 2 and summary["listings_audit"]["with_errors"] >= 1
    assert ListingAudit.objects.filter(shop=shop).count() == 2
    assert "competitors" not in summary

    ListingAudit.objects.filter(shop=shop).delete()
    job = import_job_create(shop=shop, format_name="taobao-items",
                            path=str(write_csv(tmp_path / "items2.csv", TAOBAO_HEADER,
                                               [[*ROWS[0][:2], "59.00", *ROWS[0][3:]], ROWS[1]], encoding="gbk")))
    import_job_task.call_local(job.pk)  # the worker's task, run here (a changed price: data changed)
    assert ListingAudit.objects.filter(shop=shop).count() == 2
