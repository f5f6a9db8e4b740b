"""The operator's to-do list: items raised by campaigns (checklists), inventory and analytics (alerts)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped


class TodoItem(ShopScoped):
    """One thing someone has to do. ``(source, key)`` identifies it so the raiser can update or close it."""

    class Severity(models.TextChoices):
        INFO = "info", _("Info")
        WARNING = "warning", _("Warning")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DISMISSED = "dismissed", _("Dismissed")

    source = models.CharField(_("source"), max_length=40)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.INFO)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="todo_items", verbose_name=_("assignee"))
    role = models.CharField(_("role"), max_length=20, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    data = models.JSONField(_("numbers"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Hidden from the open list until this local date (shown under 已暂缓 until then); None: not snoozed.
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)

    class Meta:
        ordering = ["status", "due_date", "-id"]
        verbose_name = _("to-do item")
        verbose_name_plural = _("to-do items")
        constraints = [models.UniqueConstraint(fields=["shop", "source", "key"], name="uniq_todo_source_key")]
        indexes = [models.Index(fields=["shop", "status", "assignee"], name="todo_open_by_assignee")]

    def __str__(self) -> str:
        return self.title


class TodoComment(ShopScoped):
    """A note someone left on a to-do item (who looked, what was decided); kept when the item closes."""

    item = models.ForeignKey(TodoItem, on_delete=models.CASCADE, related_name="comments",
                             verbose_name=_("to-do item"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("to-do comment")
        verbose_name_plural = _("to-do comments")

    def __str__(self) -> str:
        return self.text[:50]
