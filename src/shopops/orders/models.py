"""Orders, order lines (with allocated discounts) and refunds. All money in fen.

Invariants (enforced by ``orders.domain.check_order`` before any write, and by DB constraints):
lines' paid amounts sum to the order's goods paid amount; discounts never exceed the amount;
refunds never exceed what was paid.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class Order(ShopScoped):
    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    channel_account = models.ForeignKey("channels.ChannelAccount", on_delete=models.PROTECT, related_name="orders",
                                        verbose_name=_("channel account"))
    channel = models.CharField(_("channel"), max_length=20)
    order_no = models.CharField(_("order number"), max_length=64)
    customer = models.ForeignKey("members.Customer", on_delete=models.PROTECT, related_name="orders",
                                 verbose_name=_("customer"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PAID)
    placed_at = models.DateTimeField(_("placed at"))
    paid_at = models.DateTimeField(_("paid at"))
    paid_date = models.DateField(_("business date"))
    goods_fen = models.BigIntegerField(_("goods amount (fen)"))
    discount_fen = models.BigIntegerField(_("discount (fen)"), default=0)
    shipping_fen = models.BigIntegerField(_("shipping (fen)"), default=0)
    paid_fen = models.BigIntegerField(_("paid (fen)"))
    refunded_fen = models.BigIntegerField(_("refunded (fen)"), default=0)
    promotions = models.JSONField(_("promotions"), default=list, blank=True)
    source = models.CharField(_("traffic source"), max_length=40, blank=True)
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)  # orders.domain.order_fingerprint

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(fields=["shop", "channel_account", "order_no"], name="uniq_order_no"),
            models.CheckConstraint(condition=Q(discount_fen__gte=0) & Q(discount_fen__lte=F("goods_fen")),
                                   name="order_discount_within_goods"),
            models.CheckConstraint(condition=Q(paid_fen=F("goods_fen") - F("discount_fen") + F("shipping_fen")),
                                   name="order_paid_adds_up"),
            models.CheckConstraint(condition=Q(refunded_fen__gte=0) & Q(refunded_fen__lte=F("paid_fen")),
                                   name="order_refund_within_paid"),
        ]
        indexes = [
            models.Index(fields=["shop", "paid_date"]),
            models.Index(fields=["shop", "channel", "paid_date"]),
        ]

    def __str__(self) -> str:
        return self.order_no


class OrderLine(ShopScoped):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # None: the line's item is not matched to a SKU yet (docs/rules/sku-matching.md#unmatched-lines); it counts in
    # GMV and orders, not in SKU-level figures, until a mapping links it
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="order_lines", null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    # what the export said of the item (kept for SKU matching; db_default: the column-wise insert leaves them out)
    seller_code = models.CharField(_("seller code"), max_length=64, blank=True, db_default="")
    platform_item_id = models.CharField(_("platform item id"), max_length=64, blank=True, db_default="")
    platform_sku_id = models.CharField(_("platform SKU id"), max_length=64, blank=True, db_default="")
    spec = models.CharField(_("spec"), max_length=200, blank=True, db_default="")
    match_key = models.CharField(_("match key"), max_length=255, blank=True, db_default="")  # catalog.domain.match_key
    unit_price_fen = models.BigIntegerField(_("unit price (fen)"))
    qty = models.IntegerField(_("quantity"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    discount_fen = models.BigIntegerField(_("allocated discount (fen)"), default=0)
    paid_fen = models.BigIntegerField(_("paid (fen)"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("order line")
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="line_qty_positive"),
            models.CheckConstraint(condition=Q(unit_price_fen__gte=0), name="line_price_non_negative"),
            models.CheckConstraint(condition=Q(amount_fen=F("unit_price_fen") * F("qty")), name="line_amount"),
            models.CheckConstraint(condition=Q(discount_fen__gte=0) & Q(discount_fen__lte=F("amount_fen")),
                                   name="line_discount_within_amount"),
            models.CheckConstraint(condition=Q(paid_fen=F("amount_fen") - F("discount_fen")), name="line_paid"),
        ]
        # only lines with a key (not matched by their own seller code): the common line costs no index entry
        indexes = [models.Index(fields=["shop", "match_key"], name="orderline_match_key", condition=~Q(match_key=""))]


class Refund(ShopScoped):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCESS = "success", _("Refunded")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    class Kind(models.TextChoices):
        REFUND_ONLY = "refund_only", _("Refund only")
        RETURN_REFUND = "return_refund", _("Return and refund")

    class Reason(models.TextChoices):
        NO_REASON = "no_reason_7d", _("7-day no-reason return")
        QUALITY = "quality", _("Quality problem")
        SIZE = "size", _("Size or fit")
        NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
        WRONG_ITEM = "wrong_item", _("Wrong item sent")
        DAMAGED = "damaged", _("Damaged in transit")
        CHANGED_MIND = "changed_mind", _("Changed mind")
        LATE = "late", _("Shipped too late")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    line = models.ForeignKey(OrderLine, null=True, blank=True, on_delete=models.CASCADE, related_name="refunds")
    refund_no = models.CharField(_("refund number"), max_length=64)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.REFUND_ONLY)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"))
    requested_date = models.DateField(_("business date"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_date = models.DateField(_("refund business date"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.UniqueConstraint(fields=["shop", "refund_no"], name="uniq_refund_no"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["shop", "requested_date"]),
            models.Index(fields=["shop", "status", "completed_date"]),
        ]


# What the database owes the lake (a transactional outbox). The order records and the lake's order facts live in
# two stores that cannot share one transaction: the DB commit comes first, then the Delta commits. An importer
# writes a FactsRefreshDue row in the SAME DB transaction as its orders; the row is deleted only after the lake
# has been refreshed. A process killed between the two commits therefore leaves the debt on record, and the next
# import, the worker (every minute) or `shopops lake settle` pays it: the lake never silently disagrees with the DB.
class FactsRefreshDue(models.Model):
    """The shop's order facts for paid dates ``date_from..date_to`` must be copied from the DB to the lake."""

    shop = models.ForeignKey("core.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop"))
    date_from = models.DateField(_("first paid date"))
    date_to = models.DateField(_("last paid date"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "lake_factsrefreshdue"  # created when the lake app held the order facts
        verbose_name = _("order facts refresh due")
        verbose_name_plural = _("order facts refreshes due")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.date_from}..{self.date_to}"
