"""/api/v1/analytics/ routes: funnel, paths, retention — the same JSON as ``shopops funnel|paths|retention``.

Parameters are read as text and validated by the selectors, so bad input is a 422 naming the field
(``from``, ``to``, ``steps``, ``window``, ``mode``, ``by``, ``start``, ``limit``, ``cohort``, ``period``,
``active``), never a 500.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from shopops.analytics.selectors import behaviour as selectors
from shopops.core.api_auth import current_shop, needs
from shopops.core.roles import VIEW_ANALYTICS
from shopops.core.schemas import ERRORS

router = Router(tags=["analytics"])

RESPONSES = {200: dict, **ERRORS}


@router.get("/funnel", response=RESPONSES, auth=needs(VIEW_ANALYTICS))
def funnel(request: HttpRequest, steps: str = Query(..., description="event names in order, e.g. pv,cart,buy"),
           date_from: str = Query(..., alias="from", description="first business date, YYYY-MM-DD"),
           date_to: str = Query(..., alias="to", description="last business date, YYYY-MM-DD"),
           window: str = Query("1d", description="Ns, Nm, Nh or Nd"),
           mode: str = Query("sequential", description="sequential, strict or any"),
           by: str | None = Query(None, description="channel or source")) -> dict:
    """People per step (each person at the furthest step reached in the window), conversion rates 0..1."""
    return selectors.funnel_report(shop=current_shop(request), steps=steps, date_from=date_from, date_to=date_to,
                                   window=window, mode=mode, by=by)


@router.get("/paths", response=RESPONSES, auth=needs(VIEW_ANALYTICS))
def paths(request: HttpRequest, date_from: str = Query(..., alias="from"), date_to: str = Query(..., alias="to"),
          start: str | None = Query(None, description="paths begin at this event"),
          limit: str = Query(str(selectors.DEFAULT_PATHS), description="top paths to list (1–200)")) -> dict:
    """Top session paths (first 5 steps, repeats collapsed) and step → step edges for a Sankey."""
    return selectors.paths_report(shop=current_shop(request), date_from=date_from, date_to=date_to, start=start,
                                  limit=limit)


@router.get("/retention", response=RESPONSES, auth=needs(VIEW_ANALYTICS))
def retention(request: HttpRequest, date_from: str = Query(..., alias="from"), date_to: str = Query(..., alias="to"),
              cohort: str = Query("first_event", description="first_event or first_buy"),
              period: str = Query("day", description="day or week"),
              active: str = Query("any", description="any or buy")) -> dict:
    """Cohorts by first activity; users active in period 0..N and the rates."""
    return selectors.retention_report(shop=current_shop(request), date_from=date_from, date_to=date_to,
                                      cohort=cohort, period=period, active=active)
