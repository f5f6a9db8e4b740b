"""The JSON face of the quote (CLI ``shopops price quote --cart FILE --json``, ``POST /api/v1/pricing/quote``).

Pure: reads the request through ``CartIn`` (the models of ``pricing.schemas``) into a ``Cart``, naming every
bad field at once (``InvalidInput`` with a ``FieldError`` per problem, path like ``promotions[2].off``), and
renders a ``Quote`` back as ``QuoteOut``. Money is a string with two decimals both ways (ints of yuan are
accepted too, floats never). Messages are English ``core.text`` texts; ``pricing.messages`` says them in
the user's language.

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
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from shopops.core.errors import ErrorCollector, FieldError, InvalidInput
from shopops.core.money import format_fen
from shopops.core.text import Text, gettext_noop
from shopops.pricing.promotions import ITEM, Cart, Line, Presale, Promotion
from shopops.pricing.quote import Quote, quote
from shopops.pricing.schemas import (
    MAX_LINES,
    MAX_PROMOTIONS,
    MAX_QTY,
    PROMOTION_SCHEMAS,
    Flag,
    Instant,
    LineIn,
    NonEmptyText,
    PromotionIn,
    clean_text,
    required,
)

__all__ = ["MAX_LINES", "MAX_PROMOTIONS", "MAX_QTY", "CartIn", "parse_cart", "quote_from_json", "render_quote"]


def invalid_cart() -> Text:
    return gettext_noop("Invalid cart.")


def quote_from_json(data: object, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Validate a cart dict, quote it, render the result dict: the one call the CLI and API need."""
    return render_quote(quote(parse_cart(data, now=now)))


def parse_cart(data: object, *, now: dt.datetime | None = None) -> Cart:
    """The request dict as a ``Cart``, or ``InvalidInput`` listing every problem found."""
    whole = _read_whole(data)
    if whole is None:
        return CartIn.read_piecewise(data).to_cart(now=now)
    fields, lines, promotions = whole
    return engine_cart(fields.at, fields.member, lines, promotions, now=now)


def render_quote(result: Quote, *, say: Callable[[str], str] = str) -> dict[str, Any]:
    """The output contract (``QuoteOut`` as JSON): money as two-decimal strings, ``pay`` per line is the line
    total; ``say`` puts a rejection reason in the user's language (``pricing.messages.say``).

    Plain dicts in ``QuoteOut``'s field order (``tests/pricing/test_schemas.py`` holds them equal): building the
    models only to dump them again would double the cost of every quote."""
    presale = result.presale
    return {
        "lines": [
            {"line": q.line.line, "sku": q.line.sku, "qty": q.line.qty, "price": format_fen(q.line.price),
             "item_price": format_fen(q.item_price), "pay": format_fen(q.pay),
             "discounts": [{"promotion": d.promotion, "amount": format_fen(d.amount)} for d in q.discounts]}
            for q in result.lines
        ],
        "gifts": [{"promotion": g.promotion, "sku": g.sku, "qty": g.qty} for g in result.gifts],
        "total_price": format_fen(result.total_price),
        "total_discount": format_fen(result.total_discount),
        "total_pay": format_fen(result.total_pay),
        "presale": None if presale is None else {"deposit": format_fen(presale.deposit),
                                                 "balance": format_fen(presale.balance)},
        "applied": [a.promotion for a in result.applied],
        "rejected": [{"promotion": r.promotion, "reason": say(r.reason)} for r in result.rejected],
    }


class _CartFields(BaseModel):
    """The request's fields; validated as one model, this is the fast path of ``CartIn.read``."""

    model_config = ConfigDict(extra="forbid")

    at: Instant | None = Field(None, description="the instant quoted (default: now); required by start/end")
    member: Flag = False
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    promotions: list[PromotionIn] = Field(default_factory=list, max_length=MAX_PROMOTIONS)


