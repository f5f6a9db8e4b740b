"""The import readers' messages are English ``Text``s; these say them as the job runner does."""

from __future__ import annotations

from django.utils import translation

from shopops.core.i18n import say


def zh(message: str) -> str:
    """``message`` in Chinese (the default UI language), from the project catalog."""
    with translation.override("zh-hans"):
        return say(message)


def en(message: str) -> str:
    with translation.override("en"):
        return say(message)
