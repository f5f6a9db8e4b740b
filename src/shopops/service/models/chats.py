"""Chat sessions and their messages, as the platforms' chat exports (千牛, 京东咚咚, 抖店飞鸽) give them.

Natural keys make a re-import idempotent: a session is (shop, channel, platform session id), a message is its
session and its place in it (docs/rules/service-chats.md#sessions). Message texts are the customers' words:
stored as given, escaped wherever shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shopops.channels.domain import CHANNEL_CHOICES
from shopops.core.models import ShopScoped


class ChatSession(ShopScoped):
    """One conversation of a buyer with the shop on a channel."""

    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES)
    channel_account = models.ForeignKey("channels.ChannelAccount", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("channel account"))
    session_id = models.CharField(_("platform session id"), max_length=120)
    buyer_nick = models.CharField(_("buyer"), max_length=80)
    customer = models.ForeignKey("members.Customer", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("customer"))
    agent = models.CharField(_("agent"), max_length=80, blank=True)
    agent_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("agent's user"))
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))

    class Meta:
        verbose_name = _("chat session")
        verbose_name_plural = _("chat sessions")
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shop", "channel", "session_id"], name="uniq_chat_session")]
        indexes = [models.Index(fields=["shop", "started_at"]), models.Index(fields=["shop", "channel", "buyer_nick"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.session_id}"


class ChatMessage(ShopScoped):
    """One message of a session: who said it (buyer, agent or system), when, and what."""

    class Side(models.TextChoices):
        BUYER = "buyer", _("buyer")
        AGENT = "agent", _("agent")
        SYSTEM = "system", _("system")

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField(_("position"))
    side = models.CharField(_("sender"), max_length=10, choices=Side.choices)
    agent = models.CharField(_("agent"), max_length=80, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["session", "seq"]
        constraints = [models.UniqueConstraint(fields=["session", "seq"], name="uniq_chat_message_seq")]
        indexes = [models.Index(fields=["shop", "sent_at"])]
