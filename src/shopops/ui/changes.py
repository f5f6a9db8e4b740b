"""Recorded changes and facts as lines people read (``价格: ¥12.00 → ¥15.00``), never a dict dump.

The audit log stores what changed as JSON (``{field: [old, new]}``, ``{field: value}``, or per SKU
``{sku code: {field: [old, new]}}``) and a to-do item keeps the numbers behind it (``{field: value}``). A page
shows each field by its name and each value formatted: the JSON money string (``"123.45"``, see
``core.money.format_fen``) as ``¥123.45`` with thousands separators, yes/no, lists joined, at most two decimals,
and codes (roles, channels) by the names the caller's ``values`` give. The field names come from the caller,
which knows what its records mean.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping

from django.utils.translation import gettext as _

from shopops.core.money import format_yuan

Formatter = Callable[[object], str]
_MONEY_TEXT = re.compile(r"-?\d+\.\d\d")


def value_text(value: object) -> str:
    """One recorded value as text: money strings as ¥, booleans as yes/no, numbers with ≤ 2 decimals."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        return format_yuan(value) if _MONEY_TEXT.fullmatch(value) else value
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if math.isfinite(value) else "—"
    if isinstance(value, list | tuple):
        return "、".join(value_text(v) for v in value) or "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)


def change_lines(record: Mapping, *, labels: Mapping[str, object], values: Mapping[str, Formatter] | None = None,
                 pairs: bool = True, hidden: Collection[str] = ()) -> list[str]:
    """``record`` as ``name: value`` lines (``name: old → new`` for an ``[old, new]`` pair when ``pairs``).

    ``labels`` names the fields (a field without one keeps its key: a SKU code, a name the shop gave);
    ``values`` formats the values of some fields (a role's or channel's name); ``hidden`` fields are
    left out (internal ids). A nested record (per SKU) gives ``key · name: value`` lines.
    """
    values = values or {}
    lines = []
    for key, value in record.items():
        if key in hidden:
            continue
        if isinstance(value, Mapping) and key not in labels:
            lines += [f"{key} · {line}" for line in change_lines(value, labels=labels, values=values, pairs=pairs,
                                                                  hidden=hidden)]
            continue
        shown = values.get(key, value_text)
        name = str(labels.get(key, key))
        if pairs and isinstance(value, list | tuple) and len(value) == 2:
            old, new = value
            lines.append(f"{name}: {shown(new)}" if old is None else f"{name}: {shown(old)} → {shown(new)}")
        else:
            lines.append(f"{name}: {shown(value)}")
    return lines
