"""Reviews and DSR (评价与 DSR): the three scores of the period with the reviews counted and excluded (and
why), the trend and the bad reviews with what each costs (a panel loaded after the page), and the reviews
themselves with their filters. Review text is the buyer's: the templates escape it like every imported text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_options
from shopops.core import roles
from shopops.core.errors import InvalidInput
from shopops.core.i18n import say
from shopops.service import selectors
from shopops.service.dsr import DIMENSION_LABELS, DIMENSIONS, REASON_LABELS
from shopops.service.selectors.experience import Component, experience_components, group_names
from shopops.service.views.common import TO, page_period, render_with_panel
from shopops.ui.params import tell_bad_query
from shopops.ui.permissions import page_requires

TREND_DAYS = 90
SHOWN_EFFECTS = 20
PAGE_SIZE = 50


def _dsr_period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The DSR's period: the dates asked, else the 180-day window up to today (the platform's)."""
    try:
        return selectors.dsr_period(request.GET.get("from"), request.GET.get("to"), request.shop.timezone)
    except InvalidInput as exc:
        tell_bad_query(request, TO, " ".join(e.message for e in exc.errors) or exc.detail)
        return selectors.dsr_period(None, None, request.shop.timezone)


def shown_value(component: Component) -> str:
    """A rate as a percentage with one decimal, a duration in hours with one decimal; "" without data."""
    if component.value is None:
        return ""
    if component.unit == "seconds":
        return _("%(hours)s h") % {"hours": (component.value / 3600).quantize(Decimal("0.1"))}
    return f"{(component.value * 100).quantize(Decimal('0.1'))}%"


def experience_panel(shop: Any, as_of: dt.date) -> list[dict[str, Any]]:
    """The 店铺体验分 components of the 90 days up to ``as_of``, grouped (never a weighted score)."""
    components = experience_components(shop, as_of)
    return [{"key": key, "name": name, "rows": [{"c": c, "shown": shown_value(c)}
                                                for c in components if c.group == key]}
            for key, name in group_names().items()]


def panel_context(request: HttpRequest) -> dict[str, Any]:
    """The scores, the trend and the bad reviews' effects (tests compare them with the selectors')."""
    shop, channel = request.shop, request.GET.get("channel") or None
    start, end = _dsr_period(request)
    assessment = selectors.shop_dsr_assessment(shop=shop, date_from=start, date_to=end, channel=channel)
    totals = assessment.totals
    scores = [{"key": d, "name": say(DIMENSION_LABELS[d]), "score": totals.score(d), "ratings": totals.counts[d]}
              for d in DIMENSIONS]
    trend = selectors.shop_dsr_trend(shop=shop, start=max(start, end - dt.timedelta(days=TREND_DAYS - 1)), end=end,
                                     channel=channel)
    chart = {"x": [day.isoformat() for day, _row in trend],
             "series": [{"name": say(DIMENSION_LABELS[d]),
                         "y": [str(row[d]) if row[d] is not None else None for _day, row in trend]} for d in DIMENSIONS]}
    effects = [{"channel": channel_label(e.rating.key.split(":", 1)[0]), "order_no": e.rating.order_no,
                "buyer": e.rating.buyer.split("\x1f", 1)[-1], "at": e.rating.at,
                "scores": [getattr(e.rating, d) or "—" for d in DIMENSIONS],
                "rise": [f"{e.rise[d]:+}" for d in DIMENSIONS]}
               for e in selectors.bad_review_effects(shop=shop, as_of=end, channel=channel)[:SHOWN_EFFECTS]]
    return {"dsr_start": start, "dsr_end": end, "scores": scores, "counted": totals.counted,
            "excluded": [(say(REASON_LABELS[k]), n) for k, n in totals.excluded.items() if n],
            "excluded_total": sum(totals.excluded.values()), "chart": chart, "effects": effects,
            "dimension_names": [say(DIMENSION_LABELS[d]) for d in DIMENSIONS],
            "experience": experience_panel(shop, end)}


@page_requires(roles.VIEW_TICKETS)
def service_reviews(request: HttpRequest) -> HttpResponse:
    g = request.GET
    start, end = page_period(request)
    reviews = selectors.review_list(shop=request.shop, date_from=start, date_to=end, channel=g.get("channel", ""),
                                    bad_only=g.get("bad") == "1", q=g.get("q", "").strip()[:100])
    page = Paginator(reviews, PAGE_SIZE).get_page(g.get("page"))
    rows = [{"r": r, "channel": channel_label(r.channel), "bad": any((getattr(r, d) or 5) <= 2 for d in DIMENSIONS)}
            for r in page.object_list]
    context: dict[str, Any] = {"tab": "reviews", "start": start, "end": end, "rows": rows,
                               "page_obj": page, "channels": channel_options(), "channel": g.get("channel", ""),
                               "bad": g.get("bad") == "1", "q": g.get("q", ""),
                               "dimension_names": [say(DIMENSION_LABELS[d]) for d in DIMENSIONS],
                               "query_without_page": urlencode({k: v for k, v in g.items() if k != "page"})}
    return render_with_panel(request, "service/reviews.html", context, panel_context)


@page_requires(roles.VIEW_TICKETS)
def service_reviews_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "service/_reviews_panel.html", panel_context(request))
