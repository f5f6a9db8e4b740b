"""What an import counts while it runs (rows by outcome, the first problems) and what it ends with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from shopops.core.errors import FieldError

IMPORT_ERRORS_KEPT = 1000  # stored on the job, for the xlsx of errors


class Tally:
    """Rows by outcome, and the first problems found (sorted by row when reported)."""

    def __init__(self) -> None:
        self.rows = 0
        self.bad_rows: set[int] = set()
        self.skipped = 0
        self.errors: list[FieldError] = []

    def error(self, error: FieldError, rows: Iterable[int] = ()) -> None:
        if len(self.errors) < IMPORT_ERRORS_KEPT:
            self.errors.append(error)
        self.bad_rows.update(rows or ([error.row] if error.row else []))


@dataclass
class Outcome:
    """An import's counts and problems, recorded on its job."""

    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    errors: list[FieldError] = field(default_factory=list)
    errors_total: int = 0
    rejected_file: bool = False
    unmatched_lines: int = 0  # order lines imported without a SKU (docs/rules/sku-matching.md#unmatched-lines)
    # orders, lines, refunds and customers created / updated / unchanged, the fields updated orders changed
    # (order imports: order_changes.Changes.as_dict); empty for lake imports
    changes: dict[str, object] = field(default_factory=dict)


def rejected_file(rows: int, errors: list[FieldError]) -> Outcome:
    """An all-or-nothing import refused: every row rejected, nothing written."""
    return Outcome(rows=rows, rejected=rows, errors=errors, errors_total=len(errors), rejected_file=True)


class DryRunRollback(Exception):
    """Undo the transaction of a dry run, keeping what it would have done (``result``)."""

    def __init__(self, result: object) -> None:
        super().__init__()
        self.result = result
