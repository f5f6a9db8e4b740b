"""The promotion rows of the campaign plan form ⇄ the pricing contract's promotions (no JSON on the page).

Pure (no Django): a row is a mapping of the form's inputs (``ROW_FIELDS``, all text) as an operator thinks of
an offer — 满减 tiers typed "满300减30，满400减50", a 折扣 typed "8.5折" — and ``read_rows`` turns the rows
into the promotions list of the pricing contract (``pricing.contract``: money as "300.00", ``percent_off``
in percent, ISO instants with the shop's offset), ``promotion_rows`` turns a stored list back into rows.
Canonical promotions (money as two-decimal strings, ``percent_off`` an int when whole, no ``None``/false
optional keys, ``level`` given for order-level types only) go round the trip unchanged.

Decisions (why):
- 折扣 accepts "8.5折" and a bare "8.5" (both: pay 85 %, i.e. 15 % off) and a percentage off "15%"; "85折"
  is refused (platforms write 8.5折; 85 % off is rarely meant and would sell at a loss) as are "0折",
  "10折" and above.
- A blank id becomes the lowest free ``p1``, ``p2``…: readable, and stable once saved (the row shows it).
- Only the inputs of the row's type are read: the page hides the others, which may keep stale values.
- Each problem is a ``RowError`` naming the row (第 N 行) and the input's label; the contract's own
  problems, found when the plan is saved, are mapped back the same way (``ReadRows.locate``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shopops.campaigns.form_values import (
    ValueProblem,
    clean,
    decimal,
    items,
    parse_count,
    parse_money,
    show_money,
)
from shopops.core.domain import MAX_AMOUNT_FEN, MAX_LINE_QTY, parse_amount
from shopops.core.errors import FieldError
from shopops.core.money import MoneyError, format_fen
from shopops.core.text import Text, gettext_noop

SHOP, PLATFORM = "shop", "platform"


@dataclass(frozen=True)
class PromotionType:
    """A promotion type as the form offers it: its name, the inputs it reads, whether it is order level."""

    label: Text
    inputs: tuple[str, ...]
    order_level: bool


TYPES: dict[str, PromotionType] = {
    "threshold_off": PromotionType(gettext_noop("Spend-and-save tiers"), ("tiers",), True),  # 满减
    "every_off": PromotionType(gettext_noop("Off for every full spend"), ("every", "off", "cap"), True),  # 每满减
    "item_discount": PromotionType(gettext_noop("Percentage discount"), ("discount", "cap", "stackable"), False),
    "item_price": PromotionType(gettext_noop("Markdown or flash-sale price"), ("off", "price"), False),
    "member_price": PromotionType(gettext_noop("Member price"), ("price",), False),
    "coupon": PromotionType(gettext_noop("Coupon"), ("threshold", "off"), True),  # 店铺券 / 跨店券
    "gift": PromotionType(gettext_noop("Free gift"), ("threshold", "gift_sku", "gift_qty"), True),
    "presale": PromotionType(gettext_noop("Presale"), ("deposit", "deposit_worth", "instant_off"), False),
}
LEVELS: dict[str, Text] = {SHOP: gettext_noop("Shop"), PLATFORM: gettext_noop("Cross-shop")}  # 店铺 / 跨店
ITEM_LEVEL = gettext_noop("Single item")  # 单品: the level of every type that is not order level

TYPE_INPUTS = ("tiers", "threshold", "every", "off", "cap", "discount", "stackable", "price", "gift_sku", "gift_qty",
               "deposit", "deposit_worth", "instant_off")
assert set(TYPE_INPUTS) == {name for kind in TYPES.values() for name in kind.inputs}
# In the order the page shows them: what the offer is, its terms, then what it covers and when.
ROW_FIELDS = ("type", "id", "name", "level", *TYPE_INPUTS, "skus", "shop", "start", "end", "note", "delete")

_LABELS: dict[str, Text] = {
    "id": gettext_noop("Promotion code"), "type": gettext_noop("Type"), "name": gettext_noop("Name"),
    "level": gettext_noop("Level"), "shop": gettext_noop("Shop"), "skus": gettext_noop("SKUs covered"),
    "start": gettext_noop("Starts"), "end": gettext_noop("Ends"), "note": gettext_noop("Note"),
    "delete": gettext_noop("Remove"),
    "tiers": gettext_noop("Tiers"), "every": gettext_noop("For every (¥)"), "off": gettext_noop("Off (¥)"),
    "cap": gettext_noop("Cap (¥)"), "discount": gettext_noop("Discount (折)"),
    "stackable": gettext_noop("Stacks with other discounts (官方立减)"), "price": gettext_noop("Price a unit (¥)"),
    "threshold": gettext_noop("Minimum spend (¥)"), "gift_sku": gettext_noop("Gift SKU"),
    "gift_qty": gettext_noop("Gift quantity"), "deposit": gettext_noop("Deposit a unit (¥)"),
    "deposit_worth": gettext_noop("Deposit worth (¥)"), "instant_off": gettext_noop("Off with the deposit (¥)"),
}
# The same input means something else in some types: the label says what.
_TYPE_LABELS: dict[tuple[str, str], Text] = {
    ("every_off", "off"): gettext_noop("Off each time (¥)"),
    ("every_off", "cap"): gettext_noop("At most off in all (¥)"),
    ("item_discount", "cap"): gettext_noop("At most off a unit (¥)"),
    ("item_price", "off"): gettext_noop("Markdown a unit (¥)"),
    ("item_price", "price"): gettext_noop("Flash-sale price a unit (¥)"),
    ("member_price", "price"): gettext_noop("Member price a unit (¥)"),
    ("coupon", "off"): gettext_noop("Coupon value (¥)"),
}
# The contract's field → the row's input that holds it.
_CONTRACT_INPUTS = {"percent_off": "discount", "gifts": "gift_sku", "every": "every", "level": "level"}

_TIER = re.compile(r"满?(\d+(?:\.\d+)?)元?(?:减|-)(\d+(?:\.\d+)?)元?")
_GIFT = re.compile(r"(.+?)(?:[×*](\d+))?")  # "A×2": × and * never occur in a code (core.domain)
_PATH = re.compile(r"promotions\[(\d+)\](?:\.([a-z_]+))?(?:\[(\d+)\](?:\.([a-z_]+))?)?")


def label(name: str, kind: str = "") -> Text:
    """The label of input ``name`` in a row of type ``kind``."""
    return _TYPE_LABELS.get((kind, name), _LABELS[name])


@dataclass(frozen=True, slots=True)
class RowError(FieldError):
    """A problem of one row: ``field`` says "row N · label" (a ``core.text`` message), ``row`` is N (from 1)
    and ``input`` the row's input, to show the message beside it."""

    input: str = ""


