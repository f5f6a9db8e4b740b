"""The title form with its history (a page, and a fragment for htmx), and the title API: editors change, every
reader sees the history; "no data" and partial windows are said, never a 0 %."""

from __future__ import annotations

import json

import pytest

from shopops.catalog.models import Listing
from shopops.listings.models import ListingRevision


@pytest.fixture
def listing(shop):
    return Listing.objects.filter(shop=shop).select_related("channel_account").first()


def test_an_operator_edits_the_title_and_sees_the_history(client_as, listing):
    client = client_as("operator")
    url = f"/listings/{listing.pk}/title/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="title"' in page.content.decode() and "<html" in page.content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    saved = client.post(f"/listings/{listing.pk}/title/save/", {"title": listing.title + " 新款", "subtitle": "",
                                                                "note": "测试"})
    assert saved.status_code == 302 and saved["Location"] == url
    revision = ListingRevision.objects.get(listing_id=listing.pk, field="title")
    assert revision.added == ["新款"] and revision.changed_by.username == "operator"
    text = client.get(url).content.decode()
    assert "新款" in text and "data-revision" in text and 'data-window="after"' in text
    assert "data-no-data" in text or "data-partial" in text  # changed today: nothing after it yet
    assert "0.0%" not in text


def test_a_bad_title_shows_the_reason_beside_the_field_and_saves_nothing(client_as, listing):
    response = client_as("admin").post(f"/listings/{listing.pk}/title/save/", {"title": " ", "subtitle": ""})
    assert response.status_code == 422 and 'data-field="title"' in response.content.decode()
    assert not ListingRevision.objects.filter(listing_id=listing.pk).exists()


@pytest.mark.parametrize("role", ["ads", "service", "viewer"])
def test_readers_see_the_history_without_the_form(client_as, listing, role):
    client = client_as(role)
    page = client.get(f"/listings/{listing.pk}/title/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    assert client.post(f"/listings/{listing.pk}/title/save/", {"title": "x"}).status_code == 403


def test_another_shops_listing_is_absent(client_as, second_shop):
    other = Listing.objects.filter(shop=second_shop.shop).first()
    if other is None:
        pytest.skip("the second shop has no listing")
    assert client_as("operator").get(f"/listings/{other.pk}/title/").status_code == 404


def test_the_api_changes_the_title_and_gives_the_history(api_as, listing):
    client = api_as("operator")
    changed = client.patch(f"/api/v1/listings/{listing.pk}/title",
                           data=json.dumps({"title": listing.title + " 新款", "note": "api"}),
                           content_type="application/json")
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["title"].endswith(" 新款") and body["revisions"][0]["added"] == ["新款"]
    same = client.patch(f"/api/v1/listings/{listing.pk}/title", data=json.dumps({"title": body["title"]}),
                        content_type="application/json")
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "title"
    history = api_as("viewer").get(f"/api/v1/listings/{listing.pk}/history")
    assert history.status_code == 200
    (item,) = history.json()["items"]
    assert item["by"] == "operator" and item["note"] == "api"
    after = item["traffic"]["after"]
    assert after["status"] == "not_started" and after["partial"] and after["cvr"] is None
    assert set(item["traffic"]["before"]) >= {"from", "to", "days", "partial", "status", "uv", "pv", "buyers", "cvr",
                                              "gmv"}
    assert api_as("viewer").patch(f"/api/v1/listings/{listing.pk}/title", data=json.dumps({"title": "x"}),
                                  content_type="application/json").status_code == 403
    assert client.get("/api/v1/listings/999999999/history").status_code == 404


def test_htmx_saves_and_swaps_in_the_fragment(client_as, listing):
    response = client_as("operator").post(f"/listings/{listing.pk}/title/save/",
                                          {"title": listing.title + " 加厚", "subtitle": "", "note": ""},
                                          HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text and 'id="title-history"' in text and "加厚" in text
