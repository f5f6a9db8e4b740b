"""What a title change did, word by word (docs/rules/listings.md#title-history): the words added and removed,
counted as multisets so a repeated word that loses one copy is one word removed. Pure: the words come from
:class:`shopops.listings.tokens.ShopTokenizer` (the shop's protected words kept whole), compared
case-insensitively for ASCII (``iPhone`` and ``IPHONE`` are the same word in a search box)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WordDiff:
    added: tuple[str, ...]  # in the new title's order
    removed: tuple[str, ...]  # in the old title's order


def _minus(words: Sequence[str], other: Sequence[str]) -> tuple[str, ...]:
    """The words of ``words`` beyond their count in ``other``, first occurrences kept, in order."""
    spare = Counter(w.casefold() for w in other)
    out = []
    for word in words:
        key = word.casefold()
        if spare[key] > 0:
            spare[key] -= 1
        else:
            out.append(word)
    return tuple(out)


def word_diff(before: Sequence[str], after: Sequence[str]) -> WordDiff:
    """Words ``after`` has that ``before`` lacks (added) and the other way round (removed)."""
    return WordDiff(added=_minus(after, before), removed=_minus(before, after))
