"""A small category tree for the catalog tests: 服饰 › 女装 › 连衣裙, 服饰 › 男装, and 美妆 (codes prefixed t-)."""

from __future__ import annotations

from shopops.catalog.domain import ProductInput, SkuInput
from shopops.catalog.services import category_create, product_create

TREE = (("t-fushi", "服饰", None), ("t-nvzhuang", "女装", "t-fushi"), ("t-lianyiqun", "连衣裙", "t-nvzhuang"),
        ("t-nanzhuang", "男装", "t-fushi"), ("t-meizhuang", "美妆", None))


def make_tree(shop) -> dict[str, object]:
    return {code: category_create(shop=shop, code=code, name=name, parent=parent, exists_ok=False)
            for code, name, parent in TREE}


def make_product(shop, category: str, spu: str = "T-SPU-1", skus: tuple[str, ...] = ("T-SKU-1",)):
    return product_create(shop=shop, data=ProductInput(
        spu_code=spu, title="测试商品", category=category,
        skus=tuple(SkuInput(sku_code=code, price="99.00", cost="30.00") for code in skus)))
