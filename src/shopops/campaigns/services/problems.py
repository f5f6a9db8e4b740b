"""The messages of the campaign rules' problem codes (``domain.phase_problems``, ``prize_problems``,
``cost_override_problems``), in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from shopops.core.errors import ErrorCollector

PROBLEMS = {
    "required": gettext_lazy("Required."),
    "after_main_start": gettext_lazy("The warm-up cannot start after the main period."),
    "before_main_start": gettext_lazy("The main period cannot end before it starts."),
    "before_main_end": gettext_lazy("The return period cannot end before the main period."),
    "too_long": gettext_lazy("A campaign lasts at most 120 days."),
    "object": gettext_lazy("Expected an object."),
    "channel": gettext_lazy("Not one of the campaign's channels."),
    "unknown": gettext_lazy("Unknown field."),
    "range": gettext_lazy("Out of range."),
    "list": gettext_lazy("Expected a non-empty list."),
    "amount": gettext_lazy("Expected an amount of 0.00 or more."),
    "cap": gettext_lazy("A lottery prize may be worth at most ¥50,000 (Anti-Unfair Competition Law, art. 10)."),
    "count": gettext_lazy("Expected a whole number from 1 to 10000."),
}


def problems_add(errors: ErrorCollector, problems: list[tuple[str, str]]) -> None:
    """Each (field, code) pair of a domain rule as a field error."""
    for field, code in problems:
        errors.add(field, str(PROBLEMS.get(code, code)))
