"""Reads for channel accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from shopops.channels.models import ChannelAccount, ImportJob
from shopops.core.models import Shop


def channel_accounts(*, shop: Shop) -> QuerySet[ChannelAccount]:
    return ChannelAccount.objects.filter(shop=shop).order_by("id")


def channel_account_ids_in_shop(*, shop: Shop, ids: set[int]) -> set[int]:
    return set(ChannelAccount.objects.filter(shop=shop, pk__in=ids).values_list("pk", flat=True))


def import_jobs(*, shop: Shop) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(shop=shop).select_related("channel_account", "created_by").order_by("-id")


def import_job(*, shop: Shop, pk: int) -> ImportJob | None:
    return import_jobs(shop=shop).filter(pk=pk).first()
