"""A listing's SKUs as each platform knows them: upserted idempotently, all or nothing, a platform SKU id once per
listing, shown on the product page with the channel's Chinese name and in the product API."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shopops.catalog.domain import ListingSkuInput
from shopops.catalog.models import Listing, ListingSku
from shopops.catalog.services import UpsertCounts, listing_skus_upsert, listing_upsert
from shopops.channels.models import ChannelAccount
from shopops.core.errors import InvalidInput
from tests.catalog.tree import make_product, make_tree


@pytest.fixture
def listed(shop):
    make_tree(shop)
    product = make_product(shop, "t-lianyiqun", skus=("T-SKU-1", "T-SKU-2"))
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    listing, created = listing_upsert(shop=shop, product=product, channel_account_id=account.pk,
                                      title="碎花连衣裙 天猫", external_id="6543210", url="https://detail.tmall.com/item.htm?id=6543210")
    assert created
    return product, listing


def test_upsert_is_idempotent_and_updates_what_changed(listed):
    _product, listing = listed
    rows = [ListingSkuInput("T-SKU-1", "500001", "199.00"), ListingSkuInput("T-SKU-2", "500002", "209.00")]
    assert listing_skus_upsert(listing=listing, rows=rows) == UpsertCounts(2, 0, 0)
    assert listing_skus_upsert(listing=listing, rows=rows) == UpsertCounts(0, 0, 2)
    changed = [ListingSkuInput("T-SKU-1", "500001", "189.00", "offline"), ListingSkuInput("T-SKU-2", "", None)]
    assert listing_skus_upsert(listing=listing, rows=changed) == UpsertCounts(1, 1, 0)  # no platform id: keyed by our SKU
    first = ListingSku.objects.get(listing=listing, platform_sku_id="500001")
    assert (first.price_fen, first.status) == (18900, "offline")
    assert ListingSku.objects.filter(listing=listing).count() == 3


def test_listing_upsert_updates_in_place(listed, shop):
    product, listing = listed
    again, created = listing_upsert(shop=shop, product=product, channel_account_id=listing.channel_account_id,
                                    title="新标题", external_id="6543210")
    assert not created and again.pk == listing.pk and again.title == "新标题" and again.url == ""
    assert Listing.objects.filter(product=product).count() == 1


def test_bad_rows_write_nothing(listed):
    _product, listing = listed
    with pytest.raises(InvalidInput) as exc:
        listing_skus_upsert(listing=listing, rows=[ListingSkuInput("T-SKU-1", "1", "9.00"),
                                                   ListingSkuInput("NO-SUCH", "2", "9.00"),
                                                   ListingSkuInput("T-SKU-2", "1", "x"),
                                                   ListingSkuInput("T-SKU-2", "3", "1.00", "gone")])
    assert [e.field for e in exc.value.errors] == ["skus[2].platform_sku_id", "skus[2].price", "skus[3].status",
                                                   "skus[1].sku_code"]
    assert not ListingSku.objects.filter(listing=listing).exists()
    with pytest.raises(InvalidInput) as exc:
        listing_skus_upsert(listing=listing, rows=[ListingSkuInput("T-SKU-1"), ListingSkuInput("T-SKU-1")])
    assert [e.field for e in exc.value.errors] == ["skus[1].sku_code"]


def test_a_platform_sku_id_is_unique_per_listing_when_given(listed, shop):
    _product, listing = listed
    listing_skus_upsert(listing=listing, rows=[ListingSkuInput("T-SKU-1", "777", "1.00")])
    sku = ListingSku.objects.get(listing=listing).sku
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingSku.objects.create(shop=shop, listing=listing, sku=sku, platform_sku_id="777")
    ListingSku.objects.create(shop=shop, listing=listing, sku=sku, platform_sku_id="")
    ListingSku.objects.create(shop=shop, listing=listing, sku=sku, platform_sku_id="")  # empty ids may repeat


def test_bad_listing_fields_are_refused(listed, shop):
    product, listing = listed
    with pytest.raises(InvalidInput) as exc:
        listing_upsert(shop=shop, product=product, channel_account_id=listing.channel_account_id, title=" ",
                       url="javascript:alert(1)", status="gone")
    assert {e.field for e in exc.value.errors} == {"title", "url", "status"}


def test_product_page_and_api_show_the_platform_skus(listed, client_as, api_as):
    product, listing = listed
    listing_skus_upsert(listing=listing, rows=[ListingSkuInput("T-SKU-1", "500001", "199.00")])
    html = client_as("viewer").get(f"/products/{product.pk}/").content.decode()
    assert "天猫" in html and "500001" in html and "https://detail.tmall.com/item.htm?id=6543210" in html
    assert "服饰 › 女装 › 连衣裙" in html
    body = api_as("viewer").get(f"/api/v1/products/{product.pk}").json()
    [out] = body["listings"]
    assert out["url"].startswith("https://detail.tmall.com") and out["external_id"] == "6543210"
    assert out["skus"] == [{"sku_code": "T-SKU-1", "platform_sku_id": "500001", "price": "199.00",
                            "status": "online"}]
