"""Errors that every face (web, API, CLI) turns into the same clear message.

Pure Python on purpose: domain modules raise these too. Messages are already in the user's language
(services translate them with gettext before raising).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field; ``row`` is set for file imports."""

    field: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"field": self.field, "message": self.message}
        if self.row is not None:
            data["row"] = self.row
        return data


class ShopOpsError(Exception):
    """Base of the errors a user can act on. ``exit_code``/``http_status`` map it on the CLI and API."""

    http_status = 400
    exit_code = 1

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])


class InvalidInput(ShopOpsError):
    """Input that breaks a rule; nothing was written."""

    http_status = 422
    exit_code = 2


class Conflict(ShopOpsError):
    """The input clashes with what is stored (a duplicate code, a stale version)."""

    http_status = 409
    exit_code = 2


class NotFound(ShopOpsError):
    http_status = 404
    exit_code = 2


@dataclass
class ErrorCollector:
    """Collects field errors and raises them together, so the user sees every problem at once."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str, row: int | None = None) -> None:
        self.errors.append(FieldError(field_name, message, row))

    def raise_if_any(self, detail: str) -> None:
        if self.errors:
            raise InvalidInput(detail, self.errors)
