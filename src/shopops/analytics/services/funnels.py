"""Saved funnels: an operator names a step list (e.g. 「详情→加购→下单」) to reopen it later."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shopops.analytics.models import SavedFunnel
from shopops.analytics.selectors.behaviour import parse_window
from shopops.core.errors import Conflict, ErrorCollector, FieldError, InvalidInput, NotFound
from shopops.core.models import Shop

MODES = ("sequential", "strict", "any")


@transaction.atomic
def saved_funnel_save(*, shop: Shop, name: str, steps: list[str], window: str = "1d",
                      mode: str = "sequential") -> SavedFunnel:
    """Create the funnel ``name`` or replace its steps, window and mode."""
    name = (name or "").strip()
    errors = []
    if not name or len(name) > 80:
        errors.append(FieldError("name", _("Give the funnel a name of at most 80 characters.")))
    steps = [str(s).strip() for s in steps or [] if str(s).strip()]
    if not 2 <= len(steps) <= 10:
        errors.append(FieldError("steps", _("A funnel has 2 to 10 steps.")))
    window_errors = ErrorCollector()
    parse_window(window, window_errors)
    errors.extend(window_errors.errors)
    if mode not in MODES:
        errors.append(FieldError("mode", _("Mode must be one of: %(modes)s.") % {"modes": ", ".join(MODES)}))
    if errors:
        raise InvalidInput(_("The funnel was not saved."), errors)
    try:
        funnel, _created = SavedFunnel.objects.update_or_create(
            shop=shop, name=name, defaults={"steps": steps, "window": window, "mode": mode})
    except IntegrityError as exc:  # a concurrent save of the same name
        raise Conflict(_("A funnel with this name is being saved right now; try again.")) from exc
    return funnel


@transaction.atomic
def saved_funnel_delete(*, shop: Shop, funnel_id: int) -> None:
    deleted, _rows = SavedFunnel.objects.filter(shop=shop, pk=funnel_id).delete()
    if not deleted:
        raise NotFound(_("No such saved funnel."))
