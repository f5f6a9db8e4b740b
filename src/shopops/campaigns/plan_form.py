"""The campaign plan form of the create and edit pages: its POST read into the fields of ``inputs.CampaignIn``
(the API's body, so both faces save through the same input) and the context that draws it.

No JSON on the page: promotions are rows, one kind of offer each (``promotion_rows``), the per-channel cost
overrides a table (``cost_table``), rates percentages ("10%"). Problems come back per row and field in the
user's language, those found by the save (the pricing contract, the shop's SKUs) mapped back to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.campaigns import cost_table, domain, promotion_rows, selectors
from shopops.campaigns.form_values import ValueProblem, clean, parse_percent_bp, show_percent
from shopops.campaigns.models import Campaign
from shopops.campaigns.promotion_rows import RowError
from shopops.channels.labels import channel_label
from shopops.core.clock import today
from shopops.core.errors import FieldError
from shopops.core.i18n import say
from shopops.core.money import format_fen
from shopops.pricing.contract import MAX_PROMOTIONS

ROWS_MAX = MAX_PROMOTIONS + 20  # rows a page may post (blank ones included)
BLANK_ROWS = 2  # empty rows under a plan's promotions, to add offers without a round trip
SKU_CHOICES_MAX = 2000  # codes offered to the SKU inputs (the campaign's, first ones)
TEXT_FIELDS = ("name", "kind", "warmup_start", "main_start", "main_end", "return_end", "budget", "notes",
               "reference_days", "reference_basis")
RATES = {"min_margin": (-10_000, 10_000), "default_floor": (0, 10_000)}  # bounds in basis points
DEFAULT_RATES = {"min_margin": 1_000, "default_floor": 5_000}
# The plan's fields by the labels of the form (a problem names what the operator sees).
LABELS = {
    "name": gettext_lazy("Name"), "kind": gettext_lazy("Kind"), "year": gettext_lazy("Year"),
    "preset": gettext_lazy("Calendar entry (fills name and dates)"),
    "warmup_start": gettext_lazy("Warm-up starts"), "main_start": gettext_lazy("Main period starts"),
    "main_end": gettext_lazy("Main period ends"), "return_end": gettext_lazy("Return period ends"),
    "goals.gmv": gettext_lazy("GMV goal (¥)"), "goals.uv": gettext_lazy("Visitor goal (UV)"),
    "goals.new_buyers": gettext_lazy("New buyer goal"), "budget": gettext_lazy("Budget (¥)"),
    "channels": gettext_lazy("Channels"), "notes": gettext_lazy("Notes"),
    "reference_days": gettext_lazy("Reference price window (days)"),
    "reference_basis": gettext_lazy("Reference price basis"),
    "min_margin": gettext_lazy("Minimum margin"), "default_floor": gettext_lazy("Default price floor"),
    "promotions": gettext_lazy("Promotions"), "costs": gettext_lazy("Cost parameters per channel"),
}
WIDGETS = {"type": "type", "level": "level", "start": "datetime", "end": "datetime", "stackable": "checkbox",
           "delete": "checkbox", "skus": "skus", "shop": "shop"}
ORDER_TYPES = " ".join(code for code, kind in promotion_rows.TYPES.items() if kind.order_level)


def shop_tz(request: HttpRequest) -> dt.tzinfo:
    return ZoneInfo(request.shop.timezone)


def channel_names() -> dict[str, str]:
    return {code: channel_label(code) for code in domain.DEFAULT_CHANNEL_COSTS}


@dataclass
class PlanPost:
    """A posted plan form: the fields for ``CampaignIn``, the problems the form found (said), the rows,
    cost cells and other fields as typed (to draw the form again)."""

    data: dict[str, Any]
    errors: list[FieldError]
    read: promotion_rows.ReadRows
    rows: list[dict[str, str]]
    costs: dict[str, dict[str, str]]
    form: dict[str, Any] = field(default_factory=dict)

    def located(self, errors: list[FieldError]) -> list[FieldError]:
        """The save's problems named as the form shows them: a promotion's by its row and input, a cost's by
        channel and column, a plan field's by its label."""
        names = channel_names()
        return [_labelled(cost_table.cost_error(self.read.locate(error), names)) for error in errors]


def _labelled(error: FieldError) -> FieldError:
    label = str(LABELS[error.field]) if error.field in LABELS else None
    if label is None and error.field.startswith("skus["):
        index = error.field[5:].split("]", 1)[0]
        label = _("SKUs in scope: entry %(n)s") % {"n": int(index) + 1 if index.isdigit() else index}
    if label is None:
        return error
    return FieldError(label, error.message, error.row)


