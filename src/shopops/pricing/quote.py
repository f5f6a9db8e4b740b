"""The 到手价 engine: apply a cart's promotions level by level and explain every decision.

The platform rules are in docs/rules/pricing.md.
Order (docs/rules/pricing.md#stacking-order): 单品级 → 店铺级 → 平台级. Rules, each with its reason:

- Thresholds at every order level are checked on the item-level amount of the lines in scope (活动价 × qty, after
  单品 offers and 预售 立减/膨胀), never on what earlier coupons left: that is how 跨店满减 works
  (docs/rules/pricing.md#thresholds-on-the-item-level-price) and how 预售 thresholds are read
  (docs/rules/pricing.md#presale-thresholds). It also makes shop and platform offers independent of each
  other.
- An order-level discount is split over the lines it covers in proportion to their item-level amounts (JD
  单品基准价, docs/rules/pricing.md#allocation-of-order-level-discounts) by largest remainder; a line is cut at
  most to 0.00 and the excess is lost, never moved to another line (Taobao 2020 rule,
  docs/rules/pricing.md#deduct-to-zero-no-re-allocation).
- Same-type offers do not stack (docs/rules/pricing.md#same-type-offers-do-not-stack): per shop (or per order
  at platform level) at most one 满减 (threshold_off / every_off) and one coupon apply, the one saving the most
  (ties: larger face value, then id).
- A 预售 line only takes an order-level discount whose share is below its 尾款
  (docs/rules/pricing.md#presale-thresholds), so the 定金 already paid is never discounted.
- Item level: the lowest unit price among exclusive offers (item_discount, item_price, member_price) wins,
  ties to the smaller id; stackable item_discounts (官方立减) then come off that price; a presale's
  立减/膨胀 comes last and is refused on a line whose 定金 + 立减/膨胀 would exceed the item price.
- Determinism: promotions are processed in id order, so the input order never changes the result.
  ``applied`` lists ids in application order: item level (exclusive, stackable, presale), then each shop
  (满减, coupon, gifts), then the platform. A promotion is applied if it took money off (or, for a
  presale/gift, took effect on) at least one line; otherwise it is rejected with the first reason met.
- Known rounding effect: where a line is cut at 0.00, the fen that largest remainder hands out depend on
  the weights, so removing an item-level offer can lower the total by a fen (see the property tests).

The rules that ``batch`` (many carts at once, numpy) shares with this engine are the public functions here
(``precheck``, ``item_offers``, ``order_groups``, ``presale_blocks``, ``cut_at_zero``, ``outranks``) and the
promotion methods; ``tests/pricing/test_batch.py`` proves both give the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shopops.core.money import allocate, format_fen
from shopops.core.text import gettext_noop
from shopops.pricing.promotions import (
    ITEM,
    ORDER_LEVELS,
    PLATFORM,
    SHOP,
    Cart,
    Fen,
    Gift,
    ItemDiscount,
    ItemOffer,
    Level,
    Line,
    MemberPrice,
    MoneyOff,
    OrderOffer,
    Presale,
    PriceOffer,
    Promotion,
    lesser,
)

# 店铺满减 before 店铺券 (docs/rules/pricing.md#stacking-order); gifts move no money.
_FAMILY_ORDER = {"threshold": 0, "coupon": 1, "gift": 2}
_FAMILY_NAME = {"threshold": gettext_noop("满减 (threshold/every-off)"), "coupon": gettext_noop("coupon")}


@dataclass(frozen=True, slots=True)
class LineDiscount:
    promotion: str
    amount: int


@dataclass(frozen=True, slots=True)
class LineQuote:
    """A line's 到手价: ``item_price`` is the unit price after 单品级 offers; ``pay`` and ``deposit`` are totals."""

    line: Line
    item_price: int
    deposit: int
    discounts: tuple[LineDiscount, ...]
    pay: int


