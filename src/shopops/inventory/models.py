"""Inventory records: locations, the stock ledger, balances, reservations, suppliers, purchase orders."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class Location(ShopScoped):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        permissions = [
            ("view_stock", _("Can view stock")),
            ("change_stock", _("Can move and reserve stock")),
            ("manage_purchasing", _("Can approve replenishment and manage purchase orders")),
        ]
        constraints = [models.UniqueConstraint(fields=["shop", "code"], name="uniq_location_code")]

    def __str__(self) -> str:
        return self.name