def said(errors: list[FieldError]) -> list[dict[str, object]]:
    """The problems for the page, field and message in the user's language."""
    return [{**error.as_dict(), "field": say(error.field), "message": say(error.message),
             "input": error.input if isinstance(error, RowError) else ""} for error in errors]


# --- reading the POST ---------------------------------------------------------------------------------------


def plan_post(request: HttpRequest) -> PlanPost:
    """The plan form as the fields of ``inputs.CampaignIn``; what the form itself cannot read is a problem."""
    p = request.POST
    errors: list[FieldError] = []
    data: dict[str, Any] = {k: p.get(k, "") for k in TEXT_FIELDS}
    if p.get("preset"):
        data["preset"], data["year"] = p.get("preset"), p.get("year") or None
    data["goals"] = {"gmv": p.get("goal_gmv", ""), "uv": p.get("goal_uv", ""), "new_buyers": p.get("goal_new_buyers", "")}
    data["channels"] = p.getlist("channels")
    data["reference_days"] = data["reference_days"] or None
    for key in ("budget", "kind", "reference_basis"):
        if not data[key]:
            data.pop(key)
    for key, (low, high) in RATES.items():
        if clean(p.get(key)):
            try:
                data[key] = str(Decimal(parse_percent_bp(p.get(key), low=low, high=high)) / 10_000)
            except ValueProblem as exc:
                errors.append(FieldError(str(LABELS[key]), exc.message))
    data["skus"] = _skus(p.get("skus", ""))
    rows = _row_inputs(p)
    read = promotion_rows.read_rows(rows, shop_tz(request))
    data["promotions"] = read.promotions
    costs = {code: {name: p.get(f"cost-{code}-{name}", "") for name in domain.ChannelCosts.FIELDS}
             for code in domain.DEFAULT_CHANNEL_COSTS}
    data["costs"], cost_errors = cost_table.read_cells(costs, channel_names())
    form = {**p.dict(), "channels": p.getlist("channels")}
    return PlanPost(data, [*errors, *read.errors, *cost_errors], read, rows, costs, form)


def _skus(text: str) -> list[dict[str, str]]:
    """The SKUs in scope: one a line, "code, floor, claimed original price"."""
    skus = []
    for line in text.splitlines():
        parts = [x.strip() for x in line.replace("，", ",").split(",")]
        if not parts[0]:
            continue
        entry = {"sku": parts[0]}
        if len(parts) > 1 and parts[1]:
            entry["floor"] = parts[1]
        if len(parts) > 2 and parts[2]:
            entry["claimed_original"] = parts[2]
        skus.append(entry)
    return skus


def _row_inputs(p: QueryDict) -> list[dict[str, str]]:
    count = p.get("promo_rows", "")
    rows = min(int(count), ROWS_MAX) if count.isdecimal() and count.isascii() else 0
    return [{name: p.get(f"promo-{i}-{name}", "") for name in promotion_rows.ROW_FIELDS} for i in range(rows)]


# --- drawing the form ---------------------------------------------------------------------------------------


def plan_context(request: HttpRequest, campaign: Campaign | None, post: PlanPost | None = None, *,
                 errors: Sequence[FieldError] = (), extra_rows: int = 0) -> dict[str, Any]:
    """What ``campaigns/_plan_form.html`` draws: the fields, the promotion rows (with their problems beside
    them), the cost table, and the choices."""
    tz = shop_tz(request)
    if post is not None:
        form, rows, costs = post.form, list(post.rows), post.costs
        while rows and promotion_rows.is_blank(rows[-1]) and not clean(rows[-1].get("delete")):
            rows.pop()  # blank rows come back as many as on a new form, not more each time
    elif campaign is not None:
        form = _campaign_form(campaign)
        rows = promotion_rows.promotion_rows(campaign.promotions, tz)
        costs = cost_table.cells(campaign.costs)
    else:
        form = {"channels": ["tmall"], "reference_days": 7, "reference_basis": "paid", "kind": "custom",
                **{key: show_percent(bp) for key, bp in DEFAULT_RATES.items()}}
        rows, costs = [], {}
    rows = [*rows, *(promotion_rows.blank_row() for _ in range(BLANK_ROWS + extra_rows + (not rows)))]
    day = today(request.shop.timezone)
    presets = [e for e in selectors.calendar_entries(shop=request.shop) if e["year"] is None or e["year"] >= day.year - 1]
    names = channel_names()
    return {
        "form": form, "campaign": campaign, "channels": list(names.items()), "presets": presets,
        "kinds": Campaign.Kind.choices, "bases": Campaign.ReferenceBasis.choices,
        "promotion_rows": [_row_context(i, row, errors) for i, row in enumerate(rows)],
        "promotion_list": [_row_context(i, row, ()) for i, row in
                           enumerate(promotion_rows.promotion_rows(campaign.promotions if campaign else [], tz))],
        "promotion_types": [(code, say(kind.label)) for code, kind in promotion_rows.TYPES.items()],
        "levels": [(code, say(text)) for code, text in promotion_rows.LEVELS.items()],
        "sku_choices": _sku_choices(form),
        "shop_choices": [(request.shop.code, request.shop.name)],  # a shop-level offer's shop, by its name
        "cost_columns": [say(text) for text in cost_table.LABELS.values()],
        "cost_rows": [{**row, "cells": [{**cell, "label": say(cell["label"])} for cell in row["cells"]]}
                      for row in cost_table.table_rows(names.items(), costs)],
    }


