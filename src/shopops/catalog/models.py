"""Products (SPU), SKUs and per-channel listings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shopops.catalog.domain import CategoryNode
from shopops.core.models import Shop, ShopScoped


class Category(ShopScoped):
    """A node of the shop's category tree (类目), as the platforms have: 服饰 › 女装 › 连衣裙.

    The tree's rules (no loops, at most ``domain.MAX_CATEGORY_DEPTH`` levels) are kept by the services; a
    category with children or products cannot be deleted (PROTECT here, a clear message there).
    """

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent category"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["shop", "code"], name="uniq_category_code")]

    def __str__(self) -> str:
        return self.name


def category_nodes(shop: Shop) -> dict[int, CategoryNode]:
    """The shop's stored tree as the pure rules read it (one query: a shop has hundreds of categories); the
    one loader both the services and the selectors use."""
    return {pk: CategoryNode(pk, code, name, parent_id) for pk, code, name, parent_id in
            Category.objects.filter(shop=shop).values_list("pk", "code", "name", "parent_id")}


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
    url = models.URLField(_("URL"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("listing")
        constraints = [
            models.UniqueConstraint(fields=["product", "channel_account"], name="uniq_listing_per_account")
        ]


class ListingSku(ShopScoped):
    """One SKU of a listing as the platform knows it (its SKU id and price there): what SKU matching reads."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="skus")
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="listing_skus")
    platform_sku_id = models.CharField(_("platform SKU id"), max_length=64, blank=True)
    price_fen = models.BigIntegerField(_("platform price (fen)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Listing.Status.choices,
                              default=Listing.Status.ONLINE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("listing SKU")
        constraints = [
            models.UniqueConstraint(fields=["listing", "platform_sku_id"], condition=~Q(platform_sku_id=""),
                                    name="uniq_listing_platform_sku"),
            models.CheckConstraint(condition=Q(price_fen__gte=0) | Q(price_fen__isnull=True),
                                   name="listing_sku_price_non_negative"),
        ]

    def __str__(self) -> str:
        return self.platform_sku_id or self.sku.sku_code


class SkuMapping(ShopScoped):
    """商品对应关系: order lines of one channel account with this match key are this SKU
    (docs/rules/sku-matching.md). Made on the 商品匹配 page, the API or ``shopops catalog matching map``; the
    raw identifiers are kept to show what was matched."""

    channel_account = models.ForeignKey("channels.ChannelAccount", on_delete=models.CASCADE,
                                        related_name="sku_mappings", verbose_name=_("channel account"))
    match_key = models.CharField(_("match key"), max_length=255)
    platform_item_id = models.CharField(_("platform item id"), max_length=64, blank=True)
    platform_sku_id = models.CharField(_("platform SKU id"), max_length=64, blank=True)
    seller_code = models.CharField(_("seller code"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    spec = models.CharField(_("spec"), max_length=200, blank=True)
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("SKU"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SKU mapping")
        verbose_name_plural = _("SKU mappings")
        constraints = [models.UniqueConstraint(fields=["shop", "channel_account", "match_key"],
                                               name="uniq_sku_mapping_key")]

    def __str__(self) -> str:
        return self.match_key
