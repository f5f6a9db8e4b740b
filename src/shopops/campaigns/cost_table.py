"""The per-channel cost overrides of the campaign plan form as a table: channel × the fields of
``domain.ChannelCosts``, rates as percentages ("5%"), amounts in yuan ("8"); a blank cell keeps the default.

Pure (no Django). ``read_cells`` turns the table's cells into the overrides the plan stores
(``{channel: {field: whole number}}``, basis points and fen: the API's contract, unchanged) and
``cells`` turns them back; ``cost_error`` names a saved plan's cost problem (``costs.tmall.commission_bp``)
by channel and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shopops.campaigns.domain import COST_LIMITS, ChannelCosts, channel_costs
from shopops.campaigns.form_values import (
    ValueProblem,
    clean,
    parse_money,
    parse_percent_bp,
    show_money,
    show_percent,
)
from shopops.core.errors import FieldError
from shopops.core.text import Text, gettext_noop

LABELS: dict[str, Text] = {
    "commission_bp": gettext_noop("Commission rate"),
    "payment_fee_bp": gettext_noop("Payment fee rate"),
    "shipping_fen": gettext_noop("Shipping per order (¥)"),
    "return_rate_bp": gettext_noop("Return rate"),
    "return_cost_fen": gettext_noop("Cost per return (¥)"),
    "ad_cost_fen": gettext_noop("Ad cost per order (¥)"),
}
assert tuple(LABELS) == ChannelCosts.FIELDS  # one column per field, in the dataclass's order


def is_rate(name: str) -> bool:
    """Basis-point fields are shown and typed as percentages; the others are fen, shown as yuan."""
    return name.endswith("_bp")


def show(name: str, value: int) -> str:
    return show_percent(value) if is_rate(name) else show_money(value)


def cells(costs: Mapping[str, Mapping[str, int]] | None) -> dict[str, dict[str, str]]:
    """The stored overrides as the table's cell texts: {channel: {field: "5%" | "8"}}."""
    return {channel: {name: show(name, value) for name, value in values.items() if name in LABELS}
            for channel, values in (costs or {}).items()}


def defaults(costs: ChannelCosts) -> dict[str, str]:
    """A channel's default costs as cell texts (the table's placeholders and the defaults shown)."""
    return {name: show(name, getattr(costs, name)) for name in ChannelCosts.FIELDS}


def read_cells(table: Mapping[str, Mapping[str, str]], channel_names: Mapping[str, str]
               ) -> tuple[dict[str, dict[str, int]], list[FieldError]]:
    """The filled cells as overrides (basis points, fen) and the problems, each naming channel and column."""
    out: dict[str, dict[str, int]] = {}
    errors: list[FieldError] = []
    for channel, row in table.items():
        for name in ChannelCosts.FIELDS:
            text = row.get(name, "")
            if not clean(text):
                continue
            try:
                value = (parse_percent_bp(text, low=0, high=COST_LIMITS[name]) if is_rate(name)
                         else _bounded_fen(text, COST_LIMITS[name]))
            except ValueProblem as exc:
                errors.append(_error(channel, name, channel_names, exc.message))
                continue
            out.setdefault(channel, {})[name] = value
    return out, errors


def _bounded_fen(text: str, high: int) -> int:
    fen = parse_money(text)
    if fen > high:
        raise ValueProblem(gettext_noop("at most %(max)s yuan", max=show_money(high)))
    return fen


def _error(channel: str, name: str, channel_names: Mapping[str, str], message: str) -> FieldError:
    return FieldError(gettext_noop("%(channel)s · %(field)s", channel=channel_names.get(channel, channel),
                                   field=LABELS[name]), message)


def cost_error(error: FieldError, channel_names: Mapping[str, str]) -> FieldError:
    """A saved plan's problem at ``costs.<channel>.<field>`` named by channel and column; others unchanged."""
    parts = error.field.split(".")
    if len(parts) == 3 and parts[0] == "costs" and parts[2] in LABELS:
        return _error(parts[1], parts[2], channel_names, error.message)
    return error


def table_rows(channels: Iterable[tuple[str, str]], table: Mapping[str, Mapping[str, str]]
               ) -> list[dict[str, Any]]:
    """The rows a page draws: per channel its name and, per column, the input's name, text and default."""
    return [{"code": code, "name": name,
             "cells": [{"input": f"cost-{code}-{field}", "value": table.get(code, {}).get(field, ""),
                        "default": default, "label": LABELS[field]}
                       for field, default in defaults(channel_costs(code)).items()]}
            for code, name in channels]

