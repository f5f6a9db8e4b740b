"""The marketing calendar (营销日历): big promotions, monthly member days, weekly and yearly rhythm.

Dates follow the platform calendar in docs/rules/campaigns.md#platform-calendar: 618 opens its first wave on
20 May at 20:00 and its second on 31 May 20:00 (2024); 双11 presale opens around 20 Oct at 20:00, the first 尾款
wave starts 31 Oct 20:00 and the day itself peaks at midnight. 年货节 runs about three weeks before Chinese New
Year, after which couriers stop (快递停运) and sales slump until the Lantern-festival week. The promotion
mechanics per campaign (单品直降, 跨店每满300减50, 官方立减 in 2025 618, shop coupons) come from
docs/rules/pricing.md#cross-store-offers-by-year and docs/rules/pricing.md#official-instant-discount.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from shopops.demo.spec import CampaignDay

# 春节 (Chinese New Year's day) by Gregorian year: lunar dates are data, not arithmetic.
SPRING_FESTIVAL: dict[int, dt.date] = {
    2015: dt.date(2015, 2, 19),
    2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28),
    2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}

# Day-of-week traffic rhythm (Mon..Sun): Sunday evening and Monday are strong, Friday/Saturday people go out.
WEEKLY = np.array([1.06, 1.00, 0.98, 0.97, 0.90, 0.94, 1.12])
# Month-of-year base level: a summer lull, a strong Q4 (gifting, cold-weather body care).
MONTHLY = np.array([1.00, 0.96, 1.05, 1.00, 1.00, 1.00, 0.92, 0.93, 1.00, 1.02, 1.05, 1.08])

MEMBER_DAY = 16  # 每月16日 会员日

DAY_NORMAL, DAY_MIDNIGHT_PEAK, DAY_EVENING_WAVE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class PromoRule:
    """An order-level 满减: ``off_fen`` off when goods reach ``threshold_fen`` (每满: for every multiple)."""

    label: str
    threshold_fen: int
    off_fen: int
    per_each: bool = False

    def discount(self, goods_fen: int) -> int:
        if goods_fen < self.threshold_fen:
            return 0
        return self.off_fen * (goods_fen // self.threshold_fen if self.per_each else 1)


@dataclass(frozen=True, slots=True)
class DayPromo:
    """What a buyer gets on one day: single-item price, platform 满减, shop coupon, member coupon."""

    price_factor: float = 1.0  # 单品级 campaign price as a share of the list price
    price_label: str = ""
    platform_rule: PromoRule | None = None  # 平台级 (跨店满减), only on marketplace channels
    coupon_rule: PromoRule = PromoRule("店铺券 满199减15", 19_900, 1_500)
    coupon_take: float = 0.3  # share of eligible orders that claimed and used the shop coupon
    member_rule: PromoRule | None = None  # 会员日 coupon for returning customers


@dataclass(frozen=True, slots=True)
class Calendar:
    dates: tuple[dt.date, ...]
    intensity: np.ndarray  # campaign traffic multiplier (1.0 on ordinary days)
    base: np.ndarray  # weekly × monthly rhythm × holiday slumps, without campaigns
    campaign: tuple[str, ...]  # campaign name per day, "" on ordinary days
    day_kind: np.ndarray  # DAY_NORMAL | DAY_MIDNIGHT_PEAK | DAY_EVENING_WAVE (intraday shape)
    month: np.ndarray  # 0..11
    promos: tuple[DayPromo, ...]
    campaign_days: list[CampaignDay]

    @property
    def demand(self) -> np.ndarray:
        """Total traffic multiplier per day: rhythm × campaign."""
        return self.base * self.intensity


def _span(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _double11(year: int) -> list[tuple[dt.date, float, int]]:
    d = dt.date
    days = [(d(year, 10, 20), 1.8, DAY_EVENING_WAVE)]
    days += [(x, 1.35, DAY_NORMAL) for x in _span(d(year, 10, 21), d(year, 10, 30))]
    days += [(d(year, 10, 31), 2.6, DAY_EVENING_WAVE), (d(year, 11, 1), 2.8, DAY_NORMAL),
             (d(year, 11, 2), 1.9, DAY_NORMAL), (d(year, 11, 3), 1.7, DAY_NORMAL)]
    days += [(x, 1.3, DAY_NORMAL) for x in _span(d(year, 11, 4), d(year, 11, 9))]
    days += [(d(year, 11, 10), 2.0, DAY_EVENING_WAVE), (d(year, 11, 11), 7.5, DAY_MIDNIGHT_PEAK),
             (d(year, 11, 12), 1.4, DAY_NORMAL)]
    return days


def _six18(year: int) -> list[tuple[dt.date, float, int]]:
    d = dt.date
    days = [(d(year, 5, 20), 1.9, DAY_EVENING_WAVE)]
    days += [(x, 1.45, DAY_NORMAL) for x in _span(d(year, 5, 21), d(year, 5, 25))]
    days += [(x, 1.2, DAY_NORMAL) for x in _span(d(year, 5, 26), d(year, 5, 30))]
    days += [(d(year, 5, 31), 2.4, DAY_EVENING_WAVE), (d(year, 6, 1), 2.3, DAY_NORMAL)]
    days += [(x, 1.5, DAY_NORMAL) for x in _span(d(year, 6, 2), d(year, 6, 3))]
    days += [(x, 1.2, DAY_NORMAL) for x in _span(d(year, 6, 4), d(year, 6, 14))]
    days += [(x, 1.5, DAY_NORMAL) for x in _span(d(year, 6, 15), d(year, 6, 16))]
    days += [(d(year, 6, 17), 1.7, DAY_EVENING_WAVE), (d(year, 6, 18), 4.5, DAY_MIDNIGHT_PEAK)]
    days += [(x, 1.25, DAY_NORMAL) for x in _span(d(year, 6, 19), d(year, 6, 20))]
    return days


def _double12(year: int) -> list[tuple[dt.date, float, int]]:
    d = dt.date
    return [(d(year, 12, 8), 1.2, DAY_NORMAL), (d(year, 12, 9), 1.2, DAY_NORMAL),
            (d(year, 12, 10), 1.4, DAY_NORMAL), (d(year, 12, 11), 1.5, DAY_NORMAL),
            (d(year, 12, 12), 2.6, DAY_MIDNIGHT_PEAK)]


def _women_day(year: int) -> list[tuple[dt.date, float, int]]:
    d = dt.date
    days = [(x, 1.25, DAY_NORMAL) for x in _span(d(year, 3, 1), d(year, 3, 5))]
    return days + [(d(year, 3, 6), 1.5, DAY_NORMAL), (d(year, 3, 7), 1.6, DAY_EVENING_WAVE),
                   (d(year, 3, 8), 2.3, DAY_NORMAL)]


def _new_year_goods(year: int) -> list[tuple[dt.date, float, int]]:
    """年货节: from about 24 days to 8 days before 春节, strongest in its first week."""
    cny = SPRING_FESTIVAL.get(year)
    if cny is None:
        return []
    days = []
    for offset in range(-24, -7):
        intensity = 1.5 if offset <= -17 else 1.3
        days.append((cny + dt.timedelta(days=offset), intensity, DAY_NORMAL))
    return days


def _holiday_slump(day: dt.date) -> float:
    """Couriers stop around 春节, so sales fall from a week before New Year to the Lantern-festival week."""
    factor = 1.0
    for year in (day.year, day.year + 1):
        cny = SPRING_FESTIVAL.get(year)
        if cny is None:
            continue
        offset = (day - cny).days
        if -7 <= offset <= -1:
            factor = 0.6
        elif 0 <= offset <= 5:
            factor = 0.5
        elif 6 <= offset <= 12:
            factor = 0.78
    # After a big promotion demand is spent (the "hangover"); before it buyers wait (蓄水期).
    month_day = (day.month, day.day)
    if (11, 13) <= month_day <= (11, 20) or (6, 21) <= month_day <= (6, 26):
        factor *= 0.85
    if (10, 10) <= month_day <= (10, 19) or (5, 10) <= month_day <= (5, 19):
        factor *= 0.9
    return factor


def _promo_for(name: str, year: int) -> DayPromo:
    """Promotion mechanics per campaign: 2021 每满200减30, 2022+ 每满300减50; 2025 618 replaced 满减 with 官方立减 15%
    (docs/rules/pricing.md#cross-store-offers-by-year, docs/rules/pricing.md#official-instant-discount)."""
    if name == "双11":
        cross = (PromoRule("双11 跨店每满200减30", 20_000, 3_000, per_each=True) if year <= 2021
                 else PromoRule("双11 跨店每满300减50", 30_000, 5_000, per_each=True))
        return DayPromo(0.85, "双11 单品直降", cross, PromoRule("店铺券 满399减40", 39_900, 4_000), 0.5)
    if name == "618":
        if year >= 2025:
            return DayPromo(0.85, "618 官方立减", None, PromoRule("店铺券 满299减30", 29_900, 3_000), 0.5)
        cross = PromoRule("618 跨店每满300减50", 30_000, 5_000, per_each=True)
        return DayPromo(0.9, "618 单品直降", cross, PromoRule("店铺券 满299减30", 29_900, 3_000), 0.5)
    if name == "双12":
        return DayPromo(0.92, "双12 单品直降", PromoRule("双12 满200减20", 20_000, 2_000),
                        PromoRule("店铺券 满199减15", 19_900, 1_500), 0.35)
    if name == "年货节":
        return DayPromo(0.92, "年货节 限时折扣", None, PromoRule("年货节 满299减30", 29_900, 3_000), 0.5)
    if name == "38节":
        return DayPromo(0.9, "38节 女王节特惠", None, PromoRule("38节 满199减20", 19_900, 2_000), 0.5)
    if name == "会员日":
        return DayPromo(member_rule=PromoRule("会员日 满100减10", 10_000, 1_000))
    return DayPromo()


def build_calendar(start: dt.date, days: int) -> Calendar:
    """The calendar of the simulated window [start, start + days)."""
    dates = tuple(start + dt.timedelta(days=i) for i in range(days))
    end = dates[-1]
    events: dict[dt.date, tuple[str, float, int]] = {}
    builders = (("双11", _double11), ("618", _six18), ("双12", _double12), ("38节", _women_day),
                ("年货节", _new_year_goods))
    for year in range(start.year, end.year + 1):
        for name, builder in builders:
            for day, intensity, kind in builder(year):
                if start <= day <= end and intensity > events.get(day, ("", 0.0, 0))[1]:
                    events[day] = (name, intensity, kind)
    for day in dates:
        if day.day == MEMBER_DAY and day not in events:
            events[day] = ("会员日", 1.3, DAY_NORMAL)

    intensity = np.ones(days)
    kind = np.zeros(days, dtype=np.int64)
    names = [""] * days
    promos = []
    for i, day in enumerate(dates):
        name, level, day_kind = events.get(day, ("", 1.0, DAY_NORMAL))
        intensity[i], kind[i], names[i] = level, day_kind, name
        promos.append(_promo_for(name, day.year))
    weekday = np.array([d.weekday() for d in dates])
    month = np.array([d.month - 1 for d in dates])
    base = WEEKLY[weekday] * MONTHLY[month] * np.array([_holiday_slump(d) for d in dates])
    campaign_days = [CampaignDay(date=d, name=names[i], intensity=float(intensity[i]))
                     for i, d in enumerate(dates) if names[i]]
    return Calendar(dates, intensity, base, tuple(names), kind, month, tuple(promos), campaign_days)
