"""Bad reviews become 差评 tickets (docs/rules/dsr.md#bad-review): one ticket per review, whatever how often the
reviews are imported. The reviews import calls ``bad_review_tickets_open`` after it wrote the file's reviews."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from shopops.core.models import Shop, User
from shopops.service.models import TicketKind, TicketPriority
from shopops.service.selectors.reviews import bad_reviews
from shopops.service.selectors.tickets import ticket_refs
from shopops.service.services.tickets import ticket_open


def bad_review_tickets_open(*, shop: Shop, since: dt.date, channel: str | None = None,
                            actor: User | None = None) -> int:
    """Open a 差评 ticket (high priority, at the review's time) for each bad review given on or after ``since``
    that has none yet; a review about an order whose customer has an open ticket about it joins that ticket.
    Returns how many reviews got a ticket now (0 when every one had one already)."""
    reviews = list(bad_reviews(shop, since, channel=channel))
    done = ticket_refs(shop=shop, key="review", values=[review.pk for review in reviews])
    opened = 0
    for review in reviews:
        if review.pk in done:
            continue
        ticket_open(shop=shop, subject=_("Bad review of order %(no)s") % {"no": review.order_no}, actor=actor,
                    kind=TicketKind.BAD_REVIEW, priority=TicketPriority.HIGH, channel=review.channel,
                    order_id=review.order_id, text=review.text, at=review.reviewed_at, ref={"review": review.pk})
        opened += 1
    return opened
