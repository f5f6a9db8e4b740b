"""Money in integer fen (分), Decimal at the edges, never float (docs/architecture.md#data).

``allocate`` splits an amount over weights by the largest-remainder method so the parts always add up to the
whole: the rule used to spread order-level discounts over order lines (docs/rules/pricing.md#money-in-fen;
JD's 单品基准价 proportional allocation, docs/rules/pricing.md#allocation-of-order-level-discounts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

FEN_PER_YUAN = 100
MAX_YUAN = Decimal(10) ** 12  # far above any real amount, far below int64 fen
_CENT = Decimal("0.01")
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
# The common spelling ("129", "129.9", "129.00": ASCII digits, at most two decimals, below MAX_YUAN), read
# in integers; every other spelling takes the Decimal path, which decides the same rule.
_PLAIN_AMOUNT = re.compile(r"([0-9]{1,12})(?:\.([0-9]{1,2}))?")


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
        plain = _PLAIN_AMOUNT.fullmatch(text)
        if plain is not None:
            yuan, cents = plain.groups()
            return int(yuan) * FEN_PER_YUAN + (int(cents.ljust(2, "0")) if cents else 0)
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


def format_yuan(amount: Decimal | int | str) -> str:
    """Money as people read it, the one display format of every page and message: ``¥1,234.56``
    (``-¥5.00`` below zero). ``amount`` is in yuan (a ``Decimal`` or its string); fen: ``format_yuan_fen``."""
    yuan = Decimal(amount)
    sign = "-" if yuan < 0 else ""
    return f"{sign}¥{abs(yuan):,.2f}"


def format_yuan_fen(fen: int) -> str:
    """Fen as people read it: 12345 → ``¥123.45`` (see ``format_yuan``)."""
    return format_yuan(fen_to_decimal(fen))


def divide_half_up(total_fen: int, count: int) -> int | None:
    """An average in fen, rounded half up (how platforms show 客单价); None when there is nothing to divide by."""
    if count <= 0:
        return None
    quotient, remainder = divmod(abs(total_fen) * 2 + count, count * 2)
    return quotient if total_fen >= 0 else -quotient


def basis_points_half_up(amount: Any, basis_points: int) -> Any:
    """amount × basis_points / 10 000 rounded half up to the fen, in integers (no float, no Decimal): a
    percentage off a price, a fee rate of what was paid. Element-wise on numpy integer arrays too."""
    return (amount * (basis_points * 2) + 10_000) // 20_000


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


def remainder_order(remainders: Sequence[Any]) -> list[int]:
    """Indices from the largest remainder to the smallest, ties to the earlier index: the order in which the
    largest-remainder method hands out the spare units, one each (deterministic whatever the input order)."""
    return sorted(range(len(remainders)), key=remainders.__getitem__, reverse=True)  # a stable sort, even reversed


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
    for weight in weights:
        share, remainder = divmod(total * weight, weight_sum)
        parts.append(share)
        remainders.append(remainder)
    leftover = total - sum(parts)
    if leftover:
        for index in remainder_order(remainders)[:leftover]:
            parts[index] += 1
    return parts


_INT64_SAFE = 2.0**62  # products of an amount and a weight below this fit in int64


def _floor_shares(total: np.ndarray, weights: np.ndarray, weight_sum: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """``allocate``'s first step, element-wise: floor(total·w/W) and its remainder (W > 0, total ≥ 0)."""
    product = total * weights
    return product // weight_sum, product % weight_sum


