"""Pure rules of the core: the API token format, the rule for seller codes, and the bounds of money and
quantities that every face enforces."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from shopops.core.money import MoneyError, format_fen, parse_fen

TOKEN_PREFIX = "sho_"


def hash_token(token: str) -> str:
    """SHA-256 of a high-entropy token: enough for lookup, useless to someone who reads the database."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX) and 20 < len(token) < 200


# ---------------------------------------------------------------- codes (商家编码) of SKUs, products, categories

MAX_CODE = 64
CODE_PUNCTUATION = "-_."
# The same rule as a regular expression, for JSON Schema (OpenAPI, API fuzzing) and HTML forms. Python's
# ``\w`` is exactly ``str.isalnum()`` plus ``_``, so CODE_PATTERN and code_problem agree (a test checks it).
CODE_PATTERN = r"^[^\W_][\w.-]*$"
CODE_HTML_PATTERN = r"[\p{L}\p{N}][\p{L}\p{N}._\-]*"  # browsers compile it with the v (Unicode sets) flag


class CodeProblem(NamedTuple):
    """Why a code is refused: ``kind`` is required | too_long | bad_start | bad_char; ``char`` the culprit."""

    kind: str
    char: str = ""


def code_problem(value: object, *, max_length: int = MAX_CODE) -> CodeProblem | None:
    """The one rule for seller codes (SKU 商家编码, SPU/款号, category codes): None when ``value`` is fine.

    Letters of any script (CJK included) and digits, plus ``-``, ``_`` and ``.``; it starts with a letter or
    digit (so it is never ``.``/``..`` in a URL nor read as a ``--option``); 1..``max_length`` characters.
    Everything else is refused: whitespace (exports and copy-paste trim it, so ``"A1 "`` would silently
    become another code), ``/ \\ ? # % & +`` (they mean something in paths, URLs and file names) and control or
    invisible characters. Real platform codes (``SCSK1-01``, ``6901234567890``, ``T恤-白-XL``) all pass.
    """
    if not isinstance(value, str) or not value:
        return CodeProblem("required")
    if len(value) > max_length:
        return CodeProblem("too_long")
    if not value[0].isalnum():
        return CodeProblem("bad_start", value[0])
    for char in value:
        if not (char.isalnum() or char in CODE_PUNCTUATION):
            return CodeProblem("bad_char", char)
    return None


def describe_char(char: str) -> str:
    """A refused character as people can read it in a message: ``/`` as is, a space or control as U+0020."""
    if char.isprintable() and not char.isspace():
        return char
    return f"U+{ord(char):04X}"


# ---------------------------------------------------------------- bounds of what one shop can have
#
# One home for the limits every face (API, web, CLI, imports) enforces, so they agree. Each is far above
# real trade and far below where sums overflow a BIGINT of fen: the largest cart, MAX_CART_LINES lines of
# MAX_LINE_QTY units at MAX_AMOUNT_FEN, is 5·10^17 fen < 2^63.

MAX_AMOUNT_FEN = 10_000_000_000  # ¥100,000,000.00 (一亿): any single price, cost, threshold or discount
MAX_LINE_QTY = 99_999  # units on one cart or order line (platform carts allow far fewer)
MAX_CART_LINES = 500  # lines in one cart or quote
MAX_STOCK_QTY = 10_000_000  # units in one stock move, reservation or flash-sale pool
_MAX_YUAN = Decimal(MAX_AMOUNT_FEN).scaleb(-2)


class AmountTooLarge(MoneyError):
    """An amount above MAX_AMOUNT_FEN: a typo or an attack, never a real price."""


def parse_amount(value: str | Decimal | int) -> int:
    """``parse_fen`` for amounts a user enters (non-negative), refusing more than MAX_AMOUNT_FEN.

    A number too large even for ``parse_fen`` (``"1e20"``, 10^13 yuan) is AmountTooLarge as well, so the user
    learns the limit rather than "not an amount".
    """
    try:
        fen = parse_fen(value)
    except MoneyError:
        if _beyond_bound(value):
            raise AmountTooLarge(f"at most {format_fen(MAX_AMOUNT_FEN)}: {value!r}") from None
        raise
    if fen > MAX_AMOUNT_FEN:
        raise AmountTooLarge(f"at most {format_fen(MAX_AMOUNT_FEN)}: {value!r}")
    return fen


def _beyond_bound(value: object) -> bool:
    if isinstance(value, str):
        try:
            amount = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return False
    elif isinstance(value, Decimal | int) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        return False
    return amount.is_finite() and amount > _MAX_YUAN  # a comparison: no context, no overflow


_FORMULA_START = frozenset("=+-@")
_PLAIN_NUMBER = re.compile(r"[+-]?[¥￥$]?(?:\d{1,3}(?:,\d{2,3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def neutralize_formula(text: str) -> str:
    """Prefix ``'`` to a text that a spreadsheet would evaluate; a plain number is left alone.

    The one formula rule (CSV/formula injection, OWASP): imported texts pass through it, and every writer of
    xlsx or CSV cells (list exports, campaign reports, stock-sync files) applies it to each text cell.

    Rule: a text whose first non-blank character is ``= + - @`` is a formula unless the whole
    (stripped) text is one plain number. Strict on purpose: guessing which formulas are "harmless"
    is how DDE payloads like ``-2+3+cmd|' /C calc'!A0`` get through.
    """
    stripped = text.lstrip()
    if not stripped or stripped[0] not in _FORMULA_START:
        return text
    if _PLAIN_NUMBER.fullmatch(stripped.rstrip()):
        return text
    return "'" + text


# <a id="color-rule"></a> The colour of a change says its direction, not whether it is good: a rising refund
# rate is "up" too (docs/user-guide.en.md#color-rule). Chinese platforms show up in red and down in green
# (red_up, the default); a user may switch to green up. app.css holds the same two colours (--red, --green).
RED, GREEN = "#cf1322", "#389e0d"
RED_UP, GREEN_UP = "red_up", "green_up"
COLOR_RULES = (RED_UP, GREEN_UP)
DEFAULT_COLOR_RULE = RED_UP


def rise_fall_colors(rule: str) -> tuple[str, str]:
    """(colour of a rise, colour of a fall) under ``rule``; an unknown rule reads as the default."""
    return (GREEN, RED) if rule == GREEN_UP else (RED, GREEN)
