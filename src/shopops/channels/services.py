"""Writes for channel accounts: one shop's stores on the platforms."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.channels.domain import CHANNEL_CODES, CHANNELS
from shopops.channels.models import ChannelAccount
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop, User
from shopops.core.services import audit_record


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


MAX_ACCOUNT_NAME = 80  # the name and platform shop id columns hold 80 characters


def _account_problems(*, shop: Shop, name: str | None, external_id: str | None,
                      exclude: int | None = None) -> list[FieldError]:
    errors = []
    if name is not None:
        if not name or len(name) > MAX_ACCOUNT_NAME:
            errors.append(FieldError("name", _("Give a name of 1 to %(max)d characters.") % {"max": MAX_ACCOUNT_NAME}))
        elif ChannelAccount.objects.filter(shop=shop, name=name).exclude(pk=exclude or 0).exists():
            errors.append(FieldError("name", _("Another channel account is already named %(name)s.") % {"name": name}))
    if external_id is not None and len(external_id) > MAX_ACCOUNT_NAME:
        errors.append(FieldError("external_id", _("Give a platform shop id of at most %(max)d characters.")
                                 % {"max": MAX_ACCOUNT_NAME}))
    return errors


@transaction.atomic
def channel_account_create(*, shop: Shop, channel: str, name: str, external_id: str = "",
                           actor: User | None = None) -> ChannelAccount:
    """A new store of the shop on ``channel`` (a code of ``CHANNELS``); audited. InvalidInput names every bad
    field and writes nothing."""
    channel, name, external_id = (channel or "").strip(), (name or "").strip(), (external_id or "").strip()
    errors = _account_problems(shop=shop, name=name, external_id=external_id)
    if channel not in CHANNEL_CODES:
        errors.insert(0, FieldError("channel", _("Choose one of the listed channels.")))
    if errors:
        raise InvalidInput(_("The channel account was not created."), errors)
    account = ChannelAccount.objects.create(shop=shop, channel=channel, name=name, external_id=external_id)
    audit_record(action="channel_account.create", object_type="channel_account", object_id=account.pk, shop=shop,
                 actor=actor, object_repr=name, changes={"channel": [None, channel], "name": [None, name]})
    return account


@transaction.atomic
def channel_account_update(*, account: ChannelAccount, name: str | None = None, external_id: str | None = None,
                           active: bool | None = None, actor: User | None = None) -> ChannelAccount:
    """Rename, set the platform shop id of, deactivate or reactivate an account (its channel never changes:
    its orders and reports came from that platform). Never deleted: orders point at it. Audited."""
    name = None if name is None else name.strip()
    external_id = None if external_id is None else external_id.strip()
    errors = _account_problems(shop=account.shop, name=name, external_id=external_id, exclude=account.pk)
    if errors:
        raise InvalidInput(_("The channel account was not saved."), errors)
    changes = {}
    for field, value in (("name", name), ("external_id", external_id), ("active", active)):
        if value is not None and getattr(account, field) != value:
            changes[field] = [getattr(account, field), value]
            setattr(account, field, value)
    if changes:
        account.save(update_fields=list(changes))
        audit_record(action="channel_account.update", object_type="channel_account", object_id=account.pk,
                     shop=account.shop, actor=actor, object_repr=account.name, changes=changes)
    return account
