"""/api/v1/service/templates: the shop's reply templates (optionally those that apply to a ticket) and one
rendered for a ticket, variables filled in from its order, item, return and customer. Listing needs
``VIEW_TICKETS``, rendering (text for a reply) ``SERVE_CUSTOMERS``; another shop's ticket or template is as
absent as a missing one (404). The shop's default scenarios are seeded on first use."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from shopops.core.api_auth import current_shop, needs
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.roles import SERVE_CUSTOMERS, VIEW_TICKETS
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.service import templating
from shopops.service.models import ReplyTemplate
from shopops.service.selectors.sop import (
    reply_template,
    reply_templates,
    reply_templates_for_ticket,
    template_render,
)
from shopops.service.selectors.tickets import ticket_detail
from shopops.service.services.sop import sop_defaults_ensure

router = Router(tags=["service"])
TEMPLATE_ID = Path(..., ge=1, le=MAX_DB_ID)


class ScenarioOut(Schema):
    id: int
    name: str
    type: str = Field(..., description="ticket type it applies to; empty: any")
    channel: str = Field(..., description="channel code it applies to; empty: any")
    checklist: list[str]


class TemplateOut(Schema):
    id: int
    title: str
    body: str
    variables: list[str]
    scenario: ScenarioOut


class TemplatePage(Schema):
    items: list[TemplateOut]
    count: int


class TemplateFilters(Schema):
    scenario: int | None = Field(None, ge=1, le=MAX_DB_ID)
    ticket: int | None = Field(None, ge=1, le=MAX_DB_ID, description="only the templates that apply to it")


class RenderFilters(Schema):
    ticket: int | None = Field(None, ge=1, le=MAX_DB_ID, description="required: the ticket to render for")


class RenderedOut(Schema):
    template: int
    ticket: int
    text: str


def _variables(body: str) -> list[str]:
    try:
        return templating.variables_of(body)
    except templating.TemplateProblem:
        return []


def template_out(template: ReplyTemplate) -> dict:
    s = template.scenario
    return {"id": template.pk, "title": template.title, "body": template.body,
            "variables": _variables(template.body),
            "scenario": {"id": s.pk, "name": s.name, "type": s.kind, "channel": s.channel,
                         "checklist": s.checklist}}


@router.get("", response={200: TemplatePage, **ERRORS}, auth=needs(VIEW_TICKETS))
def list_templates(request: HttpRequest, filters: Query[TemplateFilters]) -> dict:
    """In scenario order; ``ticket`` keeps those whose scenario applies to the ticket (404: no such ticket)."""
    shop = current_shop(request)
    sop_defaults_ensure(shop=shop)
    if filters.ticket is not None:
        ticket = ticket_detail(shop=shop, pk=filters.ticket)
        if ticket is None:
            raise HttpError(404, _("No such ticket."))
        templates = reply_templates_for_ticket(shop=shop, ticket=ticket)
    else:
        templates = list(reply_templates(shop=shop))
    if filters.scenario is not None:
        templates = [t for t in templates if t.scenario_id == filters.scenario]
    return {"items": [template_out(t) for t in templates], "count": len(templates)}


@router.get("/{template_id}/render", response={200: RenderedOut, **ERRORS}, auth=needs(SERVE_CUSTOMERS))
def render_template(request: HttpRequest, filters: Query[RenderFilters], template_id: int = TEMPLATE_ID) -> dict:
    """The template's text for ``ticket``; a value the ticket lacks is a visible placeholder."""
    shop = current_shop(request)
    if reply_template(shop=shop, pk=template_id) is None:
        raise HttpError(404, _("No such reply template."))
    if filters.ticket is None:
        raise InvalidInput(_("Invalid input."), [FieldError("ticket", _("This field is required."))])
    text = template_render(shop=shop, ticket_id=filters.ticket, template_id=template_id)
    return {"template": template_id, "ticket": filters.ticket, "text": text}
