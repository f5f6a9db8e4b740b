"""``ExportFileSink``: the demo world through the importers a user would use.

The catalog goes through the catalog import (a ``catalog-xlsx`` file; the per-channel listings, which no catalog
file carries, are written directly), the customers directly; then every channel's orders are written as that platform's export file under ``DATA_DIR/demo-exports/`` and
imported through the ImportJob pipeline (``channels.services.import_job_create``/``import_job_run``), so the
import history lists them and the demo is the importers' biggest test. Traffic goes the same way through
``sycm-traffic`` and the own-site behaviour log through ``events`` (``demo.gen_events``).

What the order formats cannot carry, and what the sink does about it (``FORMAT_LIMITS``):

* refunds: no order export carries after-sales (the platforms export them as separate 售后/退款 reports,
  not a ShopOps format yet). They are added after the import with ``orders.services.orders_upsert`` on
  the imported orders (each such order's "as exported" fields plus its refunds);
* channels without an order format (小红书 ``xiaohongshu``, 企业微信 ``wecom``) are written directly, as before;
* ``source`` (流量来源) only exists in the JD, Douyin and Shopify exports; ``promotions`` only in Shopify's
  ``Discount Code`` (the labels joined into one code); Shopify has no "completed" state (a fulfilled
  order is ``shipped``);
* line discounts are not exported: importers re-allocate the order's discount by largest remainder on the line
  amounts — exactly what the world does (gen_orders,
  docs/rules/pricing.md#allocation-of-order-level-discounts), so they come out equal.

``exported_order`` is the world's order as its export file shows it; the demo's records equal
``DatabaseSink``'s with that view applied (tests/demo/test_export_sink.py checks it order by order).
"""

from __future__ import annotations

import csv
import dataclasses
import zlib
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from shopops.demo.gen_events import CHANNEL as EVENTS_CHANNEL
from shopops.demo.gen_events import build_events, write_events_csv
from shopops.demo.sinks import DatabaseSink, Progress, _noop, order_input, orders_with_refunds, world_counts
from shopops.demo.spec import OrderSpec, World
from shopops.imports.services import (
    SHOPIFY_HEADER,
    SampleLine,
    SampleOrder,
    SampleProduct,
    SampleSku,
    import_job_create,
    import_job_run,
    import_summary,
    write_catalog_sample,
    write_order_sample,
)
from shopops.orders import services as order_services

# channel → the order export format its back-office produces
ORDER_FORMAT_OF = {"tmall": "taobao-orders", "taobao": "taobao-orders", "jd": "jd-orders",
                   "douyin": "douyin-orders", "pdd": "pdd-orders", "own-site": "shopify-orders"}
SOURCE_CARRIED = frozenset({"jd-orders", "douyin-orders", "shopify-orders"})
FORMAT_LIMITS = {
    "refunds": "no order export carries refunds: added after the import through orders_upsert",
    "xiaohongshu, wecom": "no order format: written directly",
    "source": "only jd-orders (订单来源), douyin-orders (流量来源) and shopify-orders (Source) carry it",
    "promotions": "only shopify-orders (Discount Code: the labels joined by ', ')",
    "status": "shopify-orders has no completed state: completed own-site orders import as shipped",
}


class ImportProblem(RuntimeError):
    """An import of the demo's own files did not import every row (an importer bug the demo surfaced)."""


def exported_order(order: OrderSpec) -> OrderSpec:
    """The world's order as its channel's export file carries it (identity for channels without a format)."""
    fmt = ORDER_FORMAT_OF.get(order.channel)
    if fmt is None:
        return order
    changes: dict[str, object] = {}
    if fmt not in SOURCE_CARRIED:
        changes["source"] = ""
    if fmt == "shopify-orders":
        changes["promotions"] = (", ".join(order.promotions),) if order.promotions else ()
        if order.status == "completed":
            changes["status"] = "shipped"
    else:
        changes["promotions"] = ()
    return dataclasses.replace(order, **changes) if changes else order


def _shopify_rows(order: SampleOrder, code: str, source: str) -> list[list[str]]:
    """orders_export.csv rows of an own-site order: Email carries the buyer's own-site id."""
    goods = sum(line.unit_price_fen * line.qty for line in order.lines)
    stamp = "%Y-%m-%d %H:%M:%S %z"
    tz = ZoneInfo("Asia/Shanghai")

    def yuan(fen: int) -> str:
        return f"{fen // 100}.{fen % 100:02d}"

    status = {"paid": "paid", "shipped": "paid", "completed": "paid", "closed": "refunded"}[order.status]
    fulfilled = "fulfilled" if order.status in ("shipped", "completed") else "unfulfilled"
    rows = []
    for index, line in enumerate(order.lines):
        head = index == 0
        order_fields = [order.buyer, status, order.paid_at.astimezone(tz).strftime(stamp), fulfilled, "CNY",
                        yuan(goods), yuan(order.shipping_fen), "0.00", yuan(order.paid_fen), code,
                        yuan(goods + order.shipping_fen - order.paid_fen),
                        order.placed_at.astimezone(tz).strftime(stamp)]
        rows.append([order.order_no, *(order_fields if head else [""] * len(order_fields)),
                     str(line.qty), line.title, yuan(line.unit_price_fen), line.sku_code,
                     order.province if head else "", order.city if head else "", source if head else ""])
    return rows