@dataclass(frozen=True, slots=True)
class AppliedPromotion:
    """``amount`` actually saved; for order-level offers ``nominal`` is the face value before lines hit 0.00."""

    promotion: str
    level: Level
    amount: int
    nominal: int


@dataclass(frozen=True, slots=True)
class Rejection:
    promotion: str
    reason: str


@dataclass(frozen=True, slots=True)
class GiftGrant:
    promotion: str
    sku: str
    qty: int


@dataclass(frozen=True, slots=True)
class PresaleTotals:
    """定金 of the presale lines and their 尾款 (what is left to pay on them after every discount)."""

    deposit: int
    balance: int


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[LineQuote, ...]
    gifts: tuple[GiftGrant, ...]
    applied: tuple[AppliedPromotion, ...]
    rejected: tuple[Rejection, ...]
    total_price: int
    total_discount: int
    total_pay: int
    presale: PresaleTotals | None


class _LineState:
    """Mutable working copy of a line while promotions are applied."""

    __slots__ = ("line", "item_price", "deposit", "discounts", "order_off")

    def __init__(self, line: Line) -> None:
        self.line = line
        self.item_price = line.price
        self.deposit = 0
        self.discounts: list[LineDiscount] = []
        self.order_off = 0

    @property
    def item_amount(self) -> int:
        return self.item_price * self.line.qty

    @property
    def remaining(self) -> int:
        return self.item_amount - self.order_off

    @property
    def balance(self) -> int:  # 尾款 still open on a presale line
        return self.remaining - self.deposit


class _Log:
    """What happened to each promotion: fen saved by the applied ones, the first reason for the others."""

    def __init__(self) -> None:
        self.applied: list[AppliedPromotion] = []
        self.rejected: dict[str, str] = {}
        self.gifts: list[GiftGrant] = []

    def reject(self, promotion_id: str, reason: str) -> None:
        self.rejected.setdefault(promotion_id, reason)


def quote(cart: Cart) -> Quote:
    """Price a cart: every promotion ends up either applied (with what it saved) or rejected (with why)."""
    log = _Log()
    live: list[Promotion] = []
    for promotion in sorted(cart.promotions, key=lambda p: p.id):
        reason = precheck(promotion, cart.at, cart.member)
        if reason:
            log.reject(promotion.id, reason)
        else:
            live.append(promotion)
    states = [_LineState(line) for line in cart.lines]
    _apply_item_level(states, [p for p in live if isinstance(p, ItemOffer)], log)
    order_offers = [p for p in live if isinstance(p, OrderOffer)]
    for level in ORDER_LEVELS:
        _apply_order_level(level, states, [p for p in order_offers if p.level == level], log)
    return _result(states, log)


def precheck(promotion: Promotion, at: dt.datetime | None, member: bool) -> str | None:
    """Why ``promotion`` is not live for a cart quoted at ``at`` (member or not); None when it is."""
    window = promotion.window
    if window.bounded:
        if at is None:
            return gettext_noop("has a start/end but the cart gives no time (at) to check it")
        if window.start is not None and at < window.start:
            return gettext_noop("not started: starts %(start)s", start=window.start.isoformat())
        if window.end is not None and at >= window.end:
            return gettext_noop("ended %(end)s", end=window.end.isoformat())
    if isinstance(promotion, MemberPrice) and not member:
        return gettext_noop("member price needs a member cart (member: true)")
    return None


def item_offers(offers: Iterable[Promotion]) -> tuple[list[PriceOffer], list[ItemDiscount], list[Presale]]:
    """The 单品级 offers in the order they apply to a line (docs/rules/pricing.md#single-item-offers): the
    exclusive ones (the lowest price wins), then stackable discounts (官方立减), then 预售; input order kept."""
    exclusive: list[PriceOffer] = []
    stackable: list[ItemDiscount] = []
    presales: list[Presale] = []
    for promotion in offers:
        if isinstance(promotion, ItemDiscount) and promotion.stackable:
            stackable.append(promotion)
        elif isinstance(promotion, PriceOffer):
            exclusive.append(promotion)
        elif isinstance(promotion, Presale):
            presales.append(promotion)
    return exclusive, stackable, presales


