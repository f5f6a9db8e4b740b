"""Customers and their identities on each channel (one person, many platform ids)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.channels.domain import CHANNEL_CHOICES
from shopops.core.models import ShopScoped


class Customer(ShopScoped):
    """A buyer. Order stats are denormalised by ``customer_stats_refresh`` for fast lists."""

    code = models.CharField(_("customer code"), max_length=40)
    name = models.CharField(_("nickname"), max_length=80)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("first seen"))
    orders_count = models.IntegerField(_("orders"), default=0)
    paid_fen_total = models.BigIntegerField(_("total paid (fen)"), default=0)
    first_order_at = models.DateTimeField(_("first order"), null=True, blank=True)
    last_order_at = models.DateTimeField(_("last order"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [models.UniqueConstraint(fields=["shop", "code"], name="uniq_customer_code")]
        indexes = [models.Index(fields=["shop", "-paid_fen_total"]), models.Index(fields=["shop", "-last_order_at"])]

    def __str__(self) -> str:
        return self.name


class CustomerIdentity(ShopScoped):
    """A customer's id on one channel (淘宝昵称, 京东 pin, 抖音 open id, WeCom external id…)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES)
    external_id = models.CharField(_("channel id"), max_length=80)

    class Meta:
        verbose_name = _("channel identity")
        constraints = [
            models.UniqueConstraint(fields=["shop", "channel", "external_id"], name="uniq_channel_identity")
        ]
