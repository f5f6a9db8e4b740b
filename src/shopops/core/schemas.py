"""Schemas shared by every app's API."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class ErrorItem(Schema):
    field: str
    message: str
    row: int | None = None


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


MAX_DB_ID = 2**63 - 1  # a larger id cannot exist and would overflow the database driver


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PageParams(Schema):
    """limit/offset paging shared by every list endpoint (bounded, so no query can overflow)."""

    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000_000)
