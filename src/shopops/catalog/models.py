"""Products (SPU), SKUs and per-channel listings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class Category(ShopScoped):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["shop", "code"], name="uniq_category_code")]

    def __str__(self) -> str:
        return self.name


class Product(ShopScoped):
    """An SPU (标准产品单元): what the shopper sees as one item with variants."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("On sale")
        INACTIVE = "inactive", _("Off shelf")

    spu_code = models.CharField(_("SPU code"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products",
                                 verbose_name=_("category"))
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    launched_on = models.DateField(_("launch date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["spu_code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        permissions = [
            ("change_price", _("Can change prices")),
            ("view_cost", _("Can see costs and margins")),
        ]
        constraints = [models.UniqueConstraint(fields=["shop", "spu_code"], name="uniq_spu_code")]

    def __str__(self) -> str:
        return self.title


class Sku(ShopScoped):
    """A SKU (库存量单位): one sellable variant with its own price and cost, in fen."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    sku_code = models.CharField(_("SKU code"), max_length=64)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    price_fen = models.BigIntegerField(_("price (fen)"))
    cost_fen = models.BigIntegerField(_("cost (fen)"))
    barcode = models.CharField(_("barcode"), max_length=32, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sku_code"]
        verbose_name = _("SKU")
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku_code"], name="uniq_sku_code"),
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="sku_price_non_negative"),
            models.CheckConstraint(condition=Q(cost_fen__gte=0), name="sku_cost_non_negative"),
        ]

    def __str__(self) -> str:
        return self.sku_code


class Listing(ShopScoped):
    """How one product is listed on one channel account (title rules differ by platform)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listings")
    channel_account = models.ForeignKey("channels.ChannelAccount", on_delete=models.CASCADE, related_name="listings")
    external_id = models.CharField(_("platform item id"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    media = models.JSONField(_("media"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ONLINE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("listing")
        constraints = [
            models.UniqueConstraint(fields=["product", "channel_account"], name="uniq_listing_per_account")
        ]
