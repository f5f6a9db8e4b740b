"""Competitor pages (竞品跟踪, /competitors/): the rivals with their items' latest price, promotion price and
change flags; a rival with its items; an item with its timeline chart, title changes, image changes and our
listing beside it; the add/edit forms, an observation form, an image upload; and the ``rivals`` fragment a
listing page loads by htmx. Reading needs ``VIEW_PRODUCTS``, writing ``CHANGE_PRODUCTS``
(docs/rules/listings.md#competitors)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shopops.channels.domain import CHANNEL_CODES
from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.errors import FieldError, InvalidInput, ShopOpsError
from shopops.core.money import fen_to_decimal
from shopops.listings.models import Competitor, CompetitorEvent, CompetitorItem
from shopops.listings.rivalry import Observation
from shopops.listings.selectors import competitors as sel
from shopops.listings.services import competitors as svc
from shopops.ui.permissions import page_requires

VIEW = roles.VIEW_PRODUCTS
EDIT = roles.CHANGE_PRODUCTS


def _competitor_or_404(request: HttpRequest, pk: int) -> Competitor:
    found = sel.competitor_detail(shop=request.shop, pk=pk)
    if found is None:
        raise Http404
    return found


def _item_or_404(request: HttpRequest, pk: int, item_pk: int) -> CompetitorItem:
    found = sel.competitor_item(shop=request.shop, competitor_id=pk, pk=item_pk)
    if found is None:
        raise Http404
    return found


def _errors(request: HttpRequest, exc: ShopOpsError) -> dict[str, str]:
    messages.error(request, exc.detail)
    return {e.field: e.message for e in exc.errors}


def _channels() -> list[tuple[str, str]]:
    return [(code, channel_label(code)) for code in CHANNEL_CODES]


def _rows(request: HttpRequest, competitors: list[Competitor]) -> list[dict]:
    """Per rival, its items with the latest observation and the change flags of the last 30 days."""
    series = sel.timelines(shop=request.shop)
    flags = sel.changed_kinds(shop=request.shop, series=series)
    labels = dict(CompetitorEvent.Kind.choices)
    out = []
    for competitor in competitors:
        items = [{"item": item, "latest": sel.latest(series.get(item.pk, [])),
                  "flags": [labels[k] for k in sorted(flags.get(item.pk, set()))]}
                 for item in competitor.items.all()]
        out.append({"competitor": competitor, "channel": channel_label(competitor.channel) if competitor.channel
                    else "", "items": items})
    return out


@page_requires(VIEW)
def competitor_list(request: HttpRequest) -> HttpResponse:
    return render(request, "competitors/list.html", {
        "rows": _rows(request, list(sel.competitor_list(shop=request.shop))), "can_edit": request.user.has_perm(EDIT)})


@page_requires(VIEW)
def competitor_page(request: HttpRequest, pk: int) -> HttpResponse:
    competitor = _competitor_or_404(request, pk)
    return render(request, "competitors/competitor.html", {
        "row": _rows(request, [competitor])[0], "competitor": competitor, "can_edit": request.user.has_perm(EDIT)})


def _form(request: HttpRequest, template: str, context: dict, save: Callable[[], object],
          done: Callable[[object], HttpResponse]) -> HttpResponse:
    """A form page: GET shows it, POST saves (problems shown next to their fields, nothing changed)."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            saved = save()
        except ShopOpsError as exc:
            errors = _errors(request, exc)
        else:
            messages.success(request, _("Saved."))
            return done(saved)
    return render(request, template, {**context, "errors": errors, "values": request.POST})


