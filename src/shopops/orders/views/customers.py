"""Customer list and detail pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_options
from shopops.core import roles
from shopops.core.money import divide_half_up
from shopops.members import selectors as member_selectors
from shopops.orders import selectors as order_selectors
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.params import local_time
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column

if TYPE_CHECKING:
    from shopops.members.models import Customer

CUSTOMER_COLUMNS = [
    Column("code", gettext_lazy("Customer code"), lambda c: c.code, sort="code",
           link=lambda c: reverse("web:customer_detail", args=[c.pk])),
    Column("name", gettext_lazy("Nickname"), lambda c: c.name, sort="name",
           link=lambda c: reverse("web:customer_detail", args=[c.pk])),
    Column("province", gettext_lazy("Province"), lambda c: c.province),
    Column("city", gettext_lazy("City"), lambda c: c.city),
    Column("orders", gettext_lazy("Orders"), lambda c: c.orders_count, sort="orders", numeric=True),
    Column("paid", gettext_lazy("Total paid"), lambda c: c.paid_fen_total, money=True, sort="paid"),
    Column("first_seen", gettext_lazy("First seen"), lambda c: local_time(c.created_at), sort="first_seen"),
    Column("last_order", gettext_lazy("Last order"), lambda c: local_time(c.last_order_at), sort="last_order"),
]


@page_requires(roles.VIEW_CUSTOMERS)
def customer_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    try:
        min_orders = int(g.get("min_orders") or 0) or None
    except ValueError:
        min_orders = None
    qs, active_sort = member_selectors.customer_list(
        shop=request.shop, q=g.get("q", ""), channel=g.get("channel", ""), province=g.get("province", ""),
        min_orders=min_orders, sort=g.get("sort", ""),
    )
    page = ListPage(
        title=gettext_lazy("Customers"),
        columns=CUSTOMER_COLUMNS,
        filters=[
            Filter("channel", gettext_lazy("Channel"), channel_options()),
            Filter("province", gettext_lazy("Province"), [(p, p) for p in member_selectors.provinces(shop=request.shop)]),
            Filter("min_orders", gettext_lazy("Repeat buyers"), [("2", _("2+ orders")), ("3", _("3+ orders")),
                                                          ("5", _("5+ orders"))]),
        ],
        export_name="customers",
        search_placeholder=gettext_lazy("Code, nickname, phone, channel id"),
    )
    return render_list(request, page, qs, active_sort)


@page_requires(roles.VIEW_CUSTOMERS)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer: Customer | None = member_selectors.customer_detail(shop=request.shop, pk=pk)
    if customer is None:
        raise Http404
    orders, _sort = order_selectors.order_list(shop=request.shop, customer_id=customer.pk)
    identities = [{"channel": channel_label(i.channel), "external_id": i.external_id}
                  for i in customer.identities.all()]
    show_orders = request.user.has_perm(roles.VIEW_ORDERS)
    return render(request, "orders/customer_detail.html", {
        "customer": customer, "identities": identities, "orders": orders[:100] if show_orders else [],
        "show_orders": show_orders,
        "aov_fen": divide_half_up(customer.paid_fen_total, customer.orders_count),
    })
