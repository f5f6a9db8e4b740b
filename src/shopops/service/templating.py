"""Reply templates' variables: ``{{order.no}}`` and friends, parsed and rendered against a fixed whitelist.

Operators write the templates, so no template engine runs their text: the only syntax is ``{{ name }}`` with a
name from ``VARIABLES``; an unknown name is an error that names it (at save time, never at send time), and a
value the ticket does not have renders as a visible placeholder (``【订单号：暂无】``), never an exception.
Rendering is one pass: a value that itself looks like ``{{…}}`` is not expanded again. Money values come in
fen and are written in the house format (``core.money.format_yuan_fen``). Pure: no Django.
docs/rules/ad-law.md#matching has the check the service runs on the same text before a save.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from shopops.core.errors import FieldError
from shopops.core.money import format_yuan_fen
from shopops.core.text import Text, gettext_noop

# name → what it is (shown in the editor's variable list and in the missing-value placeholder)
VARIABLES: Mapping[str, Text] = {
    "order.no": gettext_noop("order number"),
    "order.amount": gettext_noop("amount paid"),
    "sku.title": gettext_noop("item title"),
    "logistics.company": gettext_noop("logistics company"),
    "logistics.no": gettext_noop("tracking number"),
    "refund.amount": gettext_noop("refund amount"),
    "customer.name": gettext_noop("customer name"),
    "shop.name": gettext_noop("shop name"),
}
MONEY_VARIABLES = frozenset({"order.amount", "refund.amount"})  # values in fen

_VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

Value = str | int | None


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of literal text (``name`` empty) or one variable."""

    text: str
    name: str = ""


class TemplateProblem(ValueError):
    """The template's text breaks the syntax: ``problems`` say each (position and why)."""

    def __init__(self, problems: list[FieldError]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def parse(body: str, field: str = "body") -> list[Piece]:
    """The template as literal runs and variables, or ``TemplateProblem`` naming every unknown variable and
    every ``{{`` left open (with its character position, counted from 1)."""
    pieces: list[Piece] = []
    problems: list[FieldError] = []
    at = 0
    for match in _VARIABLE.finditer(body):
        _literal(body[at:match.start()], at, pieces, problems, field)
        name = match.group(1)
        if name not in VARIABLES:
            problems.append(FieldError(field, gettext_noop(
                "Unknown variable {{%(name)s}} at character %(at)s: use one of %(known)s.",
                name=name, at=match.start() + 1, known=", ".join(f"{{{{{v}}}}}" for v in VARIABLES))))
        pieces.append(Piece(match.group(0), name))
        at = match.end()
    _literal(body[at:], at, pieces, problems, field)
    if problems:
        raise TemplateProblem(problems)
    return pieces


def _literal(text: str, offset: int, pieces: list[Piece], problems: list[FieldError], field: str) -> None:
    if not text:
        return
    opened = text.find("{{")
    if opened >= 0:
        problems.append(FieldError(field, gettext_noop(
            "“{{” at character %(at)s is not closed by “}}”.", at=offset + opened + 1)))
    pieces.append(Piece(text))


def variables_of(body: str) -> list[str]:
    """The variables a template uses, in order of first use (``TemplateProblem`` as ``parse``)."""
    return list(dict.fromkeys(p.name for p in parse(body) if p.name))


def missing_placeholder(name: str) -> Text:
    """What a variable without a value renders as: visible, so the agent fills it in before sending."""
    return gettext_noop("【%(label)s: not known】", label=VARIABLES[name])


def render(body: str, values: Mapping[str, Value],
           say: Callable[[Text], str] = str) -> str:
    """The template with each variable replaced by its value (money in fen → ``¥1,234.56``); a variable
    without a value (absent, None or empty) becomes ``say(missing_placeholder(name))``."""
    out: list[str] = []
    for piece in parse(body):
        if not piece.name:
            out.append(piece.text)
            continue
        value = values.get(piece.name)
        if value is None or value == "":
            out.append(say(missing_placeholder(piece.name)))
        elif piece.name in MONEY_VARIABLES:
            out.append(format_yuan_fen(int(value)))
        else:
            out.append(str(value))
    return "".join(out)
