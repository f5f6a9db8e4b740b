"""Inventory records: locations, the stock ledger, balances, reservations, flash-sale pools, suppliers, purchase
orders, channel rules and the last sync.

The ledger (``StockMove``) is the source of truth; ``Balance`` caches it per SKU × location and is changed in
the same transaction as the ledger row, always with a conditional ``UPDATE`` (never read-then-write). The
CHECK constraints below are the last line of defence against oversell (Saleor and Medusa have none:
docs/rules/inventory.md#database-constraints).

Quantities are whole units. Per balance row::

    available = on_hand − reserved − pooled          (≥ 0, a CHECK constraint)

``reserved`` is the sum of held reservations outside pools; ``pooled`` is the stock carved out for open
flash-sale pools (their held reservations included); ``in_transit`` is ordered on purchase orders, not yet
received.

SKUs are referenced by ``"catalog.Sku"`` (a lazy reference: this module imports no other app's models).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shopops.core.models import ShopScoped

SKU = "catalog.Sku"


class Location(ShopScoped):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Warehouse")
        STORE = "store", _("Store")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.WAREHOUSE)
    is_default = models.BooleanField(_("default location"), default=False)
    priority = models.IntegerField(_("priority"), default=100)  # reservations try lower numbers first
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        permissions = [
            ("view_stock", _("Can view stock")),
            ("change_stock", _("Can move and reserve stock")),
            ("manage_purchasing", _("Can approve replenishment and manage purchase orders")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="uniq_location_code"),
            models.UniqueConstraint(fields=["shop"], condition=Q(is_default=True), name="one_default_location"),
        ]

    def __str__(self) -> str:
        return self.name


class Balance(ShopScoped):
    """Stock of one SKU at one location. ``sku_code`` repeats the catalog's seller code (SKU codes are never
    renamed: the catalog has no service that changes one) so the reservation hot path finds the row by the
    code the caller sends without a catalog lookup; rows written before it existed are filled on first miss."""

    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKU"))
    sku_code = models.CharField(_("SKU code"), max_length=64, blank=True, default="")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances",
                                 verbose_name=_("location"))
    on_hand = models.BigIntegerField(_("on hand"), default=0)
    reserved = models.BigIntegerField(_("reserved"), default=0)
    pooled = models.BigIntegerField(_("in flash-sale pools"), default=0)
    in_transit = models.BigIntegerField(_("in transit"), default=0)

    class Meta:
        ordering = ["location_id"]
        verbose_name = _("stock balance")
        constraints = [
            models.UniqueConstraint(fields=["sku", "location"], name="uniq_balance"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="balance_on_hand_non_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="balance_reserved_non_negative"),
            models.CheckConstraint(condition=Q(pooled__gte=0), name="balance_pooled_non_negative"),
            models.CheckConstraint(condition=Q(in_transit__gte=0), name="balance_in_transit_non_negative"),
            models.CheckConstraint(condition=Q(on_hand__gte=F("reserved") + F("pooled")),
                                   name="balance_available_non_negative"),
        ]
        indexes = [models.Index(fields=["shop", "sku"]), models.Index(fields=["shop", "sku_code"])]

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved - self.pooled


class StockMove(ShopScoped):
    """One line of the stock ledger. ``qty`` is signed (+ in, − out); one request may write several lines
    (a transfer writes two) sharing its ``ref``; ``(shop, ref, line)`` is unique, which makes moves idempotent."""

    class Type(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        SALE = "sale", _("Sale")
        RETURN = "return", _("Return")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER = "transfer", _("Transfer")
        COUNT = "count", _("Stock count")

    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKU"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="moves",
                                 verbose_name=_("location"))
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    qty = models.BigIntegerField(_("quantity"))
    ref = models.CharField(_("reference"), max_length=100)
    line = models.PositiveSmallIntegerField(default=0)
    reservation = models.ForeignKey("Reservation", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    po_line = models.ForeignKey("PurchaseOrderLine", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="moves")
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("stock move")
        verbose_name_plural = _("stock ledger")
        constraints = [models.UniqueConstraint(fields=["shop", "ref", "line"], name="uniq_move_ref")]
        indexes = [models.Index(fields=["shop", "sku", "at"])]


class Pool(ShopScoped):
    """A flash-sale pool (秒杀/活动库存): ``qty`` units carved out of one location's available stock for one
    activity. ``reserved`` of them are held by open reservations; ``sold`` counts committed ones."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120, blank=True)
    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKU"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="pools")
    qty = models.BigIntegerField(_("pool quantity"), default=0)
    reserved = models.BigIntegerField(_("held"), default=0)
    sold = models.BigIntegerField(_("sold"), default=0)
    per_customer_limit = models.PositiveIntegerField(_("limit per customer"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("flash-sale pool")
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="uniq_pool_code"),
            models.CheckConstraint(condition=Q(reserved__gte=0) & Q(reserved__lte=F("qty")), name="pool_held_within"),
            models.CheckConstraint(condition=Q(sold__gte=0), name="pool_sold_non_negative"),
        ]


