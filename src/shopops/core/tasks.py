"""Periodic housekeeping run by `shopops worker` (huey)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from shopops.core.clock import now


@db_periodic_task(crontab(hour="3", minute="17"))
def clear_expired_sessions() -> int:
    """Delete expired login sessions nightly, so the session table does not grow without bound."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=now()).delete()
    return deleted
