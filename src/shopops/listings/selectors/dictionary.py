"""The shop dictionary (店铺词库) as the rules read it (docs/rules/listings.md#tokens)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shopops.core.models import Shop
from shopops.listings.models import ShopWord


def shop_words(shop: Shop) -> dict[str, tuple[str, ...]]:
    """kind → the shop's words of that kind (every kind present, possibly empty), in word order."""
    out: dict[str, list[str]] = {kind: [] for kind in ShopWord.Kind.values}
    for kind, word in ShopWord.objects.filter(shop=shop).order_by("word").values_list("kind", "word"):
        out.setdefault(kind, []).append(word)
    return {kind: tuple(words) for kind, words in out.items()}


def protected_words(words: Mapping[str, Sequence[str]]) -> list[str]:
    """The words the tokenizer keeps whole (docs/rules/listings.md#tokens): brand words, model numbers, product
    terms of ``shop_words``."""
    return [w for kind in ShopWord.PROTECTED for w in words.get(kind, ())]
