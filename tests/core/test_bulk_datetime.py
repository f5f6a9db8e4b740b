"""``core.bulk.db_datetime_adapter``: the one home of "how a datetime is written to the database" for the
writes that bypass the ORM (bulk inserts, the reservation hot path). It must write exactly what Django writes,
or text comparisons on SQLite (``expires_at <= now``) would go wrong."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from shopops.core.bulk import db_datetime_adapter
from shopops.members import services as member_services

VALUES = [
    dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 1, 12, 0, 0, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 1, 12, 0, tzinfo=ZoneInfo("UTC")),  # UTC, but not the dt.UTC object
    dt.datetime(2026, 1, 15, 9, 0, tzinfo=ZoneInfo("Europe/London")),  # zero offset in winter
    dt.datetime(2026, 10, 1, 23, 59, 59, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
    dt.datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),
    dt.datetime(2026, 10, 1, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
]


@pytest.mark.parametrize("value", VALUES, ids=str)
def test_it_writes_what_django_writes(db, value):
    assert db_datetime_adapter()(value) == connection.ops.adapt_datetimefield_value(value)
    assert db_datetime_adapter(connection)(value) == connection.ops.adapt_datetimefield_value(value)


def test_none_stays_none(db):
    assert db_datetime_adapter()(None) is None


def test_members_use_the_same_adapter():
    assert member_services.db_datetime_adapter is db_datetime_adapter


def test_a_sqlite_connection_not_in_utc_keeps_djangos_adapter():
    """Django writes local time when a SQLite database's TIME_ZONE is not UTC: then only its adapter is right."""
    def django_adapt(value: dt.datetime) -> str:
        return "django"

    conn = SimpleNamespace(vendor="sqlite", timezone_name="Asia/Shanghai",
                           ops=SimpleNamespace(adapt_datetimefield_value=django_adapt))
    assert db_datetime_adapter(conn) is django_adapt
    conn.timezone_name = "UTC"
    assert db_datetime_adapter(conn)(VALUES[0]) == "2026-10-01 12:00:00"
