"""Pages of customer-service tickets (客服工单) and their SLA: the list (with 我的工单), a ticket with its history,
SLA targets and the actions on it, a new ticket (also from an order page), SLA attainment per agent and channel,
and the service settings (business calendars and SLA policies). Reading needs ``VIEW_TICKETS``; working on
tickets ``SERVE_CUSTOMERS``; changing the settings ``CHANGE_SHOP`` (the shop's business hours are its profile)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_options
from shopops.core import roles
from shopops.core.clock import now as clock_now
from shopops.core.errors import FieldError, InvalidInput, NotFound, ShopOpsError
from shopops.core.i18n import said_errors
from shopops.core.selectors import users_of_shop
from shopops.members.selectors import customer_list
from shopops.orders.selectors import order_detail, order_list
from shopops.service import calendar as cal
from shopops.service import sla
from shopops.service.models import (
    BusinessCalendar,
    SlaPolicy,
    Ticket,
    TicketEvent,
    TicketKind,
    TicketPriority,
)
from shopops.service.selectors import tickets as selectors
from shopops.service.selectors.calendars import calendars_of, policies_of
from shopops.service.selectors.sop import reply_templates_for_ticket, ticket_checklists
from shopops.service.services import calendars as calendar_services
from shopops.service.services import tickets as services
from shopops.service.services.sop import sop_defaults_ensure
from shopops.service.views.common import SLA_STATE_NAMES
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.params import (
    business_date_problem,
    local_time,
    parse_business_date,
    parse_date,
    parse_id,
    tell_bad_query,
)
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column

UNASSIGNED, MINE = "-", "me"
SLA_PERIOD_DAYS = 30


_SIGNS = {sla.WARNING: "▲ ", sla.BREACHED: "✕ ", sla.MET: "✓ "}


def sla_state_label(state: str) -> str:
    """A ticket's or target's SLA state in words (a sign first, so a list shows it at a glance)."""
    if state not in (sla.OK, sla.WARNING, sla.BREACHED, sla.MET):
        return "—"
    return f"{_SIGNS.get(state, '')}{SLA_STATE_NAMES[state]}"


def target_label(target: str) -> str:
    return {sla.FIRST_RESPONSE: _("First response"), sla.NEXT_RESPONSE: _("Next response"),
            sla.RESOLUTION: _("Resolution")}.get(target, target)


def age_label(since: dt.datetime, now: dt.datetime) -> str:
    """How long ago, in days and hours (hours and minutes under a day)."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    days, hours = minutes // 1440, minutes % 1440 // 60
    if days:
        return _("%(d)sd %(h)sh") % {"d": days, "h": hours}
    if hours:
        return _("%(h)sh %(m)smin") % {"h": hours, "m": minutes % 60}
    return _("%(m)s min") % {"m": minutes}


def _by_field(errors: Iterable[FieldError]) -> dict[str, list[str]]:
    """Field name → its messages, so each shows beside its own input."""
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(error.field, []).append(error.message)
    return out


def _named(errors: Iterable[FieldError], labels: Mapping[str, Any]) -> list[str]:
    """Each problem as "<field's label>: <why>", for the summary above a form."""
    return [f"{labels.get(e.field, labels.get(e.field.split('[')[0], e.field))}: {e.message}" for e in errors]


# ------------------------------------------------------------------------------------------------ the list

def _assignee(ticket: Ticket) -> str:
    return ticket.assignee.get_username() if ticket.assignee is not None else _("Unassigned")


