"""The listings side of the demo, as a shop would get it: each search channel's 搜索词 report and the rival
tracker's snapshots written as export files under ``demo-exports/`` and imported through the ImportJob pipeline
(formats ``search-terms`` and ``competitor-snapshot``, into the lake), and the brand's shop dictionary (店铺词库)
through the listings services. Works after either sink: the listings themselves come with the catalog."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shopops.catalog.selectors import listings_for_audit
from shopops.demo.export_sink import run_import
from shopops.demo.gen_catalog_data import CATEGORIES
from shopops.demo.spec import World
from shopops.listings.selectors.competitors import competitor_by_name, competitor_item_by_platform_id
from shopops.listings.services.audits import audit_listings
from shopops.listings.services.competitors import (
    competitor_changes_detect,
    competitor_item_save,
    competitors_sync,
)
from shopops.listings.services.dictionary import dictionary_word_add

SEARCH_SOURCE = {"tmall": "手淘搜索", "jd": "京东搜索", "douyin": "抖音商城搜索", "pdd": "拼多多搜索"}
SEARCH_HEADER = ["日期", "来源", "搜索词", "商品ID", "展现量", "访客数", "点击量", "成交笔数", "成交金额", "排名"]
RIVAL_HEADER = ["日期", "店铺", "商品ID", "标题", "类目", "价格", "到手价", "月销量", "评价数", "排名", "链接"]
ITEM_URL = {"tmall": "https://detail.tmall.com/item.htm?id=", "jd": "https://item.jd.com/"}


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def write_search_terms(world: World, channel: str, path: Path) -> int:
    """The channel's daily 搜索词 report (GBK, as 生意参谋 exports it); returns the rows written."""
    rows = [[t.date.isoformat(), SEARCH_SOURCE[t.channel], t.term, t.item_id, f"{t.impressions:,}", t.visitors,
             t.clicks, t.orders, _yuan(t.sales_fen), t.rank] for t in world.search_terms if t.channel == channel]
    with path.open("w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(SEARCH_HEADER)
        writer.writerows(rows)
    return len(rows)


def write_rival_snapshots(world: World, channel: str, path: Path) -> int:
    """The rival tracker's snapshots of one platform's rival shops (UTF-8 CSV); returns the rows written."""
    rows = [[s.date.isoformat(), s.shop, s.item_id, s.title, s.category, _yuan(s.price_fen),
             _yuan(s.promo_price_fen), f"{s.sales_estimate:,}", s.reviews, s.rank,
             ITEM_URL.get(s.channel, "") + s.item_id + (".html" if s.channel == "jd" else "")]
            for s in world.rival_snapshots if s.channel == channel]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(RIVAL_HEADER)
        writer.writerows(rows)
    return len(rows)


def listings_demo_seed(shop: object, world: World, data_dir: Path | str,
                       log: Callable[[dict[str, object]], None] | None = None) -> list[dict[str, object]]:
    """Write and import the search-term and rival files, add the shop dictionary; returns the import
    summaries. Processes sharing a data dir must pass their own ``data_dir`` (the files are rewritten)."""
    folder = Path(data_dir) / "demo-exports"
    folder.mkdir(parents=True, exist_ok=True)
    accounts = {c.code: c.account_name for c in world.channels}
    summaries = []
    for fmt, channels, writer in (("search-terms", SEARCH_SOURCE, write_search_terms),
                                  ("competitor-snapshot", ITEM_URL, write_rival_snapshots)):
        for channel in channels:
            path = folder / f"{channel}-{fmt}.csv"
            if channel in accounts and writer(world, channel, path):
                summary = run_import(shop=shop, format_name=fmt, path=path, account=accounts[channel])
                summaries.append(summary)
                if log is not None:
                    log(summary)
    for word in world.shop_words:
        dictionary_word_add(shop=shop, word=word.word, kind=word.kind, note=word.note)
    rivals_link(shop, world)
    competitor_changes_detect(shop=shop)  # what `shopops import` does after a snapshot file: events and to-dos
    audit_listings(shop=shop)  # and after a catalog file (here once the dictionary is in): scores and to-dos
    return summaries


def rivals_link(shop: Any, world: World) -> int:
    """Tie each rival item to our listings of its channel and category (护肤 rivals our 护肤 listings), as an
    operator does on the item page: the listing page then shows its rivals. Returns the items linked."""
    competitors_sync(shop=shop)  # the rivals and items the imported snapshots name
    codes = {category.name: category.code for category in CATEGORIES}
    ours: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in listings_for_audit(shop=shop):
        ours[(row["channel"], row["category"])].append(row["id"])
    linked: set[tuple[str, str]] = set()
    for snapshot in world.rival_snapshots:
        key = (snapshot.shop, snapshot.item_id)
        listing_ids = ours.get((snapshot.channel, codes.get(snapshot.category, "")))
        competitor = competitor_by_name(shop=shop, name=snapshot.shop)
        if key in linked or not listing_ids or competitor is None:
            continue
        item = competitor_item_by_platform_id(competitor=competitor, item_id=snapshot.item_id)
        if item is not None:
            competitor_item_save(competitor=competitor, item=item, data={
                "item_id": item.item_id, "title": item.title, "url": item.url, "rivals": listing_ids})
            linked.add(key)
    return len(linked)
