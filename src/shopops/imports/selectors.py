"""Reads for import jobs."""

from __future__ import annotations

from django.db.models import QuerySet

from shopops.core.models import Shop
from shopops.imports.models import ImportJob


def import_jobs(*, shop: Shop) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(shop=shop).select_related("channel_account", "created_by").order_by("-id")


def import_job(*, shop: Shop, pk: int) -> ImportJob | None:
    return import_jobs(shop=shop).filter(pk=pk).first()