def _campaign_form(campaign: Campaign) -> dict[str, Any]:
    return {"name": campaign.name, "kind": campaign.kind, "warmup_start": campaign.warmup_start.isoformat(),
            "main_start": campaign.main_start.isoformat(), "main_end": campaign.main_end.isoformat(),
            "return_end": campaign.return_end.isoformat(),
            "goal_gmv": _money(campaign.goal_gmv_fen), "goal_uv": campaign.goal_uv or "",
            "goal_new_buyers": campaign.goal_new_buyers or "", "budget": _money(campaign.budget_fen),
            "channels": campaign.channels, "notes": campaign.notes,
            "skus": "\n".join(",".join([s.sku_code, _money(s.floor_fen), _money(s.claimed_fen)]).rstrip(",")
                              for s in campaign.skus.all()),
            "min_margin": show_percent(campaign.min_margin_bp), "default_floor": show_percent(campaign.floor_bp),
            "reference_days": campaign.reference_days, "reference_basis": campaign.reference_basis}


def _money(fen: int | None) -> str:
    return format_fen(fen) if fen is not None else ""


def _sku_choices(form: Mapping[str, Any]) -> list[str]:
    """The codes the SKU inputs suggest: the plan's SKUs in scope (as stored, or as typed on a posted form)."""
    return [entry["sku"] for entry in _skus(str(form.get("skus", "")))][:SKU_CHOICES_MAX]


def _row_context(index: int, values: Mapping[str, str], errors: Sequence[FieldError]) -> dict[str, Any]:
    """One promotion row: per input its name, value, problem and the types it belongs to (the page's script
    shows only those of the chosen type; without it every input shows under its general label)."""
    number = index + 1
    problems = {e.input: say(e.message) for e in errors if isinstance(e, RowError) and e.row == number}
    cells = []
    for name in promotion_rows.ROW_FIELDS:
        kinds = [code for code, kind in promotion_rows.TYPES.items() if name in kind.inputs]
        labels = [("", say(promotion_rows.label(name)))]
        labels += [(code, say(promotion_rows.label(name, code))) for code in kinds
                   if promotion_rows.label(name, code) is not promotion_rows.label(name)]
        cells.append({"name": name, "input": f"promo-{index}-{name}", "value": values.get(name, ""),
                      "widget": WIDGETS.get(name, "text"), "error": problems.get(name, ""), "labels": labels,
                      "types": ORDER_TYPES if name == "level" else " ".join(kinds)})
    kind = promotion_rows.TYPES.get(values.get("type", ""))
    level = promotion_rows.LEVELS.get(values.get("level", "")) if kind and kind.order_level else None
    start, end = values.get("start", ""), values.get("end", "")
    window = f"{start or '…'} – {end or '…'}".replace("T", " ") if start or end else ""
    return {"index": index, "number": number, "cells": cells, "type": values.get("type", ""), "values": values,
            "window": window,
            "type_label": say(kind.label) if kind else "", "errors": bool(problems),
            "level_label": say(level or promotion_rows.ITEM_LEVEL) if kind else "",
            "summary": [(say(promotion_rows.label(cell["name"], values["type"])),
                         _("Yes") if cell["widget"] == "checkbox" else cell["value"])
                        for cell in cells if kind and cell["name"] in kind.inputs and cell["value"]]}
