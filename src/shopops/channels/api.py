"""/api/v1/channel-accounts: the shop's stores on the platforms — list, create, rename, deactivate."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError

from shopops.channels import selectors, services
from shopops.channels.labels import channel_label
from shopops.channels.models import ChannelAccount
from shopops.channels.schemas import (
    ChannelAccountIn,
    ChannelAccountOut,
    ChannelAccountPage,
    ChannelAccountPatch,
)
from shopops.core.api_auth import current_shop, needs
from shopops.core.roles import CHANGE_CHANNEL_ACCOUNTS, VIEW_CHANNEL_ACCOUNTS
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams

router = Router(tags=["channel accounts"])


def account_out(account: ChannelAccount) -> dict:
    return {"id": account.pk, "channel": account.channel, "channel_name": channel_label(account.channel),
            "name": account.name, "external_id": account.external_id, "active": account.active}


@router.get("", response={200: ChannelAccountPage, **ERRORS}, auth=needs(VIEW_CHANNEL_ACCOUNTS))
def list_channel_accounts(request: HttpRequest, paging: Query[PageParams]) -> dict:
    qs = selectors.channel_accounts(shop=current_shop(request))
    return {"items": [account_out(a) for a in qs[paging.offset : paging.offset + paging.limit]],
            "count": qs.count()}


@router.post("", response={201: ChannelAccountOut, **ERRORS}, auth=needs(CHANGE_CHANNEL_ACCOUNTS))
def create_channel_account(request: HttpRequest, payload: ChannelAccountIn) -> tuple[int, dict]:
    account = services.channel_account_create(shop=current_shop(request), channel=payload.channel,
                                              name=payload.name, external_id=payload.external_id,
                                              actor=request.auth)
    return 201, account_out(account)


@router.patch("/{account_id}", response={200: ChannelAccountOut, **ERRORS}, auth=needs(CHANGE_CHANNEL_ACCOUNTS))
def update_channel_account(request: HttpRequest, payload: ChannelAccountPatch,
                           account_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    """Absent fields stay as they are; the channel never changes."""
    account = selectors.channel_account_in_shop(shop=current_shop(request), pk=account_id)
    if account is None:
        raise HttpError(404, _("No such channel account."))
    return account_out(services.channel_account_update(account=account, name=payload.name,
                                                       external_id=payload.external_id, active=payload.active,
                                                       actor=request.auth))
