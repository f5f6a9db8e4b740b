"""Writes of the category tree (类目): create, rename, move, delete; each keeps the tree's rules and is audited."""

from __future__ import annotations

from typing import Final

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shopops.catalog.domain import (
    MAX_CATEGORY_CODE,
    PATH_SEPARATOR,
    category_name_problem,
    category_path,
    category_place_problem,
)
from shopops.catalog.models import Category, Product, category_nodes
from shopops.core.domain import code_problem
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.i18n import say
from shopops.core.models import Shop, User
from shopops.core.schemas import code_message
from shopops.core.services import audit_record
from shopops.core.text import listing


class _Keep:
    """The parent stays as it is (``None`` means: move to the top)."""


KEEP: Final = _Keep()


def category_find(*, shop: Shop, value: str) -> Category | None:
    """The category a person names: by code, else by a name only one category has, else by its path
    (``服饰 › 女装 › 连衣裙``; ``>`` also reads as the separator)."""
    value = (value or "").strip()
    if not value:
        return None
    found = Category.objects.filter(shop=shop, code=value).first()
    if found is not None:
        return found
    named = list(Category.objects.filter(shop=shop, name=value)[:2])
    if len(named) == 1:
        return named[0]
    parts = [part.strip() for part in value.replace(">", "›").split("›")]
    if len(parts) < 2 or not all(parts):
        return None
    wanted = PATH_SEPARATOR.join(parts)
    nodes = category_nodes(shop)
    matches = [pk for pk in nodes if category_path(nodes, pk) == wanted]
    return Category.objects.get(pk=matches[0]) if len(matches) == 1 else None


def category_get(*, shop: Shop, code: str) -> Category:
    """The category with this code, or NotFound (404, exit 2)."""
    found = Category.objects.filter(shop=shop, code=code).first()
    if found is None:
        raise NotFound(_("No category with the code %(code)s.") % {"code": code})
    return found


def _parent(shop: Shop, parent: str | None, errors: list[FieldError]) -> Category | None:
    if parent is None or not parent.strip():
        return None
    found = Category.objects.filter(shop=shop, code=parent.strip()).first()
    if found is None:
        errors.append(FieldError("parent", _("No category with the code %(code)s.") % {"code": parent}))
    return found


def _check_name(name: str, errors: list[FieldError]) -> None:
    """A name is required and short. Two categories may share a name (two platforms' 护肤, 女装 › T恤 and
    男装 › T恤): the code tells them apart."""
    problem = category_name_problem(name)
    if problem is not None:
        errors.append(FieldError("name", say(problem)))


@transaction.atomic
def category_create(
    *, shop: Shop, code: str, name: str, parent: str | None = None, actor: User | None = None,
    exists_ok: bool = True, audit: bool = True,
) -> Category:
    """A category under ``parent`` (a code; None: at the top). With ``exists_ok`` (imports, the demo) an
    existing code gives the stored category unchanged; without it (pages, API, command) it is a Conflict.
    ``audit=False``: the demo's generated catalog, like its products, stays out of the audit log."""
    problem = code_problem(code, max_length=MAX_CATEGORY_CODE)
    if problem is not None:
        raise InvalidInput(_("The category was not saved."),
                           [FieldError("code", code_message(problem, max_length=MAX_CATEGORY_CODE))])
    existing = Category.objects.filter(shop=shop, code=code).first()
    if existing is not None:
        if exists_ok:
            return existing
        raise Conflict(_("The category code %(code)s is already used.") % {"code": code},
                       [FieldError("code", _("Already used."))])
    errors: list[FieldError] = []
    parent_category = _parent(shop, parent, errors)
    _check_name(name, errors)
    if parent_category is not None:
        place = category_place_problem(category_nodes(shop), None, parent_category.pk)
        if place is not None:
            errors.append(FieldError("parent", say(place)))
    if errors:
        raise InvalidInput(_("The category was not saved."), errors)
    try:
        with transaction.atomic():
            category = Category.objects.create(shop=shop, code=code, name=name.strip(), parent=parent_category)
    except IntegrityError as exc:  # a concurrent request took the code between our check and insert
        raise Conflict(_("The category code %(code)s is already used.") % {"code": code}) from exc
    if audit:
        audit_record(action="category.create", object_type="category", object_id=category.pk, shop=shop,
                     actor=actor, object_repr=category.code,
                     changes={"name": [None, category.name],
                              "parent": [None, parent_category and parent_category.code]})
    return category


@transaction.atomic
def category_change(
    *, shop: Shop, code: str, name: str | None = None, parent: str | None | _Keep = KEEP,
    actor: User | None = None,
) -> Category:
    """Rename and/or move a category in one step: every problem is reported at once, nothing changes on any.
    A move keeps the tree whole: never under itself or its own subcategory, never deeper than allowed."""
    category = Category.objects.select_for_update().filter(shop=shop, code=code).first()
    if category is None:
        raise NotFound(_("No category with the code %(code)s.") % {"code": code})
    errors: list[FieldError] = []
    new_parent = category.parent if isinstance(parent, _Keep) else _parent(shop, parent, errors)
    if errors:  # an unknown parent: nothing to check the place against
        new_parent = category.parent
    moved = new_parent != category.parent
    new_name = category.name if name is None else name
    if name is not None:
        _check_name(new_name, errors)
    if moved:
        place = category_place_problem(category_nodes(shop), category.pk,
                                       new_parent.pk if new_parent is not None else None)
        if place is not None:
            errors.append(FieldError("parent", say(place)))
    if errors:
        raise InvalidInput(_("The category was not changed."), errors)
    changes: dict[str, list] = {}
    if new_name.strip() != category.name:
        changes["name"] = [category.name, new_name.strip()]
    if moved:
        changes["parent"] = [category.parent and category.parent.code, new_parent and new_parent.code]
    if changes:
        category.name, category.parent = new_name.strip(), new_parent
        category.save(update_fields=["name", "parent"])
        action = "category.move" if "parent" in changes else "category.rename"
        audit_record(action=action, object_type="category", object_id=category.pk, shop=shop, actor=actor,
                     object_repr=category.code, changes=changes)
    return category


def category_rename(*, shop: Shop, code: str, name: str, actor: User | None = None) -> Category:
    return category_change(shop=shop, code=code, name=name, actor=actor)


def category_move(*, shop: Shop, code: str, parent: str | None, actor: User | None = None) -> Category:
    """Move under ``parent`` (a code), or to the top with None."""
    return category_change(shop=shop, code=code, parent=parent, actor=actor)


@transaction.atomic
def category_delete(*, shop: Shop, code: str, actor: User | None = None) -> None:
    """Delete an unused category. While products or subcategories use it: a Conflict saying how many."""
    category = Category.objects.select_for_update().filter(shop=shop, code=code).first()
    if category is None:
        raise NotFound(_("No category with the code %(code)s.") % {"code": code})
    products = Product.objects.filter(shop=shop, category=category).count()
    children = Category.objects.filter(shop=shop, parent=category).count()
    if products or children:
        uses = []
        if products:
            uses.append(ngettext("%(n)s product", "%(n)s products", products) % {"n": products})
        if children:
            uses.append(ngettext("%(n)s subcategory", "%(n)s subcategories", children) % {"n": children})
        raise Conflict(
            _("The category %(name)s is still used by %(uses)s: move them to another category first.")
            % {"name": category.name, "uses": say(listing(uses))},
            [FieldError("code", _("In use."))])
    audit_record(action="category.delete", object_type="category", object_id=category.pk, shop=shop, actor=actor,
                 object_repr=category.code, changes={"name": [category.name, None]})
    category.delete()
