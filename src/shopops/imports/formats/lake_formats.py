"""Formats whose rows go to the lake (behaviour logs, traffic, ads, search terms, competitors).

Pure declarations (no Django, no I/O; the sample writers are ``lake_samples``): each :class:`LakeFormat` names its lake
table, how a file column becomes a table column (``fields``: table column → :class:`Column`), which
report *level* a file is (store or item traffic; campaign, unit, keyword, crowd or creative ads) and its
quirks. The reading, validation and writing is ``channels.lake_import``; the tables are declared in
``lake.tables`` and described in docs/formats-lake.md.

Where headers come from (verified = seen in a public sample or parser; assumed = built from the metric
names of public glossaries, to be checked against a real export — every alias list is open to additions):

* Amazon Business Report: the child-item header of docs/rules/platforms.md#amazon-business-report (a fixture
  described as the real sample, verified), the by-date additions (verified list, order assumed); values
  ``"$1,937.41"``, ``"1,128"``, ``"18.53%"``.
* 生意参谋 traffic: metric names and definitions from the 生意参谋 glossary reposted by kexiaomei.com
  (访客数, 浏览量, 跳失率, 人均浏览量, 平均停留时长) and docs/rules/metrics.md (支付买家数, 支付转化率, 加购人数,
  收藏人数); the file layout (日期, 流量来源, 商品ID… one row per day × source) is assumed.
* 直通车: metric names from the Alimama glossary reposted by aspschool.cn and 1330.cn (展现量, 点击量, 花费,
  平均点击花费, 直接/间接/总成交金额, 总成交笔数, 总收藏数, 总购物车数, 投入产出比) — layout assumed.
* 京东快车: 展现量, 点击量, 直接订单行, 直接订单行金额, 总订单行, 总订单行金额, ROI = 总订单金额/总费用 (m.31ppt.com,
  "新快车各指说明") — layout assumed.
* 巨量千川: metric names of the Ocean Engine report API (stat_cost 消耗, show_cnt 展示次数, click_cnt 点击次数,
  pay_order_amount 成交金额 — bububa/oceanengine marketing-api model) mapped to the UI's Chinese names —
  assumed. 引力魔方/万相台: assumed from the same Alimama vocabulary (消耗/花费, 成交金额, 加购数, 收藏宝贝数).
* Amazon Sponsored Products: the console report's English headers (Date, Campaign Name, Ad Group Name,
  Targeting, Match Type, Impressions, Clicks, Spend, 7 Day Total Sales, 7 Day Total Orders (#)) — assumed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from shopops.core.text import gettext_noop
from shopops.imports.columns import Column
from shopops.imports.formats.base import Format
from shopops.imports.normalize import ValueProblem, parse_date

Engine = Literal["records", "events", "userbehavior"]

INT0 = {"kind": "int", "minimum": 0}
MONEY0 = {"kind": "money", "minimum": 0}
RATE = {"kind": "rate", "minimum": 0}

# UserBehavior (Tianchi dataset 649): 2017-11-25 → 2017-12-03, behaviour pv/cart/fav/buy, unix seconds; the
# published file has timestamps outside the window (min ≈ 1902, max 2037) that "must be filtered"
# (docs/rules/platforms.md#tianchi-userbehavior-dataset).
USERBEHAVIOR_WINDOW = (dt.date(2017, 11, 25), dt.date(2017, 12, 3))
USERBEHAVIOR_NAMES = ("user_id", "item_id", "category_id", "behavior_type", "timestamp")
BEHAVIORS = ("pv", "fav", "cart", "buy")
# Own-site logs sometimes name behaviours in Chinese: mapped to the UserBehavior vocabulary.
BEHAVIOR_ALIASES = {"浏览": "pv", "收藏": "fav", "加购": "cart", "加入购物车": "cart", "购买": "buy", "下单": "buy",
                    "click": "pv", "view": "pv", "favorite": "fav", "add_to_cart": "cart", "purchase": "buy"}
AD_PLATFORMS = ("ztc", "ylmf", "wxt", "jdkc", "qianchuan", "amazon-sp")


@dataclass(frozen=True)
class Layout:
    """How one file layout maps to a table: table column → file column, and how its level is decided.

    ``targets``: (table column holding the target, level) in order of preference — the first one present
    in the file gives the report's level (keyword, crowd, creative…); else ``fallback_levels`` (field →
    level) are tried; else ``default_level``.
    """

    fields: Mapping[str, Column]
    targets: tuple[tuple[str, str], ...] = ()
    fallback_levels: tuple[tuple[str, str], ...] = ()
    default_level: str = ""
    currency: str = "CNY"

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(self.fields.values())


@dataclass(frozen=True)
class LakeFormat(Format):
    """A format whose rows go to a lake table (``target="lake"``)."""

    table: str = ""
    engine: Engine = "records"
    layout: Layout | None = None
    layouts: Mapping[str, Layout] = field(default_factory=dict)  # by options["platform"] (ad-report)
    options_help: tuple[tuple[str, str], ...] = ()  # option → what it does
    encoding: str = "gbk"  # of the sample file
    platform: str = ""  # stored in `platform` (ad-report: options["platform"]; else options, this, the channel)
    # fields every layout must have (ad-report), listed by their first layout's headers: the columns say
    # nothing required when each platform names them differently
    layout_required: tuple[str, ...] = ()

    @property
    def required(self) -> list[str]:
        first = next(iter(self.layouts.values()), None)
        extra = [first.fields[name].name for name in self.layout_required] if first is not None else []
        own = super().required
        return [*own, *(name for name in extra if name not in own)]

    def layout_for(self, platform: str | None) -> Layout:
        if self.layouts:
            return self.layouts[platform or ""]
        assert self.layout is not None
        return self.layout


def _c(name: str, *aliases: str, **rules: object) -> Column:
    return Column(name, aliases=aliases, **rules)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- report dates

_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                            "nov", "dec"))}
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NAMED_DATE = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$")


def parse_report_date(value: object, tz: str) -> dt.date | None:
    """A report's date: everything ``normalize.parse_date`` reads, plus Amazon's ``11/20/2026`` (US
    month/day/year) and ``Nov 20, 2026``. Raises ValueProblem."""
    if isinstance(value, str):
        text = value.strip()
        match = _US_DATE.fullmatch(text)
        if match:
            month, day, year = (int(g) for g in match.groups())
            return _date(year, month, day, value)
        match = _NAMED_DATE.fullmatch(text)
        if match and match.group(1).lower() in _MONTHS:
            return _date(int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2)), value)
    return parse_date(value, tz)


def _date(year: int, month: int, day: int, value: object) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(gettext_noop("“%(value)s” is not a valid date", value=value)) from None


# ------------------------------------------------------------------------------------------- events

EVENTS_COLUMNS = (
    _c("ts", "time", "timestamp", "event_time", "时间", required=True),
    _c("user_id", "user", "uid", "用户ID", required=True),
    _c("item_id", "item", "商品ID", required=True),
    _c("category_id", "category", "类目ID", required=True),
    _c("behavior", "behavior_type", "event", "行为", required=True),
    _c("sku_id", "sku", "SKU"),
    _c("channel", "渠道"),
    _c("source", "来源"),
    _c("session_id", "session", "会话ID"),
    _c("price", "价格", **MONEY0),
)

EVENTS = LakeFormat(
    name="events", title=gettext_noop("Own-site behaviour log"), channel="own-site", target="lake",
    columns=EVENTS_COLUMNS, table="events", engine="events", encoding="utf-8",
    quirks=("CSV (UTF-8 or GBK) or Parquet; header ts,user_id,item_id,category_id,behavior "
            "[,sku_id,channel,source,session_id,price]",
            "ts: 'YYYY-MM-DD HH:MM:SS' in the shop's time zone, ISO 8601 with an offset, or unix seconds/ms",
            "behavior: pv, fav, cart, buy or any lower-case word; 浏览/收藏/加购/购买 are mapped to pv/fav/cart/buy",
            "ids are stored as text; formulas (=, +, -, @) in text cells are stored neutralised with a leading '",
            "no row key: a re-import of the same dates compares the rows as multisets (duplicates are kept)"),
    options_help=(("tz", "time zone of naive timestamps (default Asia/Shanghai)"),),
)

USERBEHAVIOR = LakeFormat(
    name="taobao-userbehavior", title=gettext_noop("Taobao UserBehavior dataset (Tianchi)"), channel="taobao", target="lake",
    columns=(_c("user_id", required=True, kind="int"), _c("item_id", required=True, kind="int"),
             _c("category_id", required=True, kind="int"), _c("behavior_type", required=True),
             _c("timestamp", required=True, kind="int")),
    header=False, column_names=USERBEHAVIOR_NAMES, table="events", engine="userbehavior", encoding="ascii",
    quirks=("headerless CSV: user_id,item_id,category_id,behavior_type,timestamp (unix seconds)",
            "behavior_type ∈ pv, buy, cart, fav; a row with another value, a non-integer or negative id is "
            "invalid (rejects the file unless --skip-invalid)",
            "timestamps outside the dataset's window 2017-11-25..2017-12-03 (Asia/Shanghai dates) are known dirt "
            "of the published file: those rows are skipped and counted (skipped), never an error; a file whose rows "
            "are all outside it is rejected (widen the window with date_from/date_to)",
            "streamed in pyarrow batches (no Python object per row); the 49 exact duplicate rows are kept"),
    options_help=(("date_from", "first date kept (default 2017-11-25)"),
                  ("date_to", "last date kept (default 2017-12-03)"),
                  ("tz", "time zone of the business date (default Asia/Shanghai)")),
)

# ------------------------------------------------------------------------------------- traffic_daily

SYCM_LAYOUT = Layout(
    fields={
        "date": _c("日期", "统计日期", "时间"),
        "terminal": _c("终端", "所属终端", "终端类型"),
        "source": _c("流量来源", "来源名称", "一级来源", "来源"),
        "source_detail": _c("来源明细", "二级来源"),
        "item_id": _c("商品ID", "商品id", "宝贝ID", "商品编号", kind="id"),
        "title": _c("商品名称", "商品标题", "宝贝标题"),
        "visitors": _c("访客数", "商品访客数", "UV", required=True, **INT0),
        "page_views": _c("浏览量", "商品浏览量", "PV", **INT0),
        "buyers": _c("支付买家数", **INT0),
        "orders": _c("支付子订单数", "支付订单数", **INT0),
        "units": _c("支付件数", "支付商品件数", **INT0),
        "sales_fen": _c("支付金额", "支付金额(元)", **MONEY0),
        "conversion_rate": _c("支付转化率", **RATE),
        "bounce_rate": _c("跳失率", "详情页跳出率", maximum=1, **RATE),
        "cart_users": _c("加购人数", "商品加购人数", **INT0),
        "fav_users": _c("收藏人数", "商品收藏人数", "商品收藏买家数", **INT0),
    },
    fallback_levels=(("item_id", "item"),), default_level="store",
)

SYCM_TRAFFIC = LakeFormat(
    name="sycm-traffic",
    title=gettext_noop("Platform traffic report by day and source/item (生意参谋, 京东商智, 电商罗盘…)"),
    channel="tmall", target="lake", columns=SYCM_LAYOUT.columns, table="traffic_daily", layout=SYCM_LAYOUT,
    platform="sycm",
    quirks=("GBK CSV or xlsx from 生意参谋; one row per 日期 × 流量来源 (store level) or × 商品ID (item level)",
            "访客数/支付买家数/加购人数/收藏人数 are distinct counts for that day: never summed across days "
            "(multi-day values are re-computed by the platform; 跳失率 over days is the mean of daily rates)",
            "store-level and item-level files are separate feeds: importing one never replaces the other",
            "rates like 18.53% are stored as 0.1853; 支付金额 in fen; '-' means empty",
            "a file without 日期 needs options date=YYYY-MM-DD (a one-day export)"),
    options_help=(("date", "the day of a file without a 日期 column"),),
)

AMAZON_BR_LAYOUT = Layout(
    fields={
        "date": _c("Date", "日期"),
        "parent_item_id": _c("(Parent) ASIN", "Parent ASIN", kind="id"),
        "item_id": _c("(Child) ASIN", "Child ASIN", "ASIN", kind="id"),
        "title": _c("Title"),
        "sku": _c("SKU"),
        "visitors": _c("Sessions - Total", "Sessions", "Sessions – Total", required=True, **INT0),
        "page_views": _c("Page Views - Total", "Page Views", "Page Views – Total", **INT0),
        "buy_box_rate": _c("Featured Offer (Buy Box) Percentage", "Buy Box Percentage", maximum=1, **RATE),
        "units": _c("Units Ordered", required=True, **INT0),
        "b2b_units": _c("Units Ordered - B2B", **INT0),
        "conversion_rate": _c("Unit Session Percentage", **RATE),
        "sales_fen": _c("Ordered Product Sales", required=True, **MONEY0),
        "b2b_sales_fen": _c("Ordered Product Sales - B2B", **MONEY0),
        "orders": _c("Total Order Items", **INT0),
    },
    fallback_levels=(("item_id", "item"),), default_level="store", currency="USD",
)

AMAZON_BUSINESS_REPORT = LakeFormat(
    name="amazon-business-report", title=gettext_noop("Amazon Business Report (by child item / by date)"), channel="amazon", target="lake",
    columns=AMAZON_BR_LAYOUT.columns, table="traffic_daily", layout=AMAZON_BR_LAYOUT, encoding="utf-8",
    platform="amazon",
    # The layout and its sources: docs/rules/platforms.md#amazon-business-report.
    quirks=("UTF-8 CSV from Seller Central → Reports → Business Reports",
            "By Date: one row per Date (store level); By Child Item: one row per (Child) ASIN and no Date column — "
            "export one day at a time and give options date=YYYY-MM-DD",
            "money like \"$1,937.41\" or \"₹1,08,218.36\" is stored in cents of options currency (default USD), "
            "never converted; counts like \"1,128\"; percentages like 18.53% → 0.1853",
            "Date as 11/20/2026 (US month/day/year), Nov 20, 2026 or 2026-11-20",
            "Sessions are distinct per day: not additive across days",
            "channel: the channel account's channel (ShopOps has no Amazon channel code yet)"),
    options_help=(("date", "the day of a By Child Item report (it has no Date column)"),
                  ("currency", "currency of the money columns (default USD)")),
)

# ------------------------------------------------------------------------------------------- ad_daily

_AD_METRICS_CN = {
    "impressions": _c("展现量", "展现数", "展示次数", "曝光量", **INT0),
    "clicks": _c("点击量", "点击数", "点击次数", **INT0),
}


def _ad_layout(fields: dict[str, Column], targets: tuple[tuple[str, str], ...], *, currency: str = "CNY") -> Layout:
    return Layout(fields=fields, targets=targets,
                  fallback_levels=(("unit", "unit"), ("unit_id", "unit"), ("item_id", "item"),
                                   ("campaign", "campaign"), ("campaign_id", "campaign")),
                  default_level="account", currency=currency)


AD_LAYOUTS: dict[str, Layout] = {
    "ztc": _ad_layout({
        "date": _c("日期", "时间"),
        "campaign_id": _c("计划ID", "推广计划ID", kind="id"),
        "campaign": _c("计划名字", "计划名称", "推广计划"),
        "unit_id": _c("推广单元ID", "单元ID", kind="id"),
        "unit": _c("推广单元", "单元名称", "推广单元名称"),
        "item_id": _c("商品id", "宝贝ID", "商品ID", kind="id"),
        "keyword": _c("关键词", "关键词名称"),
        "crowd": _c("人群", "人群名称", "精选人群"),
        "creative": _c("创意名称", "创意标题"),
        "match_type": _c("匹配方式"),
        **_AD_METRICS_CN,
        "cost_fen": _c("花费", "消耗", **MONEY0),
        "sales_fen": _c("总成交金额", "成交金额", **MONEY0),
        "orders": _c("总成交笔数", "成交笔数", **INT0),
        "direct_sales_fen": _c("直接成交金额", **MONEY0),
        "direct_orders": _c("直接成交笔数", **INT0),
        "cart_adds": _c("总购物车数", "购物车数", **INT0),
        "favorites": _c("总收藏数", "收藏数", **INT0),
    }, (("keyword", "keyword"), ("crowd", "crowd"), ("creative", "creative"))),
    "ylmf": _ad_layout({
        "date": _c("日期", "时间"),
        "campaign_id": _c("计划ID", kind="id"),
        "campaign": _c("计划名称", "计划名字"),
        "unit_id": _c("单元ID", kind="id"),
        "unit": _c("单元名称", "推广单元"),
        "item_id": _c("商品ID", "宝贝ID", kind="id"),
        "crowd": _c("定向名称", "人群名称", "定向人群"),
        "creative": _c("创意名称", "创意"),
        **_AD_METRICS_CN,
        "cost_fen": _c("消耗", "花费", **MONEY0),
        "sales_fen": _c("成交金额", "总成交金额", **MONEY0),
        "orders": _c("成交笔数", "总成交笔数", **INT0),
        "cart_adds": _c("加购数", "总购物车数", "加购量", **INT0),
        "favorites": _c("收藏宝贝数", "总收藏数", "收藏数", **INT0),
    }, (("crowd", "crowd"), ("creative", "creative"))),
    "wxt": _ad_layout({
        "date": _c("日期", "时间"),
        "campaign_id": _c("计划ID", kind="id"),
        "campaign": _c("计划名称", "计划名字"),
        "unit_id": _c("单元ID", kind="id"),
        "unit": _c("单元名称"),
        "item_id": _c("商品ID", "宝贝ID", kind="id"),
        "keyword": _c("关键词"),
        "crowd": _c("人群", "人群名称"),
        "creative": _c("创意名称", "创意"),
        **_AD_METRICS_CN,
        "cost_fen": _c("花费", "消耗", **MONEY0),
        "sales_fen": _c("总成交金额", "成交金额", **MONEY0),
        "orders": _c("总成交笔数", "成交笔数", **INT0),
        "cart_adds": _c("总购物车数", "加购数", **INT0),
        "favorites": _c("总收藏数", "收藏数", **INT0),
    }, (("keyword", "keyword"), ("crowd", "crowd"), ("creative", "creative"))),
    "jdkc": _ad_layout({
        "date": _c("日期", "时间"),
        "campaign_id": _c("计划ID", kind="id"),
        "campaign": _c("计划名称", "推广计划"),
        "unit_id": _c("单元ID", kind="id"),
        "unit": _c("单元名称", "推广单元"),
        "item_id": _c("SKU", "商品SKU", "商品ID", kind="id"),
        "keyword": _c("关键词"),
        "creative": _c("创意名称", "素材名称"),
        "impressions": _c("展现数", "展现量", **INT0),
        "clicks": _c("点击数", "点击量", **INT0),
        "cost_fen": _c("总费用", "花费", "消耗", **MONEY0),
        "sales_fen": _c("总订单行金额", "总订单金额", **MONEY0),
        "orders": _c("总订单行", "总订单数", **INT0),
        "direct_sales_fen": _c("直接订单行金额", "直接订单金额", **MONEY0),
        "direct_orders": _c("直接订单行", "直接订单数", **INT0),
        "cart_adds": _c("总加购数", "加购数", **INT0),
        "favorites": _c("收藏数", "总收藏数", **INT0),
    }, (("keyword", "keyword"), ("creative", "creative"))),
    "qianchuan": _ad_layout({
        "date": _c("日期", "时间"),
        "campaign_id": _c("广告组ID", kind="id"),
        "campaign": _c("广告组名称", "广告组"),
        "unit_id": _c("计划ID", kind="id"),
        "unit": _c("计划名称"),
        "item_id": _c("商品ID", kind="id"),
        "creative": _c("创意名称", "素材名称", "素材"),
        "impressions": _c("展示次数", "展现量", "展示数", **INT0),
        "clicks": _c("点击次数", "点击量", "点击数", **INT0),
        "cost_fen": _c("消耗", "整体消耗", "花费", **MONEY0),
        "sales_fen": _c("成交金额", "直接成交金额", "整体成交金额", **MONEY0),
        "orders": _c("成交订单数", "直接成交订单数", "整体成交订单数", **INT0),
    }, (("creative", "creative"),)),
    "amazon-sp": _ad_layout({
        "date": _c("Date", "Start Date"),
        "campaign_id": _c("Campaign ID", kind="id"),
        "campaign": _c("Campaign Name"),
        "unit_id": _c("Ad Group ID", kind="id"),
        "unit": _c("Ad Group Name"),
        "item_id": _c("Advertised ASIN", "ASIN", kind="id"),
        "keyword": _c("Targeting", "Keyword", "Keyword Text"),
        "match_type": _c("Match Type"),
        "impressions": _c("Impressions", **INT0),
        "clicks": _c("Clicks", **INT0),
        "cost_fen": _c("Spend", "Cost", **MONEY0),
        "sales_fen": _c("7 Day Total Sales", "14 Day Total Sales", "Sales", "7 Day Total Sales ($)", **MONEY0),
        "orders": _c("7 Day Total Orders (#)", "14 Day Total Orders (#)", "Orders", **INT0),
        "units": _c("7 Day Total Units (#)", "14 Day Total Units (#)", "Units", **INT0),
        "currency": _c("Currency"),
    }, (("keyword", "keyword"),), currency="USD"),
}
_AD_REQUIRED = ("impressions", "clicks", "cost_fen")

AD_REPORT = LakeFormat(
    name="ad-report",
    title=gettext_noop("Ad report (Zhitongche, Yinli Mofang, Wanxiangtai, JD Kuaiche, Qianchuan, Amazon SP)"),
    channel="tmall", target="lake",
    columns=AD_LAYOUTS["ztc"].columns, table="ad_daily", layouts=AD_LAYOUTS, layout_required=_AD_REQUIRED,
    quirks=("options platform = ztc | ylmf | wxt | jdkc | qianchuan | amazon-sp (required): each platform has its "
            "own headers (see docs/formats-lake.md); 展现量, 点击量 and 花费 (or the platform's names) are required",
            "the level (keyword, crowd, creative, unit, item, campaign) is decided by the columns present and stored "
            "in `level`; a campaign report and a keyword report of the same days are separate feeds",
            "花费/成交金额 in fen (Amazon: cents of the Currency column or options currency); CTR, PPC, ROI are "
            "recomputed from the stored counts, never imported",
            "直通车/万相台 成交 columns are the 15-day attributed totals (总成交 = 直接 + 间接)"),
    options_help=(("platform", "ztc | ylmf | wxt | jdkc | qianchuan | amazon-sp"),
                  ("date", "the day of a report without a date column"),
                  ("currency", "amazon-sp: currency when the file has no Currency column (default USD)")),
)

# ---------------------------------------------------------------------------------------- search_terms

SEARCH_LAYOUT = Layout(
    fields={
        "date": _c("日期", "Date", "统计日期"),
        "source": _c("来源", "流量来源", "平台", "Source"),
        "term": _c("搜索词", "关键词", "搜索关键词", "Customer Search Term", "Search Term", "Search Query",
                   required=True, nullable=False),
        "item_id": _c("商品ID", "宝贝ID", "ASIN", kind="id"),
        "impressions": _c("展现量", "曝光量", "Impressions", "Search Query Volume", **INT0),
        "visitors": _c("访客数", "带来的访客数", "UV", **INT0),
        "clicks": _c("点击量", "点击人数", "点击次数", "Clicks", **INT0),
        "orders": _c("成交笔数", "支付买家数", "引导下单买家数", "Orders", "Purchases", **INT0),
        "sales_fen": _c("成交金额", "支付金额", "引导支付金额", "Sales", **MONEY0),
        "rank": _c("排名", "搜索排名", "平均排名", "Rank", **INT0),
    },
)

SEARCH_TERMS = LakeFormat(
    name="search-terms", title=gettext_noop("Search terms report"), channel="tmall", target="lake",
    columns=SEARCH_LAYOUT.columns, table="search_terms", layout=SEARCH_LAYOUT,
    quirks=("GBK CSV (生意参谋 选词助手 / 搜索词) or UTF-8 (Amazon search term report); one row per 日期 × 来源 × "
            "搜索词 (× 商品ID); a repeated key is an error",
            "访客数 is a distinct count per day", "formulas in 搜索词 are stored neutralised"),
    options_help=(("platform", "label stored in `platform` (default: the account's channel)"),
                  ("date", "the day of a file without a date column")),
)

# -------------------------------------------------------------------------------- competitor_snapshots

COMPETITOR_LAYOUT = Layout(
    fields={
        "date": _c("日期", "Date", "采集日期"),
        "competitor_shop": _c("店铺", "竞品店铺", "店铺名称", "竞店", "Seller"),
        "item_id": _c("商品ID", "宝贝ID", "ASIN", "商品链接ID", kind="id", required=True, nullable=False),
        "title": _c("标题", "商品标题", "商品名称", "Title"),
        "category": _c("类目", "类目名称", "Category"),
        "price_fen": _c("价格", "售价", "一口价", "原价", "Price", **MONEY0),
        "promo_price_fen": _c("到手价", "券后价", "活动价", "促销价", "Deal Price", **MONEY0),
        "sales_estimate": _c("销量", "月销量", "30天销量", "付款人数", "销量估算", "Sales", **INT0),
        "reviews": _c("评价数", "评论数", "Reviews", **INT0),
        "rank": _c("排名", "类目排名", "搜索排名", "Rank", "BSR", **INT0),
        "url": _c("链接", "商品链接", "URL"),
    },
)

COMPETITOR_SNAPSHOT = LakeFormat(
    name="competitor-snapshot", title=gettext_noop("Competitor snapshot"), channel="tmall", target="lake",
    columns=COMPETITOR_LAYOUT.columns, table="competitor_snapshots", layout=COMPETITOR_LAYOUT,
    quirks=("one row per 日期 × 店铺 × 商品ID (a repeated key is an error); prices in fen",
            "销量 is the platform's estimate as shown (月销量/付款人数): not additive across days",
            "formulas in titles are stored neutralised"),
    options_help=(("platform", "label stored in `platform` (default: the account's channel)"),
                  ("date", "the day of a file without a date column")),
)

LAKE_FORMATS: tuple[Format, ...] = (EVENTS, USERBEHAVIOR, SYCM_TRAFFIC, AMAZON_BUSINESS_REPORT, AD_REPORT,
                                    SEARCH_TERMS, COMPETITOR_SNAPSHOT)
LAKE_FORMATS_BY_NAME: dict[str, LakeFormat] = {f.name: f for f in LAKE_FORMATS}  # type: ignore[misc]
