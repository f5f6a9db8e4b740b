"""The listing health page (商品体检) and a listing's page: every channel listing's audit worst first with its
flagged words highlighted, the bulk audit run as a task with its progress, and one listing's score explained
(docs/rules/listings.md#score). Reading needs ``VIEW_PRODUCTS``; running the audit ``CHANGE_PRODUCTS``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shopops.catalog.selectors import category_options, listing_in_shop
from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_options
from shopops.core import roles
from shopops.core.errors import NotFound, ShopOpsError
from shopops.core.i18n import say
from shopops.core.worker import worker_missing_notice
from shopops.listings.highlight import title_pieces
from shopops.listings.media import IMAGE_KINDS, KIND_LABELS
from shopops.listings.models import ListingAudit
from shopops.listings.problems import SEVERITY_RANK, Severity
from shopops.listings.rule_labels import (
    RULE_LABELS,
    SEVERITY_LABELS,
    component_label,
    rule_label,
    severity_label,
)
from shopops.listings.selectors.audits import AUDIT_COLUMNS, audit_progress, audit_xlsx_row, audits, said
from shopops.listings.selectors.health import health_summary
from shopops.listings.services.audits import listing_audit_current
from shopops.listings.services.media import MEDIA_DIR, listing_image_add, listing_media_remove, media_as_list
from shopops.listings.tasks import queue_audit
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column, xlsx_response

PAGE_SIZE = 50
WORST_SHOWN = 3  # problems named in words on a row of the health page
COLUMN_LABELS = {"listing": gettext_lazy("Listing"), "item_id": gettext_lazy("Platform item ID"),
                 "channel": gettext_lazy("Channel"), "title": gettext_lazy("Title"), "score": gettext_lazy("Score"),
                 "problem_count": gettext_lazy("Problems"), "worst_severity": gettext_lazy("Worst severity"),
                 "problems": gettext_lazy("Problem details"), "audited_at": gettext_lazy("Audited at")}
XLSX_COLUMNS = [Column(key, COLUMN_LABELS[key], lambda row, key=key: row[key]) for key in AUDIT_COLUMNS]


def band(score: int) -> str:
    """The score's colour band: good (80+), fair (60–79), poor (under 60)."""
    return "good" if score >= 80 else "fair" if score >= 60 else "poor"


def highlighted_title(title: str, problems: Iterable[Mapping[str, Any]]) -> SafeString:
    """The title with each flagged span in a ``<mark>`` naming its problems; every piece of text escaped."""
    parts = []
    for piece in title_pieces(title, problems):
        if not piece.rules:
            parts.append(format_html("{}", piece.text))
        else:
            names = "、".join(say(rule_label(rule)) for rule in piece.rules)
            parts.append(format_html('<mark class="flag flag-{}" title="{}">{}</mark>', piece.severity, names,
                                     piece.text))
    return format_html_join("", "{}", ((part,) for part in parts))


