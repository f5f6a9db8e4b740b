"""The SOP page (/service/sop/): scenarios with their checklists and reply templates, edited with forms, and
the "insert template" fragment a ticket page loads with htmx (the template rendered for that ticket), and the
ticks of a scenario's checklist on a ticket. Reading needs ``VIEW_TICKETS``; editing, rendering for a reply and
ticking ``SERVE_CUSTOMERS``."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shopops.channels.domain import CHANNEL_CODES
from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.errors import NotFound, ShopOpsError
from shopops.core.i18n import say
from shopops.service import templating
from shopops.service.models import TicketKind
from shopops.service.selectors.sop import reply_template, sop_scenario, sop_scenarios, template_render
from shopops.service.selectors.tickets import ticket_detail
from shopops.service.services.sop import (
    MAX_BODY,
    scenario_delete,
    scenario_save,
    sop_defaults_ensure,
    template_delete,
    template_save,
    ticket_checklist_mark,
)
from shopops.ui.permissions import page_requires

EDIT = roles.SERVE_CUSTOMERS


def _say_error(request: HttpRequest, exc: ShopOpsError) -> None:
    messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))


def _mine_or_404(request: HttpRequest, find: Callable[..., object | None], pk: int | None) -> None:
    """Before anything: another shop's scenario or template (``find``) is as absent as a missing one."""
    if pk is not None and find(shop=request.shop, pk=pk) is None:
        raise Http404


def _position(value: str | None) -> int | None:
    """The position field: empty keeps it; anything but a whole number is out of range (the service says so)."""
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) <= 5 else -1


@page_requires(roles.VIEW_TICKETS)
def sop_page(request: HttpRequest) -> HttpResponse:
    """Scenarios in order, each with its checklist and templates; the forms for those who may edit."""
    shop = request.shop
    sop_defaults_ensure(shop=shop)
    kinds = dict(TicketKind.choices)
    scenarios = [{"scenario": s, "kind_label": kinds.get(s.kind, _("Any type")),
                  "channel_label": channel_label(s.channel) if s.channel else _("Any channel"),
                  "checklist_text": "\n".join(s.checklist), "templates": list(s.templates.all())}
                 for s in sop_scenarios(shop=shop)]
    return render(request, "service/sop.html", {
        "scenarios": scenarios, "can_edit": request.user.has_perm(EDIT),
        "kinds": TicketKind.choices, "channels": [(c, channel_label(c)) for c in CHANNEL_CODES],
        "variables": [(f"{{{{{name}}}}}", say(label)) for name, label in templating.VARIABLES.items()],
        "max_body": MAX_BODY})


def _done(request: HttpRequest, write: Callable[[], object], success: str = "") -> HttpResponse:
    """Run a write; say its problems (or ``success``) and go back to the SOP page."""
    try:
        write()
    except ShopOpsError as exc:
        _say_error(request, exc)
    else:
        if success:
            messages.success(request, success)
    return redirect("web:service_sop")


@page_requires(EDIT)
@require_POST
def scenario_save_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a scenario (no pk) or change one: name, ticket type and channel (blank: any), steps one per line."""
    post = request.POST
    _mine_or_404(request, sop_scenario, pk)
    return _done(request, lambda: scenario_save(
        shop=request.shop, actor=request.user, scenario_id=pk, name=post.get("name", ""),
        kind=post.get("kind", ""), channel=post.get("channel", ""), checklist=post.get("checklist", ""),
        position=_position(post.get("position"))), _("Saved."))


@page_requires(EDIT)
@require_POST
def scenario_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    _mine_or_404(request, sop_scenario, pk)
    return _done(request, lambda: scenario_delete(shop=request.shop, scenario_id=pk, actor=request.user))


@page_requires(EDIT)
@require_POST
def template_save_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a reply template (no pk) or change one; a 广告法 word or an unknown variable keeps it unsaved."""
    post = request.POST
    _mine_or_404(request, reply_template, pk)
    scenario = post.get("scenario", "")
    return _done(request, lambda: template_save(
        shop=request.shop, actor=request.user, template_id=pk,
        scenario_id=int(scenario) if scenario.isdigit() and len(scenario) < 12 else 0,
        title=post.get("title", ""), body=post.get("body", ""), position=_position(post.get("position"))),
        _("Saved."))


@page_requires(EDIT)
@require_POST
def template_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    _mine_or_404(request, reply_template, pk)
    return _done(request, lambda: template_delete(shop=request.shop, template_id=pk, actor=request.user))


@page_requires(EDIT)
def template_render_view(request: HttpRequest, ticket_id: int, template_id: int) -> HttpResponse:
    """The template's text for the ticket (an htmx fragment: the text only, escaped); 404 for another shop's."""
    try:
        text = template_render(shop=request.shop, ticket_id=ticket_id, template_id=template_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    return render(request, "service/sop_render.html", {"text": text})


@page_requires(EDIT)
@require_POST
def ticket_checklist_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the ticks of one scenario's checklist on a ticket (``scenario``; ``item``: each ticked step): each
    step that changed is ticked or unticked (and audited) by the service; back to the ticket's checklist.
    Another shop's ticket or a scenario that does not apply is 404."""
    scenario_id = request.POST.get("scenario", "")
    scenario = sop_scenario(shop=request.shop, pk=int(scenario_id)) if scenario_id.isdigit() and len(
        scenario_id) < 12 else None
    if ticket_detail(shop=request.shop, pk=pk) is None or scenario is None:
        raise Http404
    ticked = set(request.POST.getlist("item"))
    changed = 0
    try:
        for step in scenario.checklist:
            changed += ticket_checklist_mark(shop=request.shop, ticket_id=pk, scenario_id=scenario.pk, item=step,
                                             done=step in ticked, actor=request.user)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    if changed:
        messages.success(request, _("Checklist saved."))
    return redirect(reverse("web:service_ticket", args=[pk]) + "#checklist")
