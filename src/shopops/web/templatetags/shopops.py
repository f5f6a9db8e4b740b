"""Display filters: money from fen, percentages, changes. Everything goes through Django's escaping."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from shopops.core.money import fen_to_decimal

register = template.Library()


def _yuan_text(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def fen(value: int | None) -> str:
    """12345 → ¥123.45"""
    if value is None or value == "":
        return "—"
    return _yuan_text(fen_to_decimal(int(value)))


@register.filter
def yuan(value: Decimal | None) -> str:
    if value is None or value == "":
        return "—"
    return _yuan_text(Decimal(value))


@register.filter
def pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def pct_change(value: float | None) -> str:
    if value is None:
        return mark_safe('<span class="flat">—</span>')  # a constant: nothing to escape
    css = "up" if value > 0 else ("down" if value < 0 else "flat")
    arrow = "▲" if value > 0 else ("▼" if value < 0 else "")
    return format_html('<span class="{}">{}{}</span>', css, arrow, f"{abs(value) * 100:.1f}%")


@register.filter
def get(mapping: dict, key: str) -> object:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
