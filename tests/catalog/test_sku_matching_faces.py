"""The 商品匹配 page, /api/v1/sku-matching and `shopops catalog matching`: list the unmatched lines, map, create a
SKU from a line, unmatch; refused for a read-only role; pages leaving unmatched lines out say so."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shopops.catalog.models import Sku, SkuMapping
from shopops.channels.services import channel_account_ensure
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.orders.models import OrderLine
from tests.imports.matching_files import NO_CODE_TITLE, UNKNOWN, orders_and_items

ACCOUNT = "匹配页面测试店"
NO_CODE_KEY = "title:无码羊毛围巾 冬季加厚|颜色:红色"


@pytest.fixture
def imported(shop, tmp_path):
    """The matching sample imported into its own Tmall account: 3 unmatched lines in 2 groups."""
    account = channel_account_ensure(shop=shop, channel="tmall", name=ACCOUNT)
    known = Sku.objects.filter(shop=shop).order_by("pk").first()
    orders, items, _numbers = orders_and_items(tmp_path, known.sku_code, prefix="77")
    job = import_job_create(shop=shop, format_name="taobao-orders", path=str(orders), items_path=str(items),
                            channel_account=ACCOUNT)
    summary = import_summary(import_job_run(job_id=job.pk))
    assert summary["unmatched_lines"] == 3
    account.job_id = summary["job"]
    return account


def test_the_import_page_counts_the_unmatched_lines_and_links_to_matching(imported, client_as):
    text = client_as("operator").get(f"/imports/{imported.job_id}/").content.decode()
    row = text[text.index('id="unmatched-lines"'):]
    assert ">3 · <a href=\"/skus/matching/\"" in row[:row.index("</tr>")]


def test_the_page_lists_the_groups_in_chinese_and_maps_one(shop, imported, client_as):
    client = client_as("operator")
    page = client.get("/skus/matching/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'lang="zh-hans"' in text or "zh-hans" in text
    assert NO_CODE_TITLE in text and UNKNOWN in text
    assert f"天猫 · {ACCOUNT}" in text  # the channel by its Chinese name
    target = Sku.objects.filter(shop=shop).order_by("-pk").first()
    done = client.post("/skus/matching/", {"action": "map", "account": imported.pk, "key": f"code:{UNKNOWN}",
                                           "sku": target.sku_code})
    assert done.status_code == 302
    assert OrderLine.objects.filter(shop=shop, order__channel_account=imported, sku=target).count() == 2
    mapping = SkuMapping.objects.get(shop=shop, channel_account=imported)
    assert target.sku_code in client.get("/skus/matching/").content.decode()
    client.post("/skus/matching/", {"action": "unmap", "mapping": mapping.pk})
    assert not SkuMapping.objects.filter(pk=mapping.pk).exists()
    assert OrderLine.objects.filter(shop=shop, order__channel_account=imported, sku__isnull=True).count() == 3


def test_the_page_shows_the_unmatched_gmv_once_as_money(imported, client_as):
    """The summary's GMV is the money filter's ``¥132.42`` (¥87.42 of the unknown code, ¥45.00 without one), not
    ``¥¥132.42`` of a yen sign written before it again."""
    text = client_as("operator").get("/skus/matching/").content.decode()
    summary = text[text.index('id="unmatched-summary"'):]
    summary = summary[:summary.index("</p>")]
    assert "¥132.42" in summary and "¥¥" not in text


def test_the_page_creates_a_sku_from_a_line_and_says_what_went_wrong(shop, imported, client_as):
    client = client_as("operator")
    client.post("/skus/matching/", {"action": "create", "account": imported.pk, "key": NO_CODE_KEY,
                                    "sku_code": "PAGE-SCARF"})
    sku = Sku.objects.get(shop=shop, sku_code="PAGE-SCARF")
    assert OrderLine.objects.get(shop=shop, order__order_no="7703").sku_id == sku.pk
    refused = client.post("/skus/matching/", {"action": "map", "account": imported.pk, "key": f"code:{UNKNOWN}",
                                              "sku": "NO-SUCH-SKU"}, follow=True)
    assert refused.status_code == 200
    assert not SkuMapping.objects.filter(shop=shop, match_key=f"code:{UNKNOWN}").exists()
    assert list(refused.context["messages"])


def test_a_read_only_role_is_refused(shop, imported, client_as, api_as):
    assert client_as("viewer").get("/skus/matching/").status_code == 403
    assert client_as("viewer").post("/skus/matching/", {"action": "map", "account": imported.pk,
                                                        "key": NO_CODE_KEY, "sku": "x"}).status_code == 403
    refused = api_as("viewer").post("/api/v1/sku-matching", {"channel_account_id": imported.pk, "key": NO_CODE_KEY,
                                                             "new_sku_code": "VIEWER-SKU"},
                                    content_type="application/json")
    assert refused.status_code == 403
    assert not Sku.objects.filter(shop=shop, sku_code="VIEWER-SKU").exists()


def test_the_api_lists_maps_and_unmaps(shop, imported, api_as):
    api = api_as("operator")
    unmatched = api.get("/api/v1/sku-matching/unmatched").json()
    mine = [item for item in unmatched["items"] if item["channel_account"] == ACCOUNT]
    assert {item["key"] for item in mine} == {f"code:{UNKNOWN}", NO_CODE_KEY}
    assert all(item["channel_name"] == "天猫" for item in mine)
    target = Sku.objects.filter(shop=shop).order_by("-pk").first()
    made = api.post("/api/v1/sku-matching", {"channel_account_id": imported.pk, "key": f"code:{UNKNOWN}",
                                             "sku_id": target.pk}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["lines"] == 2
    listed = api.get("/api/v1/sku-matching").json()
    assert set(listed) == {"items", "count"} and listed["count"] >= 1
    assert any(item["sku_code"] == target.sku_code for item in listed["items"])
    bad = api.post("/api/v1/sku-matching", {"channel_account_id": imported.pk, "key": "code:nothing-like-it",
                                            "sku_id": target.pk}, content_type="application/json")
    assert bad.status_code == 422
    gone = api.delete(f"/api/v1/sku-matching/{made.json()['id']}")
    assert gone.status_code == 200 and gone.json()["sku_id"] is None
    assert api.delete(f"/api/v1/sku-matching/{made.json()['id']}").status_code == 404


def _cli(*args: str) -> str:
    out = io.StringIO()
    call_command("catalog", "matching", *args, "--shop", "demo", stdout=out)
    return out.getvalue()


def test_the_cli_lists_maps_and_unmaps(shop, imported):
    unmatched = json.loads(_cli("unmatched", "--json"))
    assert any(item["key"] == NO_CODE_KEY for item in unmatched["items"])
    made = json.loads(_cli("map", ACCOUNT, NO_CODE_KEY, "CLI-SCARF", "--new", "--json"))
    assert made["lines"] == 1 and Sku.objects.filter(shop=shop, sku_code="CLI-SCARF").exists()
    assert any(item["sku_code"] == "CLI-SCARF" for item in json.loads(_cli("list", "--json"))["items"])
    assert json.loads(_cli("unmap", str(made["id"]), "--json"))["lines"] == 1
    for bad in (("map", "no-such-account", NO_CODE_KEY, "X"), ("map", ACCOUNT, NO_CODE_KEY, "NO-SUCH-SKU"),
                ("unmap", "abc"), ("unmap", "999999"), ("frobnicate",), ("map", ACCOUNT)):
        with pytest.raises(CommandError) as exc:
            _cli(*bad)
        assert exc.value.returncode == 2, (bad, str(exc.value))


def test_pages_that_leave_unmatched_lines_out_say_so(shop, imported, client_as):
    page = client_as("operator").get("/analytics/products/?from=2026-12-01&to=2026-12-03")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="unmatched-notice"' in text and "/skus/matching/" in text
    assert 'id="unmatched-notice"' not in client_as("operator").get(
        "/analytics/products/?from=2026-11-01&to=2026-11-02").content.decode()
