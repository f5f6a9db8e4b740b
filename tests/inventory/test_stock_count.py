"""Stock counts (盘点): differences posted as ledger adjustments, idempotent, all or nothing; the 盘点 page."""

from __future__ import annotations

import datetime as dt

import pytest

from shopops.core.errors import InvalidInput
from shopops.inventory import services
from shopops.inventory.models import Balance, StockMove
from shopops.inventory.services import CountLine

T0 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def skus(shop):
    from shopops.catalog.selectors import skus_by_code

    return sorted(skus_by_code(shop=shop).values(), key=lambda s: s.sku_code)[:2]


@pytest.fixture
def store(shop):
    return services.location_create(shop=shop, code="store-1", name="一号门店", kind="store")


def _on_hand(sku, location) -> int:
    balance = Balance.objects.filter(sku=sku, location=location).first()
    return balance.on_hand if balance else 0


def test_count_posts_each_difference_once_as_an_adjustment(shop, skus, store):
    a, b = skus
    main = services.location_default(shop=shop)
    before = _on_hand(a, main)
    counts = [CountLine(a.sku_code, "", before + 7, 2), CountLine(b.sku_code, "一号门店", 3, 3, note="货架B"),
              CountLine(a.sku_code, "store-1", 0, 4)]  # the new store holds nothing yet
    preview = services.stock_count_preview(shop=shop, counts=counts)
    assert [(d.on_hand, d.counted, d.difference) for d in preview] == [(before, before + 7, 7), (0, 3, 3), (0, 0, 0)]
    assert not StockMove.objects.filter(shop=shop, ref="count-1").exists()  # the preview writes nothing
    result = services.stock_count_apply(shop=shop, counts=counts, reason="期初盘点", ref="count-1")
    assert result.created and result.posted == 2
    moves = list(StockMove.objects.filter(shop=shop, ref="count-1").order_by("line"))
    assert [(m.sku_id, m.location_id, m.qty, m.type, m.line, m.note) for m in moves] == [
        (a.pk, main.pk, 7, "adjustment", 0, "期初盘点"), (b.pk, store.pk, 3, "adjustment", 1, "期初盘点 · 货架B")]
    assert (_on_hand(a, main), _on_hand(b, store), _on_hand(a, store)) == (before + 7, 3, 0)


def test_applying_the_same_count_again_posts_nothing(shop, skus):
    a = skus[0]
    counts = [CountLine(a.sku_code, "", 11, 2)]
    first = services.stock_count_apply(shop=shop, counts=counts, reason="盘点", ref="count-2")
    moves = StockMove.objects.filter(shop=shop).count()
    again = services.stock_count_apply(shop=shop, counts=counts, reason="盘点", ref="count-2")
    assert first.created and not again.created and again.posted == 0
    assert StockMove.objects.filter(shop=shop).count() == moves
    # a new count of the same quantity: nothing differs, nothing posted
    same = services.stock_count_apply(shop=shop, counts=counts, reason="盘点", ref="count-3")
    assert same.created and same.posted == 0


def test_a_count_below_the_reserved_units_is_refused_whole(shop, skus):
    a, b = skus
    services.stock_move(shop=shop, sku_code=a.sku_code, qty=5, type="receipt", ref="rc-a")
    services.reservation_create(shop=shop, sku_code=a.sku_code, qty=3, ref="o-count", now=T0)
    main = services.location_default(shop=shop)
    before = (_on_hand(a, main), _on_hand(b, main))
    counts = [CountLine(b.sku_code, "", before[1] + 4, 2), CountLine(a.sku_code, "", 0, 3)]
    with pytest.raises(InvalidInput) as info:
        services.stock_count_apply(shop=shop, counts=counts, reason="盘点", ref="count-4")
    assert [(e.row, e.field) for e in info.value.errors] == [(3, "counted")]
    assert "3" in info.value.errors[0].message  # the reserved units, said
    assert (_on_hand(a, main), _on_hand(b, main)) == before
    assert not StockMove.objects.filter(shop=shop, ref="count-4").exists()


def test_unknown_sku_and_location_are_named_by_row_and_nothing_is_written(shop, skus):
    a = skus[0]
    moves = StockMove.objects.filter(shop=shop).count()
    counts = [CountLine(a.sku_code, "", 9, 2), CountLine("NO-SUCH-SKU", "", 1, 3), CountLine(a.sku_code, "nowhere", 1, 4),
              CountLine(a.sku_code, "", 2, 5)]
    with pytest.raises(InvalidInput) as info:
        services.stock_count_apply(shop=shop, counts=counts, reason="盘点", ref="count-5")
    assert [(e.row, e.field) for e in info.value.errors] == [(3, "sku"), (4, "location"), (5, "sku")]
    assert StockMove.objects.filter(shop=shop).count() == moves
    with pytest.raises(InvalidInput) as info:
        services.stock_count_apply(shop=shop, counts=counts[:1], reason=" ", ref="count-5")
    assert info.value.errors[0].field == "reason"


def test_the_page_previews_then_applies_and_the_ledger_shows_it(shop, skus, client_as):
    a = skus[0]
    main = services.location_default(shop=shop)
    before = _on_hand(a, main)
    client = client_as("operator")
    assert client.get("/stock/").content.decode().count("/stock/count/") >= 1
    page = client.get("/stock/count/")
    assert page.status_code == 200 and 'value="stock-count"' in page.content.decode()
    form = {"action": "preview", "sku_0": a.sku_code, "location_0": main.code, "counted_0": str(before + 5)}
    preview = client.post("/stock/count/", form)
    text = preview.content.decode()
    assert preview.status_code == 200 and "+5" in text and 'name="ref"' in text
    assert not StockMove.objects.filter(shop=shop, sku=a, note="盘点差异").exists()
    ref = text.split('name="ref" value="')[1].split('"')[0]
    applied = client.post("/stock/count/", {**form, "action": "apply", "ref": ref, "reason": "盘点差异"})
    assert applied.status_code == 302
    assert _on_hand(a, main) == before + 5
    assert StockMove.objects.get(shop=shop, ref=ref).qty == 5
    assert client.post("/stock/count/", {**form, "action": "apply", "ref": ref, "reason": "盘点差异"}).status_code == 302
    assert StockMove.objects.filter(shop=shop, ref=ref).count() == 1  # a double submit posts nothing
    assert "盘点差异" in client.get(f"/stock/sku/{a.sku_code}/").content.decode()
    bad = client.post("/stock/count/", {"action": "preview", "sku_0": "NO-SUCH-SKU", "counted_0": "x"})
    assert bad.status_code == 422 and "NO-SUCH-SKU" in bad.content.decode()


def test_a_viewer_may_not_count(client_as):
    viewer = client_as("viewer")
    assert viewer.get("/stock/count/").status_code == 403
    assert viewer.post("/stock/count/", {"action": "apply"}).status_code == 403