def row_error(number: int, name: str, kind: str, message: str) -> RowError:
    return RowError(gettext_noop("row %(row)s · %(field)s", row=number, field=label(name, kind)), message, number,
                    name)


@dataclass
class ReadRows:
    """The promotions read from the rows, the page row (from 1) each came from, and the problems."""

    promotions: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def locate(self, error: FieldError) -> FieldError:
        """A problem of the saved plan at a contract path (``promotions[2].tiers[1].off``) as the problem of
        its row and input; any other problem unchanged."""
        match = _PATH.fullmatch(error.field)
        if match is None or int(match[1]) >= len(self.promotions):
            return error
        index = int(match[1])
        kind = str(self.promotions[index].get("type", ""))
        name = match[2] or "type"
        name = "gift_qty" if name == "gifts" and match[4] == "qty" else _CONTRACT_INPUTS.get(name, name)
        if name not in ROW_FIELDS:
            name = "type"
        message: str = error.message
        if name == "tiers" and match[3] is not None:
            message = gettext_noop("tier %(n)s: %(why)s", n=int(match[3]) + 1, why=message)
        return row_error(self.rows[index], name, kind, message)


# --- rows → the contract --------------------------------------------------------------------------------------


def is_blank(row: Mapping[str, str]) -> bool:
    """A row left empty (or ticked for removal) is not a promotion."""
    return bool(clean(row.get("delete"))) or not any(clean(row.get(name)) for name in ROW_FIELDS if name != "level")


