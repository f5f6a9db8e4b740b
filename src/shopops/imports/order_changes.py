"""What an order import changed, told exactly: orders, lines, refunds and customers created, updated (an order
with the fields that changed) and unchanged. An order whose every field equals the stored one is unchanged,
never updated. The summary's ``changes`` (the CLI's and the API's JSON) is :meth:`Changes.as_dict`."""

from __future__ import annotations

from collections import Counter

from shopops.orders.domain import OrderInput

UPDATED_LISTED = 100  # updated orders listed by number with their changed fields (the counts cover all)

# an order's fields as the summary names them, in this order
ORDER_FIELDS = ("customer", "status", "placed_at", "paid_at", "shipping_fen", "paid_fen", "promotions", "source",
                "province", "city", "lines", "refunds")


def _paid_fen(order: OrderInput) -> int:
    return sum(line.unit_price_fen * line.qty - line.discount_fen for line in order.lines) + order.shipping_fen


def changed_fields(stored: OrderInput, new: OrderInput) -> list[str]:
    """The names (``ORDER_FIELDS``) of what ``new`` says differently from ``stored``."""
    values = {
        "customer": (stored.customer_id, new.customer_id), "status": (stored.status, new.status),
        "placed_at": (stored.placed_at, new.placed_at), "paid_at": (stored.paid_at, new.paid_at),
        "shipping_fen": (stored.shipping_fen, new.shipping_fen), "paid_fen": (_paid_fen(stored), _paid_fen(new)),
        "promotions": (tuple(stored.promotions), tuple(new.promotions)), "source": (stored.source, new.source),
        "province": (stored.province, new.province), "city": (stored.city, new.city),
        "lines": (tuple(stored.lines), tuple(new.lines)), "refunds": (tuple(stored.refunds), tuple(new.refunds)),
    }
    return [name for name in ORDER_FIELDS if values[name][0] != values[name][1]]


class Changes:
    """Counts of what one import did to orders, lines, refunds and customers."""

    def __init__(self) -> None:
        self.orders: Counter[str] = Counter()
        self.lines: Counter[str] = Counter()
        self.refunds: Counter[str] = Counter()
        self.customers: Counter[str] = Counter()
        self.fields: Counter[str] = Counter()
        self.updated_orders: list[dict[str, object]] = []

    def created(self, lines: int, refunds: int) -> None:
        self.orders["created"] += 1
        self.lines["created"] += lines
        self.refunds["created"] += refunds

    def unchanged(self, lines: int, refunds: int) -> None:
        self.orders["unchanged"] += 1
        self.lines["unchanged"] += lines
        self.refunds["unchanged"] += refunds

    def updated(self, stored: OrderInput, new: OrderInput) -> None:
        fields = changed_fields(stored, new)
        self.orders["updated"] += 1
        self.fields.update(fields)
        if len(self.updated_orders) < UPDATED_LISTED:
            self.updated_orders.append({"order_no": new.order_no, "fields": fields})
        for old_line, new_line in zip(stored.lines, new.lines, strict=False):
            self.lines["unchanged" if old_line == new_line else "updated"] += 1
        self.lines["created"] += max(len(new.lines) - len(stored.lines), 0)
        self.lines["deleted"] += max(len(stored.lines) - len(new.lines), 0)
        old_refunds = {r.refund_no: r for r in stored.refunds}
        for refund in new.refunds:
            old = old_refunds.pop(refund.refund_no, None)
            self.refunds["created" if old is None else "unchanged" if old == refund else "updated"] += 1
        self.refunds["deleted"] += len(old_refunds)

    def as_dict(self) -> dict[str, object]:
        def counts(counter: Counter[str], *names: str) -> dict[str, int]:
            return {name: counter[name] for name in names}

        return {
            "orders": counts(self.orders, "created", "updated", "unchanged"),
            "lines": counts(self.lines, "created", "updated", "unchanged", "deleted"),
            "refunds": counts(self.refunds, "created", "updated", "unchanged", "deleted"),
            "customers": counts(self.customers, "created", "linked", "updated", "unchanged"),
            "fields": {name: self.fields[name] for name in ORDER_FIELDS if self.fields[name]},
            "updated_orders": self.updated_orders,
        }
