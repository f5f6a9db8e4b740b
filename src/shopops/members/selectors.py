"""Reads for customers."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from shopops.core.models import Shop
from shopops.core.querying import Sorts
from shopops.members.models import Customer, CustomerIdentity

CUSTOMER_SORTS = Sorts(
    fields={
        "code": ("code",),
        "name": ("name",),
        "orders": ("orders_count",),
        "paid": ("paid_fen_total",),
        "last_order": ("last_order_at",),
        "first_seen": ("created_at",),
    },
    default="-last_order",
)


def customer_list(
    *,
    shop: Shop,
    q: str = "",
    channel: str = "",
    province: str = "",
    min_orders: int | None = None,
    sort: str = "",
) -> tuple[QuerySet[Customer], str]:
    qs = Customer.objects.filter(shop=shop)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(phone_masked__icontains=q)
            | Q(identities__external_id=q)
        ).distinct()
    if channel:
        qs = qs.filter(identities__channel=channel).distinct()
    if province:
        qs = qs.filter(province=province)
    if min_orders:
        qs = qs.filter(orders_count__gte=min_orders)
    return CUSTOMER_SORTS.apply(qs, sort)


def customer_detail(*, shop: Shop, pk: int) -> Customer | None:
    return Customer.objects.filter(shop=shop, pk=pk).prefetch_related("identities").first()


def provinces(*, shop: Shop) -> list[str]:
    return list(
        Customer.objects.filter(shop=shop).exclude(province="").values_list("province", flat=True)
        .distinct().order_by("province")
    )


def customer_ids_in_shop(*, shop: Shop, ids: set[int]) -> set[int]:
    return set(Customer.objects.filter(shop=shop, pk__in=ids).values_list("pk", flat=True))


def channel_ids_of(*, shop: Shop, channel: str, customer_ids: Iterable[int]) -> dict[int, str]:
    """customer id → their id on ``channel`` (the first recorded, when several), for the customers that have one:
    what an export of their orders names them by, so that importing it again finds the same customers."""
    wanted = sorted(set(customer_ids))
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 900):
        for customer_id, external_id in (CustomerIdentity.objects.filter(
                shop=shop, channel=channel, customer_id__in=wanted[start : start + 900])
                .order_by("-pk").values_list("customer_id", "external_id")):
            out[customer_id] = external_id  # newest first: the first recorded is written last
    return out


def customer_ids_by_channel_id(*, shop: Shop, channel: str, external_ids: Iterable[str]) -> dict[str, int]:
    """channel id → customer id, for the ids among ``external_ids`` the shop knows on ``channel`` (a chat's
    buyer nick is the buyer's id there: docs/rules/service-chats.md#inquiry-conversion)."""
    wanted = sorted({e for e in external_ids if e})
    out: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        out.update(CustomerIdentity.objects.filter(shop=shop, channel=channel,
                                                   external_id__in=wanted[start : start + 900])
                   .values_list("external_id", "customer_id"))
    return out
