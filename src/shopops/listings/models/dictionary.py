"""The shop dictionary (店铺词库): words the title rules must know about this shop (docs/rules/listings.md#tokens)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class ShopWord(ShopScoped):
    """One word of the shop dictionary. Brand words, model numbers and product terms are protected (never split
    by the tokenizer, never flagged by the 广告法 check: the brand 最生活 is not the 极限词 最); rival brands are
    flagged when they appear in our titles; allowed words extend the 广告法 allow-list."""

    class Kind(models.TextChoices):
        BRAND = "brand", _("our brand")
        MODEL = "model", _("model number")
        TERM = "term", _("product term")
        RIVAL_BRAND = "rival_brand", _("another brand")
        ALLOWED = "allowed", _("allowed word")

    word = models.CharField(_("word"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TERM)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    PROTECTED = (Kind.BRAND, Kind.MODEL, Kind.TERM)

    class Meta:
        ordering = ["kind", "word"]
        verbose_name = _("dictionary word")
        verbose_name_plural = _("shop dictionary")
        constraints = [models.UniqueConstraint(fields=["shop", "word"], name="uniq_shop_word")]

    def __str__(self) -> str:
        return self.word
