"""The 商品匹配 page (SKU matching, docs/rules/sku-matching.md): the order lines not matched to a SKU, grouped by
key, with SKUs suggested by title; map a group to a SKU, create a SKU from it, or remove a mapping."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog.domain import new_sku_code
from shopops.catalog.selectors import SkuChoice
from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_accounts
from shopops.core import roles
from shopops.core.errors import ShopOpsError
from shopops.orders import selectors, services
from shopops.orders.selectors import UnmatchedGroup
from shopops.ui.permissions import page_requires

SHOWN_GROUPS = 200  # the page lists the groups with the most GMV first


@dataclass(frozen=True)
class GroupRow:
    group: UnmatchedGroup
    account: str  # the channel account as people know it: its channel's Chinese name and its own name
    suggestions: list[tuple[SkuChoice, float]]

    @property
    def new_code(self) -> str:
        return new_sku_code(self.group.seller_code, self.group.match_key)


def _account_names(request: HttpRequest) -> dict[int, str]:
    return {a.pk: f"{channel_label(a.channel)} · {a.name}" for a in channel_accounts(shop=request.shop)}


@page_requires(roles.CHANGE_PRODUCTS)
def sku_matching(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _post(request)
    shop = request.shop
    groups = selectors.unmatched_groups(shop=shop)
    names = _account_names(request)
    shown = groups[:SHOWN_GROUPS]
    suggested = catalog_selectors.sku_suggestions(
        shop=shop, texts={f"{g.channel_account_id}:{g.match_key}": f"{g.title} {g.spec}" for g in shown})
    q = request.GET.get("q", "").strip()[:100]
    context = {
        "rows": [GroupRow(g, names.get(g.channel_account_id, ""), suggested.get(f"{g.channel_account_id}:{g.match_key}", []))
                 for g in shown],
        "groups": len(groups), "lines": sum(g.lines for g in groups),
        "gmv_fen": sum(g.gmv_fen for g in groups), "has_orders": selectors.has_orders(shop=shop),
        "mappings": [(m, names.get(m.channel_account_id, "")) for m in catalog_selectors.sku_mappings(shop=shop)[:500]],
        "q": q, "found": catalog_selectors.sku_choices(shop=shop, q=q) if q else [],
        "can_create": request.user.has_perm(roles.ADD_PRODUCTS),
        "categories": catalog_selectors.category_options(shop=shop),
    }
    return render(request, "orders/sku_matching.html", context)


def _post(request: HttpRequest) -> HttpResponse:
    p, shop, actor = request.POST, request.shop, request.user
    action = p.get("action", "")
    try:
        if action == "unmap":
            done = services.matching_unmap(shop=shop, mapping_id=_int(p.get("mapping")), actor=actor)
            messages.success(request, ngettext("Mapping removed: %(n)s order line re-matched.",
                                               "Mapping removed: %(n)s order lines re-matched.", done.lines)
                             % {"n": done.lines})
        elif action in ("map", "create"):
            account, key = _int(p.get("account")), p.get("key", "")
            if action == "create":
                if not actor.has_perm(roles.ADD_PRODUCTS):
                    raise PermissionDenied
                done = services.matching_map(shop=shop, channel_account_id=account, match_key=key,
                                             new_sku_code=p.get("sku_code", ""), category=p.get("category", ""),
                                             actor=actor)
            else:
                done = services.matching_map(shop=shop, channel_account_id=account, match_key=key,
                                             sku_id=_sku_id(request, p.get("sku", "")), actor=actor)
            messages.success(request, ngettext("Matched: %(n)s order line now points to the SKU.",
                                               "Matched: %(n)s order lines now point to the SKU.", done.lines)
                             % {"n": done.lines})
        else:
            messages.error(request, _("Unknown action."))
    except ShopOpsError as exc:
        messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))
    return redirect("web:sku_matching")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _sku_id(request: HttpRequest, value: str) -> int | None:
    """The SKU the operator picked: its id (a suggestion's button) or its code (typed)."""
    value = value.strip()
    if not value:
        return None
    found = catalog_selectors.sku_by_code(shop=request.shop, sku_code=value)
    if found is not None:
        return found.pk
    return int(value) if value.isdigit() and catalog_selectors.sku_ids_in_shop(shop=request.shop, ids={int(value)}) \
        else -1