class CartIn(_CartFields):
    """The quote request: lines, promotions (one schema per ``type``), the instant ``at`` and ``member``.

    Validating it (``CartIn.model_validate``, and ninja for the API body) runs ``read``: a valid cart passes
    in one validation of all its fields plus the checks that need the whole cart; any problem sends it to the
    piece-by-piece reader, so that one bad line does not hide the problems of the others, nor the checks that
    need the whole cart; ``InvalidInput`` names them all. The piece-by-piece reader is the authority: the
    fast path accepts only what it accepts (``tests/pricing/test_contract_paths.py``).
    """

    _cart_lines: tuple[Line, ...] = PrivateAttr(())
    _cart_promotions: tuple[Promotion, ...] = PrivateAttr(())

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem_at_once(cls, data: object, handler: ModelWrapValidatorHandler[Self]) -> Self:
        return cls.read(data)

    @classmethod
    def read(cls, data: object) -> Self:
        """The cart, or ``InvalidInput`` naming every problem (the validation of this model)."""
        whole = _read_whole(data)
        if whole is not None:
            fields, lines, promotions = whole
            cart = cls.model_construct(at=fields.at, member=fields.member, lines=fields.lines,
                                       promotions=fields.promotions)
            cart._cart_lines, cart._cart_promotions = tuple(lines), tuple(promotions)
            return cart
        return cls.read_piecewise(data)

    @classmethod
    def read_piecewise(cls, data: object) -> Self:
        """The cart read field by field and item by item: every problem named, or the cart."""
        if not isinstance(data, Mapping):
            raise InvalidInput(invalid_cart(), [FieldError("$", gettext_noop("expected a JSON object"))])
        errors = ErrorCollector()
        for key in sorted(set(data) - set(cls.model_fields), key=str):
            errors.add(str(key), unknown_field())
        at = _read_value(_INSTANT, data.get("at"), "at", errors)
        member = _read_value(_FLAG, data.get("member", False), "member", errors)
        line_models, lines = _read_lines(data.get("lines"), errors)
        promotion_models, promotions = _read_promotions(data.get("promotions", []), lines, errors)
        errors.raise_if_any(invalid_cart())
        cart = cls.model_construct(at=at, member=member, lines=line_models, promotions=promotion_models)
        cart._cart_lines, cart._cart_promotions = tuple(lines), tuple(promotions)
        return cart

    def to_cart(self, *, now: dt.datetime | None = None) -> Cart:
        """The engine's cart; ``at`` defaults to ``now`` (passed by the caller: this module reads no clock)."""
        return engine_cart(self.at, self.member, self._cart_lines, self._cart_promotions, now=now)


def engine_cart(at: dt.datetime | None, member: bool, lines: Sequence[Line], promotions: Sequence[Promotion], *,
                now: dt.datetime | None) -> Cart:
    """The engine's cart of a valid request; ``at`` defaults to ``now``, required when an offer has a window."""
    at = at if at is not None else now
    if at is None and any(p.window.bounded for p in promotions):
        raise InvalidInput(invalid_cart(), [FieldError("at", gettext_noop("required when a promotion has start/end"))])
    return Cart(tuple(lines), tuple(promotions), at, member)


# --- reading in one pass (a valid cart) -------------------------------------------------------------------


def _read_whole(data: object) -> tuple[_CartFields, list[Line], list[Promotion]] | None:
    """The cart's models, lines and promotions when every field and whole-cart check passes; else None."""
    try:
        fields = _CartFields.model_validate(data)
    except ValidationError:
        return None
    line_ids = {model.line for model in fields.lines}
    promotion_ids = {model.id for model in fields.promotions}
    if len(line_ids) < len(fields.lines) or len(promotion_ids) < len(fields.promotions):
        return None  # duplicates: the piecewise reader names them
    lines = [model.to_line() for model in fields.lines]
    sold = _Sold(lines)
    errors = ErrorCollector()
    promotions = [_promotion_in_cart(model, "", sold, lines, errors) for model in fields.promotions]
    if errors.errors:
        return None
    return fields, lines, [p for p in promotions if p is not None]


# --- reading piece by piece ---------------------------------------------------------------------------------

_INSTANT: TypeAdapter[dt.datetime | None] = TypeAdapter(Instant | None)
_FLAG: TypeAdapter[bool] = TypeAdapter(Flag)
_ID: TypeAdapter[str] = TypeAdapter(NonEmptyText)


def unknown_field() -> Text:
    return gettext_noop("unknown field")


# pydantic's own errors that the field types leave to it, in the contract's words
_PYDANTIC_WORDS: dict[str, Callable[[], Text]] = {
    "missing": required,
    "extra_forbidden": unknown_field,
    "string_type": lambda: gettext_noop("expected a string"),
}


def _messages(exc: ValidationError, where: str) -> list[tuple[str, Text]]:
    """pydantic's errors as (JSON path, message): ``loc`` ("tiers", 0, "off") under ``where``."""
    out = []
    for error in exc.errors(include_url=False):
        path = where
        ctx = error.get("ctx") or {}
        for part in (*error["loc"], *([ctx["at"]] if ctx.get("at") else [])):
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        if error["type"] == "pricing":
            message = ctx["text"]
        else:
            message = _PYDANTIC_WORDS.get(error["type"], lambda: gettext_noop("invalid value"))()
        out.append((path, message))
    return out


def _read_value(adapter: TypeAdapter, value: object, path: str, errors: ErrorCollector) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        for field, message in _messages(exc, path):
            errors.add(field, message)
        return None


def _read_model(schema: type[BaseModel], item: object, where: str, errors: ErrorCollector) -> Any:
    """``item`` through ``schema``; unknown fields are reported here and left out, so that they do not stop
    the checks across the other fields (``off`` within ``threshold``) from naming their problems too."""
    if isinstance(item, Mapping):
        unknown = set(item) - set(schema.model_fields)
        for key in sorted(unknown, key=str):
            errors.add(f"{where}.{key}", unknown_field())
        item = {key: value for key, value in item.items() if key not in unknown} if unknown else item
    try:
        return schema.model_validate(item)
    except ValidationError as exc:
        for field, message in _messages(exc, where):
            errors.add(field, message)
        return None


