"""Shared list mechanics for selectors: whitelisted sorting."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True, slots=True)
class Sorts:
    """Public sort keys → ORM orderings. Unknown keys fall back to the default (never an error, never SQL)."""

    fields: dict[str, tuple[str, ...]]
    default: str

    def resolve(self, key: str | None) -> tuple[str, tuple[str, ...]]:
        key = (key or "").strip()
        descending = key.startswith("-")
        base = key.lstrip("-")
        if base not in self.fields:
            return self.resolve(self.default) if key != self.default else (key, ())
        ordering = self.fields[base]
        if descending:
            ordering = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ordering)
        return key, ordering

    def apply(self, qs: QuerySet, key: str | None) -> tuple[QuerySet, str]:
        active, ordering = self.resolve(key)
        return qs.order_by(*ordering, "-pk" if active.startswith("-") else "pk"), active


