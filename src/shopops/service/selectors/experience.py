"""The components of the shop experience score (店铺体验分) that imported data can measure, over the rolling 90
days up to a date (docs/rules/experience-score.md).

The platforms do not publish the weights (docs/rules/experience-score.md#no-weights): this module never sums
the components into a score. Each component says what it counts and from which data; one the data cannot
give is None with the reason. Every figure reuses the rule's one home: good and bad reviews and default reviews
(``service.dsr``), the 3-minute reply rate (``conversations.chat_kpis``), paid orders and the median time from
request to refund (``selectors.dashboard.refund_figures``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from shopops.core.clock import day_bounds, today
from shopops.core.models import Shop
from shopops.service import return_rules
from shopops.service.conversations import ChatRules, chat_kpis
from shopops.service.dsr import DIMENSIONS, rounded
from shopops.service.models import ReturnRequest, Review, Ticket, TicketKind
from shopops.service.selectors.chats import chat_stats
from shopops.service.selectors.dashboard import refund_figures
from shopops.service.selectors.reviews import low_score_q

WINDOW_DAYS = 90  # docs/rules/experience-score.md#window
GOOD_AT_LEAST = 4  # docs/rules/experience-score.md#good-rate: a 4 or 5 is a good rating
RATE_PLACES = 4
PRODUCT, LOGISTICS, SERVICE = "product", "logistics", "service"
GROUPS = (PRODUCT, LOGISTICS, SERVICE)
QUALITY_REASON = "quality"  # return_rules.REASONS: 质量问题


@dataclass(frozen=True, slots=True)
class Component:
    """One measured indicator: a rate in 0..1 (numerator / denominator) or seconds; ``value`` None with
    ``no_data_reason`` when nothing could be measured."""

    key: str
    group: str
    name: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    source: str
    no_data_reason: str = ""
    unit: str = "rate"  # "rate" or "seconds"

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "group": self.group, "name": self.name,
                "value": None if self.value is None else str(self.value), "unit": self.unit,
                "numerator": self.numerator, "denominator": self.denominator, "source": self.source,
                "no_data_reason": self.no_data_reason or None}


def group_names() -> dict[str, str]:
    return {PRODUCT: _("Product experience (商品体验)"), LOGISTICS: _("Logistics experience (物流体验)"),
            SERVICE: _("Service experience (服务体验)")}


def _rate(key: str, group: str, name: str, numerator: int, denominator: int, source: str,
          empty: str) -> Component:
    if not denominator:
        return Component(key, group, name, None, numerator, denominator, source, empty)
    return Component(key, group, name, rounded(Fraction(numerator, denominator), RATE_PLACES), numerator,
                     denominator, source)


def _window(shop: Shop, as_of: dt.date | None, days: int) -> tuple[dt.date, dt.date]:
    end = as_of or today(shop.timezone)
    return end - dt.timedelta(days=days - 1), end


def _good_rates(shop: Shop, since: dt.datetime, until: dt.datetime) -> list[Component]:
    """商品/物流/服务 好评率: real (not default) ratings of 4 or 5 in the dimension ÷ real ratings in it."""
    reviews = Review.objects.filter(shop=shop, is_default=False, reviewed_at__gte=since, reviewed_at__lt=until)
    rows = list(reviews.values_list(*DIMENSIONS))
    names = {"description": (PRODUCT, _("Product good-review rate (商品好评率)")),
             "logistics": (LOGISTICS, _("Logistics good-review rate (物流好评率)")),
             "service": (SERVICE, _("Service good-review rate (服务好评率)"))}
    out = []
    for index, dimension in enumerate(DIMENSIONS):
        scores = [row[index] for row in rows if row[index] is not None]
        group, name = names[dimension]
        out.append(_rate(f"good_rate_{dimension}", group, name, sum(s >= GOOD_AT_LEAST for s in scores),
                         len(scores), _("Imported reviews"), _("No rated review in the period.")))
    return out


def _after_sale_bad_rate(shop: Shop, since: dt.datetime, until: dt.datetime) -> Component:
    """售后差评率: among the real reviews of the period on orders that had a return, the bad ones (a 1 or 2 in
    any dimension, docs/rules/dsr.md#bad-review)."""
    returned = ReturnRequest.objects.filter(shop=shop).values("order_id")
    reviews = Review.objects.filter(shop=shop, is_default=False, reviewed_at__gte=since, reviewed_at__lt=until,
                                    order_id__in=returned)
    return _rate("after_sale_bad_rate", SERVICE, _("After-sale bad-review rate (售后差评率)"),
                 reviews.filter(low_score_q()).count(), reviews.count(), _("Imported reviews and returns"),
                 _("No review of an order with a return in the period."))


def _reply_3min(shop: Shop, start: dt.date, end: dt.date) -> Component:
    """IM 3分钟回复率: the chats' waits answered within 3 minutes (docs/rules/service-chats.md#reply-3min)."""
    rules = ChatRules(tz=shop.timezone)
    stats, paid = chat_stats(shop=shop, start=start, end=end, rules=rules)
    kpis = chat_kpis(stats, paid, by="shop", rules=rules)
    quick, waits = (kpis[0].quick_replies, kpis[0].waits) if kpis else (0, 0)
    return _rate("im_reply_3min_rate", SERVICE, _("IM 3-minute reply rate (IM 3分钟回复率)"), quick, waits,
                 _("Imported chats"), _("No buyer message waiting for a reply in the period."))


def experience_components(shop: Shop, as_of: dt.date | None = None, days: int = WINDOW_DAYS) -> list[Component]:
    """The measurable components over the ``days`` up to ``as_of`` (default today), grouped 商品体验, 物流体验,
    服务体验 in that order; never a weighted score (docs/rules/experience-score.md#no-weights)."""
    start, end = _window(shop, as_of, days)
    since, until = day_bounds(start, shop.timezone)[0], day_bounds(end, shop.timezone)[1]
    good = _good_rates(shop, since, until)
    refunds = refund_figures(shop=shop, date_from=start, date_to=end)
    orders = refunds["orders"]
    returns = ReturnRequest.objects.filter(shop=shop, requested_date__range=(start, end)).exclude(
        status=return_rules.REJECTED)
    quality = returns.filter(reason__code=QUALITY_REASON).count()
    no_orders = _("No paid order in the period.")
    complaints = Ticket.objects.filter(shop=shop, kind=TicketKind.COMPLAINT, merged_into__isnull=True,
                                       created_at__gte=since, created_at__lt=until).count()
    p50 = refunds["refund_p50_seconds"]
    components = [
        *[c for c in good if c.group == PRODUCT],
        _rate("quality_refund_rate", PRODUCT, _("Quality refund rate (品质退款率)"), quality, orders,
              _("Returns with the reason quality problem, paid orders"), no_orders),
        *[c for c in good if c.group == LOGISTICS],
        Component("avg_delivery_seconds", LOGISTICS, _("Average delivery time (平均物流到货时长)"), None, None, None,
                  _("Shipments"), _("Shipments and deliveries are not imported."), unit="seconds"),
        *[c for c in good if c.group == SERVICE],
        _rate("complaint_rate", SERVICE, _("Complaint rate (投诉率)"), complaints, orders,
              _("Complaint tickets, paid orders"), no_orders),
        _reply_3min(shop, start, end),
        _after_sale_bad_rate(shop, since, until),
        Component("refund_p50_seconds", SERVICE, _("Refund handling time, median (退款处理时长)"),
                  None if p50 is None else Decimal(p50), refunds["refunded_returns"], None, _("Returns"),
                  "" if p50 is not None else _("No return refunded in the period."), unit="seconds"),
    ]
    return components


def experience_report(shop: Shop, as_of: dt.date | None = None, days: int = WINDOW_DAYS) -> dict[str, Any]:
    """The CLI's JSON: ``{"from", "to", "days", "components": [...]}``."""
    start, end = _window(shop, as_of, days)
    return {"from": start.isoformat(), "to": end.isoformat(), "days": days,
            "components": [c.as_dict() for c in experience_components(shop, end, days)]}
