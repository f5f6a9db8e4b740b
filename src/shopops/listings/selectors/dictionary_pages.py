"""Reads of the shop dictionary (店铺词库) for its settings page, API and the title history's token diff."""

from __future__ import annotations

from django.db.models import QuerySet

from shopops.core.models import Shop
from shopops.listings.models import ShopWord


def dictionary_words(*, shop: Shop, kind: str = "") -> QuerySet[ShopWord]:
    """The shop's words, by kind then word; only ``kind`` when given."""
    words = ShopWord.objects.filter(shop=shop)
    return words.filter(kind=kind) if kind else words


def dictionary_by_kind(*, shop: Shop) -> list[tuple[str, str, list[ShopWord]]]:
    """Every kind in its fixed order with its label and the shop's words of that kind (empty kinds too, so the
    page shows where a word would go)."""
    words: dict[str, list[ShopWord]] = {k: [] for k in ShopWord.Kind.values}
    for word in dictionary_words(shop=shop):
        words.setdefault(word.kind, []).append(word)
    return [(kind, str(label), words[kind]) for kind, label in ShopWord.Kind.choices]


def dictionary_word(*, shop: Shop, pk: int) -> ShopWord | None:
    """One word of the shop's dictionary (None: absent or another shop's)."""
    return ShopWord.objects.filter(shop=shop, pk=pk).first()
