"""/api/v1/listings/dictionary (the shop dictionary, 店铺词库), /api/v1/listings/{id}/title (a new title, kept in
the history) and /api/v1/listings/{id}/history (the changes with the traffic 14 days before and after).

Mounted at ``/listings`` **before** the listing audit router, whose ``/listings/{id}`` would otherwise take
``/listings/dictionary``. Reading needs ``VIEW_PRODUCTS``, changing ``CHANGE_PRODUCTS``; another shop's
listing or word is as absent as a missing one (404)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from shopops.catalog.selectors import listing_in_shop
from shopops.core.api_auth import current_shop, needs
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.money import format_fen
from shopops.core.roles import CHANGE_PRODUCTS, VIEW_PRODUCTS
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.listings.models import ListingRevision, ShopWord
from shopops.listings.selectors.dictionary_pages import dictionary_words
from shopops.listings.selectors.titles import Window, title_history
from shopops.listings.services.dictionary import (
    dictionary_word_add,
    dictionary_word_remove,
    dictionary_words_paste,
    kind_of,
)
from shopops.listings.services.titles import listing_title_change

router = Router(tags=["listings"])
LISTING_ID = Path(..., ge=1, le=MAX_DB_ID)
WORD_ID = Path(..., ge=1, le=MAX_DB_ID)


class WordOut(Schema):
    id: int
    word: str
    kind: str = Field(..., description="brand | model | term (protected), rival_brand, allowed")
    kind_label: str
    note: str
    created_at: dt.datetime


class WordPage(Schema):
    items: list[WordOut]
    count: int


class WordFilters(Schema):
    kind: str = Field("", max_length=20, description="only this kind")


class WordIn(Schema):
    word: str = Field("", max_length=200, description="one word (or give lines)")
    kind: str = Field("term", max_length=20, description="kind of the word, or of the lines without one")
    note: str = Field("", max_length=400)
    lines: str | None = Field(None, max_length=200_000, description="many words: 'word' or 'word,kind' per line; "
                                                                    "nothing is saved if any line is wrong")


class WordsAdded(Schema):
    added: int
    unchanged: int
    items: list[WordOut]


class TitleIn(Schema):
    title: str | None = Field(None, max_length=1000, description="the new title (omitted: keep)")
    subtitle: str | None = Field(None, max_length=1000, description="the new subtitle (omitted: keep)")
    note: str = Field("", max_length=1000, description="why, kept in the history")


class RevisionOut(Schema):
    id: int
    field: str = Field(..., description="title | subtitle")
    before: str
    after: str
    added: list[str] = Field(..., description="words the change added")
    removed: list[str] = Field(..., description="words the change removed")
    by: str | None
    at: dt.datetime
    note: str


class WindowOut(Schema):
    from_: str = Field(..., alias="from")
    to: str | None
    days: int = Field(..., description="full days in the window so far (0: not started)")
    partial: bool = Field(..., description="fewer than 14 days so far")
    status: str = Field(..., description="data | no_data | not_started")
    uv: int | None
    pv: int | None
    buyers: int | None
    cvr: float | None
    gmv: str | None = Field(..., description="yuan")


class TrafficOut(Schema):
    before: WindowOut
    after: WindowOut


class HistoryItemOut(RevisionOut):
    traffic: TrafficOut


class TitleOut(Schema):
    listing: int
    title: str
    subtitle: str
    revisions: list[RevisionOut]


class HistoryOut(Schema):
    listing: int
    title: str
    subtitle: str
    items: list[HistoryItemOut]


def word_out(word: ShopWord) -> dict:
    return {"id": word.pk, "word": word.word, "kind": word.kind, "kind_label": word.get_kind_display(),
            "note": word.note, "created_at": word.created_at}


def revision_out(revision: ListingRevision) -> dict:
    return {"id": revision.pk, "field": revision.field, "before": revision.before, "after": revision.after,
            "added": list(revision.added), "removed": list(revision.removed),
            "by": revision.changed_by.username if revision.changed_by else None, "at": revision.changed_at,
            "note": revision.note}


def window_out(window: Window) -> dict:
    status = "not_started" if not window.days else ("data" if window.figures else "no_data")
    figures = window.figures or {}
    gmv = figures.get("gmv")
    return {"from": window.date_from.isoformat(), "to": window.date_to.isoformat() if window.days else None,
            "days": window.days, "partial": window.partial, "status": status, "uv": figures.get("uv"),
            "pv": figures.get("pv"), "buyers": figures.get("buyers"), "cvr": figures.get("cvr"),
            "gmv": format_fen(gmv) if gmv is not None else None}


@router.get("/dictionary", response={200: WordPage, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def list_words(request: HttpRequest, filters: Query[WordFilters]) -> dict:
    """The shop dictionary by kind then word."""
    shop = current_shop(request)
    kind = kind_of(filters.kind) if filters.kind else ""
    if kind is None:
        raise InvalidInput(_("Invalid input."), [FieldError("kind", _("Choose a kind of word."))])
    words = [word_out(w) for w in dictionary_words(shop=shop, kind=kind)]
    return {"items": words, "count": len(words)}


@router.post("/dictionary", response={201: WordsAdded, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def add_words(request: HttpRequest, payload: WordIn) -> tuple[int, dict]:
    """One word (``word`` and ``kind``), or many (``lines``): all or nothing, each bad line named."""
    shop = current_shop(request)
    if payload.lines is not None:
        result = dictionary_words_paste(shop=shop, text=payload.lines, default_kind=payload.kind)
        return 201, {"added": result.added, "unchanged": result.unchanged,
                     "items": [word_out(w) for w in result.words]}
    word = dictionary_word_add(shop=shop, word=payload.word, kind=payload.kind, note=payload.note)
    return 201, {"added": 1, "unchanged": 0, "items": [word_out(word)]}


@router.delete("/dictionary/{word_id}", response={204: None, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def remove_word(request: HttpRequest, word_id: int = WORD_ID) -> tuple[int, None]:
    dictionary_word_remove(shop=current_shop(request), pk=word_id)
    return 204, None


def _listing(request: HttpRequest, listing_id: int):
    listing = listing_in_shop(shop=current_shop(request), pk=listing_id)
    if listing is None:
        raise HttpError(404, _("No such listing."))
    return listing


@router.patch("/{listing_id}/title", response={200: TitleOut, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def change_title(request: HttpRequest, payload: TitleIn, listing_id: int = LISTING_ID) -> dict:
    """A new title and/or subtitle; the change is kept in the history with the words added and removed
    (422: empty, too long or unchanged, nothing saved)."""
    listing = _listing(request, listing_id)
    title = payload.title if payload.title is not None else listing.title
    revisions = listing_title_change(shop=current_shop(request), listing=listing, title=title,
                                     subtitle=payload.subtitle, by=request.user, note=payload.note)
    return {"listing": listing.pk, "title": listing.title, "subtitle": listing.subtitle,
            "revisions": [revision_out(r) for r in revisions]}


@router.get("/{listing_id}/history", response={200: HistoryOut, **ERRORS}, auth=needs(VIEW_PRODUCTS), by_alias=True)
def history(request: HttpRequest, listing_id: int = LISTING_ID) -> dict:
    """The title and subtitle changes, newest first, each with the item's UV, PV, buyers, CVR and GMV in the
    14 days before and after (``partial`` until 14 days have passed; ``no_data``: the lake has none)."""
    listing = _listing(request, listing_id)
    items = [{**revision_out(h["revision"]), "traffic": {"before": window_out(h["before"]),
                                                         "after": window_out(h["after"])}}
             for h in title_history(shop=current_shop(request), listing=listing)]
    return {"listing": listing.pk, "title": listing.title, "subtitle": listing.subtitle, "items": items}