def _columns(user: Any, now: dt.datetime) -> list[Column]:
    columns = [
        Column("ticket", gettext_lazy("Ticket"), lambda t: f"#{t.pk} {t.subject}",
               link=lambda t: reverse("web:service_ticket", args=[t.pk])),
        Column("type", gettext_lazy("Type"), lambda t: t.get_kind_display()),
        Column("priority", gettext_lazy("Priority"), lambda t: t.get_priority_display()),
        Column("status", gettext_lazy("Status"), lambda t: t.get_status_display()),
        Column("channel", gettext_lazy("Channel"), lambda t: channel_label(t.channel) if t.channel else ""),
        Column("customer", gettext_lazy("Customer"), lambda t: t.customer.name if t.customer else "",
               link=lambda t: reverse("web:customer_detail", args=[t.customer_id]) if t.customer_id else ""),
        Column("order", gettext_lazy("Order"), lambda t: t.order.order_no if t.order else "",
               link=lambda t: reverse("web:order_detail", args=[t.order_id]) if t.order_id else ""),
        Column("assignee", gettext_lazy("Assignee"), _assignee),
        Column("age", gettext_lazy("Age"), lambda t: age_label(t.created_at, now)),
        Column("sla", gettext_lazy("SLA"), lambda t: sla_state_label(selectors.sla_state_now(t, now))),
        Column("due", gettext_lazy("Next due"), lambda t: local_time(_next_due(t))),
    ]
    hidden = {"customer"} if not user.has_perm(roles.VIEW_CUSTOMERS) else set()
    if not user.has_perm(roles.VIEW_ORDERS):
        hidden.add("order")
    return [c for c in columns if c.key not in hidden]


def _next_due(ticket: Ticket) -> dt.datetime | None:
    dues = [d for d in (ticket.first_response_due, ticket.next_response_due, ticket.resolution_due) if d]
    return min(dues) if dues else None


def _people(request: HttpRequest) -> list[tuple[str, str]]:
    return [(str(u.pk), u.get_username()) for u in users_of_shop(shop=request.shop)]


@page_requires(roles.VIEW_TICKETS)
def ticket_list(request: HttpRequest) -> HttpResponse:
    g, now = request.GET, clock_now()
    who = g.get("assignee", "")
    assignee_id = request.user.pk if who == MINE else parse_id(who)
    if who and who not in (MINE, UNASSIGNED) and assignee_id is None:
        tell_bad_query(request, _("Assignee"), _("Choose someone from the list."))
    qs = selectors.ticket_list(shop=request.shop, status=_choice(g, "status", Ticket.Status.values),
                               kind=_choice(g, "type", TicketKind.values), assignee_id=assignee_id,
                               unassigned=who == UNASSIGNED, channel=g.get("channel", ""),
                               sla_state=_choice(g, "sla", sla.STATES), q=g.get("q", "")[:100], now=now)
    actions = [{"url": "?assignee=me", "label": _("My tickets")}]
    if request.user.has_perm(roles.SERVE_CUSTOMERS):
        actions.insert(0, {"url": reverse("web:service_ticket_new"), "label": _("New ticket")})
    actions += [{"url": reverse("web:service_sla"), "label": _("SLA attainment")},
                {"url": reverse("web:service_settings"), "label": _("Service settings")}]
    page = ListPage(
        title=_("My tickets") if who == MINE else gettext_lazy("Tickets"),
        columns=_columns(request.user, now),
        filters=[
            Filter("status", gettext_lazy("Status"), [(v, str(label)) for v, label in Ticket.Status.choices]),
            Filter("type", gettext_lazy("Type"), [(v, str(label)) for v, label in TicketKind.choices]),
            Filter("assignee", gettext_lazy("Assignee"),
                   [(MINE, _("Me")), (UNASSIGNED, _("Unassigned")), *_people(request)]),
            Filter("channel", gettext_lazy("Channel"), channel_options()),
            Filter("sla", gettext_lazy("SLA"), [(s, sla_state_label(s)) for s in (sla.OK, sla.WARNING, sla.BREACHED,
                                                                                 sla.MET)]),
        ],
        export_name="tickets",
        search_placeholder=gettext_lazy("Ticket number, subject, order number, customer"),
        actions=actions,
        empty_text=gettext_lazy("No tickets yet."),
    )
    return render_list(request, page, qs, "")


def _choice(g: Mapping[str, str], name: str, allowed: Iterable[str]) -> str:
    value = g.get(name, "")
    return value if value in allowed else ""


# ------------------------------------------------------------------------------------------------ one ticket

