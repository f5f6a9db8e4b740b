"""Round trips never corrupt (issue 16, item 6): every order format's export of the demo shop's own orders,
imported back, changes nothing — the dashboard's numbers, the customers, every order's customer, the refunds —
and the import says so: 0 created, 0 updated, every order unchanged.

The demo shop of the session (tests/conftest.py) holds the world's orders as written directly, with what no
order export carries (refunds with their reasons and lines, sources, promotions, completed own-site orders):
the harshest case for an importer that must keep what a file does not state.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shopops.analytics.selectors.alerts import sales_overview
from shopops.channels.models import ChannelAccount
from shopops.demo.export_sink import ORDER_FORMAT_OF
from shopops.imports.formats import FORMATS
from shopops.imports.formats.samples import SAMPLE_WRITERS, items_path_for
from shopops.imports.services import export_sample, import_job_create, import_job_run, import_summary
from shopops.members.models import Customer, CustomerIdentity
from shopops.orders.models import Order, Refund

ORDER_FORMATS = sorted(name for name, fmt in FORMATS.items() if fmt.target == "orders")


def test_every_order_format_has_a_demo_channel_to_round_trip():
    """A new order format gets a channel of the demo world (demo.export_sink.ORDER_FORMAT_OF), so the round
    trip below covers it."""
    assert set(ORDER_FORMATS) <= set(ORDER_FORMAT_OF.values())


@pytest.fixture
def lake(settings, tmp_path, shop):
    """The shop's order facts in a lake of this test's own (the session's lake is shared)."""
    from shopops.orders.services import order_facts_refresh

    settings.DATA_DIR = tmp_path
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    order_facts_refresh(shop=shop)
    return tmp_path / "lake"


def _import(shop, name: str, path: Path, account: str | None) -> dict:
    items = items_path_for(path)
    job = import_job_create(shop=shop, format_name=name, path=str(path), channel_account=account,
                            items_path=str(items) if name == "taobao-orders" and items.exists() else None)
    return import_summary(import_job_run(job_id=job.pk))


def _state(shop) -> dict:
    """Everything a round trip must leave as it was, read from the records."""
    return {
        "customers": sorted(Customer.objects.filter(shop=shop).values_list(
            "pk", "code", "name", "orders_count", "paid_fen_total", "first_order_at", "last_order_at")),
        "identities": sorted(CustomerIdentity.objects.filter(shop=shop).values_list(
            "customer_id", "channel", "external_id")),
        "orders": sorted(Order.objects.filter(shop=shop).values_list(
            "pk", "channel_account_id", "order_no", "customer_id", "status", "paid_fen", "refunded_fen", "source",
            "promotions", "province", "city", "fingerprint")),
        "refunds": sorted(Refund.objects.filter(shop=shop).values_list(
            "pk", "order_id", "line_id", "refund_no", "kind", "amount_fen", "reason", "status", "completed_at")),
    }


def _round_trips() -> list[tuple[str, str]]:
    return sorted({(fmt, channel) for channel, fmt in ORDER_FORMAT_OF.items()})


@pytest.mark.slow
@pytest.mark.parametrize(("name", "channel"), _round_trips())
def test_an_exported_file_imports_back_without_changing_anything(shop, test_world, lake, tmp_path, name, channel):
    account = ChannelAccount.objects.filter(shop=shop, channel=channel).order_by("pk").first()
    if account is None or not Order.objects.filter(channel_account=account).exists():
        pytest.skip(f"the demo world has no {channel} orders")  # taobao: the demo sells on tmall only
    day = test_world.end_date
    dashboard = sales_overview(shop=shop, end=day)
    cards = {card["key"]: card["value"] for card in dashboard["cards"]}
    assert cards["gmv"] > 0 and cards["refund_amount"] > 0 and cards["buyers"] > 0  # a dashboard worth comparing
    before = _state(shop)
    path = tmp_path / f"{name}.csv"
    named = None if channel == FORMATS[name].channel else account.name  # the default account, as the README does
    written = export_sample(shop=shop, format_name=name, path=str(path), limit=1_000_000, channel_account=named)
    assert written["channel_account"] == account.name and written["rows"] > 0

    summary = _import(shop, name, path, named)

    assert summary["status"] == "done", summary["errors"][:5]
    assert (summary["inserted"], summary["updated"], summary["rejected"]) == (0, 0, 0)
    assert summary["unchanged"] == summary["rows"] == written["rows"]
    changes = summary["changes"]
    numbers = _exported_numbers(name, path)
    assert Order.objects.filter(channel_account=account, order_no__in=numbers).count() == len(numbers)
    assert changes["orders"] == {"created": 0, "updated": 0, "unchanged": len(numbers)}
    assert changes["customers"]["created"] == changes["customers"]["linked"] == changes["customers"]["updated"] == 0
    assert changes["fields"] == {} and changes["updated_orders"] == []
    assert changes["refunds"]["created"] == changes["refunds"]["deleted"] == changes["refunds"]["updated"] == 0
    assert _state(shop) == before
    assert sales_overview(shop=shop, end=day) == dashboard


def _exported_numbers(name: str, path: Path) -> set[str]:
    """The order numbers the exported file holds."""
    writer = SAMPLE_WRITERS[name]
    with path.open(encoding=writer.encoding, newline="") as f:
        rows = csv.reader(f)
        key = [cell.strip() for cell in next(rows)].index(FORMATS[name].order_key)
        return {row[key].strip().removeprefix('="').removesuffix('"') for row in rows}
