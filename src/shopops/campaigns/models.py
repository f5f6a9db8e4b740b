"""Campaigns: the marketing calendar, campaign plans, checklists and lotteries. Money in fen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class CalendarPreset(ShopScoped):
    """A shop's own version of a calendar entry: an edited platform preset (dates of 双11 of a year) or a
    store theme. The defaults ship as data (``campaigns/data/calendar.json``); a row here overrides the
    entry with the same ``(code, year)`` for this shop only, or adds a new one."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Platform event")
        STORE = "store", _("Store theme")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PLATFORM)
    year = models.IntegerField(_("year"), null=True, blank=True)  # None: a recurring store theme
    warmup_start = models.DateField(_("warm-up starts"), null=True, blank=True)
    main_start = models.DateField(_("main period starts"), null=True, blank=True)
    main_end = models.DateField(_("main period ends"), null=True, blank=True)
    return_end = models.DateField(_("return period ends"), null=True, blank=True)
    day_of_month = models.IntegerField(_("day of month"), null=True, blank=True)  # monthly themes (会员日)
    length_days = models.IntegerField(_("length in days"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["year", "main_start", "code"]
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        constraints = [
            models.UniqueConstraint(fields=["shop", "code", "year"], name="uniq_calendar_entry"),
            models.UniqueConstraint(fields=["shop", "code"], condition=Q(year__isnull=True),
                                    name="uniq_calendar_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year or ''}".strip()


class Campaign(ShopScoped):
    """A campaign plan: phases, goals, budget, channels, promotions (the pricing contract's JSON), SKUs in
    scope, simulation parameters, and the last simulation and review (snapshots for the pages)."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Platform event")
        STORE = "store", _("Store theme")
        CUSTOM = "custom", _("Custom")

    class ReferenceBasis(models.TextChoices):
        PAID = "paid", _("Paid per unit (after every discount)")
        UNIT = "unit", _("Unit price after single-item offers")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CUSTOM)
    preset = models.CharField(_("calendar entry"), max_length=40, blank=True)
    warmup_start = models.DateField(_("warm-up starts"))
    main_start = models.DateField(_("main period starts"))
    main_end = models.DateField(_("main period ends"))
    return_end = models.DateField(_("return period ends"))
    goal_gmv_fen = models.BigIntegerField(_("GMV goal (fen)"), null=True, blank=True)
    goal_uv = models.IntegerField(_("visitor goal"), null=True, blank=True)
    goal_new_buyers = models.IntegerField(_("new buyer goal"), null=True, blank=True)
    budget_fen = models.BigIntegerField(_("budget (fen)"), default=0)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    promotions = models.JSONField(_("promotions"), default=list, blank=True)
    costs = models.JSONField(_("cost parameters"), default=dict, blank=True)
    min_margin_bp = models.IntegerField(_("minimum margin (basis points)"), default=1_000)
    floor_bp = models.IntegerField(_("default price floor (basis points of the list price)"), default=5_000)
    reference_days = models.IntegerField(_("reference price window (days)"), default=7)
    reference_basis = models.CharField(_("reference price basis"), max_length=10, choices=ReferenceBasis.choices,
                                       default=ReferenceBasis.PAID)
    notes = models.TextField(_("notes"), blank=True)
    simulation = models.JSONField(_("last simulation"), default=dict, blank=True)
    simulated_at = models.DateTimeField(_("simulated at"), null=True, blank=True)
    review = models.JSONField(_("last review"), default=dict, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-main_start", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(warmup_start__lte=F("main_start")) & Q(main_start__lte=F("main_end"))
                                   & Q(main_end__lte=F("return_end")), name="campaign_phases_in_order"),
            models.CheckConstraint(condition=Q(budget_fen__gte=0), name="campaign_budget_non_negative"),
        ]
        indexes = [models.Index(fields=["shop", "main_start"])]

    def __str__(self) -> str:
        return self.name


class CampaignSku(ShopScoped):
    """A SKU in the campaign's scope, with its own price floor and claimed 原价 when they differ from the
    defaults (floor: the campaign's share of the list price; claimed: the list price)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="skus")
    sku_code = models.CharField(_("SKU code"), max_length=64)
    floor_fen = models.BigIntegerField(_("price floor (fen)"), null=True, blank=True)
    claimed_fen = models.BigIntegerField(_("claimed original price (fen)"), null=True, blank=True)

    class Meta:
        ordering = ["sku_code"]
        verbose_name = _("campaign SKU")
        constraints = [models.UniqueConstraint(fields=["campaign", "sku_code"], name="uniq_campaign_sku")]


class ChecklistItem(ShopScoped):
    """Something to get ready (素材, 装修, stock, CS scripts…), owned by a person; mirrored as a to-do item."""

    class Kind(models.TextChoices):
        ASSETS = "assets", _("Creative assets")
        STOREFRONT = "storefront", _("Storefront decoration")
        STOCK = "stock", _("Stock")
        CS_SCRIPTS = "cs_scripts", _("Customer-service scripts")
        PRICING = "pricing", _("Prices and promotions")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checklist")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=160)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")


class CampaignAsset(ShopScoped):
    """One storefront asset of a campaign's asset plan (店铺视觉): a banner, a 主图 variant, a detail-page update…,
    owned by a person with a due date; open assets are mirrored as to-do items (services.checklist)."""

    class Kind(models.TextChoices):
        BANNER = "banner", _("Banner")
        MAIN_IMAGE = "main_image", _("Main image variant")
        DETAIL_PAGE = "detail_page", _("Detail-page update")
        VIDEO = "video", _("Main video")
        OTHER = "other", _("Other asset")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=160)
    channel = models.CharField(_("channel"), max_length=20, blank=True)  # empty: every channel of the campaign
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("campaign asset")
        verbose_name_plural = _("campaign assets")


class Lottery(ShopScoped):
    """抽奖: prizes, who may win (buyers whose paid orders in the campaign reach ``min_paid_fen``), and the
    recorded draw: its seed, the hash of the eligible list and the winners."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="lotteries")
    name = models.CharField(_("name"), max_length=120)
    min_paid_fen = models.BigIntegerField(_("minimum paid in the campaign (fen)"), default=0)
    prizes = models.JSONField(_("prizes"), default=list)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    eligible_hash = models.CharField(_("eligible list hash"), max_length=64, blank=True)
    eligible_count = models.IntegerField(_("eligible buyers"), default=0)
    winners = models.JSONField(_("winners"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("lottery")
        verbose_name_plural = _("lotteries")
        constraints = [models.CheckConstraint(condition=Q(min_paid_fen__gte=0), name="lottery_threshold_positive")]

    def __str__(self) -> str:
        return self.name
