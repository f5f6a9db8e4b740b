"""Reads for orders and refunds: lists, details, the columns of the lake facts and of the campaign history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
from django.db import connection
from django.db.models import Count, F, Max, Min, Model, Prefetch, Q, QuerySet, Sum

from shopops.core.models import Shop
from shopops.core.querying import Sorts
from shopops.orders.domain import LineInput, OrderInput, RefundInput
from shopops.orders.models import Order, OrderLine, Refund

ORDER_SORTS = Sorts(
    fields={
        "paid_at": ("paid_at",),
        "paid": ("paid_fen",),
        "discount": ("discount_fen",),
        "order_no": ("order_no",),
        "channel": ("channel",),
    },
    default="-paid_at",
)


def order_list(
    *,
    shop: Shop,
    q: str = "",
    channel: str = "",
    status: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    customer_id: int | None = None,
    refunded: bool | None = None,
    sort: str = "",
    search_customers: bool = True,
    with_lines: bool = False,
) -> tuple[QuerySet[Order], str]:
    qs = Order.objects.filter(shop=shop).select_related("customer", "channel_account")
    if with_lines:
        qs = qs.prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("sku")))
    if q:
        q = q.strip()
        matches = Q(order_no__icontains=q)
        if search_customers:
            matches |= Q(customer__name__icontains=q) | Q(customer__code=q)
        qs = qs.filter(matches)
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(paid_date__gte=date_from)
    if date_to:
        qs = qs.filter(paid_date__lte=date_to)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if refunded is True:
        qs = qs.filter(refunded_fen__gt=0)
    elif refunded is False:
        qs = qs.filter(refunded_fen=0)
    return ORDER_SORTS.apply(qs, sort)


def order_detail(*, shop: Shop, pk: int) -> Order | None:
    return (
        Order.objects.filter(shop=shop, pk=pk)
        .select_related("customer", "channel_account")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("sku", "sku__product")),
            Prefetch("refunds", queryset=Refund.objects.select_related("line")),
        )
        .first()
    )


def has_orders(*, shop: Shop) -> bool:
    """Whether the shop has any order at all (a new shop's pages invite an import instead of showing zeros)."""
    return Order.objects.filter(shop=shop).exists()


def latest_paid_date(*, shop: Shop) -> dt.date | None:
    return Order.objects.filter(shop=shop).aggregate(d=Max("paid_date"))["d"]


def customer_order_stats(*, shop: Shop) -> QuerySet:
    """Per customer: order count, total paid, first and last payment (feeds the customer list)."""
    return (
        Order.objects.filter(shop=shop)
        .values("customer_id")
        .annotate(n=Count("id"), total=Sum("paid_fen"), first=Min("paid_at"), last=Max("paid_at"))
        .order_by()
    )


# --- a date range summed in the database (campaign reviews, lotteries, simulations) ---------------------------
# Each is one statement with a fixed number of parameters, whatever the number of orders, lines or buyers in
# the range (a list of ids bound back into a query outgrows SQLite's and PostgreSQL's parameter limits).

PERIOD_GROUP_KEYS = frozenset({"paid_date", "channel", "promotions", "customer_id", "customer__code"})


def _period_orders(shop: Shop, start: dt.date, end: dt.date) -> QuerySet[Order]:
    return Order.objects.filter(shop=shop, paid_date__range=(start, end)).order_by()


def period_order_totals(*, shop: Shop, start: dt.date, end: dt.date) -> dict[str, int]:
    """Orders paid on business dates start..end (inclusive): sums of paid (GMV), discount, goods, shipping and
    refunded fen, the number of orders and of distinct buyers."""
    row = _period_orders(shop, start, end).aggregate(
        gmv=Sum("paid_fen"), orders=Count("id"), discount=Sum("discount_fen"), goods=Sum("goods_fen"),
        shipping=Sum("shipping_fen"), refunded=Sum("refunded_fen"), buyers=Count("customer_id", distinct=True))
    return {key: value or 0 for key, value in row.items()}


def period_order_sums(*, shop: Shop, start: dt.date, end: dt.date, by: tuple[str, ...]) -> list[dict]:
    """Orders paid on start..end grouped by ``by`` (fields of ``PERIOD_GROUP_KEYS``; ``promotions`` groups by
    the whole label list, so a caller spreads it over its labels): each row has the keys plus ``gmv`` (paid
    fen), ``orders`` and ``discount`` (fen). Groups with the earliest first payment come first."""
    if not by or not set(by) <= PERIOD_GROUP_KEYS:
        raise ValueError(f"cannot group orders by {by!r}")
    return list(_period_orders(shop, start, end).values(*by)
                .annotate(gmv=Sum("paid_fen"), orders=Count("id"), discount=Sum("discount_fen"),
                          first_paid=Min("paid_at"), first_id=Min("id"))
                .order_by("first_paid", "first_id"))


def period_line_sums(*, shop: Shop, start: dt.date, end: dt.date) -> list[Mapping[str, Any]]:
    """The lines of the orders paid on start..end, grouped by SKU code and unit price: ``sku_code``,
    ``unit_price_fen``, ``qty``, ``paid`` and ``discount`` (fen). Lines not matched to a SKU yet are left out
    (docs/rules/sku-matching.md#unmatched-lines)."""
    return list(OrderLine.objects.filter(order__shop=shop, order__paid_date__range=(start, end), sku__isnull=False)
                .values(sku_code=F("sku__sku_code"), price=F("unit_price_fen"))
                .annotate(qty=Sum("qty"), paid=Sum("paid_fen"), discount=Sum("discount_fen"))
                .order_by("sku_code", "price"))


def period_new_buyers(*, shop: Shop, start: dt.date, end: dt.date, first_from: dt.datetime,
                      first_to: dt.datetime) -> int:
    """How many buyers of the orders paid on start..end paid their first order of the shop (any date) at an
    instant in [first_from, first_to) — the new buyers of a period whose local days span those instants."""
    buyers = _period_orders(shop, start, end).values("customer_id")
    return (Order.objects.filter(shop=shop, customer_id__in=buyers).order_by().values("customer_id")
            .annotate(first=Min("paid_at")).filter(first__gte=first_from, first__lt=first_to).count())


LINE_HISTORY_FIELDS = ("order_id", "paid_at", "paid_date", "sku", "qty", "unit_price", "amount", "discount", "paid")


def period_line_columns(*, shop: Shop, start: dt.date, end: dt.date) -> dict[str, list]:
    """The lines of the orders paid on start..end as columns (``LINE_HISTORY_FIELDS``: order id, the order's
    paid_at (aware, UTC) and paid_date, SKU code, qty and money in fen), in payment order (paid_at, order id,
    line id): what the ORM would give, read by one joined raw query (a campaign's 90-day history can hold a
    million lines; the ORM's per-value conversion took most of the time). Lines not matched to a SKU yet are
    left out (docs/rules/sku-matching.md#unmatched-lines)."""
    line, order = OrderLine._meta.db_table, Order._meta.db_table
    sku, _product, _category = _sku_tables()
    adapt = connection.ops.adapt_datefield_value
    exprs = ["l.order_id", _text("o.paid_at"), _text("o.paid_date"), "s.sku_code", "l.qty", "l.unit_price_fen",
             "l.amount_fen", "l.discount_fen", "l.paid_fen", "l.id"]
    body = (f"FROM {line} AS l JOIN {order} AS o ON o.id = l.order_id JOIN {sku} AS s ON s.id = l.sku_id "
            f"WHERE o.shop_id = %s AND o.paid_date BETWEEN %s AND %s ORDER BY o.paid_at, l.order_id, l.id")
    params = [shop.pk, adapt(start), adapt(end)]
    names = (*LINE_HISTORY_FIELDS, "id")
    columns = _select_columns(exprs, body, params, names)
    if connection.vendor != "sqlite":
        columns.pop("id")
        return columns
    # SQLite: dates came as their ISO text.
    texts = columns["paid_at"]
    try:  # Django stores naive UTC text on SQLite: parsing it with its offset is 6× faster than .replace()
        columns["paid_at"] = [dt.datetime.fromisoformat(text + "+00:00") for text in texts]
        moments = np.array(texts, dtype="datetime64[us]")
    except ValueError:  # text written with an offset by some other tool
        columns["paid_at"] = [_instant(text) for text in texts]
        moments = np.array([v.astimezone(dt.UTC).replace(tzinfo=None) for v in columns["paid_at"]],
                           dtype="datetime64[us]")
    order_id, line_id = np.array(columns["order_id"], dtype=np.int64), np.array(columns.pop("id"), dtype=np.int64)
    step_at, step_order, step_line = np.diff(moments), np.diff(order_id), np.diff(line_id)
    zero = np.timedelta64(0, "us")
    if bool(np.any((step_at < zero) | ((step_at == zero) & ((step_order < 0) | ((step_order == 0) & (step_line <= 0)))))):
        permutation = np.lexsort((line_id, order_id, moments)).tolist()  # the order is checked, not assumed
        columns = {name: [values[i] for i in permutation] for name, values in columns.items()}
    days = {text: dt.date.fromisoformat(text) for text in set(columns["paid_date"])}
    columns["paid_date"] = [days[text] for text in columns["paid_date"]]
    return columns


def customer_order_stats_rows(*, shop: Shop, customer_ids: Iterable[int] | None = None,
                              ) -> list[tuple[int, int, int, dt.datetime | None, dt.datetime | None]]:
    """``customer_order_stats`` as plain tuples ``(customer_id, n, total, first, last)`` by raw SQL, for the
    given customers only (all of the shop's when None). A customer given without orders gets ``(id, 0, 0,
    None, None)``, so a corrected import that moved their last order away resets them."""
    table = Order._meta.db_table
    sql = (f"SELECT customer_id, COUNT(*), SUM(paid_fen), MIN(paid_at), MAX(paid_at) FROM {table} "
           f"WHERE shop_id = %s")
    rows: list[tuple] = []
    wanted = None if customer_ids is None else sorted(set(customer_ids))
    with connection.cursor() as cursor:
        if wanted is None or len(wanted) > 20000:  # most of the shop: one aggregate beats many lookups
            cursor.execute(sql + " GROUP BY customer_id", [shop.pk])
            rows = cursor.fetchall()
            if wanted is not None:
                keep = set(wanted)
                rows = [row for row in rows if row[0] in keep]
        else:
            for start in range(0, len(wanted), 900):
                chunk = wanted[start : start + 900]
                cursor.execute(sql + f" AND customer_id IN ({', '.join(['%s'] * len(chunk))}) GROUP BY customer_id",
                               [shop.pk, *chunk])
                rows.extend(cursor.fetchall())
    found = {row[0] for row in rows}
    out = [(int(c), int(n), int(total or 0), _instant(first), _instant(last)) for c, n, total, first, last in rows]
    if wanted is not None:
        out.extend((c, 0, 0, None, None) for c in wanted if c not in found)
    return out


def _instant(value: object) -> dt.datetime | None:
    """A datetime read by raw SQL: SQLite gives Django's naive-UTC text, PostgreSQL an aware datetime."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


ORDER_FACT_FIELDS = (
    "shop_id", "pk", "order_no", "channel", "channel_account_id", "customer_id", "status", "placed_at", "paid_at",
    "paid_date", "goods_fen", "discount_fen", "shipping_fen", "paid_fen", "refunded_fen", "source", "province",
    "city",
)
LINE_FACT_FIELDS = (
    "shop_id", "order_id", "pk", "order__paid_date", "order__channel", "order__customer_id", "sku_id",
    "sku__sku_code", "sku__product_id", "sku__product__spu_code", "sku__product__category__code", "qty",
    "unit_price_fen", "amount_fen", "discount_fen", "paid_fen",
)


def order_fact_columns(*, shop: Shop) -> dict[str, list]:
    """The shop's orders column by column (for the lake's orders_fact), in ``ORDER_FACT_FIELDS`` order."""
    return _columns(Order.objects.filter(shop=shop).order_by("pk").values_list(*ORDER_FACT_FIELDS), ORDER_FACT_FIELDS)


def line_fact_columns(*, shop: Shop) -> dict[str, list]:
    """The shop's order lines with product keys, column by column (for order_lines_fact)."""
    qs = OrderLine.objects.filter(shop=shop).order_by("pk").values_list(*LINE_FACT_FIELDS)
    return _columns(qs, LINE_FACT_FIELDS)


