"""The pricing JSON contract as pydantic models: a cart line, one schema per promotion type, the quote.

Pure (pydantic only, no Django or ninja), so the contract, the CLI and the API read a cart through the same
models and /api/v1/openapi.json publishes their fields. Each field type carries the contract's own check
and message (``core.text``, English that a face translates); ``pricing.contract`` reads a cart piece by
piece with these models so that it can name every problem at once, and adds the checks that need the whole
cart (duplicate ids, SKUs the cart sells, 定金 within the price). The rules behind the fields are in the
docstring of ``pricing.contract``.

Checks across the fields of one object (``off`` within ``threshold``, either ``price`` or ``off``) are
model validators: they run once the fields they compare are valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from shopops.core.domain import MAX_AMOUNT_FEN, MAX_CART_LINES, MAX_LINE_QTY, AmountTooLarge, parse_amount
from shopops.core.money import MoneyError, format_fen, parse_fen
from shopops.core.text import Text, gettext_noop
from shopops.pricing.promotions import (
    ITEM,
    PLATFORM,
    SHOP,
    Coupon,
    EveryOff,
    Gift,
    GiftItem,
    ItemDiscount,
    ItemPrice,
    Line,
    MemberPrice,
    Presale,
    Promotion,
    Scope,
    ThresholdOff,
    Tier,
    Window,
)

# Bounds keep one request cheap (a quote is a read-only calculation every role may run) and amounts exact;
# lines, quantities and amounts share the shop-wide bounds of core.domain.
MAX_LINES = MAX_CART_LINES
MAX_PROMOTIONS = 200
MAX_QTY = MAX_LINE_QTY

LEVELS = (ITEM, SHOP, PLATFORM)


def problem(text: Text, at: str = "") -> PydanticCustomError:
    """A contract error for pydantic; ``at`` names the field of a model-level check (``off``, ``tiers[1].off``)."""
    return PydanticCustomError("pricing", "{text}", {"text": text, "at": at})


def required() -> Text:
    return gettext_noop("required")


# --- field types ---------------------------------------------------------------------------------------------


def clean_text(value: object) -> str | None:
    """The one rule for ids, SKUs and shops: a non-empty string, stripped; None when the value is not one."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _text(value: object) -> str:
    if value is None:
        raise problem(required())
    cleaned = clean_text(value)
    if cleaned is None:
        raise problem(gettext_noop("expected a non-empty string"))
    return cleaned


def _money_problem(value: object) -> Text:
    """Why ``value`` is not an amount (core.money says it in English only)."""
    if isinstance(value, bool | float):
        return gettext_noop("money must be given as a string or Decimal, not a float")
    try:
        negative = parse_fen(value, allow_negative=True) < 0  # type: ignore[arg-type]
    except MoneyError:
        negative = False
    if negative:
        return gettext_noop("negative amount: %(value)s", value=repr(value))
    return gettext_noop('not an amount like "129.00" (at most two decimals): %(value)s', value=repr(value))


def _fen(value: object, *, positive: bool = False) -> int:
    if value is None:
        raise problem(required())
    try:
        fen = parse_amount(value)  # type: ignore[arg-type]
    except AmountTooLarge:
        raise problem(gettext_noop("too large: at most %(max)s", max=format_fen(MAX_AMOUNT_FEN))) from None
    except MoneyError:
        raise problem(_money_problem(value)) from None
    if positive and fen == 0:
        raise problem(gettext_noop("must be more than 0.00"))
    return fen


def _positive_fen(value: object) -> int:
    return _fen(value, positive=True)


def _count(value: object) -> int:
    if value is None:
        raise problem(required())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QTY:
        raise problem(gettext_noop("expected a whole number from 1 to %(max)s", max=MAX_QTY))
    return value


def _instant(value: object) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        instant = None
    if instant is None:
        raise problem(gettext_noop("expected an ISO datetime like 2026-11-11T00:00:00+08:00"))
    if instant.utcoffset() is None:
        raise problem(gettext_noop("needs a UTC offset (e.g. +08:00)"))
    return instant


