"""Pages of title editing and the shop dictionary (店铺词库): a listing's title form with its history (a
fragment the listing page fetches with htmx, also a page of its own), and the dictionary's settings page.
Reading needs ``VIEW_PRODUCTS``; changing a title or the dictionary ``CHANGE_PRODUCTS`` (operators, admins)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shopops.catalog.selectors import listing_in_shop
from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.errors import FieldError, NotFound, ShopOpsError
from shopops.listings.selectors.dictionary_pages import dictionary_by_kind
from shopops.listings.selectors.titles import WINDOW_DAYS, title_history
from shopops.listings.services.dictionary import (
    dictionary_word_add,
    dictionary_word_remove,
    dictionary_words_paste,
)
from shopops.listings.services.titles import listing_title_change
from shopops.ui.permissions import page_requires

FIGURE_LABELS = (("uv", gettext_lazy("Visitors (UV)")), ("pv", gettext_lazy("Page views (PV)")),
                 ("buyers", gettext_lazy("Paying buyers")), ("cvr", gettext_lazy("Conversion rate")),
                 ("gmv", gettext_lazy("GMV (paid amount)")))


def _by_field(errors: Iterable[FieldError]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(error.field, []).append(error.message)
    return out


def _listing(request: HttpRequest, pk: int) -> Any:
    listing = listing_in_shop(shop=request.shop, pk=pk)
    if listing is None:
        raise Http404
    return listing


def _title_page(request: HttpRequest, listing: Any, *, form: dict[str, str] | None = None, detail: str = "",
                errors: Iterable[FieldError] = (), status: int = 200) -> HttpResponse:
    """The form and history; only the fragment for htmx (the listing page swaps it in)."""
    context = {
        "listing": listing, "channel": channel_label(listing.channel_account.channel),
        "form": form or {"title": listing.title, "subtitle": listing.subtitle, "note": ""},
        "history": title_history(shop=request.shop, listing=listing), "figure_labels": FIGURE_LABELS,
        "window_days": WINDOW_DAYS, "can_change": request.user.has_perm(roles.CHANGE_PRODUCTS),
        "detail": detail, "field_errors": _by_field(errors),
    }
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "listings/_title_history.html" if partial else "listings/title_history.html"
    return render(request, template, context, status=status)


@page_requires(roles.VIEW_PRODUCTS)
def title_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A listing's title and subtitle form (for editors) and its change history with the traffic around each."""
    return _title_page(request, _listing(request, pk))


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a new title/subtitle; on a problem the form again with each reason beside its field, nothing saved."""
    listing = _listing(request, pk)
    form = {key: request.POST.get(key, "") for key in ("title", "subtitle", "note")}
    try:
        listing_title_change(shop=request.shop, listing=listing, title=form["title"], subtitle=form["subtitle"],
                             by=request.user, note=form["note"])
    except ShopOpsError as exc:
        return _title_page(request, listing, form=form, detail=exc.detail, errors=exc.errors, status=422)
    if request.htmx:  # the fragment shows the new history at once; no message left for a later page
        return _title_page(request, listing)
    messages.success(request, _("Title saved."))
    return redirect("listings:title_history", pk=listing.pk)


def _dictionary_page(request: HttpRequest, *, which: str = "", form: dict[str, str] | None = None,
                     detail: str = "", errors: Iterable[FieldError] = (), status: int = 200) -> HttpResponse:
    errors = list(errors)
    kinds = dictionary_by_kind(shop=request.shop)
    context = {"kinds": kinds, "kind_options": [(code, label) for code, label, _words in kinds],
               "can_change": request.user.has_perm(roles.CHANGE_PRODUCTS), "which": which,
               "form": form or {"word": "", "kind": "brand", "note": "", "lines": "", "default_kind": "term"},
               "detail": detail, "field_errors": _by_field(errors),
               "line_errors": [e.message for e in errors if e.field == "lines"]}
    return render(request, "listings/dictionary.html", context, status=status)


@page_requires(roles.VIEW_PRODUCTS)
def dictionary_page(request: HttpRequest) -> HttpResponse:
    """The shop dictionary by kind, with a form for one word and a box for many (editors only)."""
    return _dictionary_page(request)


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def dictionary_add(request: HttpRequest) -> HttpResponse:
    """Add one word (``what=one``) or pasted lines (``what=paste``); a bad line is named and nothing is saved."""
    what = request.POST.get("what", "")
    if what not in ("one", "paste"):
        raise Http404
    form = {key: request.POST.get(key, "") for key in ("word", "kind", "note", "lines", "default_kind")}
    try:
        if what == "one":
            word = dictionary_word_add(shop=request.shop, word=form["word"], kind=form["kind"], note=form["note"])
            done = _("“%(word)s” added to the dictionary.") % {"word": word.word}
        else:
            result = dictionary_words_paste(shop=request.shop, text=form["lines"], default_kind=form["default_kind"])
            done = _("%(added)s words added, %(unchanged)s already there.") % {
                "added": result.added, "unchanged": result.unchanged}
    except ShopOpsError as exc:
        return _dictionary_page(request, which=what, form=form, detail=exc.detail, errors=exc.errors, status=422)
    messages.success(request, done)
    return redirect("listings:dictionary")


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def dictionary_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one word, after the page's confirmation."""
    try:
        dictionary_word_remove(shop=request.shop, pk=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Word removed from the dictionary."))
    return redirect("listings:dictionary")
