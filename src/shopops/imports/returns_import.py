"""An after-sale export's import (``target="returns"``): read → convert → each row a return
(``formats/returns_formats.py``) → ``service.services.returns_import``, which checks every row and writes the
good ones in one transaction (docs/formats.md#returns).

Without ``--skip-invalid`` one bad row (a bad cell, an unknown status, an order not imported, too many units, a
refund above what the line paid) rejects the file and nothing is written; with it the other rows are imported.
The after-sale number keys each return, so the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from shopops.core.errors import FieldError
from shopops.imports.formats.base import Format, RowProblem, Skip
from shopops.imports.formats.returns_formats import ReturnsFormat
from shopops.imports.models import ImportJob
from shopops.imports.order_import import read_groups
from shopops.imports.outcome import Outcome, Tally
from shopops.service import services as service_services


def _read(job: ImportJob, fmt: ReturnsFormat, tally: Tally) -> list[service_services.ImportedReturn]:
    """The file's rows as returns (the order import's reader, grouped by after-sale number: a number twice is
    a row error of its column already); rows with a bad cell are left out, counted in ``tally``."""
    groups = read_groups(job.file_path, fmt.columns, fmt.column("external_no"), tally, job.shop.timezone)
    out: list[service_services.ImportedReturn] = []
    for rows in groups.values():
        tally.rows += len(rows)
        for view in rows:
            if view["_row"] in tally.bad_rows:
                continue
            try:
                out.append(service_services.ImportedReturn(**fmt.draft(view)))  # type: ignore[arg-type]
            except Skip:
                tally.skipped += 1
            except RowProblem as problem:
                tally.error(FieldError(problem.column, problem.text, problem.row))
    return sorted(out, key=lambda record: record.row)


def run_returns(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    """Create or update the file's returns on the job's channel account."""
    if not isinstance(fmt, ReturnsFormat):
        raise ValueError(f"{fmt.name} is not an after-sale format")
    tally = Tally()
    records = _read(job, fmt, tally)
    progress(0.5, "check")
    skip_invalid = bool(job.options.get("skip_invalid"))
    account = job.channel_account
    if account is None:
        for record in records:
            tally.error(FieldError(fmt.column("order_no"), _("No such order of this channel account: import the "
                                                             "order report first."), record.row))
        records = []
    refused = bool(tally.errors) and not skip_invalid  # the service still checks the rows: every problem at once
    result = service_services.returns_import(
        shop=job.shop, channel_account_id=account.pk if account else 0, channel=account.channel if account else "",
        records=records, skip_invalid=skip_invalid, dry_run=refused or bool(job.options.get("dry_run")),
        actor=job.created_by)
    errors = [*tally.errors, *result.errors]
    rejected = len(tally.bad_rows | result.bad_rows)
    if (refused or result.errors) and not skip_invalid:
        return Outcome(rows=tally.rows, rejected=rejected, errors=errors, rejected_file=True, skipped=tally.skipped)
    return Outcome(rows=tally.rows, inserted=result.inserted, updated=result.updated, unchanged=result.unchanged,
                   rejected=rejected, errors=errors, skipped=tally.skipped)