def order_groups(level: Level, offers: Iterable[Promotion]) -> list[tuple[list[Gift], list[MoneyOff]]]:
    """The ``level`` offers per (shop, family) group, in application order (docs/rules/pricing.md#stacking-order:
    店铺满减 before 店铺券; docs/rules/pricing.md#same-type-offers-do-not-stack: one money offer per group):
    each group's gifts (all granted) and money offers (the best applies), input order kept."""
    groups: dict[tuple[str, int], tuple[list[Gift], list[MoneyOff]]] = {}
    for promotion in offers:
        if isinstance(promotion, OrderOffer) and promotion.level == level:
            shop = (promotion.scope.shop or "") if level == SHOP else ""
            gifts, money = groups.setdefault((shop, _FAMILY_ORDER[promotion.family]), ([], []))
            if isinstance(promotion, Gift):
                gifts.append(promotion)
            elif isinstance(promotion, MoneyOff):
                money.append(promotion)
    return [groups[key] for key in sorted(groups)]


def presale_blocks(deposit: Fen, share: Fen, balance: Fen) -> Fen | bool:
    """docs/rules/pricing.md#presale-thresholds: a 预售 line takes an order-level discount only if its 尾款
    exceeds its share of it; true where the share blocks the offer."""
    return (deposit > 0) & (share > 0) & (share >= balance)


def cut_at_zero(share: Fen, remaining: Fen) -> Fen:
    """docs/rules/pricing.md#deduct-to-zero-no-re-allocation: a line gives at most what it still pays; the
    excess is lost, never moved to another line."""
    return lesser(share, remaining)


def outranks(saved: Fen, nominal: Fen, best_saved: Fen, best_nominal: Fen) -> Fen | bool:
    """Same-type offers: the one saving most wins, then the larger face value; offers are tried in id order,
    so a full tie stays with the smaller id (docs/rules/pricing.md#same-type-offers-do-not-stack)."""
    return (saved > best_saved) | ((saved == best_saved) & (nominal > best_nominal))


# --- 单品级 ---------------------------------------------------------------------------------------------


def _apply_item_level(states: Sequence[_LineState], offers: Sequence[ItemOffer], log: _Log) -> None:
    """Per line: the lowest exclusive single-item price, then stackable discounts (官方立减), then 预售."""
    exclusive, stackable, presales = item_offers(offers)
    used: dict[str, int] = {}
    for state in states:
        _best_exclusive(state, exclusive, used, log)
        _stack(state, stackable, used, log)
        _presale(state, presales, used, log)
    for promotion in (*exclusive, *stackable, *presales):
        if promotion.id in used:
            log.rejected.pop(promotion.id, None)  # it lost on some line but applied on another
            amount = used[promotion.id]
            log.applied.append(AppliedPromotion(promotion.id, ITEM, amount, amount))
        else:
            log.reject(promotion.id, gettext_noop("no line in its scope"))


def _record(state: _LineState, promotion_id: str, amount: int, used: dict[str, int]) -> None:
    used[promotion_id] = used.get(promotion_id, 0) + amount
    if amount:
        state.discounts.append(LineDiscount(promotion_id, amount))


def _best_exclusive(state: _LineState, offers: Iterable[PriceOffer], used: dict[str, int], log: _Log) -> None:
    """单品级 offers don't stack (docs/rules/pricing.md#single-item-offers): the lowest resulting unit price
    wins, ties to the smaller id."""
    line = state.line
    candidates = []
    for promotion in offers:
        if not promotion.scope.covers(line, ITEM):
            continue
        price = promotion.unit_price(line.price)
        if price < line.price:
            candidates.append((price, promotion.id))
        else:
            log.reject(promotion.id, gettext_noop("line %(line)s: no saving on the price %(price)s",
                                                  line=line.line, price=format_fen(line.price)))
    if not candidates:
        return
    candidates.sort()
    price, winner = candidates[0]
    for other_price, other in candidates[1:]:
        log.reject(other, gettext_noop("line %(line)s: single-item offers don't stack and %(winner)s gives "
                                       "%(price)s (this one %(other)s)", line=line.line, winner=winner,
                                       price=format_fen(price), other=format_fen(other_price)))
    state.item_price = price
    _record(state, winner, (line.price - price) * line.qty, used)


