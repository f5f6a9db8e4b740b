"""`shopops export-sample`: a realistic export file in any format, written from the shop's own data."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shopops.catalog import selectors as catalog_selectors
from shopops.core.clock import today
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.models import Shop
from shopops.imports.formats import FORMATS
from shopops.imports.formats.lake_samples import write_sample
from shopops.imports.formats.samples import SampleLine, SampleOrder, write_order_sample
from shopops.orders import selectors as order_selectors


def export_sample(*, shop: Shop, format_name: str, path: str, limit: int = 2000) -> dict[str, object]:
    """A realistic file in ``format_name`` from the shop's own data (the demo world), ready to import."""
    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise InvalidInput(_("Unknown format %(name)s.") % {"name": format_name}, [FieldError(
            "format", _("Choose one of: %(names)s.") % {"names": ", ".join(sorted(FORMATS))})])
    if fmt.target == "lake":
        skus = [(s.sku_code, s.product.title) for s in catalog_selectors.skus_by_code(shop=shop).values()]
        rows = write_sample(format_name, path, end_date=today(shop.timezone), skus=skus)
        return {"format": format_name, "file": str(path), "rows": rows}
    orders = order_selectors.orders_for_export(shop=shop, channel=fmt.channel, limit=limit) or \
        order_selectors.orders_for_export(shop=shop, limit=limit)
    samples = [SampleOrder(
        order_no=o["order_no"], buyer=(o["customer__name"] or f"buyer{o['customer_id']}")[:40],
        placed_at=o["placed_at"], paid_at=o["paid_at"], status=o["status"], paid_fen=o["paid_fen"],
        shipping_fen=o["shipping_fen"], province=o["province"], city=o["city"], source=o["source"],
        lines=tuple(SampleLine(li["sku__sku_code"], li["title"], li["unit_price_fen"], li["qty"])
                    for li in o["lines"]))
        for o in orders if o["lines"]]
    return write_order_sample(format_name, path, samples)
