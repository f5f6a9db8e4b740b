"""A return request opens a 退换货 ticket for its order, or joins the open ticket of the same customer and order
(``ticket_open``'s merge rule): once per return, however often it is requested or imported again. Called by the
returns services (``return_request``; ``returns_import`` for the returns still in progress)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shopops.core.models import Shop, User
from shopops.orders import selectors as order_selectors
from shopops.service.models import ReturnRequest, Ticket, TicketKind
from shopops.service.selectors.tickets import ticket_refs
from shopops.service.services.tickets import ticket_open


def return_ticket_ensure(*, shop: Shop, request: ReturnRequest, actor: User | None = None) -> Ticket | None:
    """The ticket of ``request`` (opened or joined now), or None when it has one already."""
    if ticket_refs(shop=shop, key="return", values=[request.pk]):
        return None
    order = order_selectors.order_detail(shop=shop, pk=request.order_id)
    number = order.order_no if order is not None else str(request.order_id)
    ticket, _new = ticket_open(shop=shop, subject=_("Return request for order %(no)s") % {"no": number},
                               actor=actor, kind=TicketKind.RETURN, channel=request.channel,
                               order_id=request.order_id if order is not None else None, text=request.note,
                               at=request.requested_at, ref={"return": request.pk})
    return ticket
