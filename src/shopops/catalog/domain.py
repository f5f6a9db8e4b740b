"""Pure rules for products and SKUs: what a valid SPU with SKUs looks like, before any write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from shopops.core.domain import AmountTooLarge, CodeProblem, code_problem, describe_char, parse_amount
from shopops.core.errors import FieldError
from shopops.core.money import MoneyError

MAX_TITLE = 200
MAX_CATEGORY_CODE = 40  # catalog.Category.code
MAX_SKUS = 500
MAX_BRAND = 80
MAX_DESCRIPTION = 20000


@dataclass(frozen=True, slots=True)
class SkuInput:
    sku_code: str
    price: str | Decimal
    cost: str | Decimal
    attributes: dict[str, str] = field(default_factory=dict)
    barcode: str = ""


@dataclass(frozen=True, slots=True)
class ProductInput:
    spu_code: str
    title: str
    category: str
    skus: tuple[SkuInput, ...]
    brand: str = ""
    description: str = ""
    launched_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CleanSku:
    sku_code: str
    price_fen: int
    cost_fen: int
    attributes: dict[str, str]
    barcode: str


_MESSAGES = {
    "required": "必填 / required",
    "too_long": "太长 / too long",
    "too_large": "金额过大 / amount too large",
}


def _default_code_message(problem: CodeProblem) -> str:
    if problem.kind in _MESSAGES:
        return _MESSAGES[problem.kind]
    return f"编码只能含字母、数字和 - _ . / only letters, digits and - _ . in a code: {describe_char(problem.char)!r}"


def validate_product(
    data: ProductInput, messages: dict[str, str] | None = None,
    code_message: Callable[[CodeProblem], str] = _default_code_message,
) -> tuple[list[CleanSku], list[FieldError]]:
    """Check an SPU and its SKUs; return the cleaned SKUs and every problem found (field paths like skus[2].price).

    ``messages`` maps problem codes to text in the user's language and ``code_message`` says why a code is
    refused (services pass translated text). Codes follow the one rule of ``core.domain.code_problem``;
    prices and costs are bounded by ``core.domain.MAX_AMOUNT_FEN``.
    """
    text = {**_MESSAGES, **(messages or {})}
    errors: list[FieldError] = []
    problem = code_problem(data.spu_code)
    if problem:
        errors.append(FieldError("spu_code", code_message(problem)))
    title = (data.title or "").strip()
    if not title:
        errors.append(FieldError("title", text["required"]))
    elif len(title) > MAX_TITLE:
        errors.append(FieldError("title", text["too_long"]))
    if len(data.brand or "") > MAX_BRAND:
        errors.append(FieldError("brand", text["too_long"]))
    if len(data.description or "") > MAX_DESCRIPTION:
        errors.append(FieldError("description", text["too_long"]))
    if not (data.category or "").strip():
        errors.append(FieldError("category", text["required"]))
    if not data.skus:
        errors.append(FieldError("skus", text.get("no_skus", "至少一个 SKU / at least one SKU")))
    if len(data.skus) > MAX_SKUS:
        errors.append(FieldError("skus", text["too_long"]))
    clean: list[CleanSku] = []
    seen: set[str] = set()
    for index, sku in enumerate(data.skus):
        where = f"skus[{index}]"
        problem = code_problem(sku.sku_code)
        if problem:
            errors.append(FieldError(f"{where}.sku_code", code_message(problem)))
        elif sku.sku_code in seen:
            errors.append(FieldError(f"{where}.sku_code", text.get("duplicate", "重复 / duplicate")))
        seen.add(sku.sku_code)
        amounts = {}
        for name in ("price", "cost"):
            try:
                amounts[name] = parse_amount(getattr(sku, name))
            except AmountTooLarge:
                errors.append(FieldError(f"{where}.{name}", text["too_large"]))
            except MoneyError as exc:
                message = text.get("negative" if "negative" in str(exc) else "bad_money", str(exc))
                errors.append(FieldError(f"{where}.{name}", message))
        attributes = sku.attributes or {}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()):
            errors.append(FieldError(f"{where}.attributes", text.get("bad_attributes", "attributes")))
        if len(amounts) == 2 and not problem:
            clean.append(CleanSku(sku.sku_code, amounts["price"], amounts["cost"], dict(attributes),
                                  sku.barcode or ""))
    return clean, errors


def margin_rate(price_fen: int, cost_fen: int) -> float | None:
    """Gross margin rate 毛利率 = (price − cost) / price, a number in 0..1 (None when price is 0)."""
    if price_fen <= 0:
        return None
    return (price_fen - cost_fen) / price_fen
