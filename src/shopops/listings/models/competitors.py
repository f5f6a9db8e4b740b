"""Competitor tracking (竞品跟踪): rival shops, their items, hand-entered observations, image hashes and the
changes found (docs/rules/listings.md#competitors).

Imported snapshots stay in the lake table ``competitor_snapshots`` (the only copy of what an export said);
observations typed by hand are kept here, and ``listings.selectors.competitors.item_observations`` reads both
as ONE timeline (a hand-entered day wins over an imported one of the same day)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class Competitor(ShopScoped):
    """A rival shop (竞品店铺), named as the snapshots name it (``competitor_shop``)."""

    name = models.CharField(_("shop name"), max_length=120)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        constraints = [models.UniqueConstraint(fields=["shop", "name"], name="uniq_competitor_name")]

    def __str__(self) -> str:
        return self.name


class CompetitorItem(ShopScoped):
    """One rival item (竞品) and the listings of ours it rivals. The ``seen_*`` fields are the last observation
    the change detection processed: each change fires once, and re-importing old snapshots fires nothing."""

    competitor = models.ForeignKey(Competitor, on_delete=models.CASCADE, related_name="items",
                                   verbose_name=_("competitor"))
    item_id = models.CharField(_("platform item id"), max_length=64)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    rivals = models.ManyToManyField("catalog.Listing", related_name="+", blank=True,
                                    verbose_name=_("our listings it rivals"))
    seen_date = models.DateField(null=True, blank=True)
    seen_title = models.CharField(max_length=300, blank=True)
    seen_price_fen = models.BigIntegerField(null=True, blank=True)
    seen_promo_fen = models.BigIntegerField(null=True, blank=True)
    seen_below_price = models.BooleanField(default=False)
    seen_below_floor = models.BooleanField(default=False)
    seen_phash = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["competitor_id", "item_id"]
        verbose_name = _("competitor item")
        verbose_name_plural = _("competitor items")
        constraints = [models.UniqueConstraint(fields=["competitor", "item_id"], name="uniq_competitor_item")]

    def __str__(self) -> str:
        return self.title or self.item_id


class CompetitorObservation(ShopScoped):
    """What an operator saw of a rival item on a date, typed in a form (imports go to the lake)."""

    item = models.ForeignKey(CompetitorItem, on_delete=models.CASCADE, related_name="observations")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    price_fen = models.BigIntegerField(_("price (fen)"), null=True, blank=True)
    promo_price_fen = models.BigIntegerField(_("promotion price (fen)"), null=True, blank=True)
    sales_estimate = models.BigIntegerField(_("estimated sales"), null=True, blank=True)
    reviews = models.BigIntegerField(_("reviews"), null=True, blank=True)
    rank = models.BigIntegerField(_("rank"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "date"]
        verbose_name = _("competitor observation")
        constraints = [models.UniqueConstraint(fields=["item", "date"], name="uniq_competitor_observation")]


class CompetitorImage(ShopScoped):
    """A main image of a rival item seen on a date, kept as its perceptual hash (the file is not stored)."""

    item = models.ForeignKey(CompetitorItem, on_delete=models.CASCADE, related_name="images")
    date = models.DateField(_("date"))
    file_name = models.CharField(_("file"), max_length=200)
    phash = models.CharField(_("perceptual hash"), max_length=32)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    distance = models.PositiveSmallIntegerField(_("distance to the previous image"), null=True, blank=True)
    changed = models.BooleanField(_("changed"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "date", "id"]
        verbose_name = _("competitor image")


class CompetitorEvent(ShopScoped):
    """A change of a rival item found by the detection: one row per (item, kind, date), so it is found once.
    ``detail`` holds what changed (prices in fen, the words added/removed, the hash distance)."""

    class Kind(models.TextChoices):
        BELOW_PRICE = "below_price", _("below our price")
        BELOW_FLOOR = "below_floor", _("below our price floor")
        PROMO = "promo", _("new promotion")
        TITLE = "title", _("title changed")
        IMAGE = "image", _("main image changed")

    item = models.ForeignKey(CompetitorItem, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("competitor change")
        constraints = [models.UniqueConstraint(fields=["item", "kind", "date"], name="uniq_competitor_event")]
        indexes = [models.Index(fields=["shop", "date"], name="competitor_event_date")]
