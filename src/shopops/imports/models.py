"""Import jobs: one import of one file in one format, with its options, progress and summary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class ImportJob(ShopScoped):
    """One import of one file in one format: its options, progress and summary (the CLI's JSON)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    format = models.CharField(_("format"), max_length=40)
    channel_account = models.ForeignKey("channels.ChannelAccount", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("channel account"))
    file_name = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(max_length=1000, blank=True)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    inserted = models.PositiveBigIntegerField(_("inserted"), default=0)
    updated = models.PositiveBigIntegerField(_("updated"), default=0)
    unchanged = models.PositiveBigIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveBigIntegerField(_("rejected"), default=0)
    errors = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(default=0.0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The process running the job, "host|boot id|pid|process start": a job left "running" by a process that
    # died (killed, crashed) is told from one still running by it (services.import_jobs_settle_dead).
    runner = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        db_table = "channels_importjob"  # created by the channels app before the pipeline had an app of its own

    def __str__(self) -> str:
        return f"{self.format} {self.file_name}"
