"""Writes of reviews: a platform's review export, created or updated idempotently by (channel, order number).

All or nothing: every row is checked first (order number, buyer, time, the three scores 1–5), each problem
named by row and field in the user's language; then one transaction writes what changed. The same rows again
change nothing. A review's order is linked by its number when the shop has exactly one order of that number
on the channel. A review whose text is the platform's default one (系统默认好评) is a default review whatever the
file says (docs/rules/dsr.md#default-rating).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.clock import now
from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop
from shopops.orders import selectors as order_selectors
from shopops.service.dsr import DIMENSIONS, HIGHEST, LOWEST, is_default_text
from shopops.service.models import Review

MAX_ORDER_NO, MAX_BUYER = 64, 100
_FIELDS = ("order_id", "buyer", "reviewed_at", *DIMENSIONS, "text", "is_default")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One review to store; ``row`` is its row in the file (0: not from a file)."""

    order_no: str
    buyer: str
    reviewed_at: dt.datetime | None
    description: int | None = None
    service: int | None = None
    logistics: int | None = None
    text: str = ""
    is_default: bool | None = None  # None: decided from the text
    row: int = 0


@dataclass(frozen=True, slots=True)
class ReviewsResult:
    inserted: int
    updated: int
    unchanged: int


def _check(rows: Sequence[ReviewRow]) -> None:
    errors = ErrorCollector()
    seen: dict[str, int] = {}
    latest = now() + dt.timedelta(minutes=5)  # a clock a little ahead is no error
    for r in rows:
        row = r.row or None
        if not r.order_no:
            errors.add("order_no", _("The order number is empty."), row)
        elif len(r.order_no) > MAX_ORDER_NO:
            errors.add("order_no", _("The order number is longer than %(n)s characters.") % {"n": MAX_ORDER_NO}, row)
        elif r.order_no in seen:
            errors.add("order_no", _("The order %(no)s is also reviewed on row %(row)s.")
                       % {"no": r.order_no, "row": seen[r.order_no]}, row)
        seen.setdefault(r.order_no, r.row)
        if not r.buyer:
            errors.add("buyer", _("The buyer is empty."), row)
        elif len(r.buyer) > MAX_BUYER:
            errors.add("buyer", _("The buyer is longer than %(n)s characters.") % {"n": MAX_BUYER}, row)
        if r.reviewed_at is None:
            errors.add("reviewed_at", _("The review time is empty."), row)
        elif r.reviewed_at > latest:
            errors.add("reviewed_at", _("The review time is in the future."), row)
        for name in DIMENSIONS:
            score = getattr(r, name)
            if score is not None and not LOWEST <= score <= HIGHEST:
                errors.add(name, _("A score is a whole number from %(low)s to %(high)s, not %(value)s.")
                           % {"low": LOWEST, "high": HIGHEST, "value": score}, row)
    errors.raise_if_any(_("The reviews were not imported: fix the rows named below."))


def reviews_upsert(*, shop: Shop, channel: str, rows: Sequence[ReviewRow], dry_run: bool = False) -> ReviewsResult:
    """Create or update the shop's reviews on ``channel`` from ``rows`` (InvalidInput, nothing written, when a
    row is bad); ``dry_run`` only counts what would change."""
    _check(rows)
    order_ids = order_selectors.order_ids_by_no(shop=shop, channel=channel, order_nos=[r.order_no for r in rows])
    numbers = sorted({r.order_no for r in rows})
    stored = {review.order_no: review for start in range(0, len(numbers), 900)
              for review in Review.objects.filter(shop=shop, channel=channel,
                                                  order_no__in=numbers[start : start + 900])}
    new: list[Review] = []
    changed: list[Review] = []
    for r in rows:
        values = {"order_id": order_ids.get(r.order_no), "buyer": r.buyer, "reviewed_at": r.reviewed_at,
                  "description": r.description, "service": r.service, "logistics": r.logistics, "text": r.text,
                  "is_default": r.is_default if r.is_default is not None else is_default_text(r.text)}
        review = stored.get(r.order_no)
        if review is None:
            new.append(Review(shop=shop, channel=channel, order_no=r.order_no, **values))
        elif any(getattr(review, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(review, k, v)
            review.updated_at = now()
            changed.append(review)
    if not dry_run:
        with transaction.atomic():
            Review.objects.bulk_create(new, batch_size=500)
            if changed:
                Review.objects.bulk_update(changed, [*_FIELDS, "updated_at"], batch_size=500)
    return ReviewsResult(len(new), len(changed), len(rows) - len(new) - len(changed))
