"""Returns and exchanges (售后): the reasons taxonomy, return requests and their lines. Money in fen.

A request's refund is an ``orders.Refund`` created through the orders app's services (so GMV, the refund
amount and the refund rate see it); its stock comes back through the inventory ledger. Other apps' records are
referred to by name. The rules: docs/rules/returns.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped
from shopops.service import return_rules as rules


class ReturnReason(ShopScoped):
    """A 售后 reason of the shop's taxonomy. The built-in ones (``return_rules.REASONS``) are seeded on first use
    and named in the user's language; a shop may add its own with a ``name``."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60, blank=True)  # empty: the built-in name, translated
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        constraints = [models.UniqueConstraint(fields=["shop", "code"], name="uniq_return_reason_code")]

    def __str__(self) -> str:
        return self.name or self.code


class ReturnRequest(ShopScoped):
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+", verbose_name=_("order"))
    channel = models.CharField(_("channel"), max_length=20)
    kind = models.CharField(_("type"), max_length=16, choices=[(k, str(v)) for k, v in rules.KINDS.items()])
    reason = models.ForeignKey(ReturnReason, on_delete=models.PROTECT, related_name="requests",
                               verbose_name=_("reason"))
    note = models.CharField(_("buyer's note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=[(k, str(v)) for k, v in rules.STATUSES.items()], default=rules.REQUESTED)
    reject_reason = models.CharField(_("why rejected"), max_length=500, blank=True)
    logistics_company = models.CharField(_("logistics company"), max_length=60, blank=True)
    logistics_no = models.CharField(_("tracking number"), max_length=60, blank=True)
    external_no = models.CharField(_("platform after-sale number"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_date = models.DateField(_("business date"))
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    refunded_fen = models.BigIntegerField(_("refunded (fen)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        constraints = [
            models.UniqueConstraint(fields=["shop", "channel", "external_no"], condition=~Q(external_no=""),
                                    name="uniq_return_external_no"),
            models.CheckConstraint(condition=Q(refunded_fen__gte=0), name="return_refunded_non_negative"),
        ]
        indexes = [models.Index(fields=["shop", "requested_date"]), models.Index(fields=["shop", "status"])]

    def __str__(self) -> str:
        return self.external_no or f"RT{self.pk}"


class ReturnLine(ShopScoped):
    """Units of one order line in a return. ``order_line`` is None when a corrected re-import of the order
    replaced its lines (``line_index`` says which it was); ``sku``/``title`` keep what was returned."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    line_index = models.PositiveSmallIntegerField(_("line of the order"), default=0)
    sku = models.ForeignKey("catalog.Sku", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200, blank=True)
    qty = models.PositiveIntegerField(_("quantity"))
    amount_fen = models.BigIntegerField(_("amount asked (fen)"))
    refunded_fen = models.BigIntegerField(_("refunded (fen)"), default=0)
    refund = models.ForeignKey("orders.Refund", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    condition = models.CharField(_("condition"), max_length=10, blank=True,
                                 choices=[(k, str(v)) for k, v in rules.CONDITIONS.items()])
    exchange_sku = models.ForeignKey("catalog.Sku", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("replacement SKU"))
    exchange_reservation_id = models.BigIntegerField(null=True, blank=True)  # inventory's, by id

    class Meta:
        ordering = ["id"]
        verbose_name = _("return line")
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="return_line_qty_positive"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="return_line_amount_non_negative"),
            models.CheckConstraint(condition=Q(refunded_fen__gte=0) & Q(refunded_fen__lte=models.F("amount_fen")),
                                   name="return_line_refund_within_amount"),
            models.UniqueConstraint(fields=["request", "line_index"], name="uniq_return_line"),
        ]
