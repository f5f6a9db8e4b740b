"""Customers: denormalised order stats agree with the orders; search and filters."""

from django.db.models import Count, Max, Min, Sum

from shopops.members.models import Customer
from shopops.members.selectors import customer_list
from shopops.members.services import CustomerStats, customer_stats_apply
from shopops.orders.models import Order


def test_stats_match_the_orders(shop):
    truth = {
        row["customer_id"]: row
        for row in Order.objects.filter(shop=shop).values("customer_id")
        .annotate(n=Count("id"), total=Sum("paid_fen"), first=Min("paid_at"), last=Max("paid_at"))
    }
    customers = list(Customer.objects.filter(shop=shop))
    assert customers and all(c.pk in truth for c in customers)
    for customer in customers:
        row = truth[customer.pk]
        assert (customer.orders_count, customer.paid_fen_total) == (row["n"], row["total"])
        assert (customer.first_order_at, customer.last_order_at) == (row["first"], row["last"])


def test_stats_apply_only_touches_the_given_shop(shop):
    customer = Customer.objects.filter(shop=shop).first()
    assert customer_stats_apply(shop=shop, stats=[CustomerStats(customer.pk, 99, 123, None, None)]) == 1
    customer.refresh_from_db()
    assert (customer.orders_count, customer.paid_fen_total, customer.last_order_at) == (99, 123, None)
    assert customer_stats_apply(shop=shop, stats=[]) == 0


def test_search_by_channel_identity_and_filters(shop):
    customer = Customer.objects.filter(shop=shop, identities__isnull=False).first()
    identity = customer.identities.first()
    qs, _sort = customer_list(shop=shop, q=identity.external_id)
    assert list(qs) == [customer]
    qs, _sort = customer_list(shop=shop, channel=identity.channel, min_orders=2, sort="-paid")
    totals = [c.paid_fen_total for c in qs]
    assert totals == sorted(totals, reverse=True) and all(c.orders_count >= 2 for c in qs)
