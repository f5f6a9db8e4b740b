"""GMV by traffic source, from what says it: the platforms' traffic reports and the orders' own ``source``.

Rule (docs/rules/analytics.md#source-attribution): the shop's GMV is the paid orders' amount (``orders_fact``,
the metric layer's GMV). A channel's GMV is split by source from

1. its platform traffic report (``traffic_daily`` store rows with a ``source`` and a 支付金额 ``sales_fen``, e.g.
   生意参谋 流量来源), when the report has such rows in the period — the platform's own attribution;
2. else the orders' ``source`` (JD 订单来源, 抖店 流量来源, Shopify Source), for the orders that carry one.

What is left is never hidden: per channel, orders GMV − attributed is reported as unattributed with its reason
(no source anywhere; orders without a source; the report's amount differs from the orders'), so the rows add up
to the shop's GMV to the fen. These builders return per-channel sums; the selector assembles the rows.
"""

from __future__ import annotations

import datetime as dt

import ibis.expr.types as ir

from shopops.analytics.engine import Tables


def order_gmv_by_source(tables: Tables, *, date_from: dt.date, date_to: dt.date,
                        channel: str | None = None) -> ir.Table:
    """Paid orders of the period: ``channel``, ``source`` ("" when the order carries none), ``gmv_fen``."""
    of = tables["orders_fact"]
    of = of.filter(of.paid_date.between(date_from, date_to))
    if channel:
        of = of.filter(of.channel == channel)
    source = of.source.fill_null("").strip()
    return of.group_by([of.channel, source.name("source")]).aggregate(gmv_fen=of.paid_fen.sum().cast("int64"))


def report_gmv_by_source(tables: Tables, *, date_from: dt.date, date_to: dt.date,
                         channel: str | None = None) -> ir.Table:
    """Platform-reported 支付金额 by source (store level, rows that name a source and give an amount):
    ``channel``, ``source``, ``gmv_fen``. Amounts are additive over days, terminals and sources."""
    td = tables["traffic_daily"]
    td = td.filter(td.date.between(date_from, date_to), td.level == "store", td.source.fill_null("").strip() != "",
                   td.sales_fen.notnull())
    if channel:
        td = td.filter(td.channel == channel)
    return td.group_by([td.channel, td.source.strip().name("source")]).aggregate(
        gmv_fen=td.sales_fen.sum().cast("int64"))