def daily_units_by_sku(*, shop: Shop, start: dt.date, end: dt.date) -> list[tuple[dt.date, int, int]]:
    """(paid date, SKU id, units) of the shop's matched order lines paid in ``start..end``, summed in the
    database (demand history for forecasts: one row per SKU and day instead of every line)."""
    rows = (OrderLine.objects.filter(shop=shop, sku__isnull=False, order__paid_date__range=(start, end))
            .values_list("order__paid_date", "sku_id").annotate(units=Sum("qty")).order_by())
    return [(day, sku_id, int(units or 0)) for day, sku_id, units in rows]


def _columns(rows: QuerySet[Any, tuple[Any, ...]], names: tuple[str, ...]) -> dict[str, list]:
    columns: dict[str, list] = {name: [] for name in names}
    appenders = [columns[name].append for name in names]
    for row in rows.iterator(chunk_size=5000):
        for append, value in zip(appenders, row, strict=True):
            append(value)
    return columns


def orders_for_export(*, shop: Shop, channel: str | None = None, limit: int | None = None,
                      channel_account_id: int | None = None) -> list[dict]:
    """Orders with their lines (SKU code, title, price, qty) and buyer, newest first — for sample exports (of
    one channel account's orders with ``channel_account_id``: what a re-import into that account reproduces)."""
    qs = Order.objects.filter(shop=shop)
    if channel:
        qs = qs.filter(channel=channel)
    if channel_account_id is not None:
        qs = qs.filter(channel_account_id=channel_account_id)
    orders = list(qs.order_by("-paid_at", "-pk").values(
        "pk", "order_no", "customer__name", "customer__code", "customer_id", "placed_at", "paid_at", "status",
        "paid_fen", "refunded_fen", "shipping_fen", "promotions", "province", "city", "source")[:limit])
    by_order: dict[int, list[Mapping[str, Any]]] = {o["pk"]: [] for o in orders}
    ids = list(by_order)
    for start in range(0, len(ids), 900):
        for line in OrderLine.objects.filter(order_id__in=ids[start : start + 900]).order_by("pk").values(
                "order_id", "sku__sku_code", "title", "unit_price_fen", "qty", "seller_code"):
            # a line not matched to a SKU yet: the code the export gave
            by_order[line["order_id"]].append({**line, "sku__sku_code": line["sku__sku_code"] or line["seller_code"]})
    return [{**order, "lines": by_order[order["pk"]]} for order in orders]