@page_requires(EDIT)
def competitor_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a rival shop (no pk) or edit one: name, channel, note."""
    competitor = _competitor_or_404(request, pk) if pk is not None else None
    return _form(request, "competitors/competitor_form.html",
                 {"competitor": competitor, "channels": _channels()},
                 lambda: svc.competitor_save(shop=request.shop, data=request.POST, competitor=competitor),
                 lambda saved: redirect("competitors:detail", saved.pk))


@page_requires(EDIT)
def item_edit(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """Add a rival item (no item_pk) or edit one: platform id, title, URL, the listings of ours it rivals."""
    competitor = _competitor_or_404(request, pk)
    item = _item_or_404(request, pk, item_pk) if item_pk is not None else None
    data = request.POST.copy()
    chosen = [v for v in request.POST.getlist("rivals") if v.isdigit() and len(v) < 12]
    return _form(request, "competitors/item_form.html",
                 {"competitor": competitor, "item": item, "listings": sel.listing_choices(shop=request.shop),
                  "chosen": {int(v) for v in chosen} if request.method == "POST" else
                  {r.pk for r in item.rivals.all()} if item else set()},
                 lambda: svc.competitor_item_save(competitor=competitor, item=item,
                                                  data={**data.dict(), "rivals": chosen}),
                 lambda saved: redirect("competitors:item", pk, saved.pk))


def _chart(observations: list[Observation]) -> dict:
    """The item's timeline: prices (yuan, left axis), sales, reviews and rank (right axis)."""
    days = [o.date.isoformat() for o in observations]

    def money(values: list[int | None]) -> list[float | None]:
        return [float(fen_to_decimal(v)) if v is not None else None for v in values]

    traces = [
        {"x": days, "y": money([o.price_fen for o in observations]), "name": _("Price"), "type": "scatter"},
        {"x": days, "y": money([o.promo_price_fen for o in observations]), "name": _("Promotion price"),
         "type": "scatter"},
        {"x": days, "y": [o.sales_estimate for o in observations], "name": _("Estimated sales"), "type": "scatter",
         "yaxis": "y2", "line": {"dash": "dot"}},
        {"x": days, "y": [o.reviews for o in observations], "name": _("Reviews"), "type": "scatter", "yaxis": "y2",
         "line": {"dash": "dot"}},
        {"x": days, "y": [o.rank for o in observations], "name": _("Rank"), "type": "scatter", "yaxis": "y2",
         "line": {"dash": "dash"}},
    ]
    return {"data": traces, "layout": {
        "height": 340, "margin": {"l": 60, "r": 60, "t": 10, "b": 40}, "legend": {"orientation": "h", "y": -0.2},
        "yaxis": {"title": _("Price (¥)")}, "yaxis2": {"overlaying": "y", "side": "right", "tickformat": ",d"},
        "hovermode": "x unified"}}


@page_requires(VIEW)
def item_page(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_or_404(request, pk, item_pk)
    observations = sel.item_observations(item)
    events = sel.item_events(item=item)
    rivals = [sel.rivals_of_listing(shop=request.shop, listing=listing) for listing in item.rivals.all()]
    return render(request, "competitors/item.html", {
        "item": item, "competitor": item.competitor, "observations": list(reversed(observations)),
        "latest": sel.latest(observations), "chart": _chart(observations) if observations else None,
        "title_events": [e for e in events if e.kind == "title"],
        "events": [{"event": e, "what": sel.event_what(e)} for e in events],
        "images": sel.item_images(item=item), "rivals": rivals, "can_edit": request.user.has_perm(EDIT)})


@page_requires(EDIT)
@require_POST
def observation_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """What the operator saw of the item on a date (the detection runs at once)."""
    item = _item_or_404(request, pk, item_pk)
    try:
        svc.observation_add(item=item, data=request.POST, actor=request.user)
    except ShopOpsError as exc:
        messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))
    else:
        messages.success(request, _("Saved."))
    return redirect("competitors:item", pk, item_pk)


@page_requires(EDIT)
@require_POST
def image_upload(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A main image of the item: hashed and compared with the previous one (the file is not kept)."""
    item = _item_or_404(request, pk, item_pk)
    upload = request.FILES.get("image")
    try:
        if upload is None:
            raise InvalidInput(_("The image was not saved."), [FieldError("image", _("Choose an image file."))])
        day = request.POST.get("date", "").strip()
        image = svc.image_add(item=item, content=upload.read(), file_name=upload.name or "",
                              day=svc.parse_day(day) if day else None)
    except ShopOpsError as exc:
        messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))
    else:
        messages.success(request, _("The main image changed.") if image.changed else _("Saved."))
    return redirect("competitors:item", pk, item_pk)


@page_requires(VIEW)
def rivals_fragment(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Our listing beside its rivals (an htmx fragment of the listing page): price band, our price and floor."""
    listing = sel.listing_detail(shop=request.shop, pk=listing_id)
    if listing is None:
        raise Http404
    return render(request, "competitors/_rivals.html", {"r": sel.rivals_of_listing(shop=request.shop, listing=listing)})
