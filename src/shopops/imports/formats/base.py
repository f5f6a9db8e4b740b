"""What a connector is: a format's columns, how its rows become orders (or lake rows), and its quirks.

Pure code (no Django, no I/O): a format declares :class:`~shopops.imports.columns.Column` s and a
``build`` function that turns the rows of one order into an :class:`OrderDraft`. The import service
(``channels.services``) reads the file, converts cells, groups rows by the format's order key, calls
``build`` and only then resolves SKUs and buyers and writes, all in one transaction. Messages are
bilingual because pure code cannot use Django's gettext (``say``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from shopops.core.text import Text, gettext_noop
from shopops.imports.columns import Column
from shopops.orders.domain import order_discount_fen

Record = Mapping[str, object]  # one converted row: {"_row": n, column name: typed value, …}


class RowProblem(Exception):
    """A row (or an order spanning rows) that cannot be imported: which row, which column, why (an English
    ``Text`` the face says in the user's language)."""

    def __init__(self, row: int, column: str, text: Text) -> None:
        super().__init__(text)
        self.row, self.column, self.text = row, column, text


class Skip(Exception):
    """An order the file lists but that is not a sale yet (unpaid, closed before payment): not imported."""


@dataclass(frozen=True, slots=True)
class LineDraft:
    """One order line as the export shows it: the SKU by the seller's code (商家编码, may be empty), the
    platform's item and SKU ids and the spec text where the export has them (SKU matching,
    docs/rules/sku-matching.md), money in fen. ``code_column``/``missing_code``: the column and message of
    an empty seller code, said when the import is strict about SKUs (``--strict-skus``)."""

    sku_code: str
    title: str
    unit_price_fen: int
    qty: int
    row: int
    platform_item_id: str = ""
    platform_sku_id: str = ""
    spec: str = ""
    code_column: str = ""
    missing_code: Text | None = None


@dataclass(frozen=True, slots=True)
class RefundDraft:
    refund_no: str
    amount_fen: int
    status: str  # orders.Refund.Status values: pending | success | rejected | closed
    requested_at: dt.datetime
    completed_at: dt.datetime | None
    reason: str = ""
    kind: str = "refund_only"
    line_index: int | None = None


@dataclass(slots=True)
class OrderDraft:
    """One order read from an export, before SKUs and buyers are looked up.

    ``paid_fen`` is what the buyer actually paid (实付, incl. shipping); the order-level discount is
    what makes goods + shipping come down to it, and it is allocated to the lines later (largest remainder
    on the item-level amounts, docs/rules/pricing.md#allocation-of-order-level-discounts).
    """

    order_no: str
    row: int
    buyer_id: str
    buyer_name: str
    placed_at: dt.datetime
    paid_at: dt.datetime
    status: str  # orders.Order.Status values: paid | shipped | completed | closed
    paid_fen: int
    shipping_fen: int
    lines: list[LineDraft]
    refunds: list[RefundDraft] = field(default_factory=list)
    province: str = ""
    city: str = ""
    source: str = ""
    promotions: tuple[str, ...] = ()
    paid_column: str = ""  # the column the paid amount came from, for error messages
    rows: tuple[int, ...] = ()  # every source row of the order
    refund_column: str = ""  # the column the refunds came from, for error messages
    refund_row: int = 0  # the row that column was read on (0: the order's first row)

    @property
    def goods_fen(self) -> int:
        return sum(line.unit_price_fen * line.qty for line in self.lines)

    @property
    def discount_fen(self) -> int:
        return order_discount_fen(self.goods_fen, self.shipping_fen, self.paid_fen)


class PlainOrder(NamedTuple):
    """An order in the common shape, read without building an :class:`OrderDraft`: the format's ``plain``
    function returns it only when ``build`` would return a draft with exactly these values, no refunds, no
    promotions or source, and money that adds up (0 ≤ discount ≤ goods); otherwise None, and ``build`` says
    what happens (a draft, ``Skip`` or a ``RowProblem``). Lines are parallel tuples."""

    order_no: str
    row: int
    buyer: str
    placed_at: dt.datetime
    paid_at: dt.datetime
    status: str
    paid_fen: int
    shipping_fen: int
    province: str
    city: str
    codes: tuple[str, ...]
    titles: tuple[str, ...]
    units: tuple[int, ...]
    qtys: tuple[int, ...]
    line_rows: tuple[int, ...]  # the source row of each line
    rows: tuple[int, ...]  # every source row of the order (as OrderDraft.rows)
    specs: tuple[str, ...] = ()  # each line's spec text (商品属性) where the export has it: SKU matching shows it


@dataclass(frozen=True)
class Format:
    """One export format a user can import (its ``name`` is the CLI/API contract)."""

    name: str
    title: Text  # English; a face says it in the user's language
    channel: str  # the channel code its default account is on (channels.domain.CHANNELS)
    target: Literal["orders", "lake", "stock", "catalog", "chats", "reviews", "returns"]
    columns: tuple[Column, ...]
    order_key: str = ""  # column grouping rows into one order (orders formats)
    # rows of one order, its item-file rows (taobao --items) → draft; raises RowProblem or Skip
    build: Callable[[Sequence[Record], Sequence[Record]], OrderDraft] | None = None
    header: bool = True
    column_names: tuple[str, ...] | None = None  # headerless files
    item_columns: tuple[Column, ...] = ()  # the companion item-detail file (taobao --items)
    # the fast way for common orders (rows, items) → PlainOrder | None (None: ask ``build``)
    plain: Callable[[Sequence[Record], Sequence[Record]], PlainOrder | None] | None = None
    quirks: tuple[str, ...] = ()
    doc: str = ""  # docs/formats.md anchor
    # (status the file gives, stored status it does not contradict): a format that cannot tell them apart
    # (Shopify has no "completed") leaves a re-imported order's stored status as it is
    status_covers: tuple[tuple[str, str], ...] = ()

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def optional(self) -> list[str]:
        return [c.name for c in self.columns if not c.required]


def first(records: Sequence[Record], name: str) -> object:
    """The first non-empty value of a column among an order's rows (order-level fields are often only on
    the first row, e.g. Shopify)."""
    for record in records:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def split_address(address: object) -> tuple[str, str]:
    """Province and city from a Chinese address ("浙江省 杭州市 西湖区 …", desensitised or not)."""
    if not isinstance(address, str):
        return "", ""
    parts = address.replace("\u3000", " ").split()
    province = parts[0][:20] if parts else ""
    city = parts[1][:40] if len(parts) > 1 and "*" not in parts[1] else ""
    return province, city


def status_from(text: object, table: Mapping[str, str], row: int, column: str) -> str:
    """A platform's status text → our order status; unpaid and pre-payment closures are skipped."""
    value = (text or "") if isinstance(text, str) else ""
    for needle, status in table.items():
        if needle in value:
            if status == "skip":
                raise Skip
            return status
    raise RowProblem(row, column, gettext_noop("unknown order status “%(status)s”", status=value))


def need(record: Record, name: str) -> object:
    value = record.get(name)
    if value is None or value == "":
        raise RowProblem(int(record["_row"]), name, gettext_noop("must not be empty"))
    return value


def text(record: Record, name: str) -> str:
    """A cell as text ("" when empty): the identifiers SKU matching keeps."""
    value = record.get(name)
    return "" if value is None else str(value).strip()
