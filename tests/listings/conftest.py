"""Fixtures shared by the listings tests."""

from tests.listings.test_health_pages import imported  # noqa: F401 (a new shop built from a Taobao item export)
