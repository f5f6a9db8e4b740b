"""A reviews file's import (``target="reviews"``): read → convert → check every row → one
``service.services.reviews_upsert`` in one transaction (created or updated by channel and order number).

All or nothing: a bad cell or a row the service refuses rejects the file, each problem named by row and column;
nothing is written. The reviews go to the channel of the import's account (the format's channel without one).
Then each bad review of the file's period without a ticket gets its 差评 ticket (``service.services.review_tickets``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from shopops.core.clock import local_date
from shopops.core.errors import FieldError, InvalidInput
from shopops.imports.columns import RowView
from shopops.imports.formats.base import Format
from shopops.imports.formats.review_formats import (
    BUYER_COLUMN,
    ORDER_COLUMN,
    SCORE_COLUMNS,
    TEXT_COLUMN,
    TIME_COLUMN,
)
from shopops.imports.models import ImportJob
from shopops.imports.order_import import read_groups
from shopops.imports.outcome import Outcome, Tally
from shopops.service.services import ReviewRow, reviews_upsert
from shopops.service.services.review_tickets import bad_review_tickets_open

_COLUMN_OF = {"order_no": ORDER_COLUMN, "buyer": BUYER_COLUMN, "reviewed_at": TIME_COLUMN, **SCORE_COLUMNS}


def _score(record: RowView, name: str) -> int | None:
    value = record.get(SCORE_COLUMNS[name])
    return value if isinstance(value, int) else None


def _text(record: RowView, column: str) -> str:
    value = record.get(column)
    return "" if value is None else str(value).strip()


def run_reviews(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    """Create or update the file's reviews (a dry run only checks them and counts what would change)."""
    tally = Tally()
    groups = read_groups(job.file_path, fmt.columns, ORDER_COLUMN, tally, job.shop.timezone,
                         progress=lambda f: progress(0.4 * f, "read"))
    tally.rows = sum(len(rows) for rows in groups.values())
    progress(0.5, "check")
    if tally.errors:
        return _rejected(tally.rows, tally.errors)
    rows = []
    for group in groups.values():
        for record in group:
            at, row = record.get(TIME_COLUMN), record.get("_row")
            rows.append(ReviewRow(
                order_no=_text(record, ORDER_COLUMN), buyer=_text(record, BUYER_COLUMN),
                reviewed_at=at if isinstance(at, dt.datetime) else None, description=_score(record, "description"),
                service=_score(record, "service"), logistics=_score(record, "logistics"),
                text=_text(record, TEXT_COLUMN), row=row if isinstance(row, int) else 0))
    account = job.channel_account
    channel = account.channel if account is not None else fmt.channel
    try:
        result = reviews_upsert(shop=job.shop, channel=channel,
                                rows=rows, dry_run=bool(job.options.get("dry_run")))
    except InvalidInput as exc:
        return _rejected(tally.rows, [FieldError(_COLUMN_OF.get(e.field, e.field), e.message, e.row)
                                      for e in exc.errors])
    tickets = 0
    if not job.options.get("dry_run") and rows:
        first = min(local_date(r.reviewed_at, job.shop.timezone) for r in rows if r.reviewed_at is not None)
        tickets = bad_review_tickets_open(shop=job.shop, since=first, channel=channel, actor=job.created_by)
    return Outcome(rows=tally.rows, inserted=result.inserted, updated=result.updated, unchanged=result.unchanged,
                   changes={"bad_review_tickets": tickets})


def _rejected(rows: int, errors: list[FieldError]) -> Outcome:
    return Outcome(rows=rows, rejected=len({e.row for e in errors if e.row}) or rows, errors=errors,
                   errors_total=len(errors), rejected_file=True)