def _fact_range(table: str, date_from: dt.date | None, date_to: dt.date | None, *,
                scan: bool = False) -> tuple[str, list]:
    """The paid-date condition; ``scan=True`` writes it so that SQLite filters a scan of the shop's rows in id
    order instead of searching the date index (``+`` keeps a column out of index choice)."""
    if date_from is None or date_to is None:
        return "", []
    adapt = connection.ops.adapt_datefield_value
    plus = "+" if scan else ""
    return f" AND {plus}{table}.paid_date BETWEEN %s AND %s", [adapt(date_from), adapt(date_to)]


def _range_is_most_of_shop(shop: Shop, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """On SQLite: whether the paid-date range holds over a quarter of the shop's orders. Then reading them in id
    order by a scan of the shop's rows beats the date index, whose matches come in date order and must be
    sorted by id again (a 600,000-order import: 1.2 s of SQL instead of 0.3 s). Both counts are answered from
    indexes."""
    if connection.vendor != "sqlite" or date_from is None or date_to is None:
        return False
    table = Order._meta.db_table
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE shop_id = %s AND paid_date BETWEEN %s AND %s",
                       [shop.pk, adapt(date_from), adapt(date_to)])
        in_range = cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE shop_id = %s", [shop.pk])
        total = cursor.fetchone()[0]
    return in_range * 4 > total


