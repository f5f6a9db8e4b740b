"""Pure promotion engine (到手价 quote): the public names in one place (docs/rules/pricing.md).

The model lives in ``promotions``, the engine in ``quote`` and its many-carts-at-once form (numpy) in
``batch``; import from here. No Django, no I/O: the
CLI and the API reach it through ``shopops.pricing.contract``.
"""

from shopops.pricing.batch import CartColumns, QuoteColumns, columns_of, quote_batch
from shopops.pricing.promotions import (
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
from shopops.pricing.quote import (
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
    "ALL_LINES", "ALWAYS", "ITEM", "ORDER_LEVELS", "PLATFORM", "SHOP", "AppliedPromotion", "Cart", "CartColumns",
    "Coupon", "EveryOff", "Gift", "GiftGrant", "GiftItem", "ItemDiscount", "ItemOffer", "ItemPrice", "Level", "Line",
    "LineDiscount", "LineQuote", "MemberPrice", "MoneyOff", "OrderOffer", "Presale", "PresaleTotals",
    "PriceOffer", "Promotion", "Quote", "QuoteColumns", "Rejection", "Scope", "ThresholdOff", "Tier", "Window",
    "columns_of", "quote", "quote_batch",
]
