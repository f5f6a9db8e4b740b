"""SOPs (客服标准流程): per scenario a checklist and reply templates with variables (service.templating), and
which checklist items an agent has ticked on a ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shopops.channels.domain import CHANNEL_CHOICES
from shopops.core.models import ShopScoped
from shopops.service.models.tickets import Ticket, TicketKind


class SopScenario(ShopScoped):
    """A situation an agent meets (物流查询, 退换货…): the ticket type and channel it applies to (blank: any)
    and the steps to follow, in order (a list of texts)."""

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("ticket type"), max_length=20, choices=TicketKind.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    builtin = models.CharField(_("built-in scenario"), max_length=20, blank=True)  # the seed's key; blank: own
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("SOP scenario")
        verbose_name_plural = _("SOP scenarios")
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="uniq_sop_scenario_name"),
            models.UniqueConstraint(fields=["shop", "builtin"], condition=~Q(builtin=""),
                                    name="uniq_sop_scenario_builtin"),
        ]

    def __str__(self) -> str:
        return self.name


class ReplyTemplate(ShopScoped):
    """A canned reply of a scenario; its body may use the variables of service.templating.VARIABLES and has
    passed the 广告法 check when saved."""

    scenario = models.ForeignKey(SopScenario, on_delete=models.CASCADE, related_name="templates",
                                 verbose_name=_("scenario"))
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        constraints = [models.UniqueConstraint(fields=["scenario", "title"], name="uniq_reply_template_title")]

    def __str__(self) -> str:
        return self.title


class TicketChecklistMark(ShopScoped):
    """One ticked checklist item of a scenario on a ticket (by the item's text, so reordering keeps it)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="checklist_marks",
                               verbose_name=_("ticket"))
    scenario = models.ForeignKey(SopScenario, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("scenario"))
    item = models.CharField(_("checklist item"), max_length=200)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("by"))
    done_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["done_at", "id"]
        verbose_name = _("ticked checklist item")
        verbose_name_plural = _("ticked checklist items")
        constraints = [models.UniqueConstraint(fields=["ticket", "scenario", "item"],
                                               name="uniq_ticket_checklist_mark")]