class PoolCustomer(models.Model):
    """How many units one customer holds or bought from one pool; ``qty <= lim`` is a CHECK constraint and the
    row is incremented with a conditional UPDATE, so the per-customer limit holds under any concurrency."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="customers")
    customer = models.CharField(max_length=100)
    qty = models.BigIntegerField(default=0)
    lim = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pool", "customer"], name="uniq_pool_customer"),
            models.CheckConstraint(condition=Q(qty__gte=0) & Q(qty__lte=F("lim")), name="pool_customer_within_limit"),
        ]


class RowIdField(models.BigAutoField):
    """A BigAutoField that is SQLite's plain ``INTEGER PRIMARY KEY`` (the rowid), without ``AUTOINCREMENT``.

    AUTOINCREMENT makes every insert also update the ``sqlite_sequence`` table: one more page in each commit's
    WAL frames (measured: a fifth of a reservation's commit, benchmarks/reservations.py). Without it SQLite
    still gives max(id) + 1; an id can only be reused after the row with the highest id is deleted, and
    reservations are never deleted (they are closed). Other databases: exactly BigAutoField."""

    def db_type_suffix(self, connection):
        if connection.vendor == "sqlite":
            return None
        return super().db_type_suffix(connection)


class Reservation(ShopScoped):
    """A hold on ``qty`` units until ``expires_at``.

    Few pages per commit on purpose: every index is one more B-tree page written by each reservation's commit
    (on SQLite a commit writes whole pages to the WAL; measured: the four foreign-key indexes and two composite
    indexes Django would add made a reservation's commit about 4× slower, see benchmarks/reservations.py), and
    so is AUTOINCREMENT's ``sqlite_sequence`` row (the primary key is a ``RowIdField``). A hot-path commit on
    SQLite writes four pages: the balance row, the table's last leaf, the (shop, ref) index and the expiry
    index (the bare UPDATE of the benchmark writes one).
    Kept: the unique (shop, ref) (idempotency) and one partial index of the held ones by expiry (the expiry
    task; it also serves "held reservations of a SKU", a small set). The foreign keys have no index of their own:
    only deleting a SKU, location or pool (rare, and PROTECTed) looks them up.

    The foreign keys are not database constraints either (``db_constraint=False``): on PostgreSQL each one
    is a row lock (FOR KEY SHARE) on the referenced SKU, location and shop at every commit, and with every
    reservation of a hot SKU locking the same three rows that tripled the cost of a reservation (measured
    0.70 ms vs 0.25 ms, benchmarks/reservations.py). Integrity holds by construction: a reservation's shop,
    SKU and location are those of the balance row the same statement took the units from (Balance keeps all
    three as real constraints, and balance rows are never deleted), its pool is an existing Pool; Django's
    on_delete (PROTECT / CASCADE) still runs in the ORM."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        COMMITTED = "committed", _("Committed")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")

    id = RowIdField(primary_key=True)
    shop = models.ForeignKey("core.Shop", on_delete=models.CASCADE, related_name="+", verbose_name=_("shop"),
                             db_index=False, db_constraint=False)  # the unique (shop, ref) index starts with it
    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKU"), db_index=False,
                            db_constraint=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="reservations", db_index=False,
                                 db_constraint=False)
    pool = models.ForeignKey(Pool, null=True, blank=True, on_delete=models.PROTECT, related_name="reservations",
                             db_index=False, db_constraint=False)
    qty = models.BigIntegerField(_("quantity"))
    ref = models.CharField(_("reference"), max_length=100)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    customer = models.CharField(_("customer"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("reservation")
        constraints = [
            models.UniqueConstraint(fields=["shop", "ref"], name="uniq_reservation_ref"),
            models.CheckConstraint(condition=Q(qty__gt=0), name="reservation_qty_positive"),
        ]
        indexes = [models.Index(fields=["expires_at"], condition=Q(status="held"), name="reservation_held_expiry")]


class Supplier(ShopScoped):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    lead_time_days = models.DecimalField(_("lead time (days, mean)"), max_digits=6, decimal_places=2, default=7)
    lead_time_sd_days = models.DecimalField(_("lead time (days, standard deviation)"), max_digits=6,
                                            decimal_places=2, default=0)
    moq = models.PositiveIntegerField(_("minimum order quantity"), default=1)
    case_pack = models.PositiveIntegerField(_("case pack"), default=1)
    contact = models.CharField(_("contact"), max_length=120, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("supplier")
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="uniq_supplier_code"),
            models.CheckConstraint(condition=Q(lead_time_days__gte=0) & Q(lead_time_sd_days__gte=0),
                                   name="supplier_lead_time_non_negative"),
            models.CheckConstraint(condition=Q(moq__gte=1) & Q(case_pack__gte=1), name="supplier_pack_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class SupplierSku(ShopScoped):
    """Which supplier sells a SKU, at what unit cost (fen); MOQ/case pack override the supplier's."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="skus")
    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="+")
    unit_cost_fen = models.BigIntegerField(_("unit cost (fen)"), default=0)
    moq = models.PositiveIntegerField(_("minimum order quantity"), null=True, blank=True)
    case_pack = models.PositiveIntegerField(_("case pack"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sku"], name="one_supplier_per_sku"),
            models.CheckConstraint(condition=Q(unit_cost_fen__gte=0), name="supplier_sku_cost_non_negative"),
        ]


class PurchaseOrder(ShopScoped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ORDERED = "ordered", _("Ordered")
        PARTLY_RECEIVED = "partly_received", _("Partly received")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("PO number"), max_length=40)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="orders")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="purchase_orders")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("purchase order")
        constraints = [models.UniqueConstraint(fields=["shop", "number"], name="uniq_po_number")]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(ShopScoped):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+")
    qty_ordered = models.BigIntegerField(_("ordered"))
    qty_received = models.BigIntegerField(_("received"), default=0)
    unit_cost_fen = models.BigIntegerField(_("unit cost (fen)"), default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "sku"], name="uniq_po_line_sku"),
            models.CheckConstraint(condition=Q(qty_ordered__gt=0), name="po_line_qty_positive"),
            models.CheckConstraint(condition=Q(qty_received__gte=0) & Q(qty_received__lte=F("qty_ordered")),
                                   name="po_line_received_within_ordered"),
            models.CheckConstraint(condition=Q(unit_cost_fen__gte=0), name="po_line_cost_non_negative"),
        ]


class ChannelRule(ShopScoped):
    """How much of a SKU's available stock one channel may publish (all SKUs when ``sku`` is empty)."""

    channel = models.CharField(_("channel"), max_length=20)
    sku = models.ForeignKey(SKU, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ratio = models.DecimalField(_("ratio"), max_digits=5, decimal_places=4, default=1)
    cap = models.PositiveIntegerField(_("fixed cap"), null=True, blank=True)
    priority = models.IntegerField(_("priority"), default=100)
    buffer = models.PositiveIntegerField(_("safety buffer"), default=0)
    presale = models.PositiveIntegerField(_("presale units"), default=0)

    class Meta:
        ordering = ["priority", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "channel", "sku"], name="uniq_channel_rule"),
            models.UniqueConstraint(fields=["shop", "channel"], condition=Q(sku__isnull=True),
                                    name="uniq_channel_default_rule"),
            models.CheckConstraint(condition=Q(ratio__gte=0) & Q(ratio__lte=1), name="channel_rule_ratio"),
        ]


class ChannelSync(ShopScoped):
    """The quantity last published to a channel for a SKU (the next sync reports the change)."""

    channel = models.CharField(_("channel"), max_length=20)
    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="+")
    qty = models.BigIntegerField(_("published quantity"))
    synced_at = models.DateTimeField(_("synced at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "channel", "sku"], name="uniq_channel_sync")]