def order_fact_raw_columns(*, shop: Shop, date_from: dt.date | None = None,
                           date_to: dt.date | None = None) -> dict[str, list]:
    """``order_fact_columns`` by raw SQL (no ORM conversion per value), optionally for paid dates in
    [date_from, date_to]. Timestamps and dates come as the database gives them: on SQLite ISO text (naive UTC,
    the way Django stores them), on PostgreSQL datetime/date objects; the caller casts column-wise."""
    table = Order._meta.db_table
    names = [("id" if name == "pk" else _text(name) if name in ("placed_at", "paid_at", "paid_date") else name)
             for name in ORDER_FACT_FIELDS]
    where, params = _fact_range(table, date_from, date_to,
                                scan=_range_is_most_of_shop(shop, date_from, date_to))
    return _raw_columns(names, f"FROM {table} WHERE shop_id = %s{where}", "id", [shop.pk, *params],
                        ORDER_FACT_FIELDS)


def line_fact_raw_columns(*, shop: Shop, date_from: dt.date | None = None,
                          date_to: dt.date | None = None) -> dict[str, list]:
    """``line_fact_columns`` by raw SQL (see :func:`order_fact_raw_columns`), in ``LINE_FACT_FIELDS`` order; a line
    not matched to a SKU yet has nulls for its SKU and product keys (docs/rules/sku-matching.md#unmatched-lines)."""
    line, order = OrderLine._meta.db_table, Order._meta.db_table
    sku, product, category = _sku_tables()
    where, params = _fact_range(order, date_from, date_to)
    exprs = ["l.shop_id", "l.order_id", "l.id", _text(order + ".paid_date"), f"{order}.channel", f"{order}.customer_id",
             "l.sku_id", "s.sku_code", "s.product_id", "p.spu_code", "c.code", "l.qty", "l.unit_price_fen",
             "l.amount_fen", "l.discount_fen", "l.paid_fen"]
    rest = (f"FROM {line} AS l JOIN {order} ON {order}.id = l.order_id LEFT JOIN {sku} AS s ON s.id = l.sku_id "
            f"LEFT JOIN {product} AS p ON p.id = s.product_id LEFT JOIN {category} AS c ON c.id = p.category_id "
            f"WHERE l.shop_id = %s{where}")
    return _raw_columns(exprs, rest, "l.id", [shop.pk, *params], LINE_FACT_FIELDS)


