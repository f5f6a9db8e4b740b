"""Campaigns: the marketing calendar, campaign plans, checklists and lotteries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class Campaign(ShopScoped):
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name
