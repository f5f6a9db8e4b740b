"""Pages whose numbers take a while: the page (filters, headings) answers at once and its computed panel is a
fragment of its own, loaded after it by htmx (``ui/_lazy.html``: grey blocks meanwhile, a short message if it
fails). ``?inline=1`` (the link a browser without JavaScript gets) and ``?export=xlsx`` compute it in the page
itself, as before."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

Panel = Callable[[HttpRequest], "dict | HttpResponse"]


def computed_now(request: HttpRequest) -> bool:
    """Whether the page draws its panel itself: asked inline (no JavaScript) or asked for a download."""
    return request.GET.get("inline") == "1" or bool(request.GET.get("export"))


def page_with_panel(request: HttpRequest, template: str, shell: dict, panel: Panel) -> HttpResponse:
    """The page: its shell, with the panel inline only when ``computed_now`` (a download answers as itself)."""
    context = {**shell, "inline": computed_now(request)}
    if context["inline"]:
        computed = panel(request)
        if isinstance(computed, HttpResponse):
            return computed
        context |= computed
    return render(request, template, context)


def panel_fragment(request: HttpRequest, template: str, shell: dict, panel: Panel) -> HttpResponse:
    """The panel alone (an HTML fragment whose root carries ``data-panel``), for the same query string."""
    computed = panel(request)
    if isinstance(computed, HttpResponse):
        return computed
    return render(request, template, {**shell, **computed})
