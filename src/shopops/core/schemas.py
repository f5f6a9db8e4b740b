"""Schemas shared by every app's API."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field


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


MoneyText = Annotated[str, BeforeValidator(_money_must_be_text)]

MAX_DB_ID = 2**63 - 1  # a larger id cannot exist and would overflow the database driver


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PageParams(Schema):
    """limit/offset paging shared by every list endpoint (bounded, so no query can overflow)."""

    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000_000)
