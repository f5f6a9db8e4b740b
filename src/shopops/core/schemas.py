"""Schemas shared by every app's API."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from shopops.core.domain import (
    CODE_PATTERN,
    MAX_AMOUNT_FEN,
    MAX_CODE,
    AmountTooLarge,
    CodeProblem,
    code_problem,
    describe_char,
    parse_amount,
)
from shopops.core.money import MoneyError, format_fen


class ErrorItem(Schema):
    field: str
    message: str
    row: int | None = None


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


def _money_must_be_text(value: object) -> object:
    """JSON numbers are binary floats: money must arrive as text ("129.00") and is parsed exactly later."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError('send money as a string with two decimals, e.g. "129.00"')
    return value


def amount_too_large_message() -> str:
    return _("Too large: at most %(max)s.") % {"max": format_fen(MAX_AMOUNT_FEN)}


def _money_within_bounds(value: str) -> str:
    """Refuse amounts no shop has (``core.domain.MAX_AMOUNT_FEN``); other bad text is left to the service,
    which names every problem of the request at once."""
    try:
        parse_amount(value)
    except AmountTooLarge:
        raise PydanticCustomError("amount_too_large", amount_too_large_message()) from None
    except MoneyError:
        pass
    return value


MoneyText = Annotated[str, BeforeValidator(_money_must_be_text), AfterValidator(_money_within_bounds)]


def code_message(problem: CodeProblem, *, max_length: int = MAX_CODE) -> str:
    """Why a code (SKU, SPU, category, pool) is refused, in the user's language."""
    if problem.kind == "required":
        return _("This field is required.")
    if problem.kind == "too_long":
        return _("At most %(n)s characters.") % {"n": max_length}
    char = describe_char(problem.char)
    if problem.kind == "bad_start":
        return _("A code starts with a letter or digit, not “%(char)s”.") % {"char": char}
    return _("Use only letters, digits, “-”, “_” and “.” in a code; “%(char)s” is not allowed.") % {"char": char}


def code_text(max_length: int = MAX_CODE, description: str = "") -> Any:
    """A str field holding a new code, checked by the one rule (``core.domain.code_problem``)."""

    def check(value: str) -> str:
        problem = code_problem(value, max_length=max_length)
        if problem is not None:
            raise PydanticCustomError("code", code_message(problem, max_length=max_length))
        return value

    rule = (f"1 to {max_length} letters (any script) or digits, plus - _ . after the first; "
            "no spaces, no / \\ ? # %")
    return Annotated[str, AfterValidator(check), Field(
        description=f"{description} ({rule})" if description else rule,
        json_schema_extra={"minLength": 1, "maxLength": max_length, "pattern": CODE_PATTERN})]


CodeText = code_text()

MAX_DB_ID = 2**63 - 1  # a larger id cannot exist and would overflow the database driver


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PageParams(Schema):
    """limit/offset paging shared by every list endpoint (bounded, so no query can overflow)."""

    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000_000)