def read_rows(rows: Sequence[Mapping[str, str]], tz: dt.tzinfo) -> ReadRows:
    """The rows as the contract's promotions; naive times are in ``tz`` (the shop's time zone)."""
    out = ReadRows()
    taken = {clean(row.get("id")) for row in rows if not is_blank(row)}
    ids: dict[str, int] = {}
    free = (f"p{n}" for n in range(1, 10**6) if f"p{n}" not in taken)
    for number, row in enumerate(rows, start=1):
        if is_blank(row):
            continue
        reader = _RowReader(number, row, tz)
        promotion = reader.read()
        if reader.errors:
            out.errors.extend(reader.errors)
            continue
        pid = promotion["id"] or next(free)
        if pid in ids:
            out.errors.append(row_error(number, "id", promotion["type"],
                                        gettext_noop("row %(row)s has the same code", row=ids[pid])))
            continue
        ids[pid] = number
        out.promotions.append({**promotion, "id": pid})
        out.rows.append(number)
    return out


class _RowReader:
    """One row read into a promotion dict; problems collected, each naming its input."""

    def __init__(self, number: int, row: Mapping[str, str], tz: dt.tzinfo) -> None:
        self.number, self.row, self.tz = number, row, tz
        self.kind = clean(row.get("type"))
        self.errors: list[RowError] = []

    def add(self, name: str, message: str) -> None:
        self.errors.append(row_error(self.number, name, self.kind, message))

    def text(self, name: str) -> str:
        value = self.row.get(name)
        return value.strip() if isinstance(value, str) else ""

    def read(self) -> dict[str, Any]:
        kind = TYPES.get(self.kind)
        if kind is None:
            self.add("type", gettext_noop("choose the type of promotion"))
            return {}
        out: dict[str, Any] = {"id": clean(self.row.get("id")), "type": self.kind}
        for key in ("name", "note"):
            if self.text(key):
                out[key] = self.text(key)
        if kind.order_level:
            level = clean(self.row.get("level")) or SHOP
            if level not in LEVELS:
                self.add("level", gettext_noop("choose shop or cross-shop"))
            out["level"] = level
        if clean(self.row.get("shop")):
            out["shop"] = clean(self.row.get("shop"))
        skus = items(self.row.get("skus"), codes=True)
        if skus:
            out["skus"] = skus
        for key in ("start", "end"):
            instant = self.instant(key)
            if instant is not None:
                out[key] = instant
        out.update(getattr(self, f"_{self.kind}")())
        return out

    # --- values

    def money(self, name: str, *, required: bool = True) -> str | None:
        if not clean(self.row.get(name)):
            if required:
                self.add(name, gettext_noop("required"))
            return None
        try:
            return format_fen(parse_money(self.row.get(name)))
        except ValueProblem as exc:
            self.add(name, exc.message)
            return None

    def instant(self, name: str) -> str | None:
        text = clean(self.row.get(name))
        if not text:
            return None
        try:
            instant = dt.datetime.fromisoformat(text)
        except ValueError:
            self.add(name, gettext_noop("expected a date and time like 2026-11-11 20:00"))
            return None
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=self.tz)
        return instant.isoformat()

    def optional(self, **values: str | None) -> dict[str, str]:
        return {key: value for key, value in values.items() if value is not None}

    def one_of(self, first: str, second: str) -> bool:
        """Exactly one of two inputs is filled (直降 or 秒杀价; 膨胀 or 立减); the problem said otherwise."""
        filled = [name for name in (first, second) if clean(self.row.get(name))]
        if len(filled) == 1:
            return True
        self.add(first, gettext_noop("fill in either %(first)s or %(second)s, not both",
                                     first=label(first, self.kind), second=label(second, self.kind))
                 if filled else gettext_noop("fill in %(first)s or %(second)s",
                                             first=label(first, self.kind), second=label(second, self.kind)))
        return False

    # --- one reader per type

    def _threshold_off(self) -> dict[str, Any]:
        tiers = []
        entries = items(self.row.get("tiers"))
        if not entries:
            self.add("tiers", gettext_noop("required, e.g. %(example)s", example="满300减30，满400减50"))
        for position, entry in enumerate(entries, start=1):
            match = _TIER.fullmatch(entry.removeprefix("¥"))
            try:
                if match is None:
                    raise ValueProblem(gettext_noop("expected %(example)s", example="满300减30"))
                threshold, off = parse_money(match[1]), parse_money(match[2])
            except ValueProblem as exc:
                self.add("tiers", gettext_noop("tier %(n)s (%(text)s): %(why)s", n=position, text=entry,
                                               why=exc.message))
                continue
            tiers.append({"threshold": format_fen(threshold), "off": format_fen(off)})
        return {"tiers": tiers}

    def _every_off(self) -> dict[str, Any]:
        return self.optional(every=self.money("every"), off=self.money("off"), cap=self.money("cap", required=False))

    def _item_discount(self) -> dict[str, Any]:
        out: dict[str, Any] = self.optional(cap=self.money("cap", required=False))
        try:
            out["percent_off"] = percent_off(parse_discount_bp(self.row.get("discount")))
        except ValueProblem as exc:
            self.add("discount", exc.message)
        if clean(self.row.get("stackable")):
            out["stackable"] = True
        return out

    def _item_price(self) -> dict[str, Any]:
        if not self.one_of("off", "price"):
            return {}
        return self.optional(off=self.money("off", required=False), price=self.money("price", required=False))

    def _member_price(self) -> dict[str, Any]:
        return self.optional(price=self.money("price"))

    def _coupon(self) -> dict[str, Any]:
        return self.optional(threshold=self.money("threshold"), off=self.money("off"))

    def _gift(self) -> dict[str, Any]:
        out: dict[str, Any] = self.optional(threshold=self.money("threshold"))
        qty = 1
        if clean(self.row.get("gift_qty")):
            try:
                qty = parse_count(self.row.get("gift_qty"), high=MAX_LINE_QTY)
            except ValueProblem as exc:
                self.add("gift_qty", exc.message)
        gifts = []
        for entry in items(self.row.get("gift_sku")):
            match = _GIFT.fullmatch(entry)
            assert match is not None  # the pattern reads any non-empty text
            try:
                count = parse_count(match[2], high=MAX_LINE_QTY) if match[2] else qty
            except ValueProblem as exc:
                self.add("gift_sku", exc.message)
                continue
            gifts.append({"sku": match[1], "qty": count})
        if not gifts and not clean(self.row.get("gift_sku")):
            self.add("gift_sku", gettext_noop("required"))
        out["gifts"] = gifts
        return out

    def _presale(self) -> dict[str, Any]:
        out = self.optional(deposit=self.money("deposit"))
        if self.one_of("deposit_worth", "instant_off"):
            out.update(self.optional(deposit_worth=self.money("deposit_worth", required=False),
                                     instant_off=self.money("instant_off", required=False)))
        return out


