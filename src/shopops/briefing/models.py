"""The daily report's settings per shop, the group robots it is pushed to, and the log of what was sent."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped

DEFAULT_SEND_TIME = dt.time(9, 0)


class BriefingSetting(ShopScoped):
    """Whether and when (local time of the shop) yesterday's report goes to the shop's robots."""

    enabled = models.BooleanField(_("send every day"), default=True)
    send_time = models.TimeField(_("send time"), default=DEFAULT_SEND_TIME)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("daily report setting")
        verbose_name_plural = _("daily report settings")
        constraints = [models.UniqueConstraint(fields=["shop"], name="uniq_briefing_setting_shop")]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.send_time:%H:%M}"


class RobotTarget(ShopScoped):
    """A group robot (企业微信 / 钉钉 / 飞书 custom robot) the report is pushed to."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")
        FEISHU = "feishu", _("Feishu group robot")

    kind = models.CharField(_("platform"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    webhook_url = models.CharField(_("webhook address"), max_length=1000)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return self.name


class BriefingSend(ShopScoped):
    """One attempt to push the report of ``date`` to a robot, and the platform's answer."""

    date = models.DateField(_("report date"))
    target = models.ForeignKey(RobotTarget, on_delete=models.CASCADE, related_name="sends",
                               verbose_name=_("group robot"))
    ok = models.BooleanField(_("delivered"), default=False)
    manual = models.BooleanField(_("sent by hand"), default=False)
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("report push")
        verbose_name_plural = _("report pushes")
        indexes = [models.Index(fields=["target", "date"], name="briefing_send_target_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.target_id} {'ok' if self.ok else 'failed'}"
