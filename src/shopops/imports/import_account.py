"""Which channel account a format's file goes to when the user names none.

The channel's first active account; in a shop with none on the format's channel (the demo's own site imports
Shopify files), the account the format's last finished import went to. ``export-sample`` exports that
account's orders, so an exported file imports back into the orders it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from shopops.channels import selectors as channel_selectors
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.imports.formats.base import Format
from shopops.imports.models import ImportJob

if TYPE_CHECKING:
    from shopops.channels.models import ChannelAccount


def format_account(*, shop: Shop, fmt: Format) -> ChannelAccount | None:
    """The account an import of ``fmt`` without a named account goes to (None: a new one is made for it)."""
    account = channel_selectors.channel_account_default(shop=shop, channel=fmt.channel)
    if account is not None:
        return account
    job = (ImportJob.objects.filter(shop=shop, format=fmt.name, status=ImportJob.Status.DONE,
                                    channel_account__active=True)
           .select_related("channel_account").order_by("-pk").first())
    return job.channel_account if job is not None else None


def account_named(*, shop: Shop, name: str) -> ChannelAccount:
    """The shop's channel account called ``name``; an unknown name is an error listing the known ones."""
    account = channel_selectors.channel_account_named(shop=shop, name=name)
    if account is None:
        names = ", ".join(channel_selectors.channel_account_names(shop=shop))
        raise InvalidInput(_("No channel account named %(name)s.") % {"name": name},
                           [FieldError("channel_account", _("Known accounts: %(names)s.") % {"names": names})])
    return account