def _stack(state: _LineState, offers: Iterable[ItemDiscount], used: dict[str, int], log: _Log) -> None:
    """Stackable discounts (官方立减) come off the price left by the exclusive offer, in id order."""
    for promotion in offers:
        if not promotion.scope.covers(state.line, ITEM):
            continue
        price = promotion.unit_price(state.item_price)
        if price < state.item_price:
            _record(state, promotion.id, (state.item_price - price) * state.line.qty, used)
            state.item_price = price
        else:
            log.reject(promotion.id, gettext_noop("line %(line)s: no saving on %(price)s", line=state.line.line,
                                                  price=format_fen(state.item_price)))


def _presale(state: _LineState, offers: Iterable[Presale], used: dict[str, int], log: _Log) -> None:
    """One presale per line (the largest 立减/膨胀, ties to the smaller id); 尾款 may not go below 0.00."""
    line = state.line
    candidates = []
    for promotion in offers:
        if not promotion.scope.covers(line, ITEM):
            continue
        if not promotion.fits(state.item_price):
            log.reject(promotion.id, gettext_noop("line %(line)s: 定金 %(deposit)s + 立减/膨胀 %(reduction)s "
                                                  "exceeds the item price %(price)s", line=line.line,
                                                  deposit=format_fen(promotion.deposit),
                                                  reduction=format_fen(promotion.reduction),
                                                  price=format_fen(state.item_price)))
        else:
            candidates.append((-promotion.reduction, promotion.id, promotion))
    if not candidates:
        return
    candidates.sort(key=lambda c: c[:2])
    winner = candidates[0][2]
    for _, other, _ in candidates[1:]:
        log.reject(other, gettext_noop("line %(line)s: one presale per line and %(winner)s reduces the price "
                                       "more", line=line.line, winner=winner.id))
    state.item_price -= winner.reduction
    state.deposit = winner.deposit * line.qty
    _record(state, winner.id, winner.reduction * line.qty, used)


# --- 店铺级 / 平台级 --------------------------------------------------------------------------------------


def _apply_order_level(level: Level, states: Sequence[_LineState], offers: Sequence[OrderOffer], log: _Log) -> None:
    """Group offers per (shop, family) and apply the best of each group; gifts are all granted."""
    for gifts, money in order_groups(level, offers):
        for gift in gifts:
            _grant(level, states, gift, log)
        if money:
            _apply_best(level, states, money, log)


def _covered(level: Level, states: Sequence[_LineState], promotion: OrderOffer) -> list[_LineState]:
    return [s for s in states if promotion.scope.covers(s.line, level)]


def _no_line_reason(level: Level, promotion: OrderOffer) -> str:
    if level == SHOP and promotion.scope.shop is not None:
        return gettext_noop("no line of shop %(shop)s in its scope", shop=promotion.scope.shop)
    return gettext_noop("no line in its scope")


