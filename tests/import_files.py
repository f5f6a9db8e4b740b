"""Test files in platform formats and their import through the pipeline, as a user would (one home for tests)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils import translation

from shopops.imports.services import import_job_create, import_job_run, import_summary


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    """``path`` holding ``header`` and ``rows`` as CSV in ``encoding`` (platform exports are often UTF-8 with BOM)."""
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def import_file(shop, name: str, path: Path, **options) -> dict:
    """Import ``path`` in format ``name`` through the job pipeline; its summary (messages in Chinese)."""
    with translation.override("zh-hans"):
        job = import_job_create(shop=shop, format_name=name, path=str(path), **options)
        return import_summary(import_job_run(job_id=job.pk))