def _basis_points(value: object) -> int:
    """``percent_off`` as basis points: 15 → 1500, "12.5" → 1250."""
    if value is None:
        raise problem(required())
    amount: Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            amount = None
    not_percent = gettext_noop('expected a percentage like 15 or "12.5" (at most two decimals)')
    if amount is None or not amount.is_finite():
        raise problem(not_percent)
    if not 0 < amount < 100:  # before quantize, which cannot hold a huge number
        raise problem(gettext_noop("must lie between 0 and 100 (exclusive)"))
    if amount != amount.quantize(Decimal("0.01")):
        raise problem(not_percent)
    return int(amount * 100)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise problem(gettext_noop("expected true or false"))
    return value


def _sku_list(value: object) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise problem(gettext_noop("expected a list of SKUs"))
    return value


def _non_empty_list(message: Text) -> BeforeValidator:
    def check(value: object) -> list:
        if not isinstance(value, list) or not value:
            raise problem(message)
        return value

    return BeforeValidator(check)


_MONEY_JSON = {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}], "examples": ["129.00"],
               "description": "Yuan: a string with at most two decimals (\"129.00\") or a whole number, never a "
                              f"float; at most {format_fen(MAX_AMOUNT_FEN)}."}
_PERCENT_JSON = {"anyOf": [{"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 100},
                           {"type": "string", "examples": ["12.5"]}],
                 "description": "Percent off, 0 < p < 100, at most two decimals: 15 means 15 % off."}

NonEmptyText = Annotated[str, Field(min_length=1), BeforeValidator(_text)]
Money = Annotated[int, PlainValidator(_fen), WithJsonSchema(_MONEY_JSON)]
PositiveMoney = Annotated[int, PlainValidator(_positive_fen),
                          WithJsonSchema({**_MONEY_JSON, "description": "More than 0.00. " + _MONEY_JSON["description"]})]
Count = Annotated[int, Field(ge=1, le=MAX_QTY), BeforeValidator(_count)]
Instant = Annotated[AwareDatetime, BeforeValidator(_instant),
                    Field(description="ISO 8601 with a UTC offset, e.g. 2026-11-11T00:00:00+08:00")]
BasisPoints = Annotated[int, PlainValidator(_basis_points), WithJsonSchema(_PERCENT_JSON)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Skus = Annotated[list[NonEmptyText], BeforeValidator(_sku_list),
                 Field(description="SKUs covered; empty: every line the level covers")]


class _Object(BaseModel):
    """An item of a list: says which object it expected when the item is not one."""

    model_config = ConfigDict(extra="forbid")
    not_an_object: ClassVar[Text] = gettext_noop("expected an object")

    @model_validator(mode="before")
    @classmethod
    def _is_an_object(cls, value: object) -> object:
        if not isinstance(value, Mapping):
            raise problem(cls.not_an_object)
        return value


# --- cart lines ----------------------------------------------------------------------------------------------


class LineIn(_Object):
    """One cart line: ``price`` is the unit list price."""

    line: NonEmptyText
    sku: NonEmptyText
    shop: NonEmptyText
    price: Money
    qty: Count
    name: str | None = Field(None, description="for people; not read")
    note: str | None = Field(None, description="for people; not read")

    def to_line(self) -> Line:
        return Line(self.line, self.sku, self.shop, self.price, self.qty)


# --- promotions ----------------------------------------------------------------------------------------------


class _PromotionIn(_Object):
    """What every promotion has. ``level`` defaults per type; a shop-level offer names its ``shop`` and
    platform-level offers ignore it (跨店); ``start``/``end`` bound the half-open window [start, end)."""

    id: NonEmptyText
    type: str
    level: str
    shop: NonEmptyText | None = Field(None, validate_default=True)
    skus: Skus = Field(default_factory=list)
    start: Instant | None = None
    end: Instant | None = None
    name: str | None = Field(None, description="for people; not read")
    note: str | None = Field(None, description="for people; not read")

    levels: ClassVar[tuple[str, ...]] = LEVELS

    @classmethod
    def kind(cls) -> str:
        return get_args(cls.model_fields["type"].annotation)[0]

    @field_validator("level", mode="before")
    @classmethod
    def _level_fits_type(cls, level: object) -> object:
        if level not in LEVELS:
            raise problem(gettext_noop("expected item, shop or platform"))
        if level not in cls.levels:
            if cls.levels == (ITEM,):
                raise problem(gettext_noop("a %(kind)s promotion is item level", kind=cls.kind()))
            raise problem(gettext_noop("a %(kind)s promotion is shop or platform level", kind=cls.kind()))
        return level

    @field_validator("shop")
    @classmethod
    def _shop_level_names_its_shop(cls, shop: str | None, info: ValidationInfo) -> str | None:
        if shop is None and info.data.get("level") == SHOP:
            raise problem(required())
        return shop

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.datetime | None, info: ValidationInfo) -> dt.datetime | None:
        start = info.data.get("start")
        if end is not None and start is not None and end <= start:
            raise problem(gettext_noop("must be after start"))
        return end

    def scope(self) -> Scope:
        return Scope(None if self.level == PLATFORM else self.shop, frozenset(self.skus))

    def window(self) -> Window:
        return Window(self.start, self.end)

    def to_promotion(self) -> Promotion:
        raise NotImplementedError


class _ItemPromotionIn(_PromotionIn):
    level: Literal["item"] = "item"
    levels: ClassVar[tuple[str, ...]] = (ITEM,)


class _OrderPromotionIn(_PromotionIn):
    level: Literal["shop", "platform"] = "shop"
    levels: ClassVar[tuple[str, ...]] = (SHOP, PLATFORM)


class ItemDiscountIn(_ItemPromotionIn):
    """单品折扣 / 官方立减 (``stackable``): ``percent_off`` the unit price, at most ``cap`` a unit."""

    type: Literal["item_discount"]
    percent_off: BasisPoints
    cap: PositiveMoney | None = None
    stackable: Flag = False

    def to_promotion(self) -> Promotion:
        return ItemDiscount(self.id, self.percent_off, self.cap, self.stackable, self.scope(), self.window())


class ItemPriceIn(_ItemPromotionIn):
    """单品直降 (``off`` a unit) or 秒杀/活动价 (a unit ``price``): exactly one of the two."""

    type: Literal["item_price"]
    price: Money | None = None
    off: PositiveMoney | None = None

    @model_validator(mode="after")
    def _price_or_off(self) -> ItemPriceIn:
        if (self.price is None) == (self.off is None):
            raise problem(gettext_noop("give either price (秒杀/活动价) or off (直降), not both or neither"), "price")
        return self

    def to_promotion(self) -> Promotion:
        return ItemPrice(self.id, price=self.price, off=self.off, scope=self.scope(), window=self.window())


class MemberPriceIn(_ItemPromotionIn):
    """会员价: a unit price for member carts only."""

    type: Literal["member_price"]
    price: Money

    def to_promotion(self) -> Promotion:
        return MemberPrice(self.id, self.price, self.scope(), self.window())


class PresaleIn(_ItemPromotionIn):
    """预售: a unit ``deposit`` (定金) and either ``deposit_worth`` (定金膨胀) or ``instant_off`` (定金立减)."""

    type: Literal["presale"]
    deposit: PositiveMoney
    deposit_worth: Money | None = None
    instant_off: Money | None = None

    @model_validator(mode="after")
    def _worth_or_instant_off(self) -> PresaleIn:
        if (self.deposit_worth is None) == (self.instant_off is None):
            raise problem(gettext_noop("give either deposit_worth (定金膨胀) or instant_off (定金立减)"),
                          "deposit_worth")
        if self.deposit_worth is not None and self.deposit_worth < self.deposit:
            raise problem(gettext_noop("must be at least the deposit"), "deposit_worth")
        return self

    def to_promotion(self) -> Promotion:
        return Presale(self.id, self.deposit, deposit_worth=self.deposit_worth, instant_off=self.instant_off,
                       scope=self.scope(), window=self.window())


class TierIn(_Object):
    """满 ``threshold`` 减 ``off``."""

    threshold: Money
    off: PositiveMoney

    not_an_object: ClassVar[Text] = gettext_noop("expected an object {threshold, off}")

    @model_validator(mode="after")
    def _off_within_threshold(self) -> TierIn:
        if self.off > self.threshold:
            raise problem(gettext_noop("exceeds its threshold %(threshold)s", threshold=format_fen(self.threshold)),
                          "off")
        return self


class ThresholdOffIn(_OrderPromotionIn):
    """满减 with tiers (满300减30, 满500减60…): the best tier met wins. As ``level=platform``: 跨店满减."""

    type: Literal["threshold_off"]
    tiers: Annotated[list[TierIn], _non_empty_list(gettext_noop("expected a non-empty list of {threshold, off}"))]

    @model_validator(mode="after")
    def _thresholds_differ(self) -> ThresholdOffIn:
        seen: set[int] = set()
        for index, tier in enumerate(self.tiers):
            if tier.threshold in seen:
                raise problem(gettext_noop("duplicate threshold"), f"tiers[{index}].threshold")
            seen.add(tier.threshold)
        return self

    def to_promotion(self) -> Promotion:
        tiers = tuple(sorted((Tier(t.threshold, t.off) for t in self.tiers), key=lambda t: t.threshold))
        return ThresholdOff(self.id, tiers, self.level, self.scope(), self.window())  # type: ignore[arg-type]


class EveryOffIn(_OrderPromotionIn):
    """每满减 (每满300减50): ``off`` for every full ``every``, the whole discount at most ``cap`` (None: 上不封顶)."""

    type: Literal["every_off"]
    every: PositiveMoney
    off: PositiveMoney
    cap: PositiveMoney | None = None

    @model_validator(mode="after")
    def _off_within_every(self) -> EveryOffIn:
        if self.off > self.every:
            raise problem(gettext_noop("exceeds every %(every)s", every=format_fen(self.every)), "off")
        if self.cap is not None and self.cap < self.off:
            raise problem(gettext_noop("below off %(off)s", off=format_fen(self.off)), "cap")
        return self

    def to_promotion(self) -> Promotion:
        return EveryOff(self.id, self.every, self.off, self.cap, self.level, self.scope(),  # type: ignore[arg-type]
                        self.window())


class CouponIn(_OrderPromotionIn):
    """优惠券: ``off`` once the amount in scope reaches ``threshold`` (店铺券; 品类券/津贴 at platform level)."""

    type: Literal["coupon"]
    threshold: Money
    off: PositiveMoney

    @model_validator(mode="after")
    def _off_within_threshold(self) -> CouponIn:
        if self.off > self.threshold:
            raise problem(gettext_noop("exceeds the threshold %(threshold)s", threshold=format_fen(self.threshold)),
                          "off")
        return self

    def to_promotion(self) -> Promotion:
        return Coupon(self.id, self.threshold, self.off, self.level, self.scope(),  # type: ignore[arg-type]
                      self.window())


class GiftItemIn(_Object):
    sku: NonEmptyText
    qty: Count = 1

    not_an_object: ClassVar[Text] = gettext_noop("expected an object {sku, qty}")


class GiftIn(_OrderPromotionIn):
    """满赠: ``gifts`` once the amount in scope reaches ``threshold``; moves no money."""

    type: Literal["gift"]
    threshold: Money
    gifts: Annotated[list[GiftItemIn], _non_empty_list(gettext_noop("expected a non-empty list of {sku, qty}"))]

    def to_promotion(self) -> Promotion:
        gifts = tuple(GiftItem(g.sku, g.qty) for g in self.gifts)
        return Gift(self.id, self.threshold, gifts, self.level, self.scope(), self.window())  # type: ignore[arg-type]


PromotionIn = Annotated[
    ItemDiscountIn | ItemPriceIn | MemberPriceIn | PresaleIn | ThresholdOffIn | EveryOffIn | CouponIn | GiftIn,
    Field(discriminator="type"),
]
PROMOTION_SCHEMAS: dict[str, type[_PromotionIn]] = {
    schema.kind(): schema for schema in get_args(get_args(PromotionIn)[0])
}


# --- the quote ------------------------------------------------------------------------------------------------

MoneyText = Annotated[str, Field(examples=["129.00"], description="yuan with two decimals")]


class DiscountOut(BaseModel):
    promotion: str
    amount: MoneyText


class LineQuoteOut(BaseModel):
    """A line's 到手价: ``item_price`` is the unit price after 单品级 offers, ``pay`` the line total."""

    line: str
    sku: str
    qty: int
    price: MoneyText
    item_price: MoneyText
    pay: MoneyText
    discounts: list[DiscountOut]


class GiftOut(BaseModel):
    promotion: str
    sku: str
    qty: int


class PresaleOut(BaseModel):
    """定金 of the presale lines and their 尾款."""

    deposit: MoneyText
    balance: MoneyText


class RejectedOut(BaseModel):
    promotion: str
    reason: str


class QuoteOut(BaseModel):
    """The quote: per-line pay and discounts, gifts, presale totals, applied ids and rejected ones with why."""

    lines: list[LineQuoteOut]
    gifts: list[GiftOut]
    total_price: MoneyText
    total_discount: MoneyText
    total_pay: MoneyText
    presale: PresaleOut | None
    applied: list[str]
    rejected: list[RejectedOut]
