"""On a real lake (Delta tables written by the lake's writers, two shops), the metric layer and the queries give
the same answers from the rollups as from the facts (docs/architecture.md#rollups)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from shopops.analytics.engine import LakeTables, conform, get_engine
from shopops.analytics.metrics import BY, compute
from shopops.analytics.queries.alerts import first_data_day
from shopops.analytics.queries.coverage import log_visitors_by_channel
from shopops.analytics.queries.retention import retention
from shopops.lake.rollups import ROLLUPS
from shopops.lake.selectors import rollup_build, rollup_source
from shopops.lake.services import FeedWriter, feed_id
from shopops.lake.storage import replace_rows
from shopops.lake.tables import EVENTS, ORDER_LINES_FACT, ORDERS_FACT, TRAFFIC_DAILY
from tests.analytics.metrics_data import D0, D1, D2, shop_data, traffic_data

SHOPS = (1, 2)


def _feed_rows(table, data: pa.Table, shop_id: int, account: int) -> pa.Table:
    feed = feed_id(shop_id=shop_id, source=table.name.replace("_", "-"), channel_account_id=account)
    rows = data.set_column(data.schema.get_field_index("feed"), "feed", pa.array([feed] * data.num_rows))
    with FeedWriter(table, feed) as writer:
        writer.add(rows)
        writer.finish()
    return rows


@pytest.fixture
def lake(settings, tmp_path):
    """Shop 1: the hand-checked shop of the metric tests; shop 2: the same rows with other people's numbers
    (so reading one shop's rollups must not see the other's)."""
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    facts: dict[str, list[pa.Table]] = {"events": [], "orders_fact": [], "order_lines_fact": []}
    for shop_id in SHOPS:
        data = {**shop_data(), **traffic_data()}
        if shop_id == 2:
            data["events"]["user_id"] = [u + "-2" for u in data["events"]["user_id"]]
            data["orders_fact"]["paid_fen"] = [fen * 3 for fen in data["orders_fact"]["paid_fen"]]
        for account, channel in enumerate(("site", "app"), start=1):
            events = conform("events", data["events"], shop_id=shop_id)
            events = events.filter(pa.compute.equal(events.column("channel"), channel))
            facts["events"].append(_feed_rows(EVENTS, events, shop_id, account))
        _feed_rows(TRAFFIC_DAILY, conform("traffic_daily", data["traffic_daily"], shop_id=shop_id), shop_id, 9)
        facts["orders_fact"].append(conform("orders_fact", data["orders_fact"], shop_id=shop_id))
        facts["order_lines_fact"].append(conform("order_lines_fact", data["order_lines_fact"], shop_id=shop_id))
    for table in (ORDERS_FACT, ORDER_LINES_FACT):
        replace_rows(table, pa.concat_tables(facts[table.name]), predicate="shop_id >= 1")
    # the rollups as the lake stores them: the lake's builders over the same rows
    for name, rollup in ROLLUPS.items():
        rows = rollup_build(name, pa.concat_tables(facts[rollup_source(name)]))
        replace_rows(rollup.table, rows, predicate="shop_id >= 1")
    return tmp_path / "lake"


@pytest.mark.parametrize("shop_id", SHOPS)
def test_lake_rollups_give_the_raw_answers(lake, shop_id):
    engine = get_engine("duckdb")
    rolled = LakeTables(engine, shop_id, rollups=True)
    raw = LakeTables(engine, shop_id, rollups=False)
    cases = [(by, None) for by in (None, *BY, ("day", "channel"))] + [("day", "site"), (None, "app")]
    for by, channel in cases:
        kw = {"date_from": D1, "date_to": D2, "by": by, "channel": channel}
        assert compute(rolled, **kw) == compute(raw, **kw), (by, channel)
    whole = {"date_from": D0, "date_to": D2}
    for query in (retention, log_visitors_by_channel):
        assert (sorted(engine.rows(query(rolled, **whole)), key=repr)
                == sorted(engine.rows(query(raw, **whole)), key=repr)), query.__name__
    assert first_data_day(rolled) == first_data_day(raw) == D0
    totals = compute(rolled, date_from=D1, date_to=D2)["totals"]
    assert (totals["uv"], totals["gmv"]) == (3 + 27, 17000 * (3 if shop_id == 2 else 1))  # the log's 3, jd's report