def _event_line(event: TicketEvent, names: Mapping[int, str]) -> str:
    """What a history line did, in words (the text of a reply or note shows beside it)."""
    data = event.data or {}
    statuses = dict(Ticket.Status.choices)
    if event.kind == TicketEvent.Kind.STATUS:
        return f"{statuses.get(data.get('from'), '')} → {statuses.get(data.get('to'), '')}"
    if event.kind == TicketEvent.Kind.ASSIGNED:
        return _("to %(who)s") % {"who": names.get(data.get("to") or 0, _("nobody"))}
    if event.kind == TicketEvent.Kind.MERGED:
        if data.get("into"):
            return _("merged into ticket #%(id)s") % {"id": data["into"]}
        if data.get("from"):
            return _("ticket #%(id)s merged into this one") % {"id": data["from"]}
        return _("a new request about the same order joined this ticket")
    if event.kind == TicketEvent.Kind.CREATED:
        return " · ".join(str(label) for label in (dict(TicketKind.choices).get(data.get("type", "")),
                                                   dict(TicketPriority.choices).get(data.get("priority", ""))) if label)
    return ""


def _detail_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    now = clock_now()
    events = list(ticket.events.all())
    people = _people(request)
    names = {int(pk): name for pk, name in people}
    states = selectors.ticket_sla(ticket, now, events)
    status = ticket.status
    can_serve = request.user.has_perm(roles.SERVE_CUSTOMERS) and ticket.merged_into_id is None
    sop_defaults_ensure(shop=request.shop)  # the SOP's first use may be a ticket's page
    return {
        "ticket": ticket, "channel_name": channel_label(ticket.channel) if ticket.channel else "",
        "age": age_label(ticket.created_at, now),
        "sla_state": sla_state_label(sla.worst_state(states.values()) or ""),
        "sla_rows": [{"label": target_label(t), "due": s.due, "state": sla_state_label(s.state), "code": s.state,
                      "used": s.used_minutes, "allowance": s.allowance_minutes, "met_at": s.met_at}
                     for t, s in states.items()],
        "history": [{"event": e, "kind": _("Ticket opened") if e.kind == TicketEvent.Kind.CREATED
                     else e.get_kind_display(), "what": _event_line(e, names),
                     "actor": e.actor.get_username() if e.actor else ""} for e in events],
        "people": people,
        "show_order": request.user.has_perm(roles.VIEW_ORDERS),
        "show_customer": request.user.has_perm(roles.VIEW_CUSTOMERS),
        "can_serve": can_serve,
        "sop_templates": reply_templates_for_ticket(shop=request.shop, ticket=ticket) if can_serve else [],
        "checklists": ticket_checklists(shop=request.shop, ticket_id=ticket.pk),
        "can_pause": status == Ticket.Status.OPEN, "can_resume": status == Ticket.Status.PENDING,
        "can_resolve": status in selectors.OPEN_STATUSES, "can_close": status != Ticket.Status.CLOSED,
        "can_reply": status != Ticket.Status.CLOSED,
    }


def _ticket_or_404(request: HttpRequest, pk: int) -> Ticket:
    ticket = selectors.ticket_detail(shop=request.shop, pk=pk)
    if ticket is None:
        raise Http404
    return ticket


@page_requires(roles.VIEW_TICKETS)
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "service/ticket_detail.html", _detail_context(request, _ticket_or_404(request, pk)))


ACTION_FIELDS = {"reply": "text", "note": "text", "assign": "assignee", "merge": "into"}


def _run_action(request: HttpRequest, action: str, pk: int) -> tuple[int, str]:
    """Do one action on the ticket; returns the ticket to show next and what was done."""
    shop, post, user = request.shop, request.POST, request.user
    text = post.get("text", "")
    moves: dict[str, tuple[Callable[..., Ticket], str]] = {
        "reply": (services.ticket_reply, _("Reply sent.")),
        "note": (services.ticket_note, _("Note added.")),
        "pause": (services.ticket_pause, _("Waiting for the customer: the SLA clocks stopped.")),
        "resume": (services.ticket_resume, _("Resumed: the SLA due times were recomputed.")),
        "resolve": (services.ticket_resolve, _("Resolved.")),
        "close": (services.ticket_close, _("Closed.")),
    }
    if action in moves:
        service, done = moves[action]
        service(shop=shop, ticket_id=pk, text=text, actor=user)
        return pk, done
    if action == "assign":
        who = post.get("assignee", "")
        assignee_id = parse_id(who) if who else None
        if who and assignee_id is None:
            raise InvalidInput(_("The ticket was not assigned."),
                               [FieldError("assignee", _("Choose someone from the list."))])
        services.ticket_assign(shop=shop, ticket_id=pk, assignee_id=assignee_id, actor=user)
        return pk, _("Assigned.")
    if action == "merge":
        into = parse_id(post.get("into", "").strip().lstrip("#"))
        if into is None:
            raise InvalidInput(_("The tickets were not merged."),
                               [FieldError("into", _("Give the number of the ticket to merge into."))])
        target = services.ticket_merge(shop=shop, source_id=pk, target_id=into, actor=user)
        return target.pk, _("Merged into ticket #%(id)s.") % {"id": target.pk}
    raise Http404


