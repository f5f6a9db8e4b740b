"""Tickets (客服工单), their history, SLA policies and the business calendars they are measured on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shopops.channels.domain import CHANNEL_CHOICES
from shopops.core.models import ShopScoped


class BusinessCalendar(ShopScoped):
    """When service works (service.calendar): periods per weekday as text (``"09:00-12:00, 13:30-18:00"``),
    a holiday source and the shop's own closed and working dates (ISO date lists)."""

    class Holidays(models.TextChoices):
        CN = "cn", _("China's public holidays and make-up workdays")
        NONE = "", _("No public holidays")

    name = models.CharField(_("name"), max_length=60)
    timezone = models.CharField(_("time zone"), max_length=64)
    week = models.JSONField(_("working periods"), default=list)  # 7 texts, Monday first
    holidays = models.CharField(_("holidays"), max_length=10, choices=Holidays.choices, blank=True,
                                default=Holidays.CN)
    closed_dates = models.JSONField(_("extra closed dates"), default=list, blank=True)
    working_dates = models.JSONField(_("extra working dates"), default=list, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="uniq_business_calendar_name"),
            models.UniqueConstraint(fields=["shop"], condition=Q(is_default=True),
                                    name="uniq_default_business_calendar"),
        ]

    def __str__(self) -> str:
        return self.name


class TicketKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    COMPLAINT = "complaint", _("Complaint")
    RETURN = "return", _("Return or exchange")
    LOGISTICS = "logistics", _("Logistics")
    QUALITY = "quality", _("Quality")
    BAD_REVIEW = "bad_review", _("Bad review")


class TicketPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class SlaPolicy(ShopScoped):
    """Targets in business minutes for the tickets it matches; blank channel, type or priority matches any,
    and the most specific match wins (docs/rules/business-calendar.md#sla-rules)."""

    name = models.CharField(_("name"), max_length=80)
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=TicketKind.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=TicketPriority.choices, blank=True)
    first_response_minutes = models.PositiveIntegerField(_("first response (minutes)"), null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(_("next response (minutes)"), null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(_("resolution (minutes)"), null=True, blank=True)
    warn_percent = models.PositiveSmallIntegerField(_("warn at (percent of the allowance used)"), default=75)
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="policies",
                                 verbose_name=_("business calendar"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="uniq_sla_policy_name"),
            models.CheckConstraint(condition=Q(warn_percent__gte=1) & Q(warn_percent__lte=100),
                                   name="sla_warn_percent_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Ticket(ShopScoped):
    """A customer's matter: an inquiry, a complaint, a return… with its SLA due times stored for lists."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PENDING = "pending", _("Waiting for the customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    subject = models.CharField(_("subject"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES, blank=True)
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("order"))
    customer = models.ForeignKey("members.Customer", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("customer"))
    kind = models.CharField(_("type"), max_length=20, choices=TicketKind.choices, default=TicketKind.INQUIRY)
    priority = models.CharField(_("priority"), max_length=10, choices=TicketPriority.choices,
                                default=TicketPriority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("assignee"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="merged_from", verbose_name=_("merged into"))
    policy = models.ForeignKey(SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("SLA policy"))
    # SLA, refreshed on every event and by sla_sweep: due times (None: met, paused or no target) and the
    # worst state of the targets (service.sla), so lists sort and filter without recomputing.
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    next_response_due = models.DateTimeField(_("next response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    sla_state = models.CharField(_("SLA state"), max_length=10, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [("serve_customers", _("Can work on customer-service tickets"))]
        indexes = [
            models.Index(fields=["shop", "status", "-created_at"], name="ticket_by_status"),
            models.Index(fields=["shop", "assignee", "status"], name="ticket_by_assignee"),
            models.Index(fields=["shop", "customer", "order", "status"], name="ticket_by_customer_order"),
        ]

    def __str__(self) -> str:
        return self.subject


class TicketEvent(ShopScoped):
    """One line of a ticket's history: who did what when (a reply's or note's text, a status change…)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ASSIGNED = "assigned", _("Assigned")
        STATUS = "status", _("Status changed")
        AGENT_REPLY = "agent_reply", _("Agent reply")
        CUSTOMER_MESSAGE = "customer_message", _("Customer message")
        NOTE = "note", _("Internal note")
        MERGED = "merged", _("Merged")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)  # e.g. {"from": "open", "to": "pending"}

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [models.Index(fields=["ticket", "at"], name="ticket_event_by_time")]
