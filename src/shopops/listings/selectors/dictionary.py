"""The shop dictionary (店铺词库) as the rules read it (docs/rules/listings.md#tokens)."""

from __future__ import annotations

from shopops.core.models import Shop
from shopops.listings.models import ShopWord


def shop_words(shop: Shop) -> dict[str, tuple[str, ...]]:
    """kind → the shop's words of that kind (every kind present, possibly empty), in word order."""
    out: dict[str, list[str]] = {kind: [] for kind in ShopWord.Kind.values}
    for kind, word in ShopWord.objects.filter(shop=shop).order_by("word").values_list("kind", "word"):
        out.setdefault(kind, []).append(word)
    return {kind: tuple(words) for kind, words in out.items()}
