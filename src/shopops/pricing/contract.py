"""The JSON face of the quote (CLI ``shopops price quote --cart FILE --json``, ``POST /api/v1/pricing/quote``).

Pure: turns the request dict into a ``Cart``, naming every bad field at once (``InvalidInput`` with a
``FieldError`` per problem, path like ``promotions[2].off``), and renders a ``Quote`` back. Money is a
string with two decimals both ways (ints of yuan are accepted too, floats never).

Input decisions (why):
- ``level`` defaults to ``item`` for item_discount/item_price/member_price/presale (they can only be item
  level) and to ``shop`` for threshold_off/every_off/coupon/gift (the common case); shop-level offers must
  name their ``shop`` and cover only its lines; platform-level offers ignore ``shop`` (跨店).
- ``skus`` is optional (empty = every line the level covers); a SKU that no line in scope sells is an error,
  since it is nearly always a typo. A shop with no line in the cart is not an error (the offer is rejected).
- ``start``/``end`` are ISO datetimes with an offset; outside [start, end) the offer is rejected with its
  reason. ``at`` is the instant quoted; it defaults to ``now`` (passed by the caller, this module reads no
  clock) and is required only when some offer has a window.
- ``percent_off`` is a number (int) or decimal string with ≤ 2 places, 0 < p < 100: 15 means 15 % off.
- every amount is at most ``core.domain.MAX_AMOUNT_FEN`` (¥100,000,000.00) and every ``qty`` at most
  ``MAX_LINE_QTY``: larger values are typos (or attacks), and the bounds keep every total inside int64 fen.
- ``cap`` on item_discount is per unit (官方立减 caps each item); on every_off it caps the whole discount.
- Unknown fields are errors (a misspelt ``threshhold`` must not silently mean "no threshold"); ``name`` and
  ``note`` are accepted for people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from shopops.core.domain import MAX_AMOUNT_FEN, MAX_CART_LINES, MAX_LINE_QTY, AmountTooLarge, parse_amount
from shopops.core.errors import ErrorCollector, FieldError, InvalidInput
from shopops.core.money import MoneyError, format_fen

from .promotions import (
    ITEM,
    PLATFORM,
    SHOP,
    Cart,
    Coupon,
    EveryOff,
    Gift,
    GiftItem,
    ItemDiscount,
    ItemPrice,
    Level,
    Line,
    MemberPrice,
    Presale,
    Promotion,
    Scope,
    ThresholdOff,
    Tier,
    Window,
)
from .quote import Quote, quote

# Bounds keep one request cheap (a quote is a read-only calculation every role may run) and amounts exact;
# lines, quantities and amounts share the shop-wide bounds of core.domain.
MAX_LINES = MAX_CART_LINES
MAX_PROMOTIONS = 200
MAX_QTY = MAX_LINE_QTY

_TOP_FIELDS = {"at", "member", "lines", "promotions"}
_LINE_FIELDS = {"line", "sku", "shop", "price", "qty", "name", "note"}
_COMMON_FIELDS = {"id", "type", "level", "shop", "skus", "start", "end", "name", "note"}
_TYPE_FIELDS: dict[str, set[str]] = {
    "item_discount": {"percent_off", "cap", "stackable"},  # 单品折扣 / 官方立减
    "item_price": {"price", "off"},  # 单品直降 / 秒杀价
    "member_price": {"price"},  # 会员价
    "presale": {"deposit", "deposit_worth", "instant_off"},  # 预售 定金膨胀 / 定金立减
    "threshold_off": {"tiers"},  # 满减 (tiers)
    "every_off": {"every", "off", "cap"},  # 每满减
    "coupon": {"threshold", "off"},  # 优惠券
    "gift": {"threshold", "gifts"},  # 满赠
}
_ITEM_TYPES = {"item_discount", "item_price", "member_price", "presale"}
_LEVELS: tuple[Level, ...] = (ITEM, SHOP, PLATFORM)


def quote_from_json(data: object, *, now: dt.datetime | None = None) -> dict[str, object]:
    """Validate a cart dict, quote it, render the result dict: the one call the CLI and API need."""
    return render_quote(quote(parse_cart(data, now=now)))


def render_quote(result: Quote) -> dict[str, object]:
    """The output contract: money as two-decimal strings, ``pay`` per line is the line total."""
    return {
        "lines": [
            {
                "line": q.line.line,
                "sku": q.line.sku,
                "qty": q.line.qty,
                "price": format_fen(q.line.price),
                "item_price": format_fen(q.item_price),
                "pay": format_fen(q.pay),
                "discounts": [{"promotion": d.promotion, "amount": format_fen(d.amount)} for d in q.discounts],
            }
            for q in result.lines
        ],
        "gifts": [{"promotion": g.promotion, "sku": g.sku, "qty": g.qty} for g in result.gifts],
        "total_price": format_fen(result.total_price),
        "total_discount": format_fen(result.total_discount),
        "total_pay": format_fen(result.total_pay),
        "presale": None if result.presale is None else {
            "deposit": format_fen(result.presale.deposit),
            "balance": format_fen(result.presale.balance),
        },
        "applied": [a.promotion for a in result.applied],
        "rejected": [{"promotion": r.promotion, "reason": r.reason} for r in result.rejected],
    }


def parse_cart(data: object, *, now: dt.datetime | None = None) -> Cart:
    """The request dict as a ``Cart``, or ``InvalidInput`` listing every problem found."""
    if not isinstance(data, Mapping):
        raise InvalidInput("Invalid cart.", [FieldError("$", "expected a JSON object")])
    reader = _Reader()
    reader.unknown(data, _TOP_FIELDS, "")
    at = reader.instant(data, "at", "at")
    member = data.get("member", False)
    if not isinstance(member, bool):
        reader.error("member", "expected true or false")
        member = False
    lines = reader.lines(data.get("lines"))
    promotions = reader.promotions(data.get("promotions", []), lines)
    if data.get("at") is None:
        at = now
        if at is None and any(p.window.bounded for p in promotions):
            reader.error("at", "required when a promotion has start/end")
    reader.errors.raise_if_any("Invalid cart.")
    return Cart(tuple(lines), tuple(promotions), at, member)


class _Reader:
    """Reads fields, collecting every problem with its JSON path instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors = ErrorCollector()

    def error(self, path: str, message: str) -> None:
        self.errors.add(path, message)

    def unknown(self, obj: Mapping, allowed: set[str], where: str) -> None:
        for key in sorted(set(obj) - allowed, key=str):
            self.error(f"{where}{key}", "unknown field")

    # -- scalars --

    def text(self, obj: Mapping, key: str, path: str, *, required: bool = True) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(path, "required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(path, "expected a non-empty string")
            return None
        return value.strip()

    def money(self, obj: Mapping, key: str, path: str, *, required: bool = True, positive: bool = False
              ) -> int | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(path, "required")
            return None
        try:
            fen = parse_amount(value)
        except AmountTooLarge:
            self.error(path, f"too large: at most {format_fen(MAX_AMOUNT_FEN)}")
            return None
        except MoneyError as exc:
            self.error(path, str(exc))
            return None
        if positive and fen == 0:
            self.error(path, "must be more than 0.00")
            return None
        return fen

    def count(self, obj: Mapping, key: str, path: str) -> int | None:
        value = obj.get(key)
        if value is None:
            self.error(path, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QTY:
            self.error(path, f"expected a whole number from 1 to {MAX_QTY}")
            return None
        return value

    def instant(self, obj: Mapping, key: str, path: str) -> dt.datetime | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            instant = None
        if instant is None:
            self.error(path, "expected an ISO datetime like 2026-11-11T00:00:00+08:00")
            return None
        if instant.tzinfo is None or instant.utcoffset() is None:
            self.error(path, "needs a UTC offset (e.g. +08:00)")
            return None
        return instant

    def percent(self, obj: Mapping, key: str, path: str) -> int | None:
        """``percent_off`` as basis points: 15 → 1500, "12.5" → 1250."""
        value = obj.get(key)
        if value is None:
            self.error(path, "required")
            return None
        amount: Decimal | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            amount = Decimal(value)
        elif isinstance(value, str):
            try:
                amount = Decimal(value.strip())
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            self.error(path, "expected a percentage like 15 or \"12.5\" (at most two decimals)")
            return None
        if not 0 < amount < 100:
            self.error(path, "must lie between 0 and 100 (exclusive)")
            return None
        return int(amount * 100)

    # -- lines --

    def bounded_list(self, value: object, path: str, limit: int, *, non_empty: bool) -> list:
        """A JSON list of at most ``limit`` items (a quote must stay cheap); ``[]`` after reporting otherwise."""
        if not isinstance(value, list) or (non_empty and not value):
            self.error(path, f"expected a {'non-empty ' if non_empty else ''}list")
            return []
        if len(value) > limit:
            self.error(path, f"at most {limit} per quote")
            return []
        return value

    def lines(self, value: object) -> list[Line]:
        value = self.bounded_list(value, "lines", MAX_LINES, non_empty=True)
        lines: list[Line] = []
        seen: set[str] = set()
        for index, item in enumerate(value):
            where = f"lines[{index}]"
            if not isinstance(item, Mapping):
                self.error(where, "expected an object")
                continue
            self.unknown(item, _LINE_FIELDS, f"{where}.")
            line_id = self.text(item, "line", f"{where}.line")
            if line_id is not None and line_id in seen:
                self.error(f"{where}.line", f"duplicate line {line_id}")
                line_id = None
            sku = self.text(item, "sku", f"{where}.sku")
            shop = self.text(item, "shop", f"{where}.shop")
            price = self.money(item, "price", f"{where}.price")
            qty = self.count(item, "qty", f"{where}.qty")
            if line_id is None or sku is None or shop is None or price is None or qty is None:
                continue
            seen.add(line_id)
            lines.append(Line(line_id, sku, shop, price, qty))
        return lines

    # -- promotions --

    def promotions(self, value: object, lines: list[Line]) -> list[Promotion]:
        value = self.bounded_list(value, "promotions", MAX_PROMOTIONS, non_empty=False)
        promotions: list[Promotion] = []
        seen: set[str] = set()
        for index, item in enumerate(value):
            where = f"promotions[{index}]"
            if not isinstance(item, Mapping):
                self.error(where, "expected an object")
                continue
            promotion_id = self.text(item, "id", f"{where}.id")
            if promotion_id is not None and promotion_id in seen:
                self.error(f"{where}.id", f"duplicate promotion id {promotion_id}")
                promotion_id = None
            if promotion_id is not None:
                seen.add(promotion_id)
            promotion = self.promotion(item, where, promotion_id, lines)
            if promotion is not None:
                promotions.append(promotion)
        return promotions

    def promotion(self, item: Mapping, where: str, promotion_id: str | None, lines: list[Line]
                  ) -> Promotion | None:
        kind = item.get("type")
        if kind not in _TYPE_FIELDS:
            self.error(f"{where}.type", f"unknown type {kind!r}; expected one of {', '.join(sorted(_TYPE_FIELDS))}")
            return None
        self.unknown(item, _COMMON_FIELDS | _TYPE_FIELDS[kind], f"{where}.")
        level = self.level(item, where, kind)
        scope = self.scope(item, where, level, lines) if level is not None else None
        window = self.window(item, where)
        errors_before = len(self.errors.errors)
        build = _BUILDERS[kind]
        try:
            promotion = build(self, item, where, promotion_id or "", level or SHOP, scope or Scope(),
                              window or Window())
        except ValueError as exc:  # a domain invariant the checks above missed: still a field error
            self.error(where, str(exc))
            return None
        if promotion is None or promotion_id is None or level is None or scope is None or window is None:
            return None
        if len(self.errors.errors) != errors_before:
            return None
        if isinstance(promotion, Presale):
            self.presale_fits(promotion, where, lines)
        return promotion

    def level(self, item: Mapping, where: str, kind: str) -> Level | None:
        default: Level = ITEM if kind in _ITEM_TYPES else SHOP
        level = item.get("level", default)
        if level not in _LEVELS:
            self.error(f"{where}.level", "expected item, shop or platform")
            return None
        if (level == ITEM) != (kind in _ITEM_TYPES):
            allowed = "item" if kind in _ITEM_TYPES else "shop or platform"
            self.error(f"{where}.level", f"a {kind} promotion is {allowed} level")
            return None
        return level

    def scope(self, item: Mapping, where: str, level: Level, lines: list[Line]) -> Scope | None:
        shop = None
        if level != PLATFORM:  # 跨店: platform offers ignore shop
            shop = self.text(item, "shop", f"{where}.shop", required=level == SHOP)
            if shop is None and level == SHOP:
                return None
        raw = item.get("skus", [])
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            self.error(f"{where}.skus", "expected a list of SKUs")
            return None
        skus: set[str] = set()
        ok = True
        for index, sku in enumerate(raw):
            path = f"{where}.skus[{index}]"
            if not isinstance(sku, str) or not sku.strip():
                self.error(path, "expected a non-empty string")
                ok = False
                continue
            sku = sku.strip()
            if not any(line.sku == sku for line in lines):
                self.error(path, f"unknown SKU {sku}: no line of the cart sells it")
                ok = False
            elif shop is not None and not any(line.sku == sku and line.shop == shop for line in lines):
                self.error(path, f"SKU {sku} is not sold by shop {shop} in this cart")
                ok = False
            skus.add(sku)
        return Scope(shop, frozenset(skus)) if ok else None

    def window(self, item: Mapping, where: str) -> Window | None:
        start = self.instant(item, "start", f"{where}.start")
        end = self.instant(item, "end", f"{where}.end")
        if (item.get("start") is not None and start is None) or (item.get("end") is not None and end is None):
            return None
        if start is not None and end is not None and end <= start:
            self.error(f"{where}.end", "must be after start")
            return None
        return Window(start, end)

    def presale_fits(self, presale: Presale, where: str, lines: list[Line]) -> None:
        """定金 + 立减/膨胀 may not exceed the list price of a line it covers (尾款 would be negative)."""
        field = "instant_off" if presale.instant_off is not None else "deposit_worth"
        for line in lines:
            if presale.scope.covers(line, ITEM) and presale.deposit + presale.reduction > line.price:
                self.error(f"{where}.{field}", f"定金 + 立减/膨胀 exceeds the price {format_fen(line.price)} "
                                               f"of line {line.line}")
                return


_Builder = Callable[[_Reader, Mapping, str, str, Level, Scope, Window], Promotion | None]


def _item_discount(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
                   ) -> Promotion | None:
    basis_points = r.percent(item, "percent_off", f"{where}.percent_off")
    cap = r.money(item, "cap", f"{where}.cap", required=False, positive=True)
    stackable = item.get("stackable", False)
    if not isinstance(stackable, bool):
        r.error(f"{where}.stackable", "expected true or false")
        return None
    if basis_points is None:
        return None
    return ItemDiscount(pid, basis_points, cap, stackable, scope, window)


def _item_price(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
                ) -> Promotion | None:
    if ("price" in item) == ("off" in item):
        r.error(f"{where}.price", "give either price (秒杀/活动价) or off (直降), not both or neither")
        return None
    if "price" in item:
        price = r.money(item, "price", f"{where}.price")
        return None if price is None else ItemPrice(pid, price=price, scope=scope, window=window)
    off = r.money(item, "off", f"{where}.off", positive=True)
    return None if off is None else ItemPrice(pid, off=off, scope=scope, window=window)


def _member_price(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
                  ) -> Promotion | None:
    price = r.money(item, "price", f"{where}.price")
    return None if price is None else MemberPrice(pid, price, scope, window)


def _presale(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
             ) -> Promotion | None:
    deposit = r.money(item, "deposit", f"{where}.deposit", positive=True)
    if ("deposit_worth" in item) == ("instant_off" in item):
        r.error(f"{where}.deposit_worth", "give either deposit_worth (定金膨胀) or instant_off (定金立减)")
        return None
    if "instant_off" in item:
        instant_off = r.money(item, "instant_off", f"{where}.instant_off")
        if deposit is None or instant_off is None:
            return None
        return Presale(pid, deposit, instant_off=instant_off, scope=scope, window=window)
    worth = r.money(item, "deposit_worth", f"{where}.deposit_worth")
    if deposit is None or worth is None:
        return None
    if worth < deposit:
        r.error(f"{where}.deposit_worth", "must be at least the deposit")
        return None
    return Presale(pid, deposit, deposit_worth=worth, scope=scope, window=window)


def _threshold_off(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
                   ) -> Promotion | None:
    raw = item.get("tiers")
    if not isinstance(raw, list) or not raw:
        r.error(f"{where}.tiers", "expected a non-empty list of {threshold, off}")
        return None
    tiers: list[Tier] = []
    thresholds: set[int] = set()
    for index, tier in enumerate(raw):
        path = f"{where}.tiers[{index}]"
        if not isinstance(tier, Mapping):
            r.error(path, "expected an object {threshold, off}")
            continue
        r.unknown(tier, {"threshold", "off"}, f"{path}.")
        threshold = r.money(tier, "threshold", f"{path}.threshold")
        off = r.money(tier, "off", f"{path}.off", positive=True)
        if threshold is None or off is None:
            continue
        if off > threshold:
            r.error(f"{path}.off", f"exceeds its threshold {format_fen(threshold)}")
            continue
        if threshold in thresholds:
            r.error(f"{path}.threshold", "duplicate threshold")
            continue
        thresholds.add(threshold)
        tiers.append(Tier(threshold, off))
    if len(tiers) != len(raw):
        return None
    return ThresholdOff(pid, tuple(sorted(tiers, key=lambda t: t.threshold)), level, scope, window)


def _every_off(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
               ) -> Promotion | None:
    every = r.money(item, "every", f"{where}.every", positive=True)
    off = r.money(item, "off", f"{where}.off", positive=True)
    cap = r.money(item, "cap", f"{where}.cap", required=False, positive=True)
    if every is None or off is None:
        return None
    if off > every:
        r.error(f"{where}.off", f"exceeds every {format_fen(every)}")
        return None
    if cap is not None and cap < off:
        r.error(f"{where}.cap", f"below off {format_fen(off)}")
        return None
    return EveryOff(pid, every, off, cap, level, scope, window)


def _coupon(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
            ) -> Promotion | None:
    threshold = r.money(item, "threshold", f"{where}.threshold")
    off = r.money(item, "off", f"{where}.off", positive=True)
    if threshold is None or off is None:
        return None
    if off > threshold:
        r.error(f"{where}.off", f"exceeds the threshold {format_fen(threshold)}")
        return None
    return Coupon(pid, threshold, off, level, scope, window)


def _gift(r: _Reader, item: Mapping, where: str, pid: str, level: Level, scope: Scope, window: Window
          ) -> Promotion | None:
    threshold = r.money(item, "threshold", f"{where}.threshold")
    raw = item.get("gifts")
    if not isinstance(raw, list) or not raw:
        r.error(f"{where}.gifts", "expected a non-empty list of {sku, qty}")
        return None
    gifts: list[GiftItem] = []
    for index, gift in enumerate(raw):
        path = f"{where}.gifts[{index}]"
        if not isinstance(gift, Mapping):
            r.error(path, "expected an object {sku, qty}")
            continue
        r.unknown(gift, {"sku", "qty"}, f"{path}.")
        sku = r.text(gift, "sku", f"{path}.sku")
        qty = r.count(gift, "qty", f"{path}.qty") if "qty" in gift else 1
        if sku is not None and qty is not None:
            gifts.append(GiftItem(sku, qty))
    if threshold is None or len(gifts) != len(raw):
        return None
    return Gift(pid, threshold, tuple(gifts), level, scope, window)


_BUILDERS: dict[str, _Builder] = {
    "item_discount": _item_discount,
    "item_price": _item_price,
    "member_price": _member_price,
    "presale": _presale,
    "threshold_off": _threshold_off,
    "every_off": _every_off,
    "coupon": _coupon,
    "gift": _gift,
}