@page_requires(roles.SERVE_CUSTOMERS)
@require_POST
def ticket_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Reply, note, assign, pause/resume, resolve, close or merge (``action``); on a problem the ticket's page
    again with the reason beside the form, nothing changed."""
    ticket = _ticket_or_404(request, pk)
    action = request.POST.get("action", "")
    try:
        shown, done = _run_action(request, action, pk)
    except NotFound:
        if action != "merge":
            raise Http404 from None
        errors = [FieldError("into", _("No such ticket in this shop."))]
        detail = _("The tickets were not merged.")
    except ShopOpsError as exc:
        detail, errors = exc.detail, exc.errors
    else:
        messages.success(request, done)
        return redirect("web:service_ticket", pk=shown)
    context = _detail_context(request, _ticket_or_404(request, ticket.pk))
    # a problem with a text names the form it came from, not the model's "text"
    field_errors = _by_field(FieldError(action if e.field in ("text", "status", "target") else e.field, e.message)
                             for e in errors)
    context.update(detail=detail, field_errors=field_errors, posted={action: request.POST.get("text", ""),
                                                                    "into": request.POST.get("into", "")})
    return render(request, "service/ticket_detail.html", context, status=422)


# ------------------------------------------------------------------------------------------------ new ticket

NEW_FIELDS = ("subject", "channel", "type", "priority", "order_no", "customer", "assignee", "text")


def _new_labels() -> dict[str, Any]:
    return {"subject": _("Subject"), "channel": _("Channel"), "type": _("Type"), "priority": _("Priority"),
            "order_no": _("Order number"), "order": _("Order number"), "customer": _("Customer code"),
            "assignee": _("Assignee"), "text": _("The customer's words"), "tags": _("Tags")}


def _lookup(request: HttpRequest, form: dict[str, str], errors: list[FieldError]) -> tuple[int | None, int | None]:
    """The order and customer the form names (by order number and customer code), or errors naming them."""
    order_id = customer_id = None
    if number := form["order_no"].strip():
        order = order_list(shop=request.shop, q=number)[0].filter(order_no=number).first()
        if order is None:
            errors.append(FieldError("order_no", _("No order %(no)s in this shop.") % {"no": number}))
        else:
            order_id = order.pk
    if code := form["customer"].strip():
        customer = customer_list(shop=request.shop, q=code)[0].filter(code=code).first()
        if customer is None:
            errors.append(FieldError("customer", _("No customer with the code %(code)s.") % {"code": code}))
        else:
            customer_id = customer.pk
    return order_id, customer_id


def _subject(form: dict[str, str]) -> str:
    """The subject given, or the start of the customer's words, or the type and order."""
    if subject := form["subject"].strip():
        return subject
    if text := " ".join(form["text"].split()):
        return text[:40] + ("…" if len(text) > 40 else "")
    kind = dict(TicketKind.choices).get(form["type"], "")
    return " · ".join(str(part) for part in (kind, form["order_no"].strip()) if part)


