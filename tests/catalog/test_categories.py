"""The category tree's rules, kept by the services: paths, no loops, a depth limit, codes unique per shop,
no delete while products or subcategories use a category; every change audited."""

from __future__ import annotations

import pytest

from shopops.catalog.domain import (
    MAX_CATEGORY_DEPTH,
    CategoryNode,
    category_place_problem,
    category_tree_order,
)
from shopops.catalog.models import Category
from shopops.catalog.selectors import category_ids_under, category_path_of, category_tree, product_list
from shopops.catalog.services import (
    category_change,
    category_create,
    category_delete,
    category_find,
    category_move,
    category_rename,
)
from shopops.core.errors import Conflict, InvalidInput, NotFound
from shopops.core.models import AuditEntry
from shopops.core.services import shop_create
from tests.catalog.tree import make_product, make_tree


def test_paths_and_tree_order(shop):
    make_tree(shop)
    assert category_path_of(shop=shop, code="t-lianyiqun") == "服饰 › 女装 › 连衣裙"
    rows = [row for row in category_tree(shop=shop) if row.code.startswith("t-")]
    assert [(row.code, row.depth, row.parent) for row in rows] == [
        ("t-fushi", 1, None), ("t-nvzhuang", 2, "t-fushi"), ("t-lianyiqun", 3, "t-nvzhuang"),
        ("t-nanzhuang", 2, "t-fushi"), ("t-meizhuang", 1, None)]  # siblings by name (Unicode order)
    assert next(r for r in rows if r.code == "t-fushi").children == 2


def test_a_category_is_found_by_code_unique_name_or_path(shop):
    make_tree(shop)
    assert category_find(shop=shop, value="t-lianyiqun").code == "t-lianyiqun"
    assert category_find(shop=shop, value="连衣裙").code == "t-lianyiqun"
    assert category_find(shop=shop, value="服饰 > 女装 > 连衣裙").code == "t-lianyiqun"
    assert category_find(shop=shop, value="服饰 › 男装").code == "t-nanzhuang"
    assert category_find(shop=shop, value="服饰 › 童装") is None


def test_a_filter_by_category_includes_its_subcategories(shop):
    tree = make_tree(shop)
    product = make_product(shop, "t-lianyiqun")
    assert category_ids_under(shop=shop, code="t-fushi") == {tree[c].pk for c in
                                                            ("t-fushi", "t-nvzhuang", "t-lianyiqun", "t-nanzhuang")}
    qs, _sort = product_list(shop=shop, category="t-fushi")
    assert list(qs) == [product]
    assert not product_list(shop=shop, category="t-meizhuang")[0].exists()


def test_moving_under_its_own_descendant_is_refused_and_changes_nothing(shop):
    make_tree(shop)
    with pytest.raises(InvalidInput) as exc:
        category_move(shop=shop, code="t-fushi", parent="t-lianyiqun")
    assert [e.field for e in exc.value.errors] == ["parent"]
    assert "连衣裙" in exc.value.errors[0].message and "服饰" in exc.value.errors[0].message
    with pytest.raises(InvalidInput):
        category_move(shop=shop, code="t-nvzhuang", parent="t-nvzhuang")
    assert Category.objects.get(shop=shop, code="t-fushi").parent is None
    assert Category.objects.get(shop=shop, code="t-nvzhuang").parent.code == "t-fushi"


def test_a_move_keeps_the_subtree_and_is_audited(shop, user_of):
    make_tree(shop)
    category_move(shop=shop, code="t-nvzhuang", parent="t-meizhuang", actor=user_of("operator"))
    assert category_path_of(shop=shop, code="t-lianyiqun") == "美妆 › 女装 › 连衣裙"
    entry = AuditEntry.objects.get(action="category.move", object_repr="t-nvzhuang")
    assert entry.changes == {"parent": ["t-fushi", "t-meizhuang"]} and entry.actor == user_of("operator")
    category_move(shop=shop, code="t-nvzhuang", parent=None)
    assert category_path_of(shop=shop, code="t-lianyiqun") == "女装 › 连衣裙"


