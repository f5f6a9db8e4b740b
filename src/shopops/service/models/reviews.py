"""Buyers' reviews (评价) with their DSR ratings (店铺评分), one per order and channel (docs/rules/dsr.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped

SCORE_FIELDS = ("description", "service", "logistics")


class Review(ShopScoped):
    """One review as the platform exported it. The natural key (shop, channel, order number) makes a
    re-import update the same record; ``order`` is the stored order of that number when there is one."""

    channel = models.CharField(_("channel"), max_length=20)
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("order"))
    order_no = models.CharField(_("order number"), max_length=64)
    buyer = models.CharField(_("buyer"), max_length=100)
    reviewed_at = models.DateTimeField(_("reviewed at"))
    description = models.PositiveSmallIntegerField(_("item as described"), null=True, blank=True)
    service = models.PositiveSmallIntegerField(_("seller's service"), null=True, blank=True)
    logistics = models.PositiveSmallIntegerField(_("logistics"), null=True, blank=True)
    text = models.TextField(_("review text"), blank=True)
    is_default = models.BooleanField(_("default review"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["shop", "channel", "order_no"], name="uniq_review_order"),
            *(models.CheckConstraint(condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1,
                                                                                     f"{name}__lte": 5}),
                                     name=f"review_{name}_1_to_5") for name in SCORE_FIELDS),
        ]
        indexes = [models.Index(fields=["shop", "reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.order_no}"