# --- 折扣 ------------------------------------------------------------------------------------------------------


def parse_discount_bp(text: object) -> int:
    """A 折扣 as basis points off: "8.5折" or "8.5" (pay 85 %) → 1500; "15%" (15 % off) → 1500.

    Refused: "85折", "12折", "0折", "10折" (a 折 lies strictly between 0 and 10), "0%", "100%", and more
    precision than the contract keeps (percent off with two decimals: 8.755折 is 12.45 % off, 8.7555折 is
    not a whole basis point)."""
    value = clean(text)
    if not value:
        raise ValueProblem(gettext_noop("required, e.g. %(example)s", example="8.5折"))
    percent = value.endswith("%")
    number = decimal(value.removesuffix("%").removesuffix("折"))
    if number is None or (percent and value.endswith("折%")):
        raise ValueProblem(gettext_noop("expected a discount like %(zhe)s or a percentage off like %(percent)s",
                                        zhe="8.5折", percent="15%"))
    if percent:
        if not 0 < number < 100:
            raise ValueProblem(gettext_noop("a percentage off lies between %(low)s and %(high)s",
                                            low="0%", high="100%"))
        bp = number * 100
    else:
        if not 0 < number < 10:
            raise ValueProblem(gettext_noop("a discount lies between %(low)s and %(high)s, e.g. %(example)s",
                                            low="0折", high="10折", example="8.5折"))
        bp = (10 - number) * 1000
    if bp != bp.to_integral_value():
        raise ValueProblem(gettext_noop("too precise: at most %(zhe)s or %(percent)s", zhe="8.755折",
                                        percent="12.45%"))
    return int(bp)


