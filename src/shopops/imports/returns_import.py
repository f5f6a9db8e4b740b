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
from shopops.core.text import gettext_noop
from shopops.imports.columns import ColumnConverter, resolve_columns
from shopops.imports.filetypes import ReadError
from shopops.imports.formats.base import Format, RowProblem, Skip
from shopops.imports.formats.returns_formats import ReturnsFormat
from shopops.imports.models import ImportJob
from shopops.imports.outcome import Outcome, Tally
from shopops.imports.readers import read_table
from shopops.service import services as service_services


def _read(job: ImportJob, fmt: ReturnsFormat, tally: Tally) -> list[service_services.ImportedReturn]:
    out: list[service_services.ImportedReturn] = []
    with read_table(job.file_path) as stream:
        resolution = resolve_columns(stream.headers, fmt.columns)
        if resolution.errors:
            raise ReadError(gettext_noop("the file lacks required columns; nothing was imported"),
                            list(resolution.errors))
        converter = ColumnConverter(fmt.columns, resolution, tz=job.shop.timezone)
        for batch in stream:
            converted = converter.convert(batch)
            tally.rows += len(converted.row_numbers)
            for error in converted.errors:
                tally.error(error)
            for record in converted.records():
                try:
                    out.append(service_services.ImportedReturn(**fmt.draft(record)))  # type: ignore[arg-type]
                except Skip:
                    tally.skipped += 1
                except RowProblem as problem:
                    tally.error(FieldError(problem.column, problem.text, problem.row))
    return out


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
