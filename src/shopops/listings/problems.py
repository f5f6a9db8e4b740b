"""A problem a listing rule found: the JSON item of an audit (docs/rules/listings.md#problems). Pure: no Django."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from shopops.core.text import Text


class Severity(StrEnum):
    """How bad a problem is; the value is the JSON ``severity``. An error blocks publishing or breaks a rule."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Problem(NamedTuple):
    """``rule`` is the rule's code; ``span`` the flagged text (``title[start:end]`` when it comes from the title,
    ``start``/``end`` None otherwise); ``message`` English with its parameters, said by the face. A named tuple: audits make millions."""

    rule: str
    severity: Severity
    message: Text
    span: str = ""
    start: int | None = None
    end: int | None = None

    def as_dict(self) -> dict[str, object]:
        """The stored/JSON form (``message`` in English; faces say it in the user's language)."""
        return {"rule": self.rule, "severity": str(self.severity), "message": str(self.message),
                "msgid": self.message.msgid, "params": {k: str(v) for k, v in self.message.params.items()},
                "span": self.span, "start": self.start, "end": self.end}


def worst(problems: list[Problem]) -> str:
    """The worst severity among ``problems`` ("" when none)."""
    if not problems:
        return ""
    return str(min((p.severity for p in problems), key=SEVERITY_RANK.__getitem__))
