"""A listing's text history: each title or subtitle change, who made it and which words it added and removed
(docs/rules/listings.md#title-history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class ListingRevision(ShopScoped):
    """One saved change of a listing's title or subtitle. ``added``/``removed`` are the words (tokens of the
    shop's tokenizer with the dictionary as it was then) the change added and removed, in title order; the
    traffic before and after is read from the lake when the history is shown, not stored."""

    class Field(models.TextChoices):
        TITLE = "title", _("title")
        SUBTITLE = "subtitle", _("subtitle")

    listing = models.ForeignKey("catalog.Listing", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("listing"))
    field = models.CharField(_("field"), max_length=10, choices=Field.choices, default=Field.TITLE)
    before = models.CharField(_("before"), max_length=200, blank=True)
    after = models.CharField(_("after"), max_length=200, blank=True)
    added = models.JSONField(_("words added"), default=list, blank=True)
    removed = models.JSONField(_("words removed"), default=list, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("listing revision")
        verbose_name_plural = _("listing revisions")
        indexes = [models.Index(fields=["shop", "listing", "changed_at"], name="listing_revision_at")]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.field} {self.changed_at:%Y-%m-%d}"
