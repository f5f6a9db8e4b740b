"""Display filters: money from fen, percentages, changes. Everything goes through Django's escaping.

A value that is missing or not a number (a page that could not compute it: Django renders an unknown
variable as "") shows as a dash; a display filter never raises.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from shopops.core.money import format_yuan, format_yuan_fen

register = template.Library()

# The one pair of classes a change is coloured with (app.css maps them to --rise/--fall, which the user's colour
# rule sets: red up by default). Direction only: a rising cost is "rise" too.
RISE, FALL, FLAT = "rise", "fall", "flat"


def _number(value: object) -> float | None:
    """A finite rate as a float, or None for None, "", text and NaN/infinity."""
    if value is None or isinstance(value, bool | str):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() else None


@register.filter
def fen(value: int | None) -> str:
    """12345 → ¥123.45"""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return format_yuan_fen(int(amount))


@register.filter
def yuan(value: Decimal | None) -> str:
    amount = _decimal(value)
    return "—" if amount is None else format_yuan(amount)


@register.filter
def pct(value: float | None) -> str:
    number = _number(value)
    if number is None:
        return "—"
    return f"{number * 100:.1f}%"


@register.filter
def pct_change(value: float | None) -> str:
    value = _number(value)
    if value is None:
        return mark_safe(f'<span class="{FLAT}">—</span>')  # a constant: nothing to escape
    css = RISE if value > 0 else (FALL if value < 0 else FLAT)
    arrow = "▲" if value > 0 else ("▼" if value < 0 else "")
    return format_html('<span class="{}">{}{}</span>', css, arrow, f"{abs(value) * 100:.1f}%")


@register.filter
def get(mapping: dict, key: str) -> object:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
