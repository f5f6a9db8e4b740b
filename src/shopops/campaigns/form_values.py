"""Values as an operator types them on the campaign plan form: yuan amounts, percentages, lists of codes.

Pure (no Django): the promotion rows (``promotion_rows``) and the cost table (``cost_table``) read their
cells through these, so "¥1,299", "10%" or "１０％" mean the same in every cell. A value that cannot be read
raises ``ValueProblem`` with a ``core.text`` message the face says in the user's language. The JSON faces
(API, CLI) keep their own stricter contract (``campaigns.inputs``, ``pricing.contract``).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from shopops.core.domain import MAX_AMOUNT_FEN, AmountTooLarge, parse_amount
from shopops.core.money import MoneyError, format_fen
from shopops.core.text import Text, gettext_noop

# What separates items typed in one cell: commas, semicolons and 、 (ASCII or full width), line breaks;
# between codes (which hold no spaces) spaces too.
SEPARATORS = re.compile(r"[,;、\n\r]+")
CODE_SEPARATORS = re.compile(r"[,;、\s]+")
_CURRENCY = re.compile(r"^¥|元$")  # after NFKC: the full-width ￥ is ¥
_DECIMALS = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


class ValueProblem(ValueError):
    """A cell that cannot be read; ``message`` says why (a ``core.text`` message)."""

    def __init__(self, message: Text) -> None:
        super().__init__(message)
        self.message = message


def clean(text: object) -> str:
    """The cell's text with full-width characters folded (NFKC: "１０％" → "10%", "，" → ",") and no
    spaces inside ("8.5 折" → "8.5折"); anything that is not text is blank."""
    if not isinstance(text, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", text).split())


def items(text: object, *, codes: bool = False) -> list[str]:
    """The items typed in one cell ("满300减30，满400减50" or one a line), each ``clean``, blanks dropped;
    with ``codes`` spaces separate too ("A1 A2")."""
    normal = unicodedata.normalize("NFKC", text) if isinstance(text, str) else ""
    parts = (CODE_SEPARATORS if codes else SEPARATORS).split(normal)
    return [item for item in (clean(part) for part in parts) if item]


def decimal(text: str) -> Decimal | None:
    """A plain decimal number ("8.5", "-5", ".5"), or None: no exponents, no thousands separators."""
    if not _DECIMALS.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        return None


# --- money --------------------------------------------------------------------------------------------------


def parse_money(text: object) -> int:
    """Yuan typed as "129", "129.90", "¥1,299" or "30元", as fen; at most two decimals, not negative."""
    value = _CURRENCY.sub("", clean(text))
    try:
        return parse_amount(value)
    except AmountTooLarge:
        raise ValueProblem(gettext_noop("at most %(max)s yuan", max=format_fen(MAX_AMOUNT_FEN))) from None
    except MoneyError:
        raise ValueProblem(gettext_noop("expected an amount in yuan like 129 or 129.90")) from None


def show_money(fen: int) -> str:
    """Fen as the form shows yuan: "300" for whole yuan, "299.50" otherwise (no separators: it is re-read)."""
    text = format_fen(fen)
    return text.removesuffix(".00")


# --- percentages --------------------------------------------------------------------------------------------


def parse_percent_bp(text: object, *, low: int, high: int) -> int:
    """A percentage typed as "10%" or "10" (the % is optional), as basis points within ``low``..``high``
    (basis points too); at most two decimals ("0.65%")."""
    value = decimal(clean(text).removesuffix("%"))
    if value is None:
        raise ValueProblem(gettext_noop("expected a percentage like %(example)s", example="10%"))
    bp = value * 100
    if bp != bp.to_integral_value():
        raise ValueProblem(gettext_noop("at most two decimals in a percentage, like %(example)s", example="0.65%"))
    if not low <= bp <= high:
        raise ValueProblem(gettext_noop("expected a percentage from %(low)s to %(high)s",
                                        low=show_percent(low), high=show_percent(high)))
    return int(bp)


def show_percent(bp: int) -> str:
    """Basis points as the form shows them: 1000 → "10%", 65 → "0.65%", -500 → "-5%"."""
    return f"{(Decimal(bp) / 100).normalize():f}%"


def parse_count(text: object, *, high: int) -> int:
    """A whole number from 1 to ``high``."""
    value = clean(text)
    if not (value.isascii() and value.isdecimal()) or not 1 <= int(value) <= high:
        raise ValueProblem(gettext_noop("expected a whole number from 1 to %(max)s", max=high))
    return int(value)
