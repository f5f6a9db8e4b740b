"""A title cut into pieces around the spans the audit flagged, for a face to highlight (docs/rules/listings.md#problems).
Pure: no Django; the face escapes every piece."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from shopops.listings.problems import SEVERITY_RANK, Severity


class Piece(NamedTuple):
    """``text`` of the title; ``rules`` the codes of the problems flagging it (empty: plain text); ``severity`` the
    worst of them."""

    text: str
    rules: tuple[str, ...] = ()
    severity: str = ""


def _flags(title: str, problems: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str, str]]:
    """``(start, end, rule, severity)`` of each problem that locates its span in ``title`` (and still matches it)."""
    out = []
    for problem in problems:
        start, end = problem.get("start"), problem.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(title):
            continue
        if problem.get("span") and title[start:end] != problem["span"]:
            continue  # the title changed since the audit: the place is no longer right
        out.append((start, end, str(problem.get("rule", "")), str(problem.get("severity", ""))))
    return out


def _rank(severity: str) -> int:
    return SEVERITY_RANK.get(Severity(severity), 9) if severity in Severity.__members__.values() else 9


def title_pieces(title: str, problems: Iterable[Mapping[str, Any]]) -> list[Piece]:
    """``title`` as consecutive pieces; overlapping spans are merged character by character."""
    flags = _flags(title, problems)
    if not flags:
        return [Piece(title)] if title else []
    marks: list[list[tuple[str, str]]] = [[] for _ in title]
    for start, end, rule, severity in flags:
        for index in range(start, end):
            marks[index].append((rule, severity))
    pieces: list[Piece] = []
    for char, found in zip(title, marks, strict=True):
        rules = tuple(sorted({rule for rule, _sev in found}))
        severity = min((sev for _rule, sev in found), key=_rank, default="")
        if pieces and pieces[-1].rules == rules and pieces[-1].severity == severity:
            pieces[-1] = pieces[-1]._replace(text=pieces[-1].text + char)
        else:
            pieces.append(Piece(char, rules, severity))
    return pieces