def _bounded_list(value: object, path: str, limit: int, errors: ErrorCollector, *, non_empty: bool) -> list:
    """A JSON list of at most ``limit`` items (a quote must stay cheap); ``[]`` after reporting otherwise."""
    if not isinstance(value, list) or (non_empty and not value):
        errors.add(path, gettext_noop("expected a non-empty list") if non_empty else gettext_noop("expected a list"))
        return []
    if len(value) > limit:
        errors.add(path, gettext_noop("at most %(n)s per quote", n=limit))
        return []
    return value


def _read_lines(value: object, errors: ErrorCollector) -> tuple[list[LineIn], list[Line]]:
    models: list[LineIn] = []
    seen: set[str] = set()
    for index, item in enumerate(_bounded_list(value, "lines", MAX_LINES, errors, non_empty=True)):
        where = f"lines[{index}]"
        model = _read_model(LineIn, item, where, errors)
        line_id = clean_text(item.get("line")) if isinstance(item, Mapping) else None
        if line_id is not None and line_id in seen:
            errors.add(f"{where}.line", gettext_noop("duplicate line %(line)s", line=line_id))
        elif model is not None:
            seen.add(line_id)
            models.append(model)
    return models, [model.to_line() for model in models]


def _read_promotions(value: object, lines: list[Line], errors: ErrorCollector
                     ) -> tuple[list[Any], list[Promotion]]:
    models: list[Any] = []
    promotions: list[Promotion] = []
    seen: set[str] = set()
    sold = _Sold(lines)
    for index, item in enumerate(_bounded_list(value, "promotions", MAX_PROMOTIONS, errors, non_empty=False)):
        where = f"promotions[{index}]"
        if not isinstance(item, Mapping):
            errors.add(where, gettext_noop("expected an object"))
            continue
        promotion_id = clean_text(item.get("id"))
        duplicate = promotion_id is not None and promotion_id in seen
        if duplicate:
            errors.add(f"{where}.id", gettext_noop("duplicate promotion id %(id)s", id=promotion_id))
        if promotion_id is not None:
            seen.add(promotion_id)
        kind = item.get("type")
        schema = PROMOTION_SCHEMAS.get(kind) if isinstance(kind, str) else None
        if schema is None:
            _read_value(_ID, item.get("id"), f"{where}.id", errors)
            errors.add(f"{where}.type", gettext_noop("unknown type %(type)s; expected one of %(types)s",
                                                     type=repr(kind), types=", ".join(sorted(PROMOTION_SCHEMAS))))
            continue
        model = _read_model(schema, item, where, errors)
        promotion = None if model is None else _promotion_in_cart(model, where, sold, lines, errors)
        if promotion is not None and not duplicate:
            models.append(model)
            promotions.append(promotion)
    return models, promotions


class _Sold:
    """What the cart's lines sell, to check a promotion's SKUs against it."""

    def __init__(self, lines: list[Line]) -> None:
        self.skus = {line.sku for line in lines}
        self.by_shop = {(line.sku, line.shop) for line in lines}


def _promotion_in_cart(model: Any, where: str, sold: _Sold, lines: list[Line], errors: ErrorCollector
                       ) -> Promotion | None:
    """The engine's promotion, after the checks that need the cart: its SKUs are sold by its shop's lines,
    and a presale's 定金 + 立减/膨胀 fits the price of every line it covers (尾款 would be negative)."""
    errors_before = len(errors.errors)
    shop = model.scope().shop
    for index, sku in enumerate(model.skus):
        path = f"{where}.skus[{index}]"
        if sku not in sold.skus:
            errors.add(path, gettext_noop("unknown SKU %(sku)s: no line of the cart sells it", sku=sku))
        elif shop is not None and (sku, shop) not in sold.by_shop:
            errors.add(path, gettext_noop("SKU %(sku)s is not sold by shop %(shop)s in this cart", sku=sku, shop=shop))
    try:
        promotion = model.to_promotion()
    except ValueError as exc:  # a domain invariant the checks above missed: still a field error
        errors.add(where, exc.args[0] if exc.args else str(exc))
        return None
    if isinstance(promotion, Presale):
        field = "instant_off" if promotion.instant_off is not None else "deposit_worth"
        for line in lines:
            if promotion.scope.covers(line, ITEM) and promotion.deposit + promotion.reduction > line.price:
                errors.add(f"{where}.{field}", gettext_noop("定金 + 立减/膨胀 exceeds the price %(price)s of line "
                                                            "%(line)s", price=format_fen(line.price), line=line.line))
                break
    return promotion if len(errors.errors) == errors_before else None