def write_order_file(format_name: str, path: Path, orders: list[tuple[OrderSpec, str]]) -> dict[str, object]:
    """Write (order, buyer's channel id) pairs as ``format_name``; returns rows and files written."""
    samples = [(o, SampleOrder(
        order_no=o.order_no, buyer=buyer, placed_at=o.placed_at, paid_at=o.paid_at, status=o.status,
        paid_fen=o.paid_fen, shipping_fen=o.shipping_fen, province=o.province, city=o.city, source=o.source,
        lines=tuple(SampleLine(li.sku_code, li.title, li.unit_price_fen, li.qty) for li in o.lines)))
        for o, buyer in orders]
    if format_name != "shopify-orders":
        return write_order_sample(format_name, path, [s for _o, s in samples])
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(SHOPIFY_HEADER)
        for order, sample in samples:
            shown = exported_order(order)
            for row in _shopify_rows(sample, shown.promotions[0] if shown.promotions else "", order.source):
                writer.writerow(row)
                rows += 1
    return {"format": format_name, "file": str(path), "rows": rows, "items_file": None, "item_rows": 0}


# Channels whose store traffic report also gives 加购人数 / 收藏人数 / 跳失率 (生意参谋, 京东商智): typical
# mobile shares (cart, fav, bounce) around which each day × source varies; the other channels' reports in the
# demo carry visitors and buyers only, as the simpler platform exports do.
BEHAVIOUR_SHARES = {"tmall": (0.09, 0.04, 0.45), "jd": (0.07, 0.03, 0.40)}


def _jitter(*key: object) -> float:
    """A stable factor in [0.8, 1.2) for one report row (no RNG: the world's draws stay as they are)."""
    return 0.8 + 0.4 * (zlib.crc32("|".join(map(str, key)).encode()) % 10_000) / 10_000


