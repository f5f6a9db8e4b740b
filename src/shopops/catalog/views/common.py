"""What the catalog's pages share: a refused change said as one message, each field by its name."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shopops.core.errors import ShopOpsError


def field_labels() -> dict[str, str]:
    """Names of the fields the catalog's services may name in an error (the rest: as the service said)."""
    return {"code": _("Code"), "name": _("Name"), "parent": _("Parent category"), "price": _("Price"),
            "cost": _("Cost"), "sku_codes": _("SKUs"), "body": _("Change")}


def error_text(exc: ShopOpsError) -> str:
    """``detail`` followed by each problem as ``field: message`` (``sku_codes[3]``: the selection)."""
    labels = field_labels()
    problems = [f"{labels.get(e.field.split('[')[0], e.field)}: {e.message}" for e in exc.errors]
    return " ".join([exc.detail, *problems])


def safe_next(request, value: str | None) -> str | None:
    """A same-site path to go back to after a form (``?next=``), or None."""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return None
