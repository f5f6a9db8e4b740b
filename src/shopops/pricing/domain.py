"""Pure promotion engine (到手价 quote): the public names in one place (docs/rules/pricing.md).

The model lives in ``promotions`` and the engine in ``quote``; import from here. No Django, no I/O: the
CLI and the API reach it through ``shopops.pricing.contract``.
"""

from .promotions import (
    ALL_LINES,
    ALWAYS,
    ITEM,
    ORDER_LEVELS,
    PLATFORM,
    SHOP,
    Cart,
    Coupon,
    EveryOff,
    Gift,
    GiftItem,
    ItemDiscount,
    ItemOffer,
    ItemPrice,
    Level,
    Line,
    MemberPrice,
    MoneyOff,
    OrderOffer,
    Presale,
    PriceOffer,
    Promotion,
    Scope,
    ThresholdOff,
    Tier,
    Window,
)
from .quote import (
    AppliedPromotion,
    GiftGrant,
    LineDiscount,
    LineQuote,
    PresaleTotals,
    Quote,
    Rejection,
    quote,
)

__all__ = [
    "ALL_LINES", "ALWAYS", "ITEM", "ORDER_LEVELS", "PLATFORM", "SHOP", "AppliedPromotion", "Cart", "Coupon",
    "EveryOff", "Gift", "GiftGrant", "GiftItem", "ItemDiscount", "ItemOffer", "ItemPrice", "Level", "Line",
    "LineDiscount", "LineQuote", "MemberPrice", "MoneyOff", "OrderOffer", "Presale", "PresaleTotals",
    "PriceOffer", "Promotion", "Quote", "Rejection", "Scope", "ThresholdOff", "Tier", "Window", "quote",
]
