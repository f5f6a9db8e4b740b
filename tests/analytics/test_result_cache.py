"""Analytics results are kept until a lake table they read changes (docs/architecture.md#query-caches): the
same numbers from the cache, new numbers right after an import into a table the result read, the entry kept
after an import into another table, shops never sharing entries, every parameter in the key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches

from shopops.analytics import cache
from shopops.analytics.engine import Engine, LakeTables, MemoryTables, conform, get_engine
from shopops.analytics.selectors import behaviour
from shopops.analytics.selectors.alerts import kpi_cards, sales_overview
from shopops.analytics.selectors.metrics import metrics_report
from shopops.lake.services import FeedWriter, feed_id
from shopops.lake.tables import EVENTS, TRAFFIC_DAILY
from tests.analytics.behaviour_data import FUNNEL_ROWS, at, events

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 1)
FUNNEL = {"steps": "pv,cart,buy", "date_from": "2026-11-01", "date_to": "2026-11-03", "window": "1d"}


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    """An empty lake of its own and an empty cache."""
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    caches[cache.ALIAS].clear()
    return tmp_path / "lake"


@pytest.fixture
def runs(monkeypatch):
    """How many queries reached the engine."""
    count = [0]
    real = Engine.to_pyarrow

    def counted(self, expr):
        count[0] += 1
        return real(self, expr)

    monkeypatch.setattr(Engine, "to_pyarrow", counted)
    return count


def write_events(shop_id: int, rows: list[tuple], *, source: str = "events") -> None:
    """Import behaviour rows (user, ts, behavior[, channel]) as one feed of the lake, like an events import."""
    data = conform("events", events(rows)["events"], shop_id=shop_id).drop_columns(["feed"])
    with FeedWriter(EVENTS, feed_id(shop_id=shop_id, source=source, channel_account_id=None)) as writer:
        writer.add(data)
        writer.finish()


def write_traffic(shop_id: int) -> None:
    data = conform("traffic_daily", {"channel": ["tmall"], "level": ["store"], "source": ["search"],
                                     "visitors": [50], "date": [DAY]}, shop_id=shop_id).drop_columns(["feed"])
    with FeedWriter(TRAFFIC_DAILY, feed_id(shop_id=shop_id, source="sycm", channel_account_id=3)) as writer:
        writer.add(data)
        writer.finish()


def people(shop) -> list[int]:
    return [row["people"] for row in behaviour.funnel_report(shop=shop, **FUNNEL)["rows"]]


def test_a_cached_result_is_the_same_numbers_without_running_a_query(shop, runs):
    write_events(shop.pk, FUNNEL_ROWS)
    first = people(shop)
    assert first == [8, 5, 5] and runs[0] > 0
    ran = runs[0]
    assert people(shop) == first
    assert runs[0] == ran  # answered from the cache


def test_an_import_into_a_table_it_read_gives_the_new_numbers(shop, runs):
    write_events(shop.pk, FUNNEL_ROWS)
    assert people(shop) == [8, 5, 5]
    write_events(shop.pk, [("z", at(1), "pv"), ("z", at(2), "cart"), ("z", at(3), "buy")], source="more")
    ran = runs[0]
    assert people(shop) == [9, 6, 6]
    assert runs[0] > ran  # recomputed


def test_an_import_into_another_table_keeps_the_entry(shop, runs):
    write_events(shop.pk, FUNNEL_ROWS)
    assert people(shop) == [8, 5, 5]
    write_traffic(shop.pk)  # the funnel reads only the behaviour log
    ran = runs[0]
    assert people(shop) == [8, 5, 5]
    assert runs[0] == ran


def test_the_entry_records_the_tables_read_at_their_versions(shop):
    write_events(shop.pk, FUNNEL_ROWS)
    tables = LakeTables(get_engine(), shop.pk)
    recording = cache.Recording(tables)
    behaviour._behaviour_counts(recording)
    assert recording.read == {"events": cache.current_version("events")}
    assert cache.current_version("traffic_daily") is None


def test_two_shops_never_share_an_entry(shop, second_shop):
    other = second_shop.shop
    write_events(shop.pk, FUNNEL_ROWS)
    write_events(other.pk, [("y", at(1), "pv")])
    assert people(shop) == [8, 5, 5]
    assert people(other) == [1, 0, 0]
    assert people(shop) == [8, 5, 5]


def test_every_parameter_is_in_the_key(shop):
    write_events(shop.pk, [*FUNNEL_ROWS, ("w", at(5), "pv", "wecom"), ("w", at(6), "cart", "wecom"),
                           ("v", at(1, day=2), "pv")])
    period = {"date_from": DAY, "date_to": DAY, "metrics": "uv"}
    assert metrics_report(shop=shop, **period)["totals"]["uv"] == 9  # a … h and w viewed on the day
    assert metrics_report(shop=shop, **period, channel="wecom")["totals"]["uv"] == 1  # w
    assert metrics_report(shop=shop, **period, channel="web")["totals"]["uv"] == 7  # not f (app), not w
    later = {**period, "date_to": DAY + dt.timedelta(days=2)}
    assert metrics_report(shop=shop, **later)["totals"]["uv"] == 10  # and v on the third day
    assert metrics_report(shop=shop, **period)["totals"]["uv"] == 9
    assert people(shop) == [10, 6, 5]
    assert [r["people"] for r in behaviour.funnel_report(shop=shop, **{**FUNNEL, "window": "30d"})["rows"]] \
        == [10, 7, 6]  # e's cart and buy a day after the pv count in a 30-day window
    assert [r["people"] for r in behaviour.funnel_report(shop=shop, **{**FUNNEL, "steps": "pv,buy"})["rows"]] \
        == [10, 6]
    assert [r["people"] for r in behaviour.funnel_report(shop=shop, **{**FUNNEL, "date_to": "2026-11-01"})["rows"]] \
        == [9, 5, 4]  # g and e finish on the second day


def test_hand_built_tables_are_never_cached(shop, runs):
    tables = MemoryTables(get_engine("duckdb"), events(FUNNEL_ROWS))
    first = behaviour.funnel_report(shop=shop, tables=tables, **FUNNEL)
    ran = runs[0]
    assert behaviour.funnel_report(shop=shop, tables=tables, **FUNNEL) == first
    assert runs[0] > ran
    assert not caches[cache.ALIAS].get(cache.key_of("behaviour.funnel", LakeTables(get_engine(), shop.pk), {}))


def test_a_value_is_plain_data(shop):
    write_events(shop.pk, FUNNEL_ROWS)
    behaviour.behaviour_span(shop=shop)
    assert behaviour.behaviour_span(shop=shop) == (DAY, DAY + dt.timedelta(days=1))
    entry = caches[cache.ALIAS].get(cache.key_of("behaviour.span", LakeTables(get_engine(), shop.pk), {}))
    assert entry["read"] == {"events": cache.current_version("events")}
    assert entry["value"] == {"first": DAY, "last": DAY + dt.timedelta(days=1)}


def test_the_dashboard_cards_are_kept_and_refreshed_by_an_import(shop, runs):
    write_events(shop.pk, FUNNEL_ROWS)

    def visitors() -> int:
        return {c["key"]: c for c in kpi_cards(shop=shop, end=DAY, days=1)["cards"]}["uv"]["value"]

    assert visitors() == 8  # a … h viewed on the day
    ran = runs[0]
    assert visitors() == 8 and runs[0] == ran
    write_events(shop.pk, [("z", at(1), "pv")], source="more")
    assert visitors() == 9
    overview = sales_overview(shop=shop, end=DAY, days=30, trend_days=7)
    assert overview["gmv_fen"] == 0 and len(overview["trend"]) == 7  # no orders in this lake
    ran = runs[0]
    assert sales_overview(shop=shop, end=DAY, days=30, trend_days=7) == overview and runs[0] == ran