def _apply_best(level: Level, states: Sequence[_LineState], group: Sequence[MoneyOff], log: _Log) -> None:
    candidates = []
    for promotion in group:
        covered = _covered(level, states, promotion)
        if not covered:
            log.reject(promotion.id, _no_line_reason(level, promotion))
            continue
        weights = [s.item_amount for s in covered]
        base = sum(weights)
        nominal = promotion.off_for(base)
        if nominal == 0:
            log.reject(promotion.id, gettext_noop("threshold %(threshold)s not met: %(base)s at item-level price "
                                                  "in scope", threshold=format_fen(promotion.condition()),
                                                  base=format_fen(base)))
            continue
        shares = allocate(nominal, weights)
        blocked = _presale_block(covered, shares)
        if blocked:
            log.reject(promotion.id, blocked)
            continue
        effective = [cut_at_zero(share, s.remaining) for share, s in zip(shares, covered, strict=True)]
        saved = sum(effective)
        if saved == 0:
            log.reject(promotion.id, gettext_noop("every line in its scope already pays 0.00"))
            continue
        candidates.append((saved, nominal, promotion.id, covered, effective))
    if not candidates:
        return
    best = candidates[0]
    for candidate in candidates[1:]:  # id order: a full tie stays with the smaller id
        if outranks(candidate[0], candidate[1], best[0], best[1]):
            best = candidate
    saved, nominal, winner, covered, effective = best
    for state, amount in zip(covered, effective, strict=True):
        if amount:
            state.discounts.append(LineDiscount(winner, amount))
            state.order_off += amount
    log.applied.append(AppliedPromotion(winner, level, saved, nominal))
    if len(candidates) == 1:
        return
    where = gettext_noop("per order") if level == PLATFORM else gettext_noop("per shop")
    family = _FAMILY_NAME[group[0].family]
    for candidate in candidates:
        if candidate is not best:
            log.reject(candidate[2], gettext_noop("same-type offers don't stack: one %(family)s %(where)s, and "
                                                  "%(winner)s saves %(saved)s (this one %(other)s)", family=family,
                                                  where=where, winner=winner, saved=format_fen(saved),
                                                  other=format_fen(candidate[0])))


def _presale_block(covered: Sequence[_LineState], shares: Sequence[int]) -> str | None:
    """docs/rules/pricing.md#presale-thresholds: a 预售 line takes an order-level discount only if its 尾款
    exceeds its share of it."""
    for state, share in zip(covered, shares, strict=True):
        if state.deposit and presale_blocks(state.deposit, share, state.balance):  # no 定金: skip the 尾款 sum
            return gettext_noop("line %(line)s: 预售 尾款 %(balance)s must exceed its share %(share)s of the "
                                "discount", line=state.line.line, balance=format_fen(state.balance),
                                share=format_fen(share))
    return None


def _grant(level: Level, states: Sequence[_LineState], gift: Gift, log: _Log) -> None:
    """满赠: the threshold is read on the item-level amount in scope, like the money offers."""
    covered = _covered(level, states, gift)
    if not covered:
        log.reject(gift.id, _no_line_reason(level, gift))
        return
    base = sum(s.item_amount for s in covered)
    if not gift.grants(base):
        log.reject(gift.id, gettext_noop("threshold %(threshold)s not met: %(base)s at item-level price in "
                                         "scope", threshold=format_fen(gift.threshold), base=format_fen(base)))
        return
    log.gifts.extend(GiftGrant(gift.id, item.sku, item.qty) for item in gift.gifts)
    log.applied.append(AppliedPromotion(gift.id, level, 0, 0))


def _result(states: Sequence[_LineState], log: _Log) -> Quote:
    lines = tuple(
        LineQuote(s.line, s.item_price, s.deposit, tuple(s.discounts), s.remaining) for s in states
    )
    total_price = sum(s.line.amount for s in states)
    total_pay = sum(q.pay for q in lines)
    presale_lines = [q for q in lines if q.deposit]
    presale = None
    if presale_lines:
        deposit = sum(q.deposit for q in presale_lines)
        presale = PresaleTotals(deposit, sum(q.pay for q in presale_lines) - deposit)
    rejected = tuple(Rejection(pid, log.rejected[pid]) for pid in sorted(log.rejected))
    return Quote(lines, tuple(log.gifts), tuple(log.applied), rejected, total_price, total_price - total_pay,
                 total_pay, presale)