def _by_severity(problems: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    def rank(problem: Mapping[str, Any]) -> int:
        severity = problem.get("severity", "")
        return SEVERITY_RANK[Severity(severity)] if severity in SEVERITY_LABELS else 9
    return sorted(problems, key=rank)


def _worst_names(problems: Iterable[Mapping[str, Any]]) -> list[str]:
    names: list[str] = []
    for problem in _by_severity(problems):
        name = say(rule_label(str(problem.get("rule", ""))))
        if name not in names:
            names.append(name)
    return names[:WORST_SHOWN]


def _row(audit: ListingAudit) -> dict[str, Any]:
    stale = audit.title != audit.listing.title
    return {"audit": audit, "band": band(audit.score), "channel": channel_label(audit.channel),
            "title": audit.listing.title if stale else highlighted_title(audit.title, audit.problems),
            "stale": stale, "worst": _worst_names(audit.problems),
            "url": reverse("listings:detail", args=[audit.listing_id])}


def _filters(request: HttpRequest) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The filters asked for (an unknown value is ignored) and each select's options, all in words."""
    options = {
        "channel": (_("Channel"), channel_options()),
        "category": (_("Category"), category_options(shop=request.shop)),
        "rule": (_("Problem"), sorted(((code, say(label)) for code, label in RULE_LABELS.items()),
                                      key=lambda item: item[1])),
        "severity": (_("Severity"), [(code, say(label)) for code, label in SEVERITY_LABELS.items()]),
    }
    chosen = {}
    for name, (_label, choices) in options.items():
        value = request.GET.get(name, "")
        if value and value in {code for code, _name in choices}:
            chosen[name] = value
    selects = [{"name": name, "label": label, "options": choices, "value": chosen.get(name, "")}
               for name, (label, choices) in options.items()]
    return chosen, selects


def _progress_context(request: HttpRequest, *, polled: bool = True) -> dict[str, Any]:
    """The progress bar's state; a finished or failed run is told only to the page that watched it (polled)."""
    state = audit_progress(shop=request.shop)
    if not polled and state["status"] in ("done", "failed"):
        state = {**state, "status": "idle"}
    running = state["status"] in ("queued", "running")
    return {"state": state, "running": running, "percent": round(float(state["progress"]) * 100),
            "worker_notice": worker_missing_notice(queued=state["status"] == "queued")}


@page_requires(roles.VIEW_PRODUCTS)
def health_page(request: HttpRequest) -> HttpResponse:
    """Every channel listing's audit worst first, filtered, a page at a time; ``?export=xlsx`` the whole list."""
    chosen, selects = _filters(request)
    found = audits(shop=request.shop, **chosen)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(filename="listing-health.xlsx", sheet=_("Listing health"), columns=XLSX_COLUMNS,
                             rows=(audit_xlsx_row(audit) for audit in found.iterator(2000)))
    page_obj = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(chosen)
    context = {"summary": health_summary(shop=request.shop, found=found), "selects": selects, "filtered": bool(chosen),
               "rows": [_row(audit) for audit in page_obj.object_list], "page_obj": page_obj, "query": query,
               "export_url": "?" + urlencode({**chosen, "export": "xlsx"}),
               "can_audit": request.user.has_perm(roles.CHANGE_PRODUCTS), **_progress_context(request, polled=False)}
    return render(request, "listings/health.html", context)


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def health_audit(request: HttpRequest) -> HttpResponse:
    """Queue the shop's bulk audit; the progress bar (htmx) or the page again (without JavaScript)."""
    queue_audit(shop=request.shop)
    if request.htmx:
        return render(request, "listings/_audit_progress.html", _progress_context(request))
    return redirect("listings:health")


@page_requires(roles.VIEW_PRODUCTS)
def health_progress(request: HttpRequest) -> HttpResponse:
    """The bulk audit's progress bar, polled every second while it runs."""
    return render(request, "listings/_audit_progress.html", _progress_context(request))


def _components(audit: ListingAudit) -> list[dict[str, Any]]:
    total = sum(int(part.get("weight", 0)) for part in audit.components.values()) or 1
    return [{"name": say(component_label(name)), "score": part.get("score", 0), "weight": part.get("weight", 0),
             "share": round(100 * int(part.get("weight", 0)) / total), "band": band(int(part.get("score", 0)))}
            for name, part in audit.components.items()]


@page_requires(roles.VIEW_PRODUCTS)
def listing_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One listing: its title with the flagged words, its score explained, its problems in words, then the title
    suggestion, the title form with its history and its rivals loaded after the page."""
    listing = listing_in_shop(shop=request.shop, pk=pk)
    if listing is None:
        raise Http404
    audit = listing_audit_current(shop=request.shop, listing_id=listing.pk)
    problems = [{"rule": say(rule_label(str(p.get("rule", "")))), "severity": p.get("severity", ""),
                 "severity_name": say(severity_label(str(p.get("severity", "")))), "message": said(p),
                 "span": p.get("span", "")} for p in _by_severity(audit.problems)] if audit else []
    context = {"listing": listing, "channel": channel_label(listing.channel_account.channel), "audit": audit,
               "media": _media_rows(listing.media), "image_kinds": [(k, say(KIND_LABELS[k])) for k in IMAGE_KINDS],
               "band": band(audit.score) if audit else "",
               "title": highlighted_title(listing.title, audit.problems) if audit else listing.title,
               "components": _components(audit) if audit else [], "problems": problems,
               "can_audit": request.user.has_perm(roles.CHANGE_PRODUCTS)}
    return render(request, "listings/detail.html", context)


def _media_rows(media: Any) -> list[dict[str, Any]]:
    """The listing's pictures and video as the page lists them (index = position in the stored list)."""
    rows = []
    for index, item in enumerate(media_as_list(media)):
        width, height, size = item.get("width"), item.get("height"), item.get("bytes")
        rows.append({"index": index, "kind": say(KIND_LABELS[item["kind"]]) if item.get("kind") in KIND_LABELS
                     else str(item.get("kind", "")), "name": item.get("name") or item.get("url") or "",
                     "size": f"{width}×{height}" if width and height else "—",
                     "kb": f"{int(size) / 1024:,.0f} KB" if isinstance(size, int) else "—",
                     "added_here": str(item.get("path") or "").startswith(MEDIA_DIR + "/")})
    return rows


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def media_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a picture file to the listing (checked with Pillow by the audit that follows)."""
    upload = request.FILES.get("file")
    try:
        listing_image_add(shop=request.shop, listing_id=pk, kind=request.POST.get("kind", ""),
                          file_name=upload.name if upload else "", content=upload.read() if upload else b"")
    except NotFound as exc:
        raise Http404 from exc
    except ShopOpsError as exc:
        messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))
    else:
        messages.success(request, _("Picture added; the listing was audited again."))
    return redirect(reverse("listings:detail", args=[pk]) + "#listing-media")


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def media_remove(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """Remove one picture or video from the listing's media."""
    try:
        listing_media_remove(shop=request.shop, listing_id=pk, index=index)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("Removed; the listing was audited again."))
    return redirect(reverse("listings:detail", args=[pk]) + "#listing-media")
