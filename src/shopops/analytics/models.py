"""Analytics records: saved funnels (an operator's named step lists) and the app's permissions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import Shop


class SavedFunnel(models.Model):
    """A funnel an operator built from the behaviour log and named, e.g. 「详情→加购→下单」."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="saved_funnels")
    name = models.CharField(_("name"), max_length=80)
    steps = models.JSONField(_("steps"), default=list)  # event names, e.g. ["pv", "cart", "buy"]
    window = models.CharField(_("window"), max_length=16, default="1d")
    mode = models.CharField(_("mode"), max_length=16, default="sequential")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved funnel")
        verbose_name_plural = _("saved funnels")
        permissions = [
            ("view_analytics", _("Can view analytics")),
            ("run_alerts", _("Can run metric alerts")),
        ]
        constraints = [models.UniqueConstraint(fields=["shop", "name"], name="uniq_saved_funnel_name")]

    def __str__(self) -> str:
        return self.name
