"""The listing audit: every channel listing of a shop through the platform's rules, its score and problems
saved (``ListingAudit``, the latest per listing), and a to-do per listing with errors (docs/rules/listings.md#audit).

The rule engine is built once per run with the shop dictionary; audits are written in bulk (one upsert per
batch, the to-dos in bulk too); a to-do, linked to the listing's page, is raised only when a listing's errors
changed since its last audit and closed when they are gone, so a re-audit of an unchanged shop touches no to-do. Progress goes to a file (``core.progress``) that
``selectors.audits.audit_progress`` reads while the run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from shopops.catalog.selectors import listings_for_audit
from shopops.channels.labels import channel_label
from shopops.core.clock import now
from shopops.core.i18n import say
from shopops.core.models import Shop
from shopops.core.progress import progress_file_writer, write_progress_file
from shopops.core.tuning import no_cyclic_gc
from shopops.listings.engine import ListingFacts, RuleEngine, Verdict, audit_many
from shopops.listings.models import ListingAudit
from shopops.listings.problems import Severity, worst
from shopops.listings.selectors.audits import listing_audit, progress_path
from shopops.listings.selectors.dictionary import shop_words
from shopops.reports.services import TodoRaise, todo_close_many, todo_close_missing, todo_sync_many

TODO_SOURCE = "listing"
BATCH = 2000
Progress = Callable[[float, str], None]


def image_root() -> Path:
    """Where a media item's ``path`` is looked up (docs/rules/listings.md#media): the data directory."""
    return Path(settings.DATA_DIR)


def audit_queued(*, shop: Shop) -> None:
    """Mark the shop's audit as queued (the page shows it before the worker picks it up)."""
    write_progress_file(progress_path(shop), {"status": "queued", "progress": 0.0, "phase": "queued"})


def _facts(row: dict[str, Any]) -> ListingFacts:
    return ListingFacts(listing_id=row["id"], channel=row["channel"], title=row["title"], keywords=row["keywords"],
                        media=row["media"], category=row["category"], attributes=row["attributes"])


def _errors_key(verdict: Verdict) -> tuple[str, ...]:
    return tuple(sorted(f"{p.rule}:{p.span}" for p in verdict.problems if p.severity is Severity.ERROR))


def _audit_row(shop: Shop, verdict: Verdict, at: Any) -> ListingAudit:
    problems = [p.as_dict() for p in verdict.problems]
    return ListingAudit(shop=shop, listing_id=verdict.listing_id, channel=verdict.channel, title=verdict.title[:200],
                        score=verdict.score, problems=problems, problem_count=len(problems),
                        worst_severity=worst(verdict.problems), components=verdict.components,
                        rules_version=verdict.rules_version, audited_at=at)


def _todo_key(verdict: Verdict) -> str:
    return f"listing:{verdict.listing_id}"


def listing_url(listing_id: int) -> str:
    """The listing's page, the link of its to-do."""
    return reverse("listings:detail", args=[listing_id])


def _todo_change(verdict: Verdict, before: tuple[str, ...] | None, external_id: str) -> TodoRaise | str | None:
    """The listing's to-do: a ``TodoRaise`` to raise or refresh it, its key to close it, None when nothing
    changed since the last audit."""
    key = _todo_key(verdict)
    errors = _errors_key(verdict)
    if errors == (before or ()) and before is not None:
        return None
    if not errors:
        return key
    first = next(p for p in verdict.problems if p.severity is Severity.ERROR)
    title = _("Listing %(item)s on %(channel)s: %(problem)s") % {
        "item": external_id or verdict.listing_id, "channel": channel_label(verdict.channel),
        "problem": say(first.message)}
    detail = "\n".join(say(p.message) for p in verdict.problems if p.severity is Severity.ERROR)
    return TodoRaise(key=key, title=title, detail=detail, severity="warning", role="operator",
                     url=listing_url(verdict.listing_id),
                     data={"listing": verdict.listing_id, "score": verdict.score,
                           "rules": sorted({p.rule for p in verdict.problems})},
                     reopen=before is not None)


def _stored(shop: Shop, listing_ids: Iterable[int] | None) -> QuerySet[ListingAudit]:
    audits = ListingAudit.objects.filter(shop=shop)
    return audits if listing_ids is None else audits.filter(listing_id__in=list(listing_ids))


