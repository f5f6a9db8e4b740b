"""The category page (类目): the tree with a create form, and rename / move / delete on every row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shopops.catalog import selectors, services
from shopops.catalog.domain import MAX_CATEGORY_CODE, MAX_CATEGORY_DEPTH, MAX_CATEGORY_NAME
from shopops.catalog.views.common import error_text, safe_next
from shopops.core import roles
from shopops.core.domain import CODE_HTML_PATTERN
from shopops.core.errors import InvalidInput, ShopOpsError
from shopops.ui.permissions import page_requires


@page_requires(roles.VIEW_PRODUCTS)
@require_http_methods(["GET", "POST"])
def category_list(request: HttpRequest) -> HttpResponse:
    """GET: the tree; POST: create a category (needs the right to change products)."""
    can_change = request.user.has_perm(roles.CHANGE_PRODUCTS)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = {"code": "", "name": "", "parent": request.GET.get("parent", "")}
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = {key: request.POST.get(key, "").strip() for key in ("code", "name", "parent")}
        try:
            category = services.category_create(shop=request.shop, code=form["code"], name=form["name"],
                                                parent=form["parent"] or None, actor=request.user,
                                                exists_ok=False)
        except ShopOpsError as exc:
            messages.error(request, error_text(exc))
            status = exc.http_status
        else:
            path = selectors.category_path_of(shop=request.shop, code=category.code)
            messages.success(request, _("Created the category %(path)s.") % {"path": path})
            return redirect(next_url or "web:category_list")
    rows = selectors.category_tree(shop=request.shop)
    return render(request, "catalog/category_list.html", {
        "rows": rows, "form": form, "can_change": can_change, "next": next_url or "",
        "code_pattern": CODE_HTML_PATTERN, "code_max": MAX_CATEGORY_CODE, "name_max": MAX_CATEGORY_NAME,
        "max_depth": MAX_CATEGORY_DEPTH,
        "code_rule": _("Letters, digits, “-”, “_” and “.”, starting with a letter or digit."),
    }, status=status)


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One row's form: ``action`` rename (``name``), move (``parent``: a code, empty for the top) or delete."""
    category = selectors.category_by_id(shop=request.shop, pk=pk)
    if category is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            services.category_rename(shop=request.shop, code=category.code, name=request.POST.get("name", ""),
                                     actor=request.user)
            done = _("Renamed the category %(code)s: %(path)s.")
        elif action == "move":
            services.category_move(shop=request.shop, code=category.code,
                                   parent=request.POST.get("parent", "").strip() or None, actor=request.user)
            done = _("Moved the category %(code)s: %(path)s.")
        elif action == "delete":
            services.category_delete(shop=request.shop, code=category.code, actor=request.user)
            messages.success(request, _("Deleted the category %(code)s.") % {"code": category.code})
            return redirect("web:category_list")
        else:
            raise InvalidInput(_("Choose rename, move or delete."))
    except ShopOpsError as exc:
        messages.error(request, f"{category.name}: {error_text(exc)}")
    else:
        path = selectors.category_path_of(shop=request.shop, code=category.code)
        messages.success(request, done % {"code": category.code, "path": path})
    return redirect("web:category_list")
