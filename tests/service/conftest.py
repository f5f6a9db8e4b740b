"""Every service test writes to a lake of its own: they create shops and orders whose facts would otherwise stay
in the worker's shared lake under shop ids the next test reuses (a rolled-back transaction frees them)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def own_lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