def show_discount(bp: int) -> str:
    """Basis points off as the form shows them: 1500 → "8.5折", 1000 → "9折"."""
    return f"{(Decimal(10_000 - bp) / 1000).normalize():f}折"


def percent_off(bp: int) -> int | str:
    """The contract's ``percent_off``: a whole number when it is one (15), else text ("12.5")."""
    if bp % 100 == 0:
        return bp // 100
    return f"{(Decimal(bp) / 100).normalize():f}"


# --- the contract → rows --------------------------------------------------------------------------------------


def promotion_rows(promotions: Iterable[Mapping[str, Any]], tz: dt.tzinfo) -> list[dict[str, str]]:
    """The stored promotions (valid contract dicts) as the form's rows, times in ``tz``."""
    return [_row(promotion, tz) for promotion in promotions]


def blank_row() -> dict[str, str]:
    return dict.fromkeys(ROW_FIELDS, "")


def _row(promotion: Mapping[str, Any], tz: dt.tzinfo) -> dict[str, str]:
    row = blank_row()
    kind = str(promotion.get("type", ""))
    row.update(id=str(promotion.get("id", "")), type=kind, name=str(promotion.get("name") or ""),
               note=str(promotion.get("note") or ""), shop=str(promotion.get("shop") or ""),
               skus=", ".join(str(s) for s in promotion.get("skus") or []))
    if kind in TYPES and TYPES[kind].order_level:
        row["level"] = str(promotion.get("level") or SHOP)
    for key in ("start", "end"):
        row[key] = _local(promotion.get(key), tz)
    for key in ("every", "off", "cap", "price", "threshold", "deposit", "deposit_worth", "instant_off"):
        row[key] = _yuan(promotion.get(key))
    row["tiers"] = "，".join(f"满{_yuan(t.get('threshold'))}减{_yuan(t.get('off'))}"
                            for t in promotion.get("tiers") or [] if isinstance(t, Mapping))
    if promotion.get("percent_off") is not None:
        percent = decimal(clean(str(promotion["percent_off"])))
        row["discount"] = show_discount(int(percent * 100)) if percent is not None else str(promotion["percent_off"])
    row["stackable"] = "on" if promotion.get("stackable") is True else ""
    gifts = [g for g in promotion.get("gifts") or [] if isinstance(g, Mapping)]
    if len(gifts) == 1:
        row["gift_sku"], row["gift_qty"] = str(gifts[0].get("sku", "")), str(gifts[0].get("qty", 1))
    elif gifts:
        row["gift_sku"] = "，".join(f"{g.get('sku', '')}×{g.get('qty', 1)}" for g in gifts)
    return row


def _yuan(value: object) -> str:
    if value is None:
        return ""
    try:
        fen = parse_amount(value)  # type: ignore[arg-type]
    except (MoneyError, TypeError):
        return str(value)
    return show_money(min(fen, MAX_AMOUNT_FEN))


def _local(value: object, tz: dt.tzinfo) -> str:
    """A stored instant as the form's local date and time ("2026-11-11T20:00", seconds only when some)."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        instant = dt.datetime.fromisoformat(value)
        local = instant.astimezone(tz) if instant.tzinfo is not None else instant
    except (ValueError, OverflowError):  # year 1 moved west of UTC: shown as stored
        return value
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")

