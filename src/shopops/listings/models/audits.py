"""A listing's last audit: its score per platform rules and the problems found (docs/rules/listings.md#score)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class ListingAudit(ShopScoped):
    """The latest audit of one channel listing, replaced by the next one. ``problems`` is the JSON contract of
    ``shopops listings audit``: ``[{"rule", "severity", "message", "span"}]`` (``message`` in English source text
    with its parameters filled, translated by the face; ``start``/``end`` locate ``span`` in the audited title
    when it comes from the title); ``components`` explains the score: ``{component: {"score", "weight"}}``;
    ``title`` is the title audited (an edited listing whose title differs is due a new audit)."""

    listing = models.OneToOneField("catalog.Listing", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("listing"))
    channel = models.CharField(_("channel"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    score = models.PositiveSmallIntegerField(_("score"))
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    worst_severity = models.CharField(_("worst severity"), max_length=10, blank=True)
    components = models.JSONField(_("score components"), default=dict, blank=True)
    rules_version = models.CharField(_("rule set"), max_length=40)
    audited_at = models.DateTimeField(_("audited at"))

    class Meta:
        ordering = ["score", "listing_id"]
        verbose_name = _("listing audit")
        verbose_name_plural = _("listing audits")
        indexes = [models.Index(fields=["shop", "score"], name="listing_audit_score"),
                   models.Index(fields=["shop", "channel", "score"], name="listing_audit_channel")]
