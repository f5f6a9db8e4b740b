"""Reads of SOPs: scenarios with their templates, which apply to a ticket, a ticket's ticked checklist items,
and a reply template rendered from a ticket's order, item, return and customer (service.templating)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from shopops.core.errors import NotFound
from shopops.core.i18n import say
from shopops.core.models import Shop
from shopops.service import templating
from shopops.service.models import ReplyTemplate, ReturnRequest, SopScenario, Ticket, TicketChecklistMark


def scenario_applies(scenario: SopScenario, ticket: Ticket) -> bool:
    """A scenario applies to a ticket of its type and channel (a blank one: any)."""
    return scenario.kind in ("", ticket.kind) and scenario.channel in ("", ticket.channel)


def sop_scenarios(*, shop: Shop) -> QuerySet[SopScenario]:
    """The shop's scenarios in their order, each with its templates."""
    return SopScenario.objects.filter(shop=shop).prefetch_related(
        Prefetch("templates", queryset=ReplyTemplate.objects.order_by("position", "id")))


def sop_scenario(*, shop: Shop, pk: int) -> SopScenario | None:
    return SopScenario.objects.filter(shop=shop, pk=pk).first()


def reply_template(*, shop: Shop, pk: int) -> ReplyTemplate | None:
    return ReplyTemplate.objects.select_related("scenario").filter(shop=shop, pk=pk).first()


def reply_templates(*, shop: Shop, scenario_id: int | None = None) -> QuerySet[ReplyTemplate]:
    """The shop's templates in scenario order, optionally of one scenario."""
    qs = (ReplyTemplate.objects.filter(shop=shop).select_related("scenario")
          .order_by("scenario__position", "scenario_id", "position", "id"))
    return qs if scenario_id is None else qs.filter(scenario_id=scenario_id)


def _ticket(shop: Shop, ticket_id: int) -> Ticket:
    ticket = (Ticket.objects.select_related("order", "order__customer", "customer", "shop")
              .filter(shop=shop, pk=ticket_id).first())
    if ticket is None:
        raise NotFound(_("No ticket %(id)s.") % {"id": ticket_id})
    return ticket


def ticket_scenarios(*, shop: Shop, ticket: Ticket) -> list[SopScenario]:
    """The scenarios that apply to the ticket, with their templates."""
    return [s for s in sop_scenarios(shop=shop) if scenario_applies(s, ticket)]


def ticket_checklists(*, shop: Shop, ticket_id: int) -> list[dict[str, Any]]:
    """Per applicable scenario its steps in order, each ticked or not (by whom, when)."""
    ticket = _ticket(shop, ticket_id)
    marks = {(m.scenario_id, m.item): m for m in
             TicketChecklistMark.objects.filter(ticket=ticket).select_related("done_by")}
    out = []
    for scenario in ticket_scenarios(shop=shop, ticket=ticket):
        steps = []
        for item in scenario.checklist:
            mark = marks.get((scenario.pk, item))
            steps.append({"item": item, "done": mark is not None,
                          "by": mark.done_by.get_username() if mark and mark.done_by else None,
                          "at": mark.done_at if mark else None})
        out.append({"scenario": scenario, "steps": steps,
                    "done": sum(s["done"] for s in steps), "total": len(steps)})
    return out


def ticket_template_values(ticket: Ticket) -> dict[str, templating.Value]:
    """The variables' values for a ticket (None: the ticket does not say): the order's number and paid
    amount, its first line's title, the tracking number and company of its newest return that has one, the
    refund of its newest return (refunded, else asked) or else what the order says was refunded, the
    customer's name (the ticket's, else the order's) and the shop's name."""
    order = ticket.order
    customer = ticket.customer or (order.customer if order is not None else None)
    values: dict[str, templating.Value] = {
        "order.no": order.order_no if order else None, "order.amount": order.paid_fen if order else None,
        "sku.title": None, "logistics.company": None, "logistics.no": None, "refund.amount": None,
        "customer.name": customer.name if customer is not None else None, "shop.name": ticket.shop.name,
    }
    if order is None:
        return values
    line = order.lines.order_by("id").first()
    values["sku.title"] = line.title if line is not None else None
    returns = list(ReturnRequest.objects.filter(shop=ticket.shop, order=order).prefetch_related("lines")
                   .order_by("-requested_at", "-id"))
    shipped = next((r for r in returns if r.logistics_no), None)
    if shipped is not None:
        values["logistics.company"], values["logistics.no"] = shipped.logistics_company, shipped.logistics_no
    if returns:
        newest = returns[0]
        values["refund.amount"] = newest.refunded_fen or sum(line.amount_fen for line in newest.lines.all())
    elif order.refunded_fen:
        values["refund.amount"] = order.refunded_fen
    return values


def template_render(*, shop: Shop, ticket_id: int, template_id: int) -> str:
    """A template's text for a ticket, variables filled in; missing values as visible placeholders in the
    active language (NotFound for another shop's ticket or template)."""
    ticket = _ticket(shop, ticket_id)
    template = reply_template(shop=shop, pk=template_id)
    if template is None:
        raise NotFound(_("No such reply template."))
    try:
        return templating.render(template.body, ticket_template_values(ticket), say)
    except templating.TemplateProblem:  # saved before a variable was withdrawn: show the text as written
        return template.body


def reply_templates_for_ticket(*, shop: Shop, ticket: Ticket) -> list[ReplyTemplate]:
    """The templates of the scenarios that apply to the ticket, in scenario order (the insert control's list)."""
    return [t for s in ticket_scenarios(shop=shop, ticket=ticket) for t in s.templates.all()]
