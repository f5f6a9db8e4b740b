"""Pure analytics maths: the exact GMV = UV × CVR × AOV decomposition.

GMV = UV × CVR × AOV (docs/rules/metrics.md#gmv-identity: 支付金额 = 访客数 × 支付转化率 × 客单价).
An operator asks "GMV fell ¥12,000: how much because fewer visitors came, how much because fewer bought,
how much because baskets were smaller?". Log-based splits (LMDI) fail on zeros and one-at-a-time
substitution depends on the order of the factors, so we use the Shapley split of the product (each
factor's change averaged over all six orders in which the three changes can be applied): it is symmetric,
defined for zeros and its parts add up to the change exactly. Parts are in fen, rounded by largest
remainder so that they still add up to the change to the fen.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from shopops.core.money import remainder_order

FACTORS = ("uv", "cvr", "aov")

# Business days the analytics accept: wide enough for any shop's history, narrow enough that baselines and
# comparison periods (a year and more back) never leave the calendar (dt.date.min - 1 day overflows).
FIRST_DAY = dt.date(1970, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def day_in_range(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


@dataclass(frozen=True)
class Period:
    """One period's totals: visitors (UV 访客数), buyers (支付买家数) and GMV (支付金额) in fen."""

    uv: int
    buyers: int
    gmv_fen: int

    def ratios(self) -> tuple[Fraction | None, Fraction | None]:
        """(CVR 支付转化率 = buyers/uv, AOV 客单价 = gmv/buyers); None where the denominator is zero."""
        cvr = Fraction(self.buyers, self.uv) if self.uv else None
        aov = Fraction(self.gmv_fen, self.buyers) if self.buyers else None
        return cvr, aov


@dataclass(frozen=True)
class Decomposition:
    change_fen: int
    parts_fen: dict[str, int]  # uv / cvr / aov → fen; they add up to change_fen exactly
    exact_parts: dict[str, Fraction]
    consistent: bool  # False when GMV ≠ UV × CVR × AOV (e.g. GMV recorded with no visitors)


def _factors(period: Period, other: Period) -> tuple[Fraction, Fraction, Fraction]:
    """UV, CVR, AOV of ``period``; an undefined ratio takes ``other``'s value (or 0).

    A period with no visitors has GMV 0 whatever CVR and AOV are, so borrowing the other period's ratio keeps
    UV × CVR × AOV = GMV and attributes the whole change to UV, which is what happened.
    """
    cvr, aov = period.ratios()
    other_cvr, other_aov = other.ratios()
    cvr = cvr if cvr is not None else (other_cvr if other_cvr is not None else Fraction(0))
    aov = aov if aov is not None else (other_aov if other_aov is not None else Fraction(0))
    return Fraction(period.uv), cvr, aov


def shapley_parts(before: tuple[Fraction, ...], after: tuple[Fraction, ...]) -> list[Fraction]:
    """Shapley split of Π(after) − Π(before) over the factors (each factor's average marginal effect)."""
    n = len(before)
    parts = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        total = Fraction(0)
        # Each subset S of the other factors already changed: weight |S|!(n-|S|-1)!/n!.
        for mask in range(1 << len(others)):
            changed = {others[k] for k in range(len(others)) if mask >> k & 1}
            weight = Fraction(math.factorial(len(changed)) * math.factorial(n - len(changed) - 1),
                              math.factorial(n))
            product = Fraction(1)
            for j in others:
                product *= after[j] if j in changed else before[j]
            total += weight * product * (after[i] - before[i])
        parts.append(total)
    return parts


def round_parts(parts: list[Fraction], total: int) -> list[int]:
    """Round exact parts to integers that add up to ``total``: floors, then the spare units one each in
    ``core.money.remainder_order`` of the fractional parts (the largest-remainder rule of ``allocate``).

    Not ``allocate`` itself: the parts are given, signed and exact (a Shapley part may be negative), not
    shares of ``total`` by non-negative weights, and inconsistent periods make them miss ``total`` by more than
    a unit each; a negative leftover takes units back from the smallest fractional parts.
    """
    floors = [math.floor(p) for p in parts]
    if not parts:
        return floors
    leftover = total - sum(floors)
    # Exact parts that add up to ``total`` leave fewer than len(parts) fen; more (inconsistent input) is
    # spread evenly first, so the loop below never runs more than len(parts) times.
    even, leftover = divmod(leftover, len(parts)) if leftover >= 0 else (-((-leftover) // len(parts)),
                                                                          -((-leftover) % len(parts)))
    floors = [f + even for f in floors]
    order = remainder_order([p - math.floor(p) for p in parts])
    if leftover < 0:
        order = list(reversed(order))
    step = 1 if leftover > 0 else -1
    for index in order[:abs(leftover)]:
        floors[index] += step
    return floors


def decompose_gmv(before: Period, after: Period) -> Decomposition:
    """Split ``after.gmv_fen - before.gmv_fen`` into the parts due to UV, CVR and AOV."""
    f0 = _factors(before, after)
    f1 = _factors(after, before)
    exact = shapley_parts(f0, f1)
    change = after.gmv_fen - before.gmv_fen
    consistent = f0[0] * f0[1] * f0[2] == before.gmv_fen and f1[0] * f1[1] * f1[2] == after.gmv_fen
    return Decomposition(
        change_fen=change,
        parts_fen=dict(zip(FACTORS, round_parts(exact, change), strict=True)),
        exact_parts=dict(zip(FACTORS, exact, strict=True)),
        consistent=consistent,
    )
