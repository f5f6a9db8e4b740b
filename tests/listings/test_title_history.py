"""Title editing keeps the listing's history: who, when, which words the change added and removed (the shop
dictionary's words kept whole), and the item's UV, PV, buyers, CVR and GMV 14 days before and after — partial
until 14 days have passed, "no data" (never 0 %) without traffic (docs/rules/listings.md#title-history)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.core.clock import today
from shopops.core.errors import InvalidInput
from shopops.listings.models import ListingRevision, ShopWord
from shopops.listings.selectors.titles import WINDOW_DAYS, title_history, windows
from shopops.listings.services.titles import listing_title_change
from shopops.listings.title_diff import word_diff
from tests.listings.titles_world import ITEM, import_behaviour, new_shop_with_listing


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English (the default language is Chinese)."""
    with translation.override("en"):
        yield

NEW_TITLE = "最生活 保温杯 BZ-YQ1722 大容量"


@pytest.fixture(autouse=True)
def own_lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")


@pytest.fixture
def world(db, tmp_path):
    shop, listing = new_shop_with_listing(tmp_path)
    ShopWord.objects.create(shop=shop, word="最生活", kind=ShopWord.Kind.BRAND)
    return shop, listing


def _changed_on(shop, listing, day: dt.date) -> None:
    """Move the listing's revisions to noon of ``day`` in the shop's time zone (the clock cannot be set)."""
    at = dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)  # 12:00 in Asia/Shanghai
    ListingRevision.objects.filter(shop=shop, listing_id=listing.pk).update(changed_at=at)


def test_a_change_is_saved_with_who_when_and_the_words_added_and_removed(world, user_of):
    shop, listing = world
    operator = user_of("operator")
    revisions = listing_title_change(shop=shop, listing=listing, title=NEW_TITLE, by=operator, note="加型号")
    listing.refresh_from_db()
    assert listing.title == NEW_TITLE
    (revision,) = revisions
    assert (revision.field, revision.before, revision.after) == ("title", "最生活 保温杯 500ml", NEW_TITLE)
    assert revision.changed_by == operator and revision.note == "加型号" and revision.changed_at
    assert revision.added == ["BZ-YQ1722", "大容量"] and revision.removed == ["500ml"]
    # the brand is one protected word, never 最 + 生活 (which would read as added/removed pieces)
    assert "最" not in revision.added + revision.removed


def test_subtitle_alone_is_its_own_revision(world):
    shop, listing = world
    (revision,) = listing_title_change(shop=shop, listing=listing, title=listing.title, subtitle="送 杯套", by=None)
    assert (revision.field, revision.before, revision.after, revision.added) == ("subtitle", "", "送 杯套", ["送", "杯套"])


@pytest.mark.parametrize(("title", "why"), [("  ", "Enter a title."), ("杯" * 201, "longer than 200"),
                                            ("最生活 保温杯 500ml", "unchanged")])
def test_a_bad_title_is_refused_and_nothing_is_saved(world, title, why):
    shop, listing = world
    with pytest.raises(InvalidInput) as refused:
        listing_title_change(shop=shop, listing=listing, title=title, by=None)
    assert refused.value.errors[0].field == "title" and why in refused.value.errors[0].message
    listing.refresh_from_db()
    assert listing.title == "最生活 保温杯 500ml" and not ListingRevision.objects.filter(shop=shop).exists()


def test_another_shops_listing_is_refused(world, second_shop):
    _own, listing = world
    with pytest.raises(InvalidInput):
        listing_title_change(shop=second_shop.shop, listing=listing, title="别的标题", by=None)


def test_word_diff_counts_repeats_and_ignores_ascii_case():
    diff = word_diff(["保温杯", "保温杯", "iPhone"], ["保温杯", "IPHONE", "新款"])
    assert diff.added == ("新款",) and diff.removed == ("保温杯",)


def test_windows_are_14_full_days_each_side_and_the_after_window_is_cut_at_yesterday():
    day = dt.date(2026, 11, 11)
    before, after = windows(day, dt.date(2026, 12, 31))
    assert before == (dt.date(2026, 10, 28), dt.date(2026, 11, 10)) and after == (day + dt.timedelta(1), dt.date(2026, 11, 25))
    _before, partial = windows(day, dt.date(2026, 11, 15))
    assert partial == (dt.date(2026, 11, 12), dt.date(2026, 11, 15))
    _before, none_yet = windows(day, day)
    assert none_yet[1] < none_yet[0]


