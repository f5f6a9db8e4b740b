"""What the database owes the lake (a transactional outbox).

The order records and the lake's order facts live in two stores that cannot share one transaction: the DB
commit comes first (DESIGN.md "Data"), then the Delta commits. An importer writes a :class:`FactsRefreshDue`
row in the **same** DB transaction as its orders; the row is deleted only after the lake has been refreshed.
A process killed between the two commits therefore leaves the debt on record, and the next import, the
worker (every minute) or ``shopops lake rebuild`` pays it — the lake never silently disagrees with the DB.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactsRefreshDue(models.Model):
    """The shop's order facts for paid dates ``date_from..date_to`` must be copied from the DB to the lake."""

    shop = models.ForeignKey("core.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop"))
    date_from = models.DateField(_("first paid date"))
    date_to = models.DateField(_("last paid date"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order facts refresh due")
        verbose_name_plural = _("order facts refreshes due")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.date_from}..{self.date_to}"
