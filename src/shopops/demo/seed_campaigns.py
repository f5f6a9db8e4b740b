"""The demo's campaigns, written through the campaign services as a planner would: the last 双11 before the
demo's end (inside the order history, reviewed, with a drawn lottery) and the next 双12 (promotions, SKUs,
checklist, simulated)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from shopops.campaigns import selectors as campaign_selectors
from shopops.campaigns import services as campaign_services
from shopops.catalog import selectors as catalog_selectors
from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core.money import format_fen, parse_fen

if TYPE_CHECKING:  # a type hint only: the demo reaches shops through core's services and selectors
    from shopops.core.models import Shop

PHASES = ("warmup_start", "main_start", "main_end", "return_end")
PAST_CHANNELS = ["tmall", "jd", "douyin", "pdd", "xiaohongshu", "own-site", "wecom"]
UPCOMING_CHANNELS = ["tmall", "jd", "douyin", "pdd"]
PAST_PROMOTIONS = [  # the labels the demo's orders carry (shopops/demo/gen_calendar.py: _promo_for)
    {"id": "d11-item", "name": "双11 单品直降", "type": "item_discount", "percent_off": 15},
    {"id": "d11-cross", "name": "双11 跨店每满300减50", "type": "every_off", "level": "platform",
     "every": "300.00", "off": "50.00"},
    {"id": "d11-coupon", "name": "店铺券 满399减40", "type": "coupon", "level": "shop",
     "threshold": "399.00", "off": "40.00"},
]
PAST_PRIZES = [{"name": "一等奖 护肤礼盒", "value": "1299.00", "count": 1},
               {"name": "二等奖 正装精华", "value": "399.00", "count": 3},
               {"name": "三等奖 旅行装", "value": "59.00", "count": 10}]


@transaction.atomic
def campaigns_demo_seed(*, shop: Shop, end_date: dt.date) -> dict[str, Any]:
    """The past 双11 and the next 双12 around ``end_date``: {"past": id, "upcoming": id}. Idempotent by name."""
    catalog = catalog_selectors.skus_by_code(shop=shop)
    codes = sorted(code for code, sku in catalog.items() if sku.active)
    users = _users_by_role(shop)
    return {"past": _past_seed(shop, end_date, codes, users).pk,
            "upcoming": _upcoming_seed(shop, end_date, catalog, codes, users).pk}


def _preset_for(shop: Shop, code: str, year: int) -> dict:
    """The calendar entry of that year, or the 2026 one moved to that year."""
    entry = campaign_selectors.calendar_entry(shop=shop, code=code, year=year)
    if entry is not None:
        return entry
    template = campaign_selectors.calendar_entry(shop=shop, code=code, year=2026)
    assert template is not None
    return {**template, **{k: template[k].replace(year=year) for k in PHASES}, "year": year}


def _users_by_role(shop: Shop) -> dict[str, AbstractBaseUser]:
    out: dict[str, AbstractBaseUser] = {}
    for user in core_selectors.users_of_shop(shop=shop):
        role = core_selectors.user_role(user=user)
        if role and role not in out:
            out[role] = user
    return out


def _name(users: Mapping[str, AbstractBaseUser], role: str) -> str | None:
    user = users.get(role)
    return user.get_username() if user is not None else None


def _past_seed(shop: Shop, end_date: dt.date, codes: list[str], users: Mapping[str, AbstractBaseUser]) -> Any:
    """双11 inside the order history: reviewed, its GMV goal one the demo nearly beat, a lottery drawn."""
    year = end_date.year if end_date >= dt.date(end_date.year, 11, 13) else end_date.year - 1
    name = f"双11 {year}"
    past = campaign_selectors.campaign_by_name(shop=shop, name=name)
    if past is not None:
        return past
    preset = _preset_for(shop, "double11", year)
    operator = _name(users, roles.OPERATOR)
    past = campaign_services.campaign_save(shop=shop, data={
        "name": name, "preset": "double11", "year": year, "kind": "platform",
        **{k: preset[k].isoformat() for k in PHASES},
        "channels": PAST_CHANNELS, "goals": {"gmv": "400000.00", "new_buyers": 800}, "budget": "60000.00",
        "skus": codes, "promotions": PAST_PROMOTIONS,
        "checklist": [
            {"kind": "assets", "title": "主图与详情页 双11 版", "owner": operator,
             "due_date": (preset["warmup_start"] - dt.timedelta(days=5)).isoformat(), "done": True},
            {"kind": "stock", "title": "爆款备货", "owner": operator,
             "due_date": (preset["warmup_start"] - dt.timedelta(days=3)).isoformat(), "done": True},
        ],
    })
    gmv = parse_fen(campaign_services.campaign_review_save(campaign=past)["kpis"]["gmv"])
    goal = max(100_000, gmv * 9 // 10 // 100_000 * 100_000)
    past = campaign_services.campaign_save(shop=shop, campaign=past,
                                           data={"goals": {"gmv": format_fen(goal), "new_buyers": 800}})
    campaign_services.campaign_review_save(campaign=past)
    lottery = campaign_services.lottery_create(campaign=past, data={
        "name": "双11 晒单抽奖", "min_paid": "300.00", "prizes": PAST_PRIZES})
    campaign_services.lottery_draw(lottery=lottery, seed=f"demo-{year}")
    _assets_seed(past, users, preset["warmup_start"], today=end_date + dt.timedelta(days=1))
    return past


def _upcoming_promotions(catalog: Mapping[str, Any], top: list[str], cheapest: str | None) -> list[dict]:
    promotions: list[dict] = [
        {"id": "d12-item", "name": "双12 单品直降", "type": "item_discount", "percent_off": 8},
        {"id": "d12-platform", "name": "双12 满200减20", "type": "threshold_off", "level": "platform",
         "tiers": [{"threshold": "200.00", "off": "20.00"}]},
        {"id": "d12-coupon", "name": "店铺券 满199减15", "type": "coupon", "level": "shop",
         "threshold": "199.00", "off": "15.00"},
    ]
    if len(top) >= 4:
        promotions.append({"id": "d12-member", "name": "会员价", "type": "member_price", "skus": top[2:4],
                           "price": format_fen(catalog[top[2]].price_fen * 80 // 100)})
    if cheapest:
        promotions.append({"id": "d12-gift", "name": "满299赠小样", "type": "gift", "level": "shop",
                           "threshold": "299.00", "gifts": [{"sku": cheapest, "qty": 1}]})
    return promotions


def _upcoming_seed(shop: Shop, end_date: dt.date, catalog: Mapping[str, Any], codes: list[str],
                   users: Mapping[str, AbstractBaseUser]) -> Any:
    """The next 双12 with two planted risks the simulation flags (a claimed 原价 too high, a floor too high)."""
    year = end_date.year if end_date < dt.date(end_date.year, 12, 8) else end_date.year + 1
    name = f"双12 {year}"
    upcoming = campaign_selectors.campaign_by_name(shop=shop, name=name)
    if upcoming is not None:
        return upcoming
    preset = _preset_for(shop, "double12", year)
    top = codes[:60]
    skus: list[Any] = list(top)
    if len(top) >= 3:
        skus[0] = {"sku": top[0], "claimed_original": format_fen(catalog[top[0]].price_fen * 12 // 10)}
        skus[1] = {"sku": top[1], "floor": format_fen(catalog[top[1]].price_fen * 95 // 100)}
    cheapest = min(codes, key=lambda c: (catalog[c].cost_fen, c)) if codes else None
    warm = preset["warmup_start"]

    def task(kind: str, title: str, role: str, days_before: int) -> dict:
        return {"kind": kind, "title": title, "owner": _name(users, role),
                "due_date": (warm - dt.timedelta(days=days_before)).isoformat()}

    upcoming = campaign_services.campaign_save(shop=shop, data={
        "name": name, "preset": "double12", "year": year, "kind": "platform",
        **{k: preset[k].isoformat() for k in PHASES},
        "channels": UPCOMING_CHANNELS, "goals": {"gmv": "150000.00", "uv": 60000, "new_buyers": 300},
        "budget": "20000.00", "skus": skus, "promotions": _upcoming_promotions(catalog, top, cheapest),
        "min_margin": "0.15",
        "checklist": [task("assets", "双12 主图/海报素材", roles.OPERATOR, 7),
                      task("storefront", "店铺首页 双12 装修", roles.OPERATOR, 3),
                      task("stock", "活动库存核对", roles.ADMIN, 4),
                      task("cs_scripts", "客服话术：满减与赠品规则", roles.SERVICE, 2)],
    })
    campaign_services.campaign_simulate(campaign=upcoming, as_of=end_date)
    _assets_seed(upcoming, users, warm, today=end_date + dt.timedelta(days=1), late=True)
    return upcoming


# the asset plan (店铺视觉) of a campaign: (kind, title, channel, role, days before the warm-up)
ASSET_PLAN = (
    ("banner", "首页头图 banner", "", roles.OPERATOR, 6),
    ("main_image", "主图 活动价标签版", "tmall", roles.OPERATOR, 5),
    ("main_image", "主图 直播间专享版", "douyin", roles.OPERATOR, 5),
    ("detail_page", "详情页 满减与赠品说明", "tmall", roles.OPERATOR, 4),
    ("detail_page", "详情页 京东版 活动说明", "jd", roles.ADMIN, 3),
    ("video", "主图视频 活动版 15 秒", "", roles.OPERATOR, 2),
)


def _assets_seed(campaign: Any, users: Mapping[str, AbstractBaseUser], warmup: dt.date, *, today: dt.date,
                 late: bool = False) -> None:
    """The campaign's asset plan, due days before its warm-up: those due before ``today`` are done, the rest
    planned; with ``late`` one more asset, due two days ago, is still in progress (overdue on the page and in
    its owner's to-do list)."""
    plan = [(kind, title, channel, role, warmup - dt.timedelta(days=days))
            for kind, title, channel, role, days in ASSET_PLAN if not channel or channel in campaign.channels]
    if late:
        plan.append(("main_image", "白底图 补拍", "tmall", roles.OPERATOR, today - dt.timedelta(days=2)))
    for kind, title, channel, role, due in plan:
        status = "done" if due < today else "planned"
        if late and title == "白底图 补拍":
            status = "in_progress"
        campaign_services.campaign_asset_add(
            campaign=campaign, kind=kind, title=f"{campaign.name} {title}", channel=channel,
            owner=users.get(role), due_date=due, status=status)