def _events(rows):
    cols = ("date", "channel", "user_id", "behavior", "item_id")
    data = {c: [r[i] for r in rows] for i, c in enumerate(cols)}
    data["ts"] = [dt.datetime(r[0].year, r[0].month, r[0].day, 4, i, tzinfo=dt.UTC) for i, r in enumerate(rows)]
    return MemoryTables(get_engine("duckdb"), {"events": data})


def test_traffic_before_and_after_from_the_metric_layer(world):
    shop, listing = world
    listing_title_change(shop=shop, listing=listing, title=NEW_TITLE, by=None)
    change = today(shop.timezone) - dt.timedelta(days=40)
    _changed_on(shop, listing, change)
    b, a = change - dt.timedelta(days=3), change + dt.timedelta(days=3)
    tables = _events([
        (b, "taobao", "u1", "pv", ITEM), (b, "taobao", "u1", "pv", ITEM), (b, "taobao", "u2", "pv", ITEM),
        (b, "taobao", "u3", "pv", ITEM), (b, "taobao", "u1", "buy", ITEM), (b, "taobao", "u9", "pv", "other"),
        (change, "taobao", "u5", "pv", ITEM),  # the day of the change belongs to neither window
        (a, "taobao", "u1", "pv", ITEM), (a, "taobao", "u2", "pv", ITEM), (a, "taobao", "u2", "buy", ITEM),
        (a, "taobao", "u4", "pv", ITEM), (a, "taobao", "u3", "buy", ITEM),
        (a - dt.timedelta(days=10), "jd", "u7", "pv", ITEM),  # another channel's item of the same id
    ])
    (entry,) = title_history(shop=shop, listing=listing, tables=tables)
    before, after = entry["before"], entry["after"]
    assert before.days == after.days == WINDOW_DAYS and not before.partial and not after.partial
    assert before.figures == {"uv": 3, "pv": 4, "buyers": 1, "cvr": round(1 / 3, 6), "gmv": 0}
    assert after.figures["uv"] == 3 and after.figures["pv"] == 3 and after.figures["buyers"] == 2
    assert after.figures["cvr"] == round(2 / 3, 6)


def test_the_after_window_is_partial_until_14_days_have_passed(world):
    shop, listing = world
    listing_title_change(shop=shop, listing=listing, title=NEW_TITLE, by=None)
    change = today(shop.timezone) - dt.timedelta(days=5)
    _changed_on(shop, listing, change)
    tables = _events([(change + dt.timedelta(days=1), "taobao", "u1", "pv", ITEM)])
    (entry,) = title_history(shop=shop, listing=listing, tables=tables)
    assert entry["after"].partial and entry["after"].days == 4 and entry["after"].figures["uv"] == 1
    assert entry["before"].figures is None  # no traffic before: no data, not 0 %


def test_a_listing_without_traffic_has_no_data_never_zero_percent(world):
    shop, listing = world
    listing_title_change(shop=shop, listing=listing, title=NEW_TITLE, by=None)
    (entry,) = title_history(shop=shop, listing=listing, tables=_events([]))
    assert entry["before"].figures is None and entry["after"].figures is None
    assert entry["after"].days == 0  # changed today: the after window has not started


def test_a_new_shop_built_from_imports_shows_its_lake_traffic(world, tmp_path, api_as, user_of):
    """Catalog and behaviour from platform exports only, through the real lake; the API says partial/no data."""
    shop, listing = world
    change = today(shop.timezone) - dt.timedelta(days=20)
    before, after = change - dt.timedelta(days=2), change + dt.timedelta(days=2)
    import_behaviour(shop, tmp_path, [("1", ITEM, "pv", before), ("2", ITEM, "pv", before), ("2", ITEM, "buy", before),
                                      ("3", ITEM, "pv", after)])
    listing_title_change(shop=shop, listing=listing, title=NEW_TITLE, by=None)
    _changed_on(shop, listing, change)
    (entry,) = title_history(shop=shop, listing=listing)
    assert entry["before"].figures == {"uv": 2, "pv": 2, "buyers": 1, "cvr": 0.5, "gmv": 0}
    assert entry["after"].figures["uv"] == 1 and entry["after"].figures["cvr"] == 0.0
