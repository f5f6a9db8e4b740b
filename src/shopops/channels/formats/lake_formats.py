"""Formats whose rows go to the lake (behaviour logs, traffic, ads, search terms, competitors)."""

from __future__ import annotations

from .base import Format

LAKE_FORMATS: tuple[Format, ...] = ()