@page_requires(roles.SERVE_CUSTOMERS)
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    """A ticket by hand; ``?order=<id>`` (the order page's button) fills in the order, its customer and channel."""
    form = dict.fromkeys(NEW_FIELDS, "")
    form.update(type=TicketKind.INQUIRY, priority=TicketPriority.NORMAL)
    detail, errors = "", []
    if request.method == "GET" and (order_id := parse_id(request.GET.get("order"))) is not None:
        order = order_detail(shop=request.shop, pk=order_id)
        if order is not None:
            form.update(order_no=order.order_no, channel=order.channel, customer=order.customer.code)
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in NEW_FIELDS}
        lookup_errors: list[FieldError] = []
        order_id, customer_id = _lookup(request, form, lookup_errors)
        assignee_id = parse_id(form["assignee"]) if form["assignee"] else None
        if form["assignee"] and assignee_id is None:
            lookup_errors.append(FieldError("assignee", _("Choose someone from the list.")))
        try:
            if lookup_errors:
                raise InvalidInput(_("The ticket was not opened."), lookup_errors)
            ticket, created = services.ticket_open(
                shop=request.shop, actor=request.user, subject=_subject(form), kind=form["type"],
                priority=form["priority"], channel=form["channel"], order_id=order_id, customer_id=customer_id,
                assignee_id=assignee_id, text=form["text"])
        except ShopOpsError as exc:
            detail, errors = exc.detail, [FieldError("order_no" if e.field == "order" else e.field, e.message)
                                          for e in exc.errors]
        else:
            messages.success(request, (_("Ticket #%(id)s opened.") if created else
                                       _("The customer already has an open ticket about this order: the request "
                                         "joined ticket #%(id)s.")) % {"id": ticket.pk})
            return redirect("web:service_ticket", pk=ticket.pk)
    return render(request, "service/ticket_new.html", {
        "form": form, "detail": detail, "field_errors": _by_field(errors),
        "summary": _named(errors, _new_labels()), "channels": channel_options(),
        "kinds": TicketKind.choices, "priorities": TicketPriority.choices, "people": _people(request),
    }, status=422 if detail else 200)


# ------------------------------------------------------------------------------------------------ SLA attainment

def _rate_cells(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"met": row[t]["met"], "breached": row[t]["breached"], "running": row[t]["running"],
             "rate": row[t]["rate"]} for t in sla.TARGETS]


@page_requires(roles.VIEW_TICKETS)
def sla_page(request: HttpRequest) -> HttpResponse:
    """SLA attainment of the tickets created in a period, per agent and per channel, and every breach."""
    today = timezone.localdate()
    labels = {"date_from": _("From"), "date_to": _("To")}
    default_from = today - dt.timedelta(days=SLA_PERIOD_DAYS - 1)
    for name, default in (("date_from", default_from), ("date_to", today)):
        if problem := business_date_problem(request.GET.get(name), default=default):
            tell_bad_query(request, labels[name], problem)
    date_from = parse_business_date(request.GET.get("date_from"), default=default_from)
    date_to = parse_business_date(request.GET.get("date_to"), default=today)
    if date_to < date_from:
        tell_bad_query(request, labels["date_to"], _("The end date is before the start date."))
        date_from, date_to = default_from, today
    result = selectors.sla_attainment(shop=request.shop, date_from=date_from, date_to=date_to, now=clock_now())
    statuses = dict(Ticket.Status.choices)
    return render(request, "service/sla.html", {
        "date_from": date_from, "date_to": date_to, "targets": [target_label(t) for t in sla.TARGETS],
        "by_agent": [{"name": r["assignee"] or _("Unassigned"), "tickets": r["tickets"], "cells": _rate_cells(r)}
                     for r in result["by_agent"]],
        "by_channel": [{"name": channel_label(r["channel"]) if r["channel"] else _("No channel"),
                        "tickets": r["tickets"], "cells": _rate_cells(r)} for r in result["by_channel"]],
        "breaches": [{**b, "target": target_label(b["target"]), "status": statuses.get(b["status"], ""),
                      "channel": channel_label(b["channel"]) if b["channel"] else "",
                      "assignee": b["assignee"] or _("Unassigned")} for b in result["breaches"]],
    })


# ------------------------------------------------------------------------------------------------ settings

WEEK_FIELDS = tuple(f"week{i}" for i in range(7))
CALENDAR_FIELDS = ("name", "timezone", *WEEK_FIELDS, "holidays", "closed", "working")
POLICY_FIELDS = ("policy", "name", "channel", "type", "priority", "first_response", "next_response", "resolution",
                 "warn_percent", "calendar", "active")
_DATE_SPLIT = re.compile(r"[\s,，;；、]+")