def test_depth_is_limited(shop):
    parent = None
    for level in range(1, MAX_CATEGORY_DEPTH + 1):
        parent = category_create(shop=shop, code=f"deep-{level}", name=f"第{level}级", parent=parent and parent.code)
    with pytest.raises(InvalidInput) as exc:
        category_create(shop=shop, code="deep-6", name="第6级", parent=parent.code)
    assert exc.value.errors[0].field == "parent" and str(MAX_CATEGORY_DEPTH) in exc.value.errors[0].message
    assert not Category.objects.filter(shop=shop, code="deep-6").exists()
    # moving a two-level subtree under level 4 would make six levels
    category_create(shop=shop, code="two", name="二", parent=None)
    category_create(shop=shop, code="two-child", name="二子", parent="two")
    with pytest.raises(InvalidInput):
        category_move(shop=shop, code="two", parent="deep-4")
    category_move(shop=shop, code="two", parent="deep-3")  # exactly five levels
    assert category_path_of(shop=shop, code="two-child") == "第1级 › 第2级 › 第3级 › 二 › 二子"


def test_codes_are_unique_per_shop_not_across_shops(shop):
    category_create(shop=shop, code="dup", name="甲", exists_ok=False)
    with pytest.raises(Conflict):
        category_create(shop=shop, code="dup", name="乙", exists_ok=False)
    assert category_create(shop=shop, code="dup", name="乙").name == "甲"  # imports: the stored one, unchanged
    other = shop_create(code="other-shop", name="别的店")
    assert category_create(shop=other, code="dup", name="乙", exists_ok=False).shop == other


def test_names_may_repeat_codes_may_not(shop):
    make_tree(shop)
    category_create(shop=shop, code="t-meizhuang-nv", name="女装", parent="t-meizhuang")
    assert category_find(shop=shop, value="女装") is None  # ambiguous by name: the code or the path tells
    assert category_find(shop=shop, value="美妆 › 女装").code == "t-meizhuang-nv"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"code": "has space", "name": "x"}, "code"),
    ({"code": "ok-1", "name": "   "}, "name"),
    ({"code": "ok-1", "name": "名" * 81}, "name"),
    ({"code": "ok-1", "name": "x", "parent": "no-such"}, "parent"),
])
def test_bad_input_names_the_field_and_writes_nothing(shop, kwargs, field):
    before = Category.objects.count()
    with pytest.raises(InvalidInput) as exc:
        category_create(shop=shop, exists_ok=False, **kwargs)
    assert field in [e.field for e in exc.value.errors]
    assert Category.objects.count() == before


def test_rename_and_move_together_report_every_problem_and_change_nothing(shop):
    make_tree(shop)
    with pytest.raises(InvalidInput) as exc:
        category_change(shop=shop, code="t-nvzhuang", name="  ", parent="t-lianyiqun")
    assert [e.field for e in exc.value.errors] == ["name", "parent"]
    assert Category.objects.get(shop=shop, code="t-nvzhuang").name == "女装"
    with pytest.raises(NotFound):
        category_rename(shop=shop, code="no-such", name="x")


def test_delete_is_refused_while_used_saying_how_many(shop, user_of):
    make_tree(shop)
    make_product(shop, "t-lianyiqun", spu="T-SPU-1", skus=("T-SKU-1",))
    make_product(shop, "t-lianyiqun", spu="T-SPU-2", skus=("T-SKU-2",))
    with pytest.raises(Conflict) as exc:
        category_delete(shop=shop, code="t-lianyiqun")
    assert "2" in exc.value.detail and "连衣裙" in exc.value.detail
    with pytest.raises(Conflict) as exc:
        category_delete(shop=shop, code="t-fushi")
    assert "2" in exc.value.detail  # two subcategories
    assert Category.objects.filter(shop=shop, code="t-fushi").exists()
    category_delete(shop=shop, code="t-meizhuang", actor=user_of("admin"))
    assert not Category.objects.filter(shop=shop, code="t-meizhuang").exists()
    assert AuditEntry.objects.filter(action="category.delete", object_repr="t-meizhuang").count() == 1
    with pytest.raises(NotFound):
        category_delete(shop=shop, code="t-meizhuang")


def test_the_pure_rules_survive_a_loop_in_stored_data():
    nodes = {1: CategoryNode(1, "a", "A", 2), 2: CategoryNode(2, "b", "B", 1), 3: CategoryNode(3, "c", "C", None)}
    assert [n.code for n, _depth in category_tree_order(nodes)] == ["c"]  # the loop is not reachable from a root
    category_place_problem(nodes, 3, 1)  # returns: the walk up from 1 stops where it comes round again
    assert category_place_problem(nodes, 1, 2) is not None  # 2 is "inside" 1
