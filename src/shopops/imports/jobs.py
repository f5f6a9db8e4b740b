"""Import jobs: a request checked and recorded, then run (by a worker or at once) and summarised.

One pipeline behind the CLI, the API and the web page (``order_import`` then ``order_writer`` for orders,
``lake_import`` for lake-side exports). Nothing is written before the whole file has been validated; a
rejected file, a dry run or a crash leaves the previous state (the transaction rolls back, the lake commit
never happens). A job records which process runs it and beats a heartbeat meanwhile (``liveness``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import translation
from django.utils.translation import gettext as _

from shopops.channels import services as channel_services
from shopops.core.clock import now
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.i18n import say
from shopops.core.models import Shop
from shopops.core.tuning import no_cyclic_gc
from shopops.imports.catalog_import import run_catalog
from shopops.imports.chat_import import run_chats
from shopops.imports.filetypes import ReadError
from shopops.imports.formats import FORMATS
from shopops.imports.formats.base import Format
from shopops.imports.import_account import account_named, format_account
from shopops.imports.lake_import import import_lake_file
from shopops.imports.liveness import heartbeat, runner_identity
from shopops.imports.models import ImportJob
from shopops.imports.order_import import run_orders
from shopops.imports.outcome import IMPORT_ERRORS_KEPT, Outcome
from shopops.imports.progress import progress_writer
from shopops.imports.returns_import import run_returns
from shopops.imports.reviews_import import run_reviews
from shopops.imports.stock_count_import import run_stock_count
from shopops.imports.uploads import upload_remove

if TYPE_CHECKING:
    from shopops.channels.models import ChannelAccount

IMPORT_ERRORS_SHOWN = 100  # listed in the summary (the CLI/API contract)

def _language() -> str:
    return translation.get_language() or "zh-hans"



def import_changed_data(job: ImportJob) -> bool:
    """Whether a finished job changed the shop's data (then the analytics panels are computed again at once)."""
    return (job.status == ImportJob.Status.DONE and not job.options.get("dry_run")
            and bool(job.inserted or job.updated))


def import_summary(job: ImportJob) -> dict[str, object]:
    """The summary JSON of the contract: job, format, file, rows, inserted, updated, unchanged, rejected,
    errors [{row, column, message}] (first 100), seconds; plus status, skipped, dry_run, channel_account, and
    for order imports ``changes`` (orders, lines, refunds, customers created/updated/unchanged, the fields the
    updated orders changed: ``order_changes``) and ``unmatched_lines`` (order lines imported without a SKU,
    docs/rules/sku-matching.md#unmatched-lines). ``inserted``/``updated``/``unchanged`` count the file's rows."""
    return {
        "job": job.pk, "format": job.format, "file": job.file_name, "status": job.status,
        "channel_account": job.channel_account.name if job.channel_account_id else None,
        "dry_run": bool(job.options.get("dry_run")), "rows": job.rows, "inserted": job.inserted,
        "updated": job.updated, "unchanged": job.unchanged, "rejected": job.rejected,
        "skipped": int(job.options.get("skipped", 0)), "errors": job.errors[:IMPORT_ERRORS_SHOWN],
        "errors_total": int(job.options.get("errors_total", len(job.errors))), "seconds": round(job.seconds, 3),
        "changes": job.options.get("changes", {}),
        "unmatched_lines": int(job.options.get("unmatched_lines", 0)),
    }


def import_request_check(*, shop: Shop, format_name: str, channel_account: str | None,
                          with_items: bool) -> tuple[Format, ChannelAccount]:
    """The request's format, item file and channel account, checked before anything is stored."""
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise InvalidInput(_("Unknown format %(name)s.") % {"name": format_name}, [FieldError(
            "format", _("Choose one of: %(names)s.") % {"names": ", ".join(sorted(FORMATS))})])
    if with_items and not fmt.item_columns:
        raise InvalidInput(_("The format %(name)s has no item file.") % {"name": format_name},
                           [FieldError("items", _("Only taobao-orders takes an item file."))])
    if channel_account:
        account = account_named(shop=shop, name=channel_account)
    else:
        account = format_account(shop=shop, fmt=fmt)
        if account is None:
            account = channel_services.channel_account_ensure(shop=shop, channel=fmt.channel, name=f"{shop.name[:60]}·{fmt.channel}")
    return fmt, account