def line_fact_sku_keys(*, sku_ids: Iterable[int]) -> dict[int, tuple[str, int, str, str | None]]:
    """sku id → (sku_code, product_id, spu_code, category code) as ``line_fact_raw_columns`` joins them, for
    lines described without reading them back (the lake's facts of an import's new orders)."""
    sku, product, category = _sku_tables()
    wanted = sorted(set(sku_ids))
    out: dict[int, tuple[str, int, str, str | None]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            cursor.execute(f"SELECT s.id, s.sku_code, s.product_id, p.spu_code, c.code FROM {sku} AS s "
                           f"JOIN {product} AS p ON p.id = s.product_id LEFT JOIN {category} AS c ON c.id = p.category_id "
                           f"WHERE s.id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            out.update((row[0], row[1:]) for row in cursor.fetchall())
    return out


def _sku_tables() -> tuple[str, str, str]:
    """The tables of a line's SKU, its product and the product's category (the line facts' product keys)."""
    sku_model = _target(OrderLine, "sku")
    product_model = _target(sku_model, "product")
    category_model = _target(product_model, "category")
    return sku_model._meta.db_table, product_model._meta.db_table, category_model._meta.db_table


def _target(model: type[Model], name: str) -> type[Model]:
    """The model the foreign key ``name`` of ``model`` points to."""
    target = model._meta.get_field(name).related_model
    assert target is not None  # a foreign key always has one
    return target


def _text(column: str) -> str:
    """On SQLite a date/time column read as its stored ISO text, skipping the driver's per-value converter
    (the lake casts the whole column at once); other databases return it as it is."""
    return f"({column} || '')" if connection.vendor == "sqlite" else column


def _select_columns(exprs: list[str], rest: str, params: list, names: tuple[str, ...]) -> dict[str, list]:
    """``SELECT exprs rest`` column by column, named ``names``.

    On SQLite each column comes back as one JSON array built by the database (``json_group_array``) and
    decoded by ``json.loads``: a third cheaper than a Python tuple per row (a 1,000,000-line import reads its
    facts back for the lake). The arrays are filled in one pass, so they are aligned."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(exprs)} {rest}", params)
            rows = cursor.fetchall()
        if not rows:
            return {name: [] for name in names}
        return {name: list(values) for name, values in zip(names, zip(*rows, strict=True), strict=True)}
    aliases = [f"c{i}" for i in range(len(exprs))]
    inner = f"SELECT {', '.join(f'{e} AS {a}' for e, a in zip(exprs, aliases, strict=True))} {rest}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(f'json_group_array({a})' for a in aliases)} FROM ({inner})", params)
        arrays = cursor.fetchone()
    return {name: json.loads(text) for name, text in zip(names, arrays, strict=True)}


def _raw_columns(exprs: list[str], rest: str, order_by: str, params: list, names: tuple[str, ...],
                 ) -> dict[str, list]:
    """``SELECT exprs rest ORDER BY order_by`` column by column, named ``names``; ``exprs[names.index("pk")]``
    is the id the rows are ordered by (on SQLite the id order is checked, not assumed)."""
    columns = _select_columns(exprs, f"{rest} ORDER BY {order_by}", params, names)
    if connection.vendor != "sqlite":
        return columns
    ids = columns["pk"]
    if any(a >= b for a, b in zip(ids, ids[1:], strict=False)):  # not in id order: put it in order
        order = sorted(range(len(ids)), key=ids.__getitem__)
        columns = {name: [values[i] for i in order] for name, values in columns.items()}
    return columns


# --- what a re-import compares a file with ---------------------------------------------------------------------


class OrderHead(NamedTuple):
    """A stored order as a re-import first needs it: enough to tell whether the file says anything new, without
    reading its lines (``has_refunds``: whether refunds are recorded; the refunds themselves come with
    :func:`orders_as_inputs`)."""

    pk: int
    customer_id: int
    fingerprint: str
    status: str
    source: str
    promotions: tuple[str, ...]
    province: str
    city: str
    has_refunds: bool


def order_heads(*, shop: Shop, channel_account_id: int, order_nos: Iterable[str]) -> dict[str, OrderHead]:
    """order number → :class:`OrderHead` of one account's stored orders among ``order_nos`` (raw SQL, 900
    numbers a query on the (shop, account, order number) index; one cheap query when the account has no order)."""
    table, refunds = Order._meta.db_table, Refund._meta.db_table
    wanted = sorted(set(order_nos))
    out: dict[str, OrderHead] = {}
    if not wanted or not Order.objects.filter(shop=shop, channel_account_id=channel_account_id).exists():
        return out
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            cursor.execute(
                f"SELECT o.order_no, o.id, o.customer_id, o.fingerprint, o.status, o.source, o.promotions, "
                f"o.province, o.city, EXISTS (SELECT 1 FROM {refunds} r WHERE r.order_id = o.id) FROM {table} o "
                f"WHERE o.shop_id = %s AND o.channel_account_id = %s "
                f"AND o.order_no IN ({', '.join(['%s'] * len(chunk))})", [shop.pk, channel_account_id, *chunk])
            for number, pk, customer, fingerprint, status, source, promotions, province, city, has in cursor:
                if isinstance(promotions, str):  # SQLite gives the JSON text
                    promotions = json.loads(promotions)
                out[number] = OrderHead(pk, customer, fingerprint, status, source, tuple(promotions or ()),
                                        province, city, bool(has))
    return out


def orders_as_inputs(*, shop: Shop, channel_account_id: int, order_nos: Iterable[str]) -> dict[str, OrderInput]:
    """order number → the stored order as the :class:`OrderInput` that would write it again (lines and refunds
    in the order they were written, a refund's line as its index): what a re-import keeps of an order (its
    refunds when the file says nothing of them) and compares the file's order with, field by field."""
    wanted = sorted(set(order_nos))
    out: dict[str, OrderInput] = {}
    for start in range(0, len(wanted), 900):
        orders = list(Order.objects.filter(shop=shop, channel_account_id=channel_account_id,
                                           order_no__in=wanted[start : start + 900]).values(
            "pk", "order_no", "channel", "customer_id", "placed_at", "paid_at", "status", "shipping_fen",
            "promotions", "source", "province", "city"))
        ids = [o["pk"] for o in orders]
        lines: dict[int, list[tuple[int, LineInput]]] = {pk: [] for pk in ids}
        for line in OrderLine.objects.filter(order_id__in=ids).order_by("pk").values_list(
                "order_id", "pk", "sku_id", "title", "unit_price_fen", "qty", "discount_fen", *LINE_IDENTITY_FIELDS):
            lines[line[0]].append((line[1], LineInput(*line[2:])))
        line_index = {line_pk: index for found in lines.values() for index, (line_pk, _l) in enumerate(found)}
        refunds: dict[int, list[RefundInput]] = {pk: [] for pk in ids}
        for r in Refund.objects.filter(order_id__in=ids).order_by("pk").values(
                "order_id", "refund_no", "line_id", "kind", "amount_fen", "reason", "status", "requested_at",
                "completed_at"):
            refunds[r["order_id"]].append(RefundInput(
                r["refund_no"], None if r["line_id"] is None else line_index[r["line_id"]], r["kind"],
                r["amount_fen"], r["reason"], r["status"], r["requested_at"], r["completed_at"]))
        for o in orders:
            out[o["order_no"]] = OrderInput(
                order_no=o["order_no"], channel_account_id=channel_account_id, channel=o["channel"],
                customer_id=o["customer_id"], placed_at=o["placed_at"], paid_at=o["paid_at"], status=o["status"],
                lines=tuple(line for _pk, line in lines[o["pk"]]), shipping_fen=o["shipping_fen"],
                promotions=tuple(o["promotions"] or ()), source=o["source"], province=o["province"], city=o["city"],
                refunds=tuple(refunds[o["pk"]]))
    return out


# ---------------------------------------------------------------- SKU matching (docs/rules/sku-matching.md)

LINE_IDENTITY_FIELDS = ("seller_code", "platform_item_id", "platform_sku_id", "spec", "match_key")


class UnmatchedGroup(NamedTuple):
    """Order lines of one channel account that share a match key and are not matched to a SKU."""

    channel_account_id: int
    channel: str
    match_key: str
    seller_code: str
    platform_item_id: str
    platform_sku_id: str
    title: str
    spec: str
    lines: int
    units: int
    gmv_fen: int  # the lines' paid amounts
    unit_price_fen: int  # the latest line's
    first_seen: dt.date
    last_seen: dt.date


def unmatched_groups(*, shop: Shop, channel_account_id: int | None = None, match_key: str | None = None,
                     ) -> list[UnmatchedGroup]:
    """The shop's unmatched order lines, one group per (channel account, match key), most GMV first."""
    qs = _keyed_lines(shop).filter(sku__isnull=True)
    if channel_account_id is not None:
        qs = qs.filter(order__channel_account_id=channel_account_id)
    if match_key is not None:
        qs = qs.filter(match_key=match_key)
    rows = (qs.values("order__channel_account_id", "match_key")
            .annotate(lines=Count("id"), units=Sum("qty"), gmv=Sum("paid_fen"), first=Min("order__paid_date"),
                      last=Max("order__paid_date"), latest=Max("id"))
            .order_by("-gmv", "match_key"))
    groups = list(rows)
    latest = {line["pk"]: line for line in OrderLine.objects.filter(pk__in=[g["latest"] for g in groups]).values(
        "pk", "order__channel", "title", "unit_price_fen", *LINE_IDENTITY_FIELDS)}
    return [UnmatchedGroup(
        g["order__channel_account_id"], latest[g["latest"]]["order__channel"], g["match_key"],
        latest[g["latest"]]["seller_code"], latest[g["latest"]]["platform_item_id"],
        latest[g["latest"]]["platform_sku_id"], latest[g["latest"]]["title"], latest[g["latest"]]["spec"],
        g["lines"], g["units"] or 0, g["gmv"] or 0, latest[g["latest"]]["unit_price_fen"],
        _day(g["first"]), _day(g["last"])) for g in groups]


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def unmatched_line_count(*, shop: Shop, start: dt.date | None = None, end: dt.date | None = None) -> int:
    """How many order lines (of orders paid on start..end, when given) are not matched to a SKU: the pages
    whose figures leave them out say so."""
    qs = _keyed_lines(shop).filter(sku__isnull=True)
    if start is not None and end is not None:
        qs = qs.filter(order__paid_date__range=(start, end))
    return qs.count()


def lines_of_key(*, shop: Shop, channel_account_id: int, match_key: str) -> QuerySet[OrderLine]:
    """The order lines of one channel account with this match key (matched or not)."""
    return _keyed_lines(shop).filter(order__channel_account_id=channel_account_id, match_key=match_key)


def _keyed_lines(shop: Shop) -> QuerySet[OrderLine]:
    """Lines with a match key — every unmatched line has one — through the partial index ``orderline_match_key``
    (its condition, match_key <> '', is stated so SQLite and PostgreSQL may use it)."""
    return OrderLine.objects.filter(shop=shop).exclude(match_key="")


class PaidOrder(NamedTuple):
    """An order as a chat's conversion reads it."""

    pk: int
    order_no: str
    customer_id: int
    channel: str
    paid_at: dt.datetime
    paid_fen: int
    refunded_fen: int = 0


def paid_orders_of_customers(*, shop: Shop, customer_ids: Iterable[int], start: dt.datetime | None = None,
                             end: dt.datetime | None = None) -> list[PaidOrder]:
    """The orders of ``customer_ids`` paid in [start, end) (either end open when None), by payment time: what
    a chat session's buyer bought (docs/rules/service-chats.md#inquiry-conversion)."""
    wanted = sorted(set(customer_ids))
    found: list[PaidOrder] = []
    for first in range(0, len(wanted), 900):
        qs = Order.objects.filter(shop=shop, customer_id__in=wanted[first : first + 900])
        if start is not None:
            qs = qs.filter(paid_at__gte=start)
        if end is not None:
            qs = qs.filter(paid_at__lt=end)
        found += [PaidOrder(*row) for row in qs.values_list("pk", "order_no", "customer_id", "channel", "paid_at",
                                                             "paid_fen", "refunded_fen")]
    return sorted(found, key=lambda o: (o.paid_at, o.pk))

def order_ids_by_no(*, shop: Shop, channel: str, order_nos: Iterable[str]) -> dict[str, int]:
    """order number → order id of the shop's orders on ``channel`` among ``order_nos`` (a review, a return
    names its order by number only); a number stored on two accounts of the channel is ambiguous: left out."""
    wanted = sorted({n for n in order_nos if n})
    seen: dict[str, list[int]] = {}
    for start in range(0, len(wanted), 900):
        for number, pk in Order.objects.filter(shop=shop, channel=channel, order_no__in=wanted[start : start + 900]) \
                .values_list("order_no", "pk"):
            seen.setdefault(number, []).append(pk)
    return {number: pks[0] for number, pks in seen.items() if len(pks) == 1}