def _calendar_labels() -> dict[str, Any]:
    return {"name": _("Name"), "timezone": _("Time zone"), "week": _("Working periods"),
            **{f"week{i}": WEEKDAYS[i] for i in range(7)}, "holidays": _("Public holidays"),
            "closed": _("Extra closed dates"), "working": _("Extra working dates")}


def _policy_labels() -> dict[str, Any]:
    return {"name": _("Name"), "channel": _("Channel"), "type": _("Type"), "priority": _("Priority"),
            "first_response": _("First response (minutes)"), "next_response": _("Next response (minutes)"),
            "resolution": _("Resolution (minutes)"), "warn_percent": _("Warn at (percent of the time used)"),
            "calendar": _("Business calendar")}


def _calendar_form(record: BusinessCalendar | None, shop_tz: str) -> dict[str, str]:
    if record is None:
        week = ["09:00-12:00, 13:30-18:00"] * 5 + ["", ""]
        return {"name": "", "timezone": shop_tz, **dict(zip(WEEK_FIELDS, week, strict=True)), "holidays": "cn",
                "closed": "", "working": ""}
    return {"name": record.name, "timezone": record.timezone,
            **dict(zip(WEEK_FIELDS, list(record.week) + [""] * (7 - len(record.week)), strict=False)),
            "holidays": record.holidays, "closed": "\n".join(record.closed_dates),
            "working": "\n".join(record.working_dates)}


def _policy_form(policy: SlaPolicy | None) -> dict[str, str]:
    if policy is None:
        return {"policy": "", "name": "", "channel": "", "type": "", "priority": "", "first_response": "",
                "next_response": "", "resolution": "", "warn_percent": "75", "calendar": "", "active": "1"}
    minutes = (policy.first_response_minutes, policy.next_response_minutes, policy.resolution_minutes)
    return {"policy": str(policy.pk), "name": policy.name, "channel": policy.channel, "type": policy.kind,
            "priority": policy.priority, **{k: "" if v is None else str(v) for k, v in
                                            zip(("first_response", "next_response", "resolution"), minutes,
                                                strict=True)},
            "warn_percent": str(policy.warn_percent), "calendar": policy.calendar.name,
            "active": "1" if policy.active else ""}


