"""Many carts priced at once (numpy): the 到手价 of ``quote`` for n carts of up to k lines, column by column.

Why: the campaign simulation prices every SKU of a shop in several baskets under a promotion stack (100,000
SKUs in seconds, benchmarks/campaign_simulate.py); a Python loop over ``quote`` is far too slow for that.

No rule is stated here a second time: each promotion's money rule is its own method (``unit_price``,
``off_for``, ``fits``, ``grants``, written to work on arrays), the stacking order, the same-type choice, the
presale block and the cut at 0.00 are the functions of ``quote``, the split of an order-level discount is
``core.money.allocate_rows`` (docs/rules/pricing.md). This module only runs them over arrays, and
``tests/pricing/test_batch.py`` proves the result equals ``quote`` cart by cart. It gives money only: the
reasons for rejections are ``quote``'s business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from shopops.core.money import allocate_rows
from shopops.pricing.promotions import ORDER_LEVELS, Line, MoneyOff, Promotion
from shopops.pricing.quote import cut_at_zero, item_offers, order_groups, outranks, precheck, presale_blocks

_INT64_AMOUNTS = 2**30  # below this, every product of the engine (amount × amount, × 20 000) fits in int64


@dataclass(frozen=True)
class CartColumns:
    """n carts of at most k lines: cell (i, j) is line j of cart i; ``present`` is False where a cart has
    fewer lines. ``price`` (unit list price, fen) and ``qty`` are (n, k) integer arrays; ``shop`` is one shop
    code for every line or an (n, k) array of codes. ``listed`` maps the id of every promotion that has a
    SKU list to an (n, k) bool array: whether the line's SKU is on it (the caller knows its SKUs best;
    ``columns_of`` builds it from ``Line`` objects)."""

    price: np.ndarray
    qty: np.ndarray
    present: np.ndarray
    shop: str | np.ndarray
    listed: Mapping[str, np.ndarray]


@dataclass(frozen=True)
class QuoteColumns:
    """``quote``'s money per cell: ``item_price`` (unit, after 单品级 offers), ``deposit`` and ``pay`` (line
    totals, 0 where no line); per cart: ``total_pay`` and, per gift promotion id, whether it was granted."""

    item_price: np.ndarray
    deposit: np.ndarray
    pay: np.ndarray
    total_pay: np.ndarray
    gifts: dict[str, np.ndarray]


def _bool(values: np.ndarray | bool) -> np.ndarray:
    """Comparisons of object (big-integer) arrays give object arrays: make them real booleans."""
    return np.asarray(values, dtype=bool)


def columns_of(carts: Sequence[Sequence[Line]], promotions: Sequence[Promotion]) -> CartColumns:
    """The columns of carts given as lines (a Python loop: for tests and small batches)."""
    n, k = len(carts), max((len(lines) for lines in carts), default=0)
    price = np.zeros((n, k), dtype=np.int64)
    qty = np.ones((n, k), dtype=np.int64)
    present = np.zeros((n, k), dtype=bool)
    shop = np.full((n, k), "", dtype=object)
    skus = np.full((n, k), None, dtype=object)
    for i, lines in enumerate(carts):
        for j, line in enumerate(lines):
            price[i, j], qty[i, j], present[i, j], shop[i, j], skus[i, j] = line.price, line.qty, True, line.shop, line.sku
    listed = {p.id: np.isin(skus, list(p.scope.skus)) for p in promotions if p.scope.skus}
    return CartColumns(price, qty, present, shop, listed)


def quote_batch(carts: CartColumns, promotions: Sequence[Promotion], *, at: dt.datetime | None = None,
                member: bool = False) -> QuoteColumns:
    """Price every cart of ``carts`` under the same ``promotions``, quoted at ``at`` for a member or not:
    the money of ``quote(Cart(lines, promotions, at, member))`` for each row."""
    live = [p for p in sorted(promotions, key=lambda p: p.id) if precheck(p, at, member) is None]
    present = _bool(carts.present)
    big = int(np.max(carts.price, initial=0)) * int(np.max(carts.qty, initial=1))
    dtype: type | str = np.int64 if big < _INT64_AMOUNTS else object
    price = np.where(present, carts.price, 0).astype(dtype)
    qty = np.where(present, carts.qty, 0).astype(dtype)
    cover = {p.id: _covers(p, carts, present) for p in live}
    item, deposit_unit = _item_level(live, price, cover)
    item_amount = item * qty
    order_off = np.zeros_like(item_amount)
    gifts: dict[str, np.ndarray] = {}
    for level in ORDER_LEVELS:
        for group_gifts, money in order_groups(level, live):
            for gift in group_gifts:
                covered = cover[gift.id]
                gifts[gift.id] = covered.any(axis=1) & _bool(gift.grants((item_amount * covered).sum(axis=1)))
            if money:
                order_off = order_off + _best_money_off(money, cover, item_amount, order_off, deposit_unit * qty)
    pay = item_amount - order_off
    return QuoteColumns(item_price=item, deposit=deposit_unit * qty, pay=pay, total_pay=pay.sum(axis=1),
                        gifts=gifts)


def _covers(promotion: Promotion, carts: CartColumns, present: np.ndarray) -> np.ndarray:
    """``Scope.covers`` of every cell: the shop where the scope checks it, the SKU list where there is one."""
    scope = promotion.scope
    mask = present
    if scope.checks_shop(promotion.level):
        mask = mask & _bool(carts.shop == scope.shop)
    if scope.skus:
        if promotion.id not in carts.listed:
            raise ValueError(f"listed needs the SKU mask of promotion {promotion.id}")
        mask = mask & _bool(carts.listed[promotion.id])
    return mask


def _item_level(live: Sequence[Promotion], price: np.ndarray, cover: Mapping[str, np.ndarray]
                ) -> tuple[np.ndarray, np.ndarray]:
    """单品级 per cell, as ``quote._apply_item_level``: the unit price after the offers and the unit 定金."""
    exclusive, stackable, presales = item_offers(live)
    item = price
    for promotion in exclusive:  # id order: the lowest price wins, ties to the smaller id
        candidate = promotion.unit_price(price)
        item = np.where(cover[promotion.id] & _bool(candidate < item), candidate, item)
    for promotion in stackable:  # 官方立减 off the price left, in id order
        candidate = promotion.unit_price(item)
        item = np.where(cover[promotion.id] & _bool(candidate < item), candidate, item)
    reduction = np.full(item.shape, -1, dtype=np.int64)
    deposit = np.zeros_like(item)
    for promotion in presales:  # one per line: the largest 立减/膨胀, ties to the smaller id
        wins = cover[promotion.id] & _bool(promotion.fits(item)) & (promotion.reduction > reduction)
        reduction = np.where(wins, promotion.reduction, reduction)
        deposit = np.where(wins, promotion.deposit, deposit)
    return np.where(reduction >= 0, item - reduction, item), deposit


def _best_money_off(group: Sequence[MoneyOff], cover: Mapping[str, np.ndarray], item_amount: np.ndarray,
                    order_off: np.ndarray, deposit: np.ndarray) -> np.ndarray:
    """What one (shop, family) group takes off each cell, as ``quote._apply_best``: its best offer per cart."""
    n = item_amount.shape[0]
    best_saved = np.zeros(n, dtype=item_amount.dtype)
    best_nominal = np.zeros(n, dtype=item_amount.dtype)
    best_effective = np.zeros_like(item_amount)
    remaining = item_amount - order_off
    balance = remaining - deposit
    for promotion in group:  # id order
        covered = cover[promotion.id]
        weights = item_amount * covered
        nominal = promotion.off_for(weights.sum(axis=1))
        shares = allocate_rows(nominal, weights) * covered
        blocked = _bool(presale_blocks(deposit, shares, balance) & covered).any(axis=1)
        effective = cut_at_zero(shares, remaining) * covered
        saved = effective.sum(axis=1)
        better = _bool((nominal > 0) & (saved > 0) & outranks(saved, nominal, best_saved, best_nominal)) & ~blocked
        best_saved = np.where(better, saved, best_saved)
        best_nominal = np.where(better, nominal, best_nominal)
        best_effective = np.where(better[:, None], effective, best_effective)
    return best_effective