def traffic_file(world: World, channel: str, path: Path) -> int:
    """The channel's daily traffic by source as a 生意参谋-style store-level export (GBK)."""
    rows = 0
    shares = BEHAVIOUR_SHARES.get(channel)
    with path.open("w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        header = ["日期", "终端", "流量来源", "访客数", "浏览量", "支付买家数", "支付金额"]
        writer.writerow(header + (["加购人数", "收藏人数", "跳失率"] if shares else []))
        for t in world.traffic:
            if t.channel != channel:
                continue
            row = [t.date.isoformat(), "无线端", t.source, f"{t.uv:,}", f"{t.pv:,}", t.buyers,
                   f"{t.paid_fen // 100:,}.{t.paid_fen % 100:02d}"]
            if shares:
                cart, fav, bounce = (share * _jitter(t.date, t.source, i) for i, share in enumerate(shares))
                carted = min(t.uv, max(t.buyers, round(t.uv * cart)))  # people who bought mostly carted first
                row += [f"{carted:,}", f"{min(t.uv, round(t.uv * fav)):,}", f"{min(bounce, 0.95):.2%}"]
            writer.writerow(row)
            rows += 1
    return rows


def run_import(*, shop: object, format_name: str, path: Path, account: str, items: str | None = None,
               options: dict[str, str] | None = None) -> dict[str, object]:
    """Import one file through the ImportJob pipeline; every row must be imported (nothing rejected)."""
    job = import_job_create(shop=shop, format_name=format_name, path=str(path), channel_account=account,
                            items_path=items, options=options)
    summary = import_summary(import_job_run(job_id=job.pk))
    if summary["status"] != "done" or summary["rejected"] or summary["errors"]:
        raise ImportProblem(f"{format_name} {path.name}: {summary['status']}, rejected {summary['rejected']}, "
                            f"errors {summary['errors'][:5]}")
    return summary


class ExportFileSink:
    """Write the world as the channels' export files and import them with the real connectors."""

    def __init__(self, shop: object, data_dir: Path | str, progress: Progress = _noop,
                 log: Callable[[dict[str, object]], None] | None = None) -> None:
        self.shop = shop
        self.folder = Path(data_dir) / "demo-exports"
        self.progress = progress
        self.log = log or (lambda summary: None)
        self.imports: list[dict[str, object]] = []

    def _import(self, **kwargs: object) -> dict[str, object]:
        summary = run_import(shop=self.shop, **kwargs)  # type: ignore[arg-type]
        self.imports.append(summary)
        self.log(summary)
        return summary

    def write_catalog(self, world: World, direct: DatabaseSink) -> dict[str, int]:
        """The catalog through the catalog import: the categories with their codes, then products and SKUs as a
        ``catalog-xlsx`` file (类目 by code) imported like an operator's, then the per-channel listings, which no
        catalog file carries; returns SKU ids by code."""
        direct.write_categories(world)
        path = self.folder / "catalog-xlsx.csv"
        skus: dict[str, list[SampleSku]] = {}
        for sku in world.skus:
            skus.setdefault(sku.spu_code, []).append(SampleSku(sku.sku_code, dict(sku.attributes), sku.barcode,
                                                               sku.price_fen, sku.cost_fen, True))
        write_catalog_sample("catalog-xlsx", path, [SampleProduct(
            spu_code=p.spu_code, title=p.title, brand=p.brand, category=(p.category_code,),
            skus=tuple(skus.get(p.spu_code, ())), description=p.description, launched_on=p.launched_on)
            for p in world.products])
        self.progress("catalog → catalog-xlsx")
        self._import(format_name="catalog-xlsx", path=path, account=world.channels[0].account_name,
                     options={"audit": "off"})
        return direct.write_listings(world)

    def write(self, world: World) -> dict[str, int]:
        self.folder.mkdir(parents=True, exist_ok=True)
        direct = DatabaseSink(self.shop, progress=self.progress)  # type: ignore[arg-type]
        sku_ids = self.write_catalog(world, direct)
        customer_ids = direct.write_customers(world)
        accounts = direct.accounts()
        identity = {c.code: dict(c.identities) for c in world.customers}
        pairs = orders_with_refunds(world)

        by_channel: dict[str, list[OrderSpec]] = {}
        for order, _refunds in pairs:
            by_channel.setdefault(order.channel, []).append(order)
        names = {c.code: c.account_name for c in world.channels}
        for channel, orders in by_channel.items():
            fmt = ORDER_FORMAT_OF.get(channel)
            if fmt is None:
                continue
            self.progress(f"orders: {channel} → {fmt}")
            path = self.folder / f"{channel}-{fmt}.csv"
            written = write_order_file(fmt, path, [(o, identity[o.customer_code][channel]) for o in orders])
            self._import(format_name=fmt, path=path, account=names[channel], items=written["items_file"])

        self.progress("orders without an export format (xiaohongshu, wecom) and refunds")
        direct_orders = [order_input(o, accounts[o.channel], sku_ids, customer_ids, refunds)
                         for o, refunds in pairs if o.channel not in ORDER_FORMAT_OF]
        order_services.orders_create_bulk(shop=self.shop, orders=direct_orders)  # type: ignore[arg-type]
        refunded = [(exported_order(o), refunds) for o, refunds in pairs if refunds and o.channel in ORDER_FORMAT_OF]
        unchanged_check: dict[str, str] = {}
        order_services.orders_upsert(shop=self.shop, outcomes=unchanged_check, orders=[  # type: ignore[arg-type]
            order_input(o, accounts[o.channel], sku_ids, customer_ids, []) for o, _r in refunded])
        differ = sorted(no for no, outcome in unchanged_check.items() if outcome != "unchanged")
        if differ:
            raise ImportProblem(f"{len(differ)} imported orders differ from the world's, e.g. {differ[:5]}")
        order_services.orders_upsert(shop=self.shop, orders=[  # type: ignore[arg-type]
            order_input(o, accounts[o.channel], sku_ids, customer_ids, refunds) for o, refunds in refunded])
        direct.write_customer_stats()

        self.progress("traffic → sycm-traffic")
        for channel in names:
            path = self.folder / f"{channel}-sycm-traffic.csv"
            if traffic_file(world, channel, path):
                self._import(format_name="sycm-traffic", path=path, account=names[channel])
        self.progress("own-site behaviour log → events")
        self.imports.append(demo_events_import(self.shop, world, self.folder.parent, log=self.log))
        return {**world_counts(world), "imports": len(self.imports),
                "imported_rows": sum(int(s["rows"]) for s in self.imports)}



def demo_events_import(shop: object, world: World, data_dir: Path | str,
                       log: Callable[[dict[str, object]], None] | None = None) -> dict[str, object]:
    """Generate the world's own-site behaviour log (demo.gen_events), write it as an ``events`` CSV under
    ``data_dir/demo-exports/`` and import it through the ImportJob pipeline into the lake's ``events``.

    Processes sharing a data dir (pytest-xdist workers) must pass their own ``data_dir``: the file is
    rewritten on every call."""
    folder = Path(data_dir) / "demo-exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{EVENTS_CHANNEL}-events.csv"
    write_events_csv(build_events(world), path, world.config.tz)
    account = next(c.account_name for c in world.channels if c.code == EVENTS_CHANNEL)
    summary = run_import(shop=shop, format_name="events", path=path, account=account)
    if log is not None:
        log(summary)
    return summary
