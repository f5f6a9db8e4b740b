"""shopops catalog categories list|add|rename|move|delete and products list: output, --json, the language, and a
one-line message with exit 2 on every kind of bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shopops.catalog.models import Category
from tests.catalog.tree import make_product, make_tree
from tests.cli.test_cli import run


def catalog(*args: str) -> str:
    out = io.StringIO()
    call_command("catalog", *args, "--shop", "demo", stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        catalog(*args)
    assert exc.value.returncode == 2, str(exc.value)
    return str(exc.value)


def test_add_rename_move_delete_and_list(shop):
    made = json.loads(catalog("categories", "add", "cli-top", "服饰", "--json"))
    assert made["path"] == "服饰" and made["parent"] is None
    catalog("categories", "add", "cli-kid", "女装", "--parent", "cli-top")
    assert "服饰 › 女士服装" in catalog("categories", "rename", "cli-kid", "女士服装")
    assert json.loads(catalog("categories", "move", "cli-kid", "--top", "--json"))["depth"] == 1
    catalog("categories", "move", "cli-kid", "--parent", "cli-top")
    listed = json.loads(catalog("categories", "list", "--json"))
    assert set(listed) == {"items", "count"}
    kid = next(item for item in listed["items"] if item["code"] == "cli-kid")
    assert kid["path"] == "服饰 › 女士服装"
    text = catalog("categories", "list")
    assert "  女士服装  [cli-kid]" in text  # indented under its parent
    assert json.loads(catalog("categories", "delete", "cli-kid", "--json")) == {"code": "cli-kid", "deleted": True}
    assert not Category.objects.filter(shop=shop, code="cli-kid").exists()


def test_messages_follow_the_language(shop):
    assert "Created the category" in catalog("categories", "add", "cli-en", "Dresses", "--language", "en")
    assert "cli-en" in refused("categories", "add", "cli-en", "Dresses", "--language", "en")


@pytest.mark.parametrize("args", [
    ("categories", "add", "only-code"),
    ("categories", "rename", "x"),
    ("categories", "explode"),
    ("categories", "move", "t-nvzhuang"),  # neither --parent nor --top
    ("categories", "move", "t-nvzhuang", "--top", "--parent", "t-fushi"),
    ("categories", "move", "t-fushi", "--parent", "t-lianyiqun"),  # a loop
    ("categories", "add", "bad code", "名字"),
    ("categories", "add", "t-fushi", "重复"),  # taken: 409 → exit 2
    ("categories", "delete", "t-nvzhuang"),  # in use
    ("categories", "delete", "no-such"),
    ("products", "explode"),
])
def test_bad_input_exits_2_and_changes_nothing(shop, args):
    make_tree(shop)
    before = list(Category.objects.filter(shop=shop).values_list("code", "name", "parent_id").order_by("code"))
    assert refused(*args)
    assert list(Category.objects.filter(shop=shop).values_list("code", "name", "parent_id").order_by("code")) == before


def test_products_list(shop):
    make_tree(shop)
    make_product(shop, "t-lianyiqun", skus=("T-SKU-1", "T-SKU-2"))
    listed = json.loads(catalog("products", "list", "--category", "t-fushi", "--json"))
    assert listed["count"] == 1
    assert listed["items"][0] == {"spu_code": "T-SPU-1", "title": "测试商品", "category": "t-lianyiqun",
                                       "category_path": "服饰 › 女装 › 连衣裙", "skus": 2, "status": "active"}
    assert "T-SPU-1" in catalog("products", "list", "--category", "t-lianyiqun")


def test_from_the_shell_bad_usage_is_one_line_and_exit_2(tmp_path):
    result = run("catalog", "categories", "add", "only-code", data_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "shopops catalog categories add CODE NAME" in lines[0], result.stderr