def audit_listings(*, shop: Shop, channel: str | None = None, on_progress: Progress | None = None,
                   listing_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """Audit every listing of the shop (or of one channel, or the listings ``listing_ids``: one whose title was
    just edited): ``{"audited", "with_errors", "todos_raised", "todos_closed", "seconds"}``."""
    started = time.perf_counter()
    listing_ids = None if listing_ids is None else list(listing_ids)
    report = on_progress or (lambda fraction, phase: None)
    report(0.0, "reading")
    rows = listings_for_audit(shop=shop, channel=channel, listing_ids=listing_ids)
    engine = RuleEngine(shop_words(shop), image_root=image_root())
    previous = {listing_id: tuple(sorted(f"{p.get('rule')}:{p.get('span')}" for p in problems
                                         if p.get("severity") == Severity.ERROR))
                for listing_id, problems in _stored(shop, listing_ids).values_list("listing_id", "problems")}
    at = now()
    counts = {"audited": 0, "with_errors": 0, "todos_raised": 0, "todos_closed": 0}
    erring: set[str] = set()
    with no_cyclic_gc():  # the engine's caches grow over the run: no full collector passes over them (#engine)
        for begin in range(0, len(rows), BATCH):
            erring |= _audit_batch(shop, engine, rows[begin:begin + BATCH], previous, at, counts)
            report(counts["audited"] / len(rows), "auditing")
    if channel is None and listing_ids is None:  # the whole shop: a to-do of a listing that is gone (or no longer erring) is closed
        counts["todos_closed"] += todo_close_missing(shop=shop, source=TODO_SOURCE, keep_keys=erring)
    report(1.0, "done")
    return {**counts, "seconds": round(time.perf_counter() - started, 3)}


FIELDS = ["channel", "title", "score", "problems", "problem_count", "worst_severity", "components", "rules_version",
          "audited_at"]


def _audit_batch(shop: Shop, engine: RuleEngine, chunk: list[dict[str, Any]],
                 previous: dict[int, tuple[str, ...]], at: Any, counts: dict[str, int]) -> set[str]:
    """One batch: audited, upserted in one statement, its to-dos raised, refreshed or closed in a few (bulk),
    in one transaction; the to-do keys of its listings with errors."""
    verdicts = audit_many(engine, [_facts(row) for row in chunk])
    with transaction.atomic():
        ListingAudit.objects.bulk_create([_audit_row(shop, v, at) for v in verdicts], update_conflicts=True,
                                         unique_fields=["listing"], update_fields=FIELDS)
        changes = [_todo_change(verdict, previous.get(verdict.listing_id), row["external_id"])
                   for row, verdict in zip(chunk, verdicts, strict=True)]
        raised = [change for change in changes if isinstance(change, TodoRaise)]
        todo_sync_many(shop=shop, source=TODO_SOURCE, items=raised)
        counts["todos_raised"] += len(raised)
        counts["todos_closed"] += todo_close_many(shop=shop, source=TODO_SOURCE,
                                                  keys=[change for change in changes if isinstance(change, str)])
    counts["audited"] += len(chunk)
    erring = {_todo_key(v) for v in verdicts if worst(v.problems) == Severity.ERROR}
    counts["with_errors"] += len(erring)
    return erring


def audit_listings_tracked(*, shop: Shop, channel: str | None = None) -> dict[str, Any]:
    """``audit_listings`` with its progress in the shop's progress file (the task's entry; the page polls it)."""
    target = progress_path(shop)
    write_progress_file(target, {"status": "running", "progress": 0.0, "phase": "reading"})
    try:
        summary = audit_listings(shop=shop, channel=channel,
                                 on_progress=progress_file_writer(target, {"status": "running"}))
    except Exception:
        write_progress_file(target, {"status": "failed", "progress": 1.0, "phase": "failed"})
        raise
    write_progress_file(target, {"status": "done", "progress": 1.0, "phase": "done", "summary": summary})
    return summary


def listing_audit_current(*, shop: Shop, listing_id: int) -> ListingAudit | None:
    """The listing's audit, made now when it has none or its title changed since (None: not a listing of
    ``shop``): a listing page or ``GET /api/v1/listings/{id}`` never shows a stale or missing score."""
    audit = listing_audit(shop=shop, listing_id=listing_id)
    if audit is not None and audit.title == audit.listing.title:
        return audit
    if not audit_listings(shop=shop, listing_ids=[listing_id])["audited"]:
        return None
    return listing_audit(shop=shop, listing_id=listing_id)
