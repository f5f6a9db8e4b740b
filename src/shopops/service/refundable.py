"""How much a return may refund (docs/rules/returns.md#refundable-amount). Pure: integer fen, no Django.

A line's paid amount (``OrderLine.paid_fen``: 到手价 × qty after the order-level discounts and coupons were
allocated to the lines by ``core.money.allocate``, docs/rules/pricing.md#allocation-of-order-level-discounts)
is what its units may give back, and never more. Units are priced pro rata in exact fen by cumulative floors:
the first ``k`` units are worth ``⌊paid × k / qty⌋``, so the last unit takes the remainder, any split of the
units adds up to at most ``paid`` and a return of every unit, in any number of steps, refunds exactly ``paid``.
What the line already gave back (refunds of earlier returns, refunds imported with the order, refund-only
payments) is deducted as a ceiling, and so is what the whole order has left (order-level refunds).
"""

from __future__ import annotations

from dataclasses import dataclass


def units_worth_fen(paid_fen: int, qty: int, units: int) -> int:
    """What the first ``units`` of a line of ``qty`` units paid ``paid_fen`` are worth: ⌊paid × units / qty⌋
    (``units == qty`` gives ``paid_fen`` exactly)."""
    if qty <= 0 or not 0 <= units <= qty or paid_fen < 0:
        raise ValueError("units must lie within 0..qty of a line with a positive quantity and paid ≥ 0")
    return paid_fen * units // qty


def share_fen(paid_fen: int, qty: int, units_before: int, units: int) -> int:
    """The pro-rata share of ``units`` units after ``units_before`` units were refunded already: the cumulative
    worth after them minus before them, so consecutive shares telescope to ``paid_fen`` for all units."""
    if units <= 0:
        raise ValueError("a return takes at least one unit")
    return units_worth_fen(paid_fen, qty, units_before + units) - units_worth_fen(paid_fen, qty, units_before)


@dataclass(frozen=True, slots=True)
class LineState:
    """One order line as a refund sees it: its units and paid amount, the units refunded by earlier returns,
    the money already refunded on it (all counted refunds of the line, returns' included) and what its order
    has left to refund (paid − every counted refund of the order, order-level ones included)."""

    qty: int
    paid_fen: int
    units_refunded: int = 0
    refunded_fen: int = 0
    order_left_fen: int | None = None


def refundable_fen(line: LineState, units: int) -> int:
    """The most a return of ``units`` units of ``line`` may refund now: its pro-rata share, capped by what the
    line and its order have left; never negative."""
    share = share_fen(line.paid_fen, line.qty, line.units_refunded, units)
    ceiling = line.paid_fen - line.refunded_fen
    if line.order_left_fen is not None:
        ceiling = min(ceiling, line.order_left_fen)
    return max(0, min(share, ceiling))


def units_left(line: LineState, units_claimed: int) -> int:
    """Units of the line no live return claims yet (``units_claimed``: units of returns not rejected)."""
    return max(0, line.qty - units_claimed)