def allocate_rows(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``allocate(total[i], weights[i])`` for every row ``i`` of an (n, k) weight matrix, vectorised.

    The same numbers as ``allocate`` (floor shares, the spare fen to the largest remainders, ties to the
    earlier column; all-zero rows split evenly; negative totals mirrored). int64 input whose products could
    overflow is computed on Python integers (object arrays), as object input is.
    """
    total = np.asarray(total)
    weights = np.asarray(weights)
    n, k = weights.shape
    if k == 0:
        if np.any(total != 0):
            raise ValueError("cannot allocate a non-zero amount over no weights")
        return np.zeros((n, 0), dtype=weights.dtype)
    if np.any(weights < 0):
        raise ValueError("weights must be non-negative")
    if weights.dtype != object and n and float(np.abs(total).max()) * float(weights.max()) >= _INT64_SAFE:
        total, weights = total.astype(object), weights.astype(object)
    sign = np.where(total < 0, -1, 1)
    magnitude = total * sign
    weight_sum = weights.sum(axis=1)
    empty = np.asarray(weight_sum == 0, dtype=bool)
    if empty.any():
        weights = np.where(empty[:, None], 1, weights)
        weight_sum = np.where(empty, k, weight_sum)
    parts, remainders = _floor_shares(magnitude[:, None], weights, weight_sum[:, None])
    leftover = magnitude - parts.sum(axis=1)
    return (parts + (_row_ranks(remainders) < leftover[:, None])) * sign[:, None]


def _row_ranks(remainders: np.ndarray) -> np.ndarray:
    """Each column's place in its row's ``remainder_order``: how many columns come before it (a larger
    remainder, or an equal one further left). Pairwise comparisons for a few columns (no sort), else a sort."""
    n, k = remainders.shape
    if k > 8:
        order = np.argsort(-remainders, axis=1, kind="stable")
        rank = np.empty((n, k), dtype=np.int64)
        np.put_along_axis(rank, order, np.broadcast_to(np.arange(k), (n, k)), axis=1)
        return rank
    rank = np.zeros((n, k), dtype=np.int64)
    for j in range(k):
        for m in range(k):
            if m != j:
                ahead = remainders[:, m] > remainders[:, j] if m > j else remainders[:, m] >= remainders[:, j]
                rank[:, j] += np.asarray(ahead, dtype=bool)
    return rank


def allocate_groups(totals: Sequence[int], starts: Sequence[int], weights: Sequence[int]) -> np.ndarray:
    """``allocate`` for many groups of consecutive weights at once (an order's lines), vectorised.

    Group ``i`` is ``weights[starts[i]:starts[i + 1]]`` and gets ``totals[i]`` (totals ≥ 0, every group at
    least one weight). The same numbers as ``allocate``; a group whose products could overflow int64, or
    whose weights are all zero, is split by ``allocate`` itself. Returns an int64 array over the weights.
    """
    n_groups = len(totals)
    starts_array = np.asarray(starts, dtype=np.int64)
    if len(starts_array) != n_groups + 1:
        raise ValueError("starts needs one entry more than totals")
    if n_groups == 0:
        return np.zeros(0, dtype=np.int64)
    counts = np.diff(starts_array)
    if (counts <= 0).any():
        raise ValueError("every group needs at least one weight")
    flat = np.asarray(weights, dtype=np.int64)
    group_totals = np.asarray(totals, dtype=np.int64)
    if (flat < 0).any() or (group_totals < 0).any():
        raise ValueError("totals and weights must be non-negative")
    total = np.repeat(group_totals, counts)
    weight_sum = np.repeat(np.add.reduceat(flat, starts_array[:-1]), counts)
    big = (total.astype(np.float64) * flat.astype(np.float64)) >= _INT64_SAFE
    ok = (weight_sum > 0) & ~big
    share = np.zeros(len(flat), dtype=np.int64)
    remainder = np.zeros(len(flat), dtype=np.int64)
    share[ok], remainder[ok] = _floor_shares(total[ok], flat[ok], weight_sum[ok])
    group_of = np.repeat(np.arange(n_groups), counts)
    leftover = group_totals - np.add.reduceat(share, starts_array[:-1])
    # remainder_order within each group: largest remainder first, then the earlier weight
    position = np.arange(len(flat), dtype=np.int64)
    order = np.lexsort((position, -remainder, group_of))
    rank = np.empty(len(flat), dtype=np.int64)
    rank[order] = position - starts_array[group_of[order]]
    share += rank < leftover[group_of]
    for index in np.flatnonzero(np.bincount(group_of[~ok], minlength=n_groups)).tolist():
        lo, hi = int(starts_array[index]), int(starts_array[index + 1])
        share[lo:hi] = allocate(int(group_totals[index]), [int(w) for w in flat[lo:hi]])
    return share
