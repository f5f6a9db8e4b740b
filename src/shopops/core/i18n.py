"""The translation step of ``core.text``: a face says a pure module's English ``Text`` in the active language.

Pure modules (pricing's engine, the import readers, the role table) may not import Django, so they build
their messages with ``core.text.gettext_noop``. Faces (API, CLI, pages, the import job runner) call ``say``
under the user's language (``translation.override``), which looks the msgid up with Django's gettext.
"""

from __future__ import annotations

from django.utils.translation import gettext

from shopops.core.errors import FieldError
from shopops.core.text import Text


def say(message: str) -> str:
    """``message`` in the active language: a ``Text`` is looked up by its msgid, its parameters said too."""
    if not isinstance(message, Text):
        return message
    translated = gettext(message.msgid)
    if not message.params:
        return translated
    return translated % {key: say(value) if isinstance(value, str) else value
                         for key, value in message.params.items()}


def said_errors(errors: list[FieldError]) -> list[FieldError]:
    """The same problems, each message in the active language."""
    return [FieldError(e.field, say(e.message), e.row) for e in errors]
