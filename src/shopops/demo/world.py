"""The demo world: one deterministic generative model of a brand selling on seven channels.

``build_world(WorldConfig(...))`` returns a ``World`` of plain records (spec.py) — catalog, channels,
calendar, traffic, customers, orders and refunds — that sinks turn into DB rows, export files or lake
tables. The same config always gives an equal World: every component draws from its own random stream
(gen_random.stream keyed by the component's name), so adding a component later never changes the existing
ones. The wall clock is read only to default ``end_date`` to yesterday in the shop's time zone.

Flow: calendar → catalog (listings dressed: gen_listings) → traffic (new buyers = UV × CVR) → customers (first purchases + BG/NBD repeat
buying) → orders (time, basket, prices, promotions, shipping) → refunds → traffic report (aggregated back from
the orders) and channel shares → search terms of the top items (gen_search) and the rivals' snapshots
(gen_rivals).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from shopops.core import clock as core_clock
from shopops.demo import gen_catalog_data, gen_people
from shopops.demo.gen_calendar import build_calendar
from shopops.demo.gen_catalog import Catalog, build_catalog
from shopops.demo.gen_channels import CHANNEL_PLANS
from shopops.demo.gen_clock import LocalClock
from shopops.demo.gen_customers import customer_specs, simulate_purchases
from shopops.demo.gen_listings import dress_listings, shop_words
from shopops.demo.gen_orders import build_orders, order_specs
from shopops.demo.gen_random import stream
from shopops.demo.gen_refunds import build_refunds, close_refunded_orders, refund_specs
from shopops.demo.gen_rivals import rival_snapshots
from shopops.demo.gen_search import search_term_specs
from shopops.demo.gen_traffic import plan_traffic, traffic_specs
from shopops.demo.spec import ChannelSpec, World, WorldConfig


def world_window(config: WorldConfig) -> tuple[dt.date, dt.date]:
    """(start, end) business dates, inclusive; end defaults to yesterday in the shop's time zone."""
    if config.days < 1:
        raise ValueError("days must be at least 1")
    end = config.end_date or core_clock.today(config.tz) - dt.timedelta(days=1)
    return end - dt.timedelta(days=config.days - 1), end


def build_world(config: WorldConfig) -> World:
    start, end = world_window(config)
    seed, days = config.seed, config.days
    calendar = build_calendar(start, days)
    catalog = _dressed(build_catalog(stream(seed, "catalog"), start, days), seed)
    plan = plan_traffic(stream(seed, "traffic"), calendar, config.scale)
    purchases = simulate_purchases(stream(seed, "customers"), plan, calendar)
    n_customers = purchases.n_customers

    people = stream(seed, "people")
    place_of, place_table = gen_people.places(people, n_customers)
    remote_place = np.array([province in gen_people.REMOTE_PROVINCES for province, _ in place_table])
    remote = remote_place[place_of]
    clock = LocalClock(start, days, config.tz)
    table = build_orders(stream(seed, "orders"), purchases, calendar, catalog, plan, remote, clock)

    refunds_rng = stream(seed, "refunds")
    drafts = build_refunds(refunds_rng, table, catalog, clock)
    close_refunded_orders(table, drafts)
    refunds = refund_specs(refunds_rng, drafts, table, clock)

    # customers are numbered by their first purchase, which is also their creation time
    present, first_idx = np.unique(table.customer, return_index=True)
    order_of_first = np.argsort(first_idx, kind="stable")
    by_rank = present[order_of_first]
    rank = np.full(n_customers, -1, dtype=np.int64)
    rank[by_rank] = np.arange(len(by_rank))
    codes = [f"C{r + 1:08d}" for r in rank.tolist()]
    channels_used: list[list[int]] = [[] for _ in range(len(by_rank))]
    for cust, ch in zip(rank[table.customer].tolist(), table.channel.tolist(), strict=True):
        if ch not in channels_used[cust]:
            channels_used[cust].append(ch)
    created_at = clock.to_utc(table.placed_sec[first_idx[order_of_first]].tolist())
    customers = customer_specs(people, len(by_rank), created_at, channels_used, place_of[by_rank],
                               place_table)
    places = [place_table[p] for p in place_of.tolist()]
    orders = order_specs(table, catalog, plan, clock, codes, places)

    traffic = traffic_specs(stream(seed, "traffic.report"), plan, calendar.dates, table.day, table.cell,
                            rank[table.customer], table.paid, table.repeat)
    uv = np.zeros(len(CHANNEL_PLANS))
    for row in traffic:
        uv[[p.code for p in CHANNEL_PLANS].index(row.channel)] += row.uv
    if uv.sum() == 0:  # an empty world still reports the planned traffic mix
        uv = np.array([p.base_uv for p in CHANNEL_PLANS])
    shares = uv / uv.sum()
    channels = [ChannelSpec(code=p.code, account_name=gen_catalog_data.BRAND + p.account_suffix,
                            share=round(float(shares[c]), 4)) for c, p in enumerate(CHANNEL_PLANS)]
    search_terms = search_term_specs(stream(seed, "search"), catalog.products, catalog.skus, orders, traffic,
                                     calendar.dates, config.tz)
    rivals = rival_snapshots(stream(seed, "rivals"), start, end)
    return World(config=config, start_date=start, end_date=end, brand=gen_catalog_data.BRAND,
                 shop_name=gen_catalog_data.SHOP_NAME, channels=channels, categories=catalog.categories,
                 products=catalog.products, skus=catalog.skus, customers=customers, orders=orders,
                 refunds=refunds, traffic=traffic, campaign_days=calendar.campaign_days,
                 search_terms=search_terms, rival_snapshots=rivals, shop_words=shop_words())


def _dressed(catalog: Catalog, seed: int) -> Catalog:
    """The catalog with its listings dressed (gen_listings: item ids, planted findings); the order lines carry
    the dressed titles, as the platforms' order exports show the listing's title."""
    products = dress_listings(stream(seed, "listings"), catalog.products)
    codes = [p.code for p in CHANNEL_PLANS]
    line_titles = [list(titles) for titles in catalog.line_titles]
    for p_idx, product in enumerate(products):
        for listing in product.listings:
            line_titles[codes.index(listing.channel)][p_idx] = listing.title
    return dataclasses.replace(catalog, products=products, line_titles=line_titles)
