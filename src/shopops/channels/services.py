"""Writes for channel accounts: one shop's stores on the platforms."""

from __future__ import annotations

from django.db import transaction

from shopops.channels.domain import CHANNELS
from shopops.channels.models import ChannelAccount
from shopops.core.models import Shop


@transaction.atomic
def channel_accounts_create_defaults(*, shop: Shop) -> list[ChannelAccount]:
    """One account per known channel, named after the platform, for a new shop."""
    accounts = []
    for info in CHANNELS:
        suffix = f"·{info.name_zh}"
        name = shop.name[: 80 - len(suffix)] + suffix  # the account name column holds 80 characters
        account, _created = ChannelAccount.objects.get_or_create(
            shop=shop, name=name, defaults={"channel": info.code}
        )
        accounts.append(account)
    return accounts


def channel_account_ensure(*, shop: Shop, channel: str, name: str) -> ChannelAccount:
    account, _created = ChannelAccount.objects.get_or_create(shop=shop, name=name, defaults={"channel": channel})
    return account
