"""Helpers for the face tests of funnels/paths/retention: serve a hand-made log as the shop's lake."""

from __future__ import annotations

import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.selectors import behaviour
from tests.analytics.behaviour_data import FUNNEL_ROWS, PATH_ROWS, RETENTION_ROWS, events


@pytest.fixture
def lake(monkeypatch):
    """``lake(rows)`` makes the behaviour selectors read ``rows`` as the shop's events (``[]``: an empty lake)."""
    def use(rows=FUNNEL_ROWS + PATH_ROWS + RETENTION_ROWS):
        tables = MemoryTables(get_engine("duckdb"), events(rows) if rows else {})
        monkeypatch.setattr(behaviour, "tables_for", lambda shop: tables)
        return tables
    return use
