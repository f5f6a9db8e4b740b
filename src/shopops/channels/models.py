"""Channel accounts: one shop's store on one platform (e.g. 天猫旗舰店, 京东自营)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.channels.domain import CHANNEL_CHOICES
from shopops.core.models import ShopScoped


class ChannelAccount(ShopScoped):
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES)
    name = models.CharField(_("name"), max_length=80)
    external_id = models.CharField(_("platform shop id"), max_length=80, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("channel account")
        constraints = [models.UniqueConstraint(fields=["shop", "name"], name="uniq_channel_account_name")]

    def __str__(self) -> str:
        return self.name
