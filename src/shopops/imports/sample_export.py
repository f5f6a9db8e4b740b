"""`shopops export-sample`: a realistic export file in any format, written from the shop's own data.

An order format's file holds the orders of the account an import of it goes to (``import_account``), each
buyer named by their id on that channel and with what else the format carries (refunded amount, source,
promotions): importing the file back changes nothing. A shop without orders in that account gets a sample
from its other orders instead (``channel_account`` is then None in the result: not a round trip). A catalog
format's file holds the shop's products with their listing on that account (``formats.catalog_samples``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from shopops.catalog import selectors as catalog_selectors
from shopops.core.clock import now, today
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.imports.formats import FORMATS
from shopops.imports.formats.base import Format
from shopops.imports.formats.catalog_samples import SampleProduct, SampleSku, write_catalog_sample
from shopops.imports.formats.chat_samples import (
    SampleChat,
    SampleMessage,
    chats_before_orders,
    write_chat_sample,
)
from shopops.imports.formats.lake_samples import write_sample
from shopops.imports.formats.review_samples import SampleReviewOrder, write_reviews_sample
from shopops.imports.formats.samples import SampleLine, SampleOrder, write_order_sample
from shopops.imports.import_account import account_named, format_account
from shopops.members import selectors as member_selectors
from shopops.orders import selectors as order_selectors
from shopops.service.selectors import chats as chat_selectors

if TYPE_CHECKING:
    from shopops.channels.models import ChannelAccount

SAMPLED = ("orders", "lake", "catalog", "chats", "reviews")


def export_sample(*, shop: Shop, format_name: str, path: str, limit: int = 2000,
                  channel_account: str | None = None) -> dict[str, object]:
    """A realistic file in ``format_name`` from the shop's own data (the demo world), ready to import; the
    orders of ``channel_account`` (a name) or of the account the format's import goes to by default."""
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise InvalidInput(_("Unknown format %(name)s.") % {"name": format_name}, [FieldError(
            "format", _("Choose one of: %(names)s.") % {"names": ", ".join(sorted(FORMATS))})])
    if fmt.target not in SAMPLED:  # stock counts: files the operator makes
        sampled = sorted(name for name, f in FORMATS.items() if f.target in SAMPLED)
        raise InvalidInput(_("There is no sample file for %(name)s.") % {"name": format_name}, [FieldError(
            "format", _("Choose one of: %(names)s.") % {"names": ", ".join(sampled)})])
    if fmt.target == "lake":
        skus = [(s.sku_code, s.product.title) for s in catalog_selectors.skus_by_code(shop=shop).values()]
        rows = write_sample(format_name, path, end_date=today(shop.timezone), skus=skus)
        return {"format": format_name, "file": str(path), "rows": rows}
    account = _account(shop, fmt, channel_account)
    if fmt.target == "chats":
        return {**write_chat_sample(format_name, path, _chats(shop, fmt, account, limit), tz=shop.timezone),
                "channel_account": account.name if account is not None else None}
    if fmt.target == "reviews":
        return _reviews(shop, fmt, account, path, limit)
    if fmt.target == "catalog":
        return {**write_catalog_sample(format_name, path, _catalog(shop, account, limit)),
                "channel_account": account.name if account is not None else None}
    orders = order_selectors.orders_for_export(shop=shop, channel_account_id=account.pk, limit=limit) \
        if account is not None else []
    channel = account.channel if account is not None else fmt.channel
    if not orders and not channel_account:
        account = None
        orders = order_selectors.orders_for_export(shop=shop, channel=fmt.channel, limit=limit) or \
            order_selectors.orders_for_export(shop=shop, limit=limit)
    channel_ids = member_selectors.channel_ids_of(shop=shop, channel=channel,
                                                  customer_ids={o["customer_id"] for o in orders})
    samples = [SampleOrder(
        order_no=o["order_no"], buyer=channel_ids.get(o["customer_id"], o["customer__code"]),
        placed_at=o["placed_at"], paid_at=o["paid_at"], status=o["status"], paid_fen=o["paid_fen"],
        shipping_fen=o["shipping_fen"], province=o["province"], city=o["city"], source=o["source"],
        refunded_fen=o["refunded_fen"], promotions=tuple(o["promotions"] or ()),
        lines=tuple(SampleLine(li["sku__sku_code"], li["title"], li["unit_price_fen"], li["qty"])
                    for li in o["lines"]))
        for o in orders if o["lines"]]
    return {**write_order_sample(format_name, path, samples),
            "channel_account": account.name if account is not None else None}


def _chats(shop: Shop, fmt: Format, account: ChannelAccount | None, limit: int) -> list[SampleChat]:
    """The channel's stored chats, or, when it has none, a chat before each of its (or the shop's) orders."""
    channel = account.channel if account is not None else fmt.channel
    stored = chat_selectors.chats_for_export(shop=shop, channel=channel, limit=limit)
    if stored:
        return [SampleChat(s["session_id"], s["buyer_nick"], tuple(
            SampleMessage(m["side"], m["sent_at"], m["text"], m["agent"]) for m in s["messages"])) for s in stored]
    orders = order_selectors.orders_for_export(shop=shop, channel=channel, limit=limit) or \
        order_selectors.orders_for_export(shop=shop, limit=limit)
    channel_ids = member_selectors.channel_ids_of(shop=shop, channel=channel,
                                                  customer_ids={o["customer_id"] for o in orders})
    return chats_before_orders(
        [(o["order_no"], channel_ids.get(o["customer_id"], o["customer__code"]), o["paid_at"]) for o in orders],
        shop_name=shop.name)


def _reviews(shop: Shop, fmt: Format, account: ChannelAccount | None, path: str, limit: int) -> dict[str, object]:
    """A review for each completed order among the newest ``limit`` of the account (or of the format's
    channel), each buyer by their id on that channel."""
    orders = order_selectors.orders_for_export(
        shop=shop, limit=limit, **({"channel_account_id": account.pk} if account else {"channel": fmt.channel}))
    channel = account.channel if account is not None else fmt.channel
    ids = member_selectors.channel_ids_of(shop=shop, channel=channel, customer_ids={o["customer_id"] for o in orders})
    samples = [SampleReviewOrder(o["order_no"], ids.get(o["customer_id"], o["customer__code"]), o["paid_at"])
               for o in orders if o["status"] == "completed"]  # buyers review after 交易成功
    return {**write_reviews_sample(path, samples, ZoneInfo(shop.timezone), now()),
            "channel_account": account.name if account is not None else None}


def _catalog(shop: Shop, account: ChannelAccount | None, limit: int) -> list[SampleProduct]:
    """The shop's first ``limit`` products as a sample catalog, with their listing on ``account``."""
    return [SampleProduct(
        spu_code=p["spu_code"], title=p["title"], brand=p["brand"], category=tuple(p["category"]),
        description=p["description"], launched_on=p["launched_on"],
        item_id=p["listing"]["external_id"] if p["listing"] else "",
        listing_title=p["listing"]["title"] if p["listing"] else "",
        skus=tuple(SampleSku(s["sku_code"], s["attributes"], s["barcode"], s["price_fen"], s["cost_fen"], s["active"],
                             s["platform_sku_id"]) for s in p["skus"]))
        for p in catalog_selectors.catalog_for_export(shop=shop, channel_account_id=account.pk if account else None,
                                                      limit=limit)]


def _account(shop: Shop, fmt: Format, name: str | None) -> ChannelAccount | None:
    """The named account (an unknown name is an error), else the format's default account (or None)."""
    return account_named(shop=shop, name=name) if name else format_account(shop=shop, fmt=fmt)