def import_job_create(*, shop: Shop, format_name: str, path: str, file_name: str = "",
                      channel_account: str | None = None, items_path: str | None = None,
                      skip_invalid: bool = False, dry_run: bool = False, options: dict[str, str] | None = None,
                      actor: AbstractBaseUser | None = None) -> ImportJob:
    """Check the request (format, account, options) and record a queued job; the work is import_job_run."""
    fmt, account = import_request_check(shop=shop, format_name=format_name, channel_account=channel_account,
                                         with_items=bool(items_path))
    return ImportJob.objects.create(
        shop=shop, format=fmt.name, channel_account=account, file_name=(file_name or Path(path).name)[:255],
        file_path=str(path), created_by=actor if actor is not None and actor.is_authenticated else None,
        options={"skip_invalid": skip_invalid, "dry_run": dry_run, "items_path": items_path or "",
                 "language": _language(), **(options or {})},
    )


def import_job_run(*, job_id: int) -> ImportJob:
    """Do the import of a queued job and record its summary. Data problems end as a rejected job (never an
    exception); an unexpected failure marks the job failed and re-raises. The job records which process runs
    it and beats a heartbeat meanwhile (see import_jobs_settle_dead); the upload of a rejected or failed job
    is removed at once."""
    job = ImportJob.objects.select_related("shop", "channel_account").get(pk=job_id)
    job.runner, job.started_at = runner_identity(), now()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, runner=job.runner,
                                               started_at=job.started_at)
    started = time.perf_counter()
    progress = progress_writer(job)
    language = str(job.options.get("language") or "zh-hans")
    with heartbeat(job.pk):
        try:
            with translation.override(language):
                outcome = _run(job, FORMATS[job.format], progress)
        except ReadError as exc:
            file_error = FieldError("file", exc.text)
            outcome = Outcome(rejected_file=True, errors=[file_error, *exc.errors] if exc.errors else [file_error])
        except BaseException:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, finished_at=now(),
                                                       seconds=time.perf_counter() - started)
            progress(1.0, "failed")
            upload_remove(job)
            raise
    job.rows, job.inserted, job.updated, job.unchanged = outcome.rows, outcome.inserted, outcome.updated, outcome.unchanged
    job.rejected = outcome.rejected
    with translation.override(language):  # the pure readers' messages are English Texts: said here
        job.errors = [{"row": e.row, "column": e.field, "message": say(e.message)}
                      for e in sorted(outcome.errors, key=lambda e: (e.row or 0))][:IMPORT_ERRORS_KEPT]
    job.options = {**job.options, "skipped": outcome.skipped, "errors_total": outcome.errors_total or len(job.errors),
                   **({"changes": outcome.changes} if outcome.changes else {}),
                   **({"unmatched_lines": outcome.unmatched_lines} if outcome.unmatched_lines else {})}
    job.status = ImportJob.Status.REJECTED if outcome.rejected_file else ImportJob.Status.DONE
    job.seconds = time.perf_counter() - started
    job.finished_at = now()
    job.progress = 1.0
    job.save(update_fields=["rows", "inserted", "updated", "unchanged", "rejected", "errors", "options", "status",
                            "seconds", "finished_at", "progress"])
    progress(1.0, job.status)
    if job.status == ImportJob.Status.REJECTED:
        upload_remove(job)
    return job



def _run(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    if fmt.target == "lake":
        return _run_lake(job, fmt, progress)
    if fmt.target == "stock":
        return run_stock_count(job, fmt, progress)
    if fmt.target == "catalog":
        return run_catalog(job, fmt, progress)
    if fmt.target == "chats":
        return run_chats(job, fmt, progress)
    if fmt.target == "reviews":
        return run_reviews(job, fmt, progress)
    if fmt.target == "returns":
        return run_returns(job, fmt, progress)
    with no_cyclic_gc():
        return run_orders(job, fmt, progress)



def _run_lake(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    account = job.channel_account
    result = import_lake_file(
        shop_id=job.shop_id, fmt=fmt, path=job.file_path, channel_account_id=account.pk if account else None,
        channel=account.channel if account else fmt.channel, skip_invalid=bool(job.options.get("skip_invalid")),
        dry_run=bool(job.options.get("dry_run")),
        options={"tz": job.shop.timezone, **{k: str(v) for k, v in job.options.items() if v not in ("", None)
                                              and k not in ("skip_invalid", "dry_run", "language", "items_path", "strict_skus")}},
        progress=lambda f: progress(f, "lake"))
    rejected_file = bool(result.errors) and not job.options.get("skip_invalid")
    return Outcome(rows=result.rows, inserted=result.inserted, updated=result.updated, unchanged=result.unchanged,
                    rejected=result.rejected, skipped=result.skipped, errors=list(result.errors),
                    rejected_file=rejected_file)

