"""/api/v1/imports: upload an export (202 + job id), then follow its progress and summary."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from shopops.core.api_auth import current_shop, needs
from shopops.core.roles import RUN_IMPORTS, VIEW_IMPORTS
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams
from shopops.imports import selectors, services, submission

router = Router(tags=["imports"])


def _job_out(job: Any) -> dict[str, Any]:
    return {**services.import_summary(job), **services.import_progress(job=job),
            "created_at": job.created_at.isoformat(), "finished_at": job.finished_at.isoformat()
            if job.finished_at else None}


@router.post("", response={202: dict[str, int], **ERRORS}, auth=needs(RUN_IMPORTS))
def import_create(request: HttpRequest, format: str = Form(..., max_length=40),
                  file: UploadedFile = File(...),  # noqa: B008
                  items: UploadedFile | None = File(None),  # noqa: B008
                  channel_account: str | None = Form(None, max_length=80),
                  platform: str | None = Form(None, max_length=20),
                  date: str | None = Form(None, max_length=10),
                  date_from: str | None = Form(None, max_length=10),
                  date_to: str | None = Form(None, max_length=10),
                  skip_invalid: bool = Form(False),
                  dry_run: bool = Form(False),
                  strict_skus: bool = Form(False)) -> tuple[int, dict[str, int]]:
    """Multipart: ``format``, ``file`` (+ ``items`` for taobao-orders), options (``date_from``/``date_to``:
    the days taobao-userbehavior keeps; ``strict_skus``: an order line whose SKU is unknown rejects the file, as
    before SKU matching). The import runs as a task: follow it with GET /api/v1/imports/{id}."""
    try:
        job = submission.import_submit(
            shop=current_shop(request), actor=request.user, format_name=format, uploaded=file,
            file_name=file.name or "upload.csv", items=items, items_name=items.name if items else "",
            channel_account=channel_account, skip_invalid=skip_invalid, dry_run=dry_run,
            options={k: v for k, v in (("platform", platform), ("date", date), ("date_from", date_from),
                                          ("date_to", date_to), ("strict_skus", "1" if strict_skus else ""))
                     if v} or None)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return 202, {"job": job.pk}


class JobFilters(PageParams):
    status: str = Field("", max_length=10)


class ImportJobsOut(Schema):
    """A page of import jobs, newest first, in the shape of every other list (``items``, ``count``)."""

    items: list[dict[str, Any]] = Field(description="The jobs of this page (each as GET /imports/{id} answers).")
    count: int = Field(description="How many jobs match the filters (all pages).")
    results: list[dict[str, Any]] = Field(
        description="Deprecated: the same list as `items`, kept for existing callers; read `items`.",
        json_schema_extra={"deprecated": True})


@router.get("", response={200: ImportJobsOut, **ERRORS}, auth=needs(VIEW_IMPORTS))
def import_list(request: HttpRequest, filters: Query[JobFilters]) -> dict[str, Any]:
    qs = selectors.import_jobs(shop=current_shop(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    page = [_job_out(job) for job in qs[filters.offset : filters.offset + filters.limit]]
    return {"items": page, "count": qs.count(), "results": page}


@router.get("/{job_id}", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_IMPORTS))
def import_detail(request: HttpRequest, job_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict[str, Any]:
    """Status, progress and the summary (rows, inserted, updated, unchanged, rejected, errors, seconds)."""
    job = selectors.import_job(shop=current_shop(request), pk=job_id)
    if job is None:
        raise HttpError(404, "No such import job.")
    return _job_out(job)
