"""Money in integer fen (分), Decimal at the edges, never float (DESIGN.md "Data").

``allocate`` splits an amount over weights by the largest-remainder method so the parts always add up to the
whole: the rule used to spread order-level discounts over order lines (docs/rules/pricing.md#money-in-fen;
JD's 单品基准价 proportional allocation, docs/rules/pricing.md#allocation-of-order-level-discounts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100
MAX_YUAN = Decimal(10) ** 12  # far above any real amount, far below int64 fen
_CENT = Decimal("0.01")
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money."""


def parse_fen(value: str | Decimal | int, *, allow_negative: bool = False) -> int:
    """Read "123.45", Decimal("123.45") or an int of yuan into fen; reject floats and sub-fen digits.

    Floats are refused because 0.1 + 0.2 is not 0.3: money never passes through a binary float.
    """
    if isinstance(value, (bool, float)):
        raise MoneyError("money must be given as a string or Decimal, not a float")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise MoneyError("empty amount")
        # Digits, an optional point; commas only as thousands separators ("12,50" is not 1250 yuan).
        # No exponents or underscores, which Decimal would otherwise accept.
        if not _AMOUNT.fullmatch(text):
            raise MoneyError(f"not an amount: {value!r}")
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:
            raise MoneyError(f"not an amount: {value!r}") from exc
    else:
        raise MoneyError(f"not an amount: {value!r}")
    if not amount.is_finite() or abs(amount) >= MAX_YUAN:
        raise MoneyError(f"not a finite amount below {MAX_YUAN}: {value!r}")
    if amount.quantize(_CENT) != amount:
        raise MoneyError(f"more than two decimals: {value!r}")
    if amount < 0 and not allow_negative:
        raise MoneyError(f"negative amount: {value!r}")
    return int(amount * FEN_PER_YUAN)


def fen_to_decimal(fen: int) -> Decimal:
    """Fen as a Decimal with exactly two places."""
    return (Decimal(fen) / FEN_PER_YUAN).quantize(_CENT)


def format_fen(fen: int) -> str:
    """Fen as the JSON money string: ``"123.45"``."""
    return str(fen_to_decimal(fen))


def divide_half_up(total_fen: int, count: int) -> int | None:
    """An average in fen, rounded half up (how platforms show 客单价); None when there is nothing to divide by."""
    if count <= 0:
        return None
    quotient, remainder = divmod(abs(total_fen) * 2 + count, count * 2)
    return quotient if total_fen >= 0 else -quotient


def yuan_to_fen_rounded(amount: Decimal) -> int:
    """Round a computed Decimal amount of yuan to the nearest fen (half up, as platforms display)."""
    return int((amount * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of CNY held as integer fen."""

    fen: int

    @classmethod
    def parse(cls, value: str | Decimal | int, *, allow_negative: bool = False) -> Money:
        return cls(parse_fen(value, allow_negative=allow_negative))

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    def to_decimal(self) -> Decimal:
        return fen_to_decimal(self.fen)

    def __str__(self) -> str:
        return format_fen(self.fen)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen - other.fen)

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __mul__(self, qty: int) -> Money:
        if not isinstance(qty, int) or isinstance(qty, bool):
            return NotImplemented
        return Money(self.fen * qty)

    __rmul__ = __mul__

    def allocate(self, weights: Sequence[int]) -> list[Money]:
        return [Money(part) for part in allocate(self.fen, weights)]


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` fen over non-negative integer ``weights`` by largest remainder.

    The parts always sum to ``total`` exactly; each part is floor(total·w/W) or one fen more, the extra
    fen going to the largest remainders (ties to the earlier line, so the result is deterministic).
    All-zero weights split evenly. A negative total is split as its mirror image.
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero amount over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    weight_sum = sum(weights)
    if weight_sum == 0:
        weights = [1] * len(weights)
        weight_sum = len(weights)
    parts = []
    remainders = []
    for index, weight in enumerate(weights):
        share, remainder = divmod(total * weight, weight_sum)
        parts.append(share)
        remainders.append((-remainder, index))
    leftover = total - sum(parts)
    for _, index in sorted(remainders)[:leftover]:
        parts[index] += 1
    return parts
