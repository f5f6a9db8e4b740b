"""Flash-sale pools (秒杀/活动库存): units carved out of one location's available stock for one activity,
optionally with a limit per customer. Reservations take from a pool (reservations.py) instead of the balance.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shopops.core.domain import code_problem
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.models import Shop
from shopops.core.schemas import code_message
from shopops.inventory.models import Balance, Pool, PoolCustomer
from shopops.inventory.services.balances import StockConflict, available_at
from shopops.inventory.services.inputs import qty_clean, sku_find
from shopops.inventory.services.locations import location_find


def pool_create(*, shop: Shop, code: str, sku_code: str, qty: object, per_customer_limit: object = None,
                location_code: str | None = None, name: str = "") -> Pool:
    """Carve ``qty`` units out of a location's available stock for one activity (秒杀/活动库存)."""
    code = (code or "").strip()
    problem = code_problem(code, max_length=40)
    if problem is not None:
        raise InvalidInput(_("Give the pool a code."), [FieldError("code", code_message(problem, max_length=40))])
    amount = qty_clean(qty)
    limit = qty_clean(per_customer_limit, "per_customer_limit") if per_customer_limit not in (None, "") else None
    sku = sku_find(shop, sku_code)
    location = location_find(shop, location_code)
    try:
        with transaction.atomic():
            if not Balance.objects.filter(sku_id=sku.pk, location_id=location.pk,
                                          on_hand__gte=F("reserved") + F("pooled") + amount).update(
                    pooled=F("pooled") + amount):
                left = available_at(sku.pk, location.pk)
                raise StockConflict(_("Only %(n)s units are available for the pool.") % {"n": left}, available=left)
            return Pool.objects.create(shop=shop, code=code, name=name or code, sku_id=sku.pk, location=location,
                                       qty=amount, per_customer_limit=limit)
    except IntegrityError:
        raise Conflict(_("A pool with the code %(code)s exists already.") % {"code": code}) from None


def pool_close(*, shop: Shop, code: str) -> Pool:
    """End the activity: units not held return to available; held ones can still be committed or released."""
    with transaction.atomic():
        pool = Pool.objects.select_for_update().filter(shop=shop, code=code).first()
        if pool is None:
            raise NotFound(_("No such pool."))
        if pool.status == Pool.Status.OPEN:
            free = pool.qty - pool.reserved
            Pool.objects.filter(pk=pool.pk).update(status=Pool.Status.CLOSED, qty=F("qty") - free)
            Balance.objects.filter(sku_id=pool.sku_id, location_id=pool.location_id).update(
                pooled=F("pooled") - free)
        pool.refresh_from_db()
        return pool


def pool_find(shop: Shop, pool_code: str, sku_id: int, customer: str) -> Pool:
    """The open-for-reservations pool ``pool_code`` of this SKU; the customer is required when it limits
    units per customer."""
    pool = Pool.objects.filter(shop=shop, code=pool_code.strip()).first()
    if pool is None:
        raise InvalidInput(_("Unknown flash-sale pool %(code)s.") % {"code": pool_code},
                           [FieldError("pool", _("No pool with this code in this shop."))])
    if pool.sku_id != sku_id:
        raise InvalidInput(_("The pool %(code)s is for another SKU.") % {"code": pool_code},
                           [FieldError("pool", _("This pool holds a different SKU."))])
    if pool.per_customer_limit and not customer:
        raise InvalidInput(_("This pool limits units per customer: say who the customer is."),
                           [FieldError("customer", _("Required for this pool."))])
    return pool


def pool_units_take(pool: Pool, customer: str, amount: int) -> None:
    """Hold ``amount`` units of the pool (within the customer's limit); StockConflict when short.
    Lock order: the pool-customer row, then the pool row (docs/rules/inventory.md#lock-order)."""
    if pool.per_customer_limit:
        PoolCustomer.objects.bulk_create([PoolCustomer(pool=pool, customer=customer, qty=0,
                                                       lim=pool.per_customer_limit)], ignore_conflicts=True)
        if not PoolCustomer.objects.filter(pool=pool, customer=customer, qty__lte=F("lim") - amount).update(
                qty=F("qty") + amount):
            held = PoolCustomer.objects.filter(pool=pool, customer=customer).values_list("qty", "lim").first()
            left = max(0, held[1] - held[0]) if held else 0
            raise StockConflict(_("Limit per customer reached: %(n)s more units allowed.") % {"n": left},
                                available=left)
    if not Pool.objects.filter(pk=pool.pk, status=Pool.Status.OPEN, qty__gte=F("reserved") + amount).update(
            reserved=F("reserved") + amount):
        row = Pool.objects.filter(pk=pool.pk).values_list("qty", "reserved", "status").first()
        left = row[0] - row[1] if row and row[2] == Pool.Status.OPEN else 0
        raise StockConflict(_("Not enough stock in the pool: %(n)s available.") % {"n": left}, available=left)


def pool_units_free(pool_id: int, customer: str, qty: int, sku_id: int, location_id: int) -> None:
    """Give back what a closed reservation held in a pool; a closed pool returns the units to available."""
    if customer:
        PoolCustomer.objects.filter(pool_id=pool_id, customer=customer).update(qty=F("qty") - qty)
    Pool.objects.filter(pk=pool_id).update(reserved=F("reserved") - qty)
    # a closed pool keeps only what is held: the freed units go back to available
    if Pool.objects.filter(pk=pool_id, status=Pool.Status.CLOSED).update(qty=F("qty") - qty):
        Balance.objects.filter(sku_id=sku_id, location_id=location_id).update(pooled=F("pooled") - qty)