def _dates(text: str, field: str, errors: list[FieldError]) -> list[dt.date]:
    out = []
    for part in (p for p in _DATE_SPLIT.split(text.strip()) if p):
        day = parse_date(part)
        if day is None:
            errors.append(FieldError(field, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": part[:40]}))
        else:
            out.append(day)
    return out


def _whole(text: str, field: str, errors: list[FieldError]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        errors.append(FieldError(field, _("“%(value)s” is not a whole number.") % {"value": text[:20]}))
        return None
    return int(text)


def _week_field(error: FieldError) -> FieldError:
    """The calendar names weekday i's field ``week[i]``; the form's input is ``week<i>``."""
    return FieldError(re.sub(r"week\[(\d)\]", r"week\1", error.field), error.message)


def _save_calendar(request: HttpRequest, form: dict[str, str]) -> str:
    errors: list[FieldError] = []
    closed, working = _dates(form["closed"], "closed", errors), _dates(form["working"], "working", errors)
    week, holidays = [form[f] for f in WEEK_FIELDS], "cn" if form["holidays"] == "cn" else ""
    if errors:  # the other fields are checked too, so every problem is told at once
        try:
            cal.calendar_build(tz=form["timezone"], week=week, holidays=holidays)
        except InvalidInput as exc:
            errors += said_errors(exc.errors)
        raise InvalidInput(_("The business calendar was not saved."), [_week_field(e) for e in errors])
    try:
        record = calendar_services.calendar_save(
            shop=request.shop, name=form["name"], week=week, timezone=form["timezone"], holidays=holidays,
            closed=closed, working=working, actor=request.user)
    except InvalidInput as exc:
        raise InvalidInput(exc.detail, [_week_field(e) for e in exc.errors]) from None
    return _("Business calendar %(name)s saved.") % {"name": record.name}


def _save_policy(request: HttpRequest, form: dict[str, str]) -> str:
    """Numbers are read here, the rest checked by the service's rules: every problem is told at once."""
    errors: list[FieldError] = []
    numbers = {f: _whole(form[f], f, errors) for f in ("first_response", "next_response", "resolution",
                                                       "warn_percent")}
    values = {"name": form["name"].strip(), "first_response": numbers["first_response"],
              "next_response": numbers["next_response"], "resolution": numbers["resolution"],
              "channel": form["channel"], "kind": form["type"], "priority": form["priority"],
              "warn_percent": 75 if numbers["warn_percent"] is None else numbers["warn_percent"]}
    if errors:
        unread = {e.field for e in errors}
        errors += [e for e in calendar_services.sla_policy_errors(**values) if e.field not in unread]
        raise InvalidInput(_("The SLA policy was not saved."), errors)
    policy = calendar_services.sla_policy_save(
        shop=request.shop, policy_id=parse_id(form["policy"]) if form["policy"] else None,
        calendar=form["calendar"] or None, active=form["active"] == "1", actor=request.user, **values)
    return _("SLA policy %(name)s saved.") % {"name": policy.name}


def _settings_context(request: HttpRequest, *, calendar_form: dict[str, str] | None = None,
                      policy_form: dict[str, str] | None = None, which: str = "",
                      detail: str = "", errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    shop = request.shop
    calendar_services.calendar_default_ensure(shop=shop)
    calendars = calendars_of(shop=shop)
    policies = policies_of(shop=shop)
    if calendar_form is None:
        chosen = next((c for c in calendars if c.name == request.GET.get("calendar")), None)
        calendar_form = _calendar_form(chosen, shop.timezone)
    if policy_form is None:
        chosen_policy = next((p for p in policies if str(p.pk) == request.GET.get("policy")), None)
        policy_form = _policy_form(chosen_policy)
    errors = list(errors)
    labels = _calendar_labels() if which == "calendar" else _policy_labels()
    kinds, priorities = dict(TicketKind.choices), dict(TicketPriority.choices)
    return {
        "calendars": [{"record": c, "holidays": c.get_holidays_display(),
                       "week": [{"day": WEEKDAYS[i], "periods": (list(c.week) + [""] * 7)[i]} for i in range(7)]}
                      for c in calendars],
        "policies": [{"record": p, "channel": channel_label(p.channel) if p.channel else _("Any"),
                      "type": kinds.get(p.kind, _("Any")), "priority": priorities.get(p.priority, _("Any"))}
                     for p in policies],
        "calendar_form": calendar_form, "policy_form": policy_form,
        "week_fields": [{"name": f, "label": WEEKDAYS[i], "value": calendar_form[f]} for i, f in enumerate(WEEK_FIELDS)],
        "calendar_names": [c.name for c in calendars],
        "channels": channel_options(), "kinds": TicketKind.choices, "priorities": TicketPriority.choices,
        "can_change": request.user.has_perm(roles.CHANGE_SHOP),
        "which": which, "detail": detail, "field_errors": _by_field(errors), "summary": _named(errors, labels),
    }


@page_requires(roles.VIEW_TICKETS)
def settings_page(request: HttpRequest) -> HttpResponse:
    """The business calendars and SLA policies; ``?calendar=<name>`` / ``?policy=<id>`` fill in the edit forms."""
    return render(request, "service/settings.html", _settings_context(request))


@page_requires(roles.CHANGE_SHOP)
@require_POST
def settings_save(request: HttpRequest) -> HttpResponse:
    """Save a business calendar (``what=calendar``) or an SLA policy (``what=policy``): every field is checked
    first; on a problem the settings page again with each reason beside its field, nothing saved."""
    what = request.POST.get("what", "")
    if what not in ("calendar", "policy"):
        raise Http404
    fields = CALENDAR_FIELDS if what == "calendar" else POLICY_FIELDS
    form = {key: request.POST.get(key, "") for key in fields}
    try:
        done = (_save_calendar if what == "calendar" else _save_policy)(request, form)
    except NotFound:
        raise Http404 from None
    except ShopOpsError as exc:
        context = _settings_context(request, which=what, detail=exc.detail, errors=exc.errors,
                                    **{f"{what}_form": form})
        return render(request, "service/settings.html", context, status=422)
    messages.success(request, done)
    return redirect("web:service_settings")
