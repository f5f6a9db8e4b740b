"""The cart and promotion model of the 到手价 quote: pure data, money in integer fen (docs/rules/pricing.md).

Amounts are fen per unit unless a name says otherwise; thresholds are compared with line totals. Every
class is a frozen dataclass so a cart can be shared, hashed and reordered without surprises.

Each promotion type states its money rule once (``unit_price``, ``off_for``, ``fits``, ``grants``) in plain
arithmetic and comparisons, so the same method prices one cart (``quote``, on ints) and many carts at once
(``batch``, element-wise on numpy arrays): ``lesser``/``greater`` stand for min/max, a bool times an amount
for "that amount or 0".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from shopops.core.money import basis_points_half_up

if TYPE_CHECKING:
    import numpy as np

from shopops.core.text import gettext_noop

Level = Literal["item", "shop", "platform"]
ITEM: Level = "item"  # 单品级
SHOP: Level = "shop"  # 店铺级
PLATFORM: Level = "platform"  # 平台级 (跨店)
# Applied in this order after the item level (docs/rules/pricing.md#stacking-order).
ORDER_LEVELS: tuple[Level, ...] = (SHOP, PLATFORM)


Fen = TypeVar("Fen", int, "np.ndarray")  # fen: one amount, or an array of them (one per cart line)


def lesser(a: Fen, b: Fen | int) -> Fen:
    """min(a, b) of amounts, element-wise on arrays (arithmetic alone: no numpy needed for ints)."""
    return a - (a - b) * (a > b)


def greater(a: Fen, b: Fen | int) -> Fen:
    """max(a, b) of amounts, element-wise on arrays."""
    return a + (b - a) * (b > a)


@dataclass(frozen=True, slots=True)
class Line:
    """One cart line: ``price`` is the unit list price in fen."""

    line: str
    sku: str
    shop: str
    price: int
    qty: int

    def __post_init__(self) -> None:
        if self.price < 0 or self.qty < 1:
            raise ValueError(gettext_noop("a line needs a non-negative price and a positive quantity"))

    @property
    def amount(self) -> int:
        return self.price * self.qty


@dataclass(frozen=True, slots=True)
class Scope:
    """The lines a promotion covers: one shop (None = any shop) and some SKUs (empty = every SKU).

    Platform-level promotions ignore ``shop``: 跨店 offers cover every store
    (docs/rules/pricing.md#stacking-order). The JSON contract always names the shop of a shop-level offer; a
    shop-level offer without one covers every shop, as one group.
    """

    shop: str | None = None
    skus: frozenset[str] = frozenset()

    def checks_shop(self, level: Level) -> bool:
        """Whether a line must be of ``shop``: a shop is named and the offer is not 跨店 (platform level)."""
        return self.shop is not None and level != PLATFORM

    def covers(self, line: Line, level: Level) -> bool:
        """Whether ``line`` is in scope at ``level`` (``checks_shop`` inlined: the engine's hottest call)."""
        if self.shop is not None and level != PLATFORM and line.shop != self.shop:
            return False
        return not self.skus or line.sku in self.skus


@dataclass(frozen=True, slots=True)
class Window:
    """Half-open validity window [start, end); an open side is unbounded. Datetimes are timezone-aware."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None

    def contains(self, at: dt.datetime) -> bool:
        return (self.start is None or self.start <= at) and (self.end is None or at < self.end)


ALL_LINES = Scope()
ALWAYS = Window()


# --- 单品级 item-level offers ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemDiscount:
    """单品折扣 / 官方立减: ``basis_points`` off the unit price (1500 = 15 %), at most ``cap`` fen a unit.

    ``stackable`` models 官方立减, which combines with other single-item offers
    (docs/rules/pricing.md#official-instant-discount): it is taken off the price left by the best exclusive
    offer. A non-stackable discount competes with them.
    """

    id: str
    basis_points: int
    cap: int | None = None
    stackable: bool = False
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "item_discount"
    level: ClassVar[Level] = ITEM

    def __post_init__(self) -> None:
        if not 0 < self.basis_points <= 10_000 or (self.cap is not None and self.cap < 0):
            raise ValueError(gettext_noop("percent off must lie in (0, 100] and the cap must not be negative"))

    def unit_price(self, price: Fen) -> Fen:
        off = basis_points_half_up(price, self.basis_points)
        if self.cap is not None:
            off = lesser(off, self.cap)
        return price - off


@dataclass(frozen=True, slots=True)
class ItemPrice:
    """单品直降 (``off`` fen a unit) or 秒杀/活动价 (a fixed unit ``price``): exactly one of the two is set."""

    id: str
    price: int | None = None
    off: int | None = None
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "item_price"
    level: ClassVar[Level] = ITEM

    def __post_init__(self) -> None:
        values = [v for v in (self.price, self.off) if v is not None]
        if len(values) != 1 or values[0] < 0:
            raise ValueError(gettext_noop("an item price needs exactly one of price/off, not negative"))

    def unit_price(self, price: Fen) -> Fen:
        if self.price is not None:
            return lesser(price, self.price)
        return greater(price - (self.off or 0), 0)


@dataclass(frozen=True, slots=True)
class MemberPrice:
    """会员价: a unit price for members only (the cart says ``member``); competes with the other item offers."""

    id: str
    price: int
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "member_price"
    level: ClassVar[Level] = ITEM

    def __post_init__(self) -> None:
        if self.price < 0:
            raise ValueError(gettext_noop("a member price must not be negative"))

    def unit_price(self, price: Fen) -> Fen:
        return lesser(price, self.price)


@dataclass(frozen=True, slots=True)
class Presale:
    """预售: a unit ``deposit`` (定金) and either ``instant_off`` (付定金立减) or ``deposit_worth`` (定金膨胀).

    预售价格 = price − 立减, 尾款 = 预售价格 − 定金; 膨胀: 尾款 = price − 定金 − (抵扣额 − 定金)
    (docs/rules/pricing.md#presale-deposit-and-balance). The reduction counts as an item-level discount, so
    order-level thresholds see the price after it.
    """

    id: str
    deposit: int
    deposit_worth: int | None = None
    instant_off: int | None = None
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "presale"
    level: ClassVar[Level] = ITEM

    def __post_init__(self) -> None:
        if (self.deposit_worth is None) == (self.instant_off is None):
            raise ValueError(gettext_noop("a presale needs exactly one of deposit_worth/instant_off"))
        if self.deposit <= 0 or (self.instant_off or 0) < 0 or (self.deposit_worth or self.deposit) < self.deposit:
            raise ValueError(gettext_noop("presale amounts out of range"))

    @property
    def reduction(self) -> int:
        """Unit reduction of the price: the 立减 amount, or the 膨胀 bonus (worth − deposit)."""
        if self.instant_off is not None:
            return self.instant_off
        return (self.deposit_worth or 0) - self.deposit

    def fits(self, item_price: Fen) -> Fen | bool:
        """Whether a line at ``item_price`` can take it: 定金 + 立减/膨胀 within the item price (尾款 ≥ 0.00)."""
        return self.deposit + self.reduction <= item_price


# --- 店铺级 / 平台级 order-level offers -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    threshold: int
    off: int


@dataclass(frozen=True, slots=True)
class ThresholdOff:
    """满减 with tiers (满300减30, 满500减60…): the best tier met wins. As ``level=platform``: 跨店满减."""

    id: str
    tiers: tuple[Tier, ...]
    level: Level = SHOP
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "threshold_off"
    family: ClassVar[str] = "threshold"

    def __post_init__(self) -> None:
        if not self.tiers or any(t.off <= 0 or t.off > t.threshold for t in self.tiers):
            raise ValueError(gettext_noop("tiers need 0 < off ≤ threshold"))

    def off_for(self, base: Fen) -> Fen:
        """The off of the best tier met (tiers in any order), 0 when none is."""
        off = 0
        for tier in self.tiers:
            off = greater(tier.off * (base >= tier.threshold), off)
        return off

    def condition(self) -> int:
        return min(t.threshold for t in self.tiers)


@dataclass(frozen=True, slots=True)
class EveryOff:
    """每满减 (每满300减50): ``off`` for every full ``every`` of the base, at most ``cap`` (None = 上不封顶)."""

    id: str
    every: int
    off: int
    cap: int | None = None
    level: Level = SHOP
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "every_off"
    family: ClassVar[str] = "threshold"

    def __post_init__(self) -> None:
        if not 0 < self.off <= self.every or (self.cap is not None and self.cap < self.off):
            raise ValueError(gettext_noop("every_off needs 0 < off ≤ every and cap ≥ off"))

    def off_for(self, base: Fen) -> Fen:
        off = base // self.every * self.off
        return off if self.cap is None else lesser(off, self.cap)

    def condition(self) -> int:
        return self.every


@dataclass(frozen=True, slots=True)
class Coupon:
    """优惠券: ``off`` once the base reaches ``threshold`` (店铺券 at shop level; 品类券/津贴 at platform level)."""

    id: str
    threshold: int
    off: int
    level: Level = SHOP
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "coupon"
    family: ClassVar[str] = "coupon"

    def __post_init__(self) -> None:
        if not 0 < self.off <= self.threshold:
            raise ValueError(gettext_noop("a coupon needs 0 < off ≤ threshold"))

    def off_for(self, base: Fen) -> Fen:
        return self.off * (base >= self.threshold)

    def condition(self) -> int:
        return self.threshold


@dataclass(frozen=True, slots=True)
class GiftItem:
    sku: str
    qty: int = 1


@dataclass(frozen=True, slots=True)
class Gift:
    """满赠: ``gifts`` (赠品) once the item-level amount in scope reaches ``threshold``; moves no money."""

    id: str
    threshold: int
    gifts: tuple[GiftItem, ...]
    level: Level = SHOP
    scope: Scope = ALL_LINES
    window: Window = ALWAYS
    kind: ClassVar[str] = "gift"
    family: ClassVar[str] = "gift"

    def __post_init__(self) -> None:
        if self.threshold < 0 or not self.gifts or any(g.qty < 1 for g in self.gifts):
            raise ValueError(gettext_noop("a gift needs a threshold ≥ 0 and at least one gift"))

    def condition(self) -> int:
        return self.threshold

    def grants(self, base: Fen) -> Fen | bool:
        """Whether the item-level amount in scope reaches the threshold."""
        return base >= self.threshold


PriceOffer = ItemDiscount | ItemPrice | MemberPrice  # offers that set a unit price
ItemOffer = PriceOffer | Presale
MoneyOff = ThresholdOff | EveryOff | Coupon
OrderOffer = MoneyOff | Gift
Promotion = ItemOffer | OrderOffer


@dataclass(frozen=True, slots=True)
class Cart:
    """What is quoted: lines, promotions, the instant ``at`` (for windows) and whether the buyer is a member."""

    lines: tuple[Line, ...]
    promotions: tuple[Promotion, ...] = ()
    at: dt.datetime | None = None
    member: bool = False

    def __post_init__(self) -> None:
        if self.at is not None and self.at.utcoffset() is None:
            raise ValueError(gettext_noop("the quote time must be timezone-aware"))
        if len({p.id for p in self.promotions}) != len(self.promotions):
            raise ValueError(gettext_noop("promotion ids must be unique"))
        if len({ln.line for ln in self.lines}) != len(self.lines):
            raise ValueError(gettext_noop("line ids must be unique"))
