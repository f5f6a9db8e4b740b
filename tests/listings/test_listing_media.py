"""Pictures added to a listing by hand (docs/rules/listings.md#media, #images): kept under the data directory,
recorded with their real size, opened by the audit with Pillow; bad files refused with nothing changed; in a new
shop built only from a Taobao item export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from PIL import Image

from shopops.accounts.management.commands.shop import shop_open
from shopops.core.errors import InvalidInput
from shopops.listings.models import ListingAudit
from shopops.listings.services.media import MAX_UPLOAD_BYTES, listing_image_add, listing_media_remove
from tests.listings.test_health_pages import _listing


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _png(width: int, height: int, colour: tuple[int, int, int] = (255, 255, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def _rules(shop, listing) -> set[str]:
    return {p["rule"] for p in ListingAudit.objects.get(shop=shop, listing=listing).problems}


def test_a_small_main_image_is_kept_recorded_and_checked_by_its_real_size(imported):
    shop, _client = imported
    listing = _listing(shop, "770001")
    item = listing_image_add(shop=shop, listing_id=listing.pk, kind="main", file_name="a.png", content=_png(300, 200))
    assert (item["width"], item["height"], item["kind"]) == (300, 200, "main")
    assert (Path(settings.DATA_DIR) / item["path"]).read_bytes() == _png(300, 200)
    listing.refresh_from_db()
    assert listing.media[-1]["path"] == item["path"]
    rules = _rules(shop, listing)  # Taobao asks for square images of at least 800 px (docs/rules/listings.md)
    assert {"image_size", "image_ratio"} <= rules and "media_unknown" not in rules


def test_a_white_picture_added_as_white_background_passes_the_white_border_check(imported):
    shop, _client = imported
    listing = _listing(shop, "770001")
    listing_image_add(shop=shop, listing_id=listing.pk, kind="white", file_name="w.png", content=_png(800, 800))
    assert "white_background" not in _rules(shop, listing)
    listing_image_add(shop=shop, listing_id=listing.pk, kind="white", file_name="d.png",
                      content=_png(800, 800, (30, 30, 30)))
    assert "white_background" in _rules(shop, listing)


@pytest.mark.parametrize(("kind", "content", "field"), [
    ("main", b"", "file"),
    ("main", b"not a picture at all", "file"),
    ("main", b"\x89PNG" + b"0" * MAX_UPLOAD_BYTES, "file"),
    ("video", None, "kind"),
])
def test_bad_input_names_the_field_and_changes_nothing(imported, kind, content, field):
    shop, _client = imported
    listing = _listing(shop, "770001")
    before = (listing.media, sorted(p.name for p in (Path(settings.DATA_DIR) / "listing-media").rglob("*")))
    with pytest.raises(InvalidInput) as caught:
        listing_image_add(shop=shop, listing_id=listing.pk, kind=kind, file_name="x",
                          content=_png(800, 800) if content is None else content)
    assert field in {e.field for e in caught.value.errors}
    listing.refresh_from_db()
    assert (listing.media, sorted(p.name for p in (Path(settings.DATA_DIR) / "listing-media").rglob("*"))) == before


def test_removing_an_added_picture_removes_its_file_and_audits_again(imported):
    shop, _client = imported
    listing = _listing(shop, "770001")
    item = listing_image_add(shop=shop, listing_id=listing.pk, kind="main", file_name="a.png", content=_png(300, 200))
    listing.refresh_from_db()
    removed = listing_media_remove(shop=shop, listing_id=listing.pk, index=len(listing.media) - 1)
    assert removed["path"] == item["path"] and not (Path(settings.DATA_DIR) / item["path"]).exists()
    assert "image_size" not in _rules(shop, listing)


def test_the_listing_page_adds_lists_and_removes_a_picture(imported):
    shop, client = imported
    listing = _listing(shop, "770002")
    upload = io.BytesIO(_png(900, 900))
    upload.name = "主图.png"
    response = client.post(f"/listings/{listing.pk}/media/", {"kind": "main", "file": upload})
    assert response.status_code == 302
    page = client.get(f"/listings/{listing.pk}/").content.decode()
    assert "主图.png" in page and "900×900" in page
    listing.refresh_from_db()
    assert client.post(f"/listings/{listing.pk}/media/{len(listing.media) - 1}/remove/").status_code == 302
    listing.refresh_from_db()
    assert all(item.get("name") != "主图.png" for item in listing.media)


def test_another_shops_listing_is_not_found(imported):
    shop, _client = imported
    _other, admin, _created, _accounts = shop_open(code="media-other", name="别的店", admin_username="mo-admin",
                                                   admin_password="Listings-pass-2026")
    listing = _listing(shop, "770001")
    stranger = Client()
    stranger.force_login(admin)
    upload = io.BytesIO(_png(900, 900))
    upload.name = "x.png"
    assert stranger.post(f"/listings/{listing.pk}/media/", {"kind": "main", "file": upload}).status_code == 404
