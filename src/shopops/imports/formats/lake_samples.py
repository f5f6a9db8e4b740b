"""Realistic sample files of the lake formats (`shopops export-sample`, the demo, the tests): GBK CSV for the
Chinese platforms, UTF-8 for Amazon and the own-site log, plain ASCII for UserBehavior."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence

from shopops.imports.formats.lake_formats import AD_LAYOUTS, BEHAVIORS

_DEFAULT_ITEMS = [("SKU-WOOL-01", "2026新款羊毛衫女 高领打底针织衫"), ("SKU-EAR-02", "无线蓝牙耳机 降噪运动入耳式"),
                  ("SKU-RICE-10", "有机五常大米10kg 东北新米"), ("SKU-CUP-03", "儿童保温杯带吸管 316不锈钢"),
                  ("SKU-ROBO-05", "家用智能扫地机器人 扫拖一体")]
_SOURCES = ["手淘搜索", "手淘推荐", "直通车", "万相台", "购物车", "我的淘宝", "淘宝客", "超级推荐"]
_KEYWORDS = ["羊毛衫女", "高领毛衣", "蓝牙耳机 降噪", "五常大米", "保温杯 儿童", "扫地机器人", "针织衫 秋冬",
             "耳机 运动", "大米10kg", "吸管杯"]
_CROWDS = ["店铺访客重定向", "相似店铺人群", "高消费力人群", "18-24岁女性", "智能拉新"]
_COMPETITORS = ["优衣库官方旗舰店", "南极人旗舰店", "小米官方旗舰店", "膳魔师旗舰店", "科沃斯旗舰店"]


def _rows_csv(header: Sequence[str], rows: Sequence[Sequence[object]], path: str, encoding: str) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue().encode(encoding))
    return len(rows)


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def _pct(rate: float) -> str:
    return f"{rate * 100:.2f}%"


def write_sample(fmt_name: str, path: str, *, seed: int = 7, days: int = 30, end_date: dt.date,
                 skus: Sequence[tuple[str, str]] = (), rows: int | None = None) -> int:
    """Write a realistic file of ``fmt_name`` covering ``days`` days up to ``end_date``; returns data rows.

    GBK CSV for the Chinese platforms, UTF-8 for Amazon and the own-site log, plain ASCII for UserBehavior.
    ``skus`` (code, title) are the shop's items; ``rows`` caps the row count (events, userbehavior: exactly).
    The ad-report sample is 直通车 (options platform=ztc); see :func:`write_ad_sample` for the others.
    """
    rnd = random.Random(seed)
    items = list(skus) or _DEFAULT_ITEMS
    dates = [end_date - dt.timedelta(days=days - 1 - i) for i in range(days)]
    writer = _SAMPLE_WRITERS.get(fmt_name)
    if writer is None:
        raise ValueError(f"no sample for format {fmt_name!r}")
    return writer(path, rnd, dates, items, rows)


def _cap(rows: list[list[object]], limit: int | None) -> list[list[object]]:
    return rows if limit is None else rows[:limit]


def _sample_events(path: str, rnd: random.Random, dates: list[dt.date], items: list[tuple[str, str]],
                   limit: int | None) -> int:
    count = limit if limit is not None else 200 * len(dates)
    out = []
    for i in range(count):
        day = dates[i * len(dates) // max(count, 1)]
        index = rnd.randrange(len(items))
        code = items[index][0]
        behavior = rnd.choices(BEHAVIORS, weights=(89.6, 2.9, 5.5, 2.0))[0]
        moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=rnd.randrange(86400))
        out.append([moment.strftime("%Y-%m-%d %H:%M:%S"), f"u{rnd.randint(1, 5000):05d}", f"item-{index + 1:03d}",
                    f"cat-{index % 3 + 1:02d}", behavior, code,
                    rnd.choice(["own-site", "own-site", "wecom"]), rnd.choice(["search", "home", "share", "ad"]),
                    f"s{rnd.randint(1, 10**8):08d}", _yuan(rnd.randint(1990, 39900)) if behavior == "buy" else ""])
    return _rows_csv(["ts", "user_id", "item_id", "category_id", "behavior", "sku_id", "channel", "source",
                      "session_id", "price"], out, path, "utf-8")


def _sample_userbehavior(path: str, rnd: random.Random, dates: list[dt.date], items: list[tuple[str, str]],
                         limit: int | None) -> int:
    """The Tianchi shape: no header, integer ids, unix seconds in 2017-11-25..12-03 (a few dirty ones)."""
    count = limit if limit is not None else 20_000
    start = int(dt.datetime(2017, 11, 24, 16, tzinfo=dt.UTC).timestamp())  # 2017-11-25 00:00 Asia/Shanghai
    lines = []
    for i in range(count):
        behavior = rnd.choices(BEHAVIORS, weights=(89.6, 2.9, 5.5, 2.0))[0]
        stamp = start + rnd.randrange(9 * 86400)
        if i % 5000 == 4999:
            stamp = rnd.choice((-2_158_000_000, 2_145_000_000))  # the dataset's dirt: 1901/2037 timestamps
        lines.append(f"{rnd.randint(1, 1_018_011)},{rnd.randint(1, 5_163_070)},{rnd.randint(1, 5_162_429)},"
                     f"{behavior},{stamp}\n")
    with open(path, "w", encoding="ascii", newline="") as handle:
        handle.writelines(lines)
    return count


def _sample_sycm(path: str, rnd: random.Random, dates: list[dt.date], items: list[tuple[str, str]],
                 limit: int | None) -> int:
    out = []
    for day in dates:
        for source in _SOURCES:
            visitors = rnd.randint(40, 4000)
            views = visitors + rnd.randint(0, visitors * 3)
            buyers = rnd.randint(0, max(1, visitors // 25))
            out.append([day.isoformat(), "无线端", source, f"{visitors:,}", f"{views:,}", buyers,
                        f"{rnd.randint(buyers * 5000, buyers * 25000 + 1) / 100:,.2f}",
                        _pct(buyers / visitors), _pct(rnd.uniform(0.3, 0.7)), rnd.randint(0, visitors // 10),
                        rnd.randint(0, visitors // 20)])
    return _rows_csv(["日期", "终端", "流量来源", "访客数", "浏览量", "支付买家数", "支付金额", "支付转化率", "跳失率",
                      "加购人数", "收藏人数"], _cap(out, limit), path, "gbk")


def _sample_amazon_br(path: str, rnd: random.Random, dates: list[dt.date], items: list[tuple[str, str]],
                      limit: int | None) -> int:
    """The By Date report (store level, one row a day): the child-item report has no Date column."""
    out = []
    for day in dates:
        sessions = rnd.randint(300, 3000)
        units = rnd.randint(0, sessions // 8)
        order_items = max(0, units - rnd.randint(0, 3))
        sales = units * rnd.randint(1500, 6000)
        out.append([day.strftime("%m/%d/%Y"), f"${sales / 100:,.2f}", f"{units:,}", f"{order_items:,}",
                    f"{sessions:,}", f"{sessions + rnd.randint(0, sessions):,}", _pct(units / sessions),
                    _pct(rnd.uniform(0.85, 1.0)), "$0.00", "0"])
    return _rows_csv(["Date", "Ordered Product Sales", "Units Ordered", "Total Order Items", "Sessions - Total",
                      "Page Views - Total", "Unit Session Percentage", "Featured Offer (Buy Box) Percentage",
                      "Ordered Product Sales - B2B", "Units Ordered - B2B"], _cap(out, limit), path, "utf-8")


def write_ad_sample(platform: str, path: str, *, seed: int = 7, days: int = 30, end_date: dt.date,
                    skus: Sequence[tuple[str, str]] = (), rows: int | None = None) -> int:
    """An ad report of one platform: the keyword (or crowd/creative) level, one row per day × target."""
    rnd = random.Random(seed)
    items = list(skus) or _DEFAULT_ITEMS
    dates = [end_date - dt.timedelta(days=days - 1 - i) for i in range(days)]
    layout = AD_LAYOUTS[platform]
    english = platform == "amazon-sp"
    target_field = layout.targets[0][0]
    names = [layout.fields[f].name for f in ("date", "campaign", "unit", target_field, "impressions", "clicks",
                                              "cost_fen", "sales_fen", "orders")]
    extra = [f for f in ("cart_adds", "favorites", "match_type", "currency") if f in layout.fields]
    names += [layout.fields[f].name for f in extra]
    targets = _CROWDS if target_field == "crowd" else _KEYWORDS
    if target_field == "creative":
        targets = [f"主图视频{i}" for i in range(1, 6)]
    if english:
        targets = ["wool sweater women", "bluetooth earbuds", "kids water bottle", "robot vacuum", "rice 10kg"]
    out = []
    for day in dates:
        for index, target in enumerate(targets):
            code, title = items[index % len(items)]
            shows = rnd.randint(500, 20000)
            clicks = rnd.randint(0, shows // 20)
            cost = clicks * rnd.randint(40, 300)
            orders = rnd.randint(0, max(0, clicks // 15))
            sales = orders * rnd.randint(3000, 30000)
            date_text = day.strftime("%b %d, %Y") if english else day.isoformat()
            money = (lambda fen: f"${fen / 100:,.2f}") if english else _yuan
            row = [date_text, f"{title[:8]}-日常推广" if not english else f"SP - {code}",
                   f"{code} 单元" if not english else f"AG - {code}", target, f"{shows:,}", clicks, money(cost),
                   money(sales), orders]
            for name in extra:
                row.append({"cart_adds": rnd.randint(0, clicks // 5 + 1), "favorites": rnd.randint(0, clicks // 8 + 1),
                            "match_type": rnd.choice(["BROAD", "PHRASE", "EXACT"]) if english else "广泛匹配",
                            "currency": "USD"}[name])
            out.append(row)
    return _rows_csv(names, _cap(out, rows), path, "utf-8" if english else "gbk")


def _sample_ads(path: str, rnd: random.Random, dates: list[dt.date], items: list[tuple[str, str]],
                limit: int | None) -> int:
    return write_ad_sample("ztc", path, seed=rnd.randint(0, 10**6), days=len(dates), end_date=dates[-1], skus=items,
                           rows=limit)


def _sample_search(path: str, rnd: random.Random, dates: list[dt.date], items: list[tuple[str, str]],
                   limit: int | None) -> int:
    out = []
    for day in dates:
        for term in _KEYWORDS:
            shows = rnd.randint(200, 50000)
            visitors = rnd.randint(0, shows // 30 + 1)
            clicks = visitors + rnd.randint(0, visitors // 3 + 1)
            orders = rnd.randint(0, visitors // 20 + 1)
            out.append([day.isoformat(), "手淘搜索", term, f"{shows:,}", visitors, clicks, orders,
                        _yuan(orders * rnd.randint(3000, 30000)), rnd.randint(1, 200)])
    return _rows_csv(["日期", "来源", "搜索词", "展现量", "访客数", "点击量", "成交笔数", "成交金额", "排名"],
                     _cap(out, limit), path, "gbk")


def _sample_competitors(path: str, rnd: random.Random, dates: list[dt.date], items: list[tuple[str, str]],
                        limit: int | None) -> int:
    base = {(shop, i): rnd.randint(3900, 89900) for shop in _COMPETITORS for i in range(3)}
    out = []
    for day in dates:
        for (shop, i), price in base.items():
            item_id = f"{6_500_000_000 + _COMPETITORS.index(shop) * 1000 + i}"
            promo = price - rnd.choice((0, 0, 500, 1000, 2000))
            out.append([day.isoformat(), shop, item_id, f"{shop[:4]} {items[i % len(items)][1]}",
                        "女装/女士精品" if i == 0 else "3C数码", _yuan(price), _yuan(max(promo, 100)),
                        f"{rnd.randint(100, 30000):,}", rnd.randint(10, 90000), rnd.randint(1, 500),
                        f"https://item.taobao.com/item.htm?id={item_id}"])
    return _rows_csv(["日期", "店铺", "商品ID", "标题", "类目", "价格", "到手价", "月销量", "评价数", "排名", "链接"],
                     _cap(out, limit), path, "gbk")


_SAMPLE_WRITERS: dict[str, Callable[..., int]] = {
    "events": _sample_events,
    "taobao-userbehavior": _sample_userbehavior,
    "sycm-traffic": _sample_sycm,
    "amazon-business-report": _sample_amazon_br,
    "ad-report": _sample_ads,
    "search-terms": _sample_search,
    "competitor-snapshot": _sample_competitors,
}
