"""Reads for channel accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from shopops.channels.domain import CHANNELS
from shopops.channels.labels import channel_label
from shopops.channels.models import ChannelAccount
from shopops.core.models import Shop


def channel_accounts(*, shop: Shop) -> QuerySet[ChannelAccount]:
    return ChannelAccount.objects.filter(shop=shop).order_by("id")


def channel_account_ids_in_shop(*, shop: Shop, ids: set[int]) -> set[int]:
    return set(ChannelAccount.objects.filter(shop=shop, pk__in=ids).values_list("pk", flat=True))


def channel_account_in_shop(*, shop: Shop, pk: int) -> ChannelAccount | None:
    return ChannelAccount.objects.filter(shop=shop, pk=pk).first()


def channel_account_named(*, shop: Shop, name: str) -> ChannelAccount | None:
    return ChannelAccount.objects.filter(shop=shop, name=name).first()


def channel_account_names(*, shop: Shop) -> list[str]:
    return list(channel_accounts(shop=shop).values_list("name", flat=True))


def channel_account_default(*, shop: Shop, channel: str) -> ChannelAccount | None:
    """The shop's first active account on ``channel`` (where an import without a named account goes)."""
    return ChannelAccount.objects.filter(shop=shop, channel=channel, active=True).order_by("id").first()


def channel_options() -> list[tuple[str, str]]:
    """(code, name in the current language) of every channel: the choices of a channel filter."""
    return [(c.code, channel_label(c.code)) for c in CHANNELS]
