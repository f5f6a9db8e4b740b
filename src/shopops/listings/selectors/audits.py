"""The listing audits as pages, the API, the CLI and exports read them (docs/rules/listings.md#audit).

``listing`` in every JSON item is our listing id (``catalog.Listing`` pk, stable across re-imports of the same
item); the platform's item id is ``item_id``. Messages are said in the active language here, at the face's edge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shopops.catalog.selectors import category_ids_under
from shopops.channels.domain import channel_code_of
from shopops.channels.labels import channel_label
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.i18n import say
from shopops.core.models import Shop
from shopops.core.progress import read_progress_file
from shopops.core.text import Text
from shopops.listings.engine import RuleEngine
from shopops.listings.models import ListingAudit
from shopops.listings.problems import Severity
from shopops.listings.rule_labels import severity_label
from shopops.listings.selectors.dictionary import shop_words


def progress_path(shop: Shop) -> Path:
    """The shop's audit progress file (one audit run per shop at a time)."""
    folder = Path(settings.DATA_DIR) / "listings"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"audit-{shop.pk}.progress"


def audit_progress(*, shop: Shop) -> dict[str, Any]:
    """``{"status", "progress", "phase"[, "summary"]}`` of the shop's bulk audit; status "idle" if never run."""
    data = read_progress_file(progress_path(shop))
    if data is None:
        return {"status": "idle", "progress": 0.0, "phase": ""}
    return {"status": data.get("status", "running"), "progress": data.get("progress", 0.0),
            "phase": data.get("phase", ""), **({"summary": data["summary"]} if "summary" in data else {})}


def audits(*, shop: Shop, channel: str | None = None, category: str | None = None, rule: str | None = None,
           severity: str | None = None) -> QuerySet[ListingAudit]:
    """The shop's audits worst first (lowest score, then listing), filtered by channel, category (and those
    under it), a rule found, or a severity found."""
    found = ListingAudit.objects.filter(shop=shop).select_related("listing")
    if channel:
        found = found.filter(channel=channel)
    if category:
        found = found.filter(listing__product__category_id__in=category_ids_under(shop=shop, code=category))
    if rule:  # the stored JSON text holds '"rule": "<code>"' (json.dumps separators)
        found = found.filter(problems__icontains=f'"rule": "{rule}"')
    if severity:
        if severity not in Severity.__members__.values():
            return found.none()
        found = found.filter(problems__icontains=f'"severity": "{severity}"')
    return found.order_by("score", "listing_id")


def listing_audit(*, shop: Shop, listing_id: int) -> ListingAudit | None:
    """One listing's latest audit (None: not audited yet, or another shop's)."""
    return ListingAudit.objects.filter(shop=shop, listing_id=listing_id).select_related("listing").first()


def said(problem: dict[str, Any]) -> str:
    """A stored problem's message in the active language (from its msgid and parameters)."""
    msgid = problem.get("msgid")
    if not msgid:
        return str(problem.get("message", ""))
    return say(Text(msgid, problem.get("params") or None))


def problem_json(problem: dict[str, Any]) -> dict[str, Any]:
    """One problem of the JSON contract: ``{"rule", "severity", "message", "span", "start", "end"}``."""
    return {"rule": problem.get("rule", ""), "severity": problem.get("severity", ""), "message": said(problem),
            "span": problem.get("span", ""), "start": problem.get("start"), "end": problem.get("end")}


def audit_json(audit: ListingAudit) -> dict[str, Any]:
    """One audit of ``shopops listings audit --json`` and ``GET /api/v1/listings``."""
    return {"listing": audit.listing_id, "item_id": audit.listing.external_id, "channel": audit.channel,
            "title": audit.title, "score": audit.score, "components": audit.components,
            "problems": [problem_json(p) for p in audit.problems], "rules_version": audit.rules_version,
            "audited_at": audit.audited_at.isoformat()}


AUDIT_COLUMNS = ("listing", "item_id", "channel", "title", "score", "problem_count", "worst_severity", "problems",
                 "audited_at")


def audit_xlsx_row(audit: ListingAudit) -> dict[str, Any]:
    """One audit as a spreadsheet row (``AUDIT_COLUMNS``): channel by its Chinese name, problems one per line."""
    return {"listing": audit.listing_id, "item_id": audit.listing.external_id,
            "channel": channel_label(audit.channel), "title": audit.title, "score": audit.score,
            "problem_count": audit.problem_count, "worst_severity": say(severity_label(audit.worst_severity)),
            "problems": "\n".join(f"[{say(severity_label(str(p.get('severity', ''))))}] {said(p)}" + (f" «{p['span']}»" if p.get("span") else "")
                                  for p in audit.problems),
            "audited_at": audit.audited_at}  # aware: ui.tables.xlsx_response writes it in local time


MAX_TITLE = 500  # a title to check longer than this is not a title


def title_check(*, shop: Shop, channel: str, title: str) -> dict[str, Any]:
    """``shopops listings check`` / ``POST /api/v1/listings/check``: one title under a channel's rules with the
    shop dictionary: ``{"channel", "title", "length": {"value", "limit", "unit"}, "score", "problems"}``.
    ``channel`` is a code or a name (天猫, Tmall); a bad one or an empty title is InvalidInput."""
    code = channel_code_of(channel or "")
    errors = []
    if code is None:
        errors.append(FieldError("channel", _("“%(value)s” is not a channel (use a code like tmall or a name like "
                                              "天猫).") % {"value": channel}))
    if not (title or "").strip():
        errors.append(FieldError("title", _("The title is empty.")))
    elif len(title) > MAX_TITLE:
        errors.append(FieldError("title", _("The title is longer than %(max)s characters.") % {"max": MAX_TITLE}))
    if errors or code is None:
        raise InvalidInput(_("Invalid input."), errors)
    value, problems, length = RuleEngine(shop_words(shop)).check(code, title)
    return {"channel": code, "title": title, "length": length, "score": value,
            "problems": [problem_json(p.as_dict()) for p in problems]}
