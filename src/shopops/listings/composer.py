"""The title composer (标题优化建议, docs/rules/listings.md#title-suggestion): brand + core term + attributes + the
best-converting modifiers (roots of the converting search terms), then what still fits of the current title.

A piece joins the suggestion only when the whole text still fits the platform's budget (``limit`` in ``unit``),
the 广告法 check finds nothing in it (``flagged``: the caller passes ``catalog.ad_law`` with the shop's allowed
and protected words, so the rule keeps one home), no other brand's name (rival brands) is written in it, and its
words stay distinct (no word twice, case-insensitively). Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from shopops.listings.mining import Coverage, TermRow, coverage, is_word
from shopops.listings.title_length import Unit, measure
from shopops.listings.tokens import ShopTokenizer


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The suggested title, its length, and what it changes."""

    title: str
    length: int
    limit: int
    unit: Unit
    before: Coverage
    after: Coverage
    added_terms: tuple[str, ...]  # converting terms the suggestion covers and the title did not
    added_words: tuple[str, ...]  # words not in the current title
    dropped_words: tuple[str, ...]  # words of the current title left out (flagged, another brand, repeated, no room)


def _ascii_edge(left: str, right: str) -> bool:
    return bool(left) and bool(right) and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() \
        and right[0].isalnum()


def join(pieces: Sequence[str]) -> str:
    """Pieces written together as Chinese titles are; a space only between two Latin letters or digits."""
    text = ""
    for piece in pieces:
        text += (" " if _ascii_edge(text, piece) else "") + piece
    return text


class _Builder:
    def __init__(self, *, limit: int, unit: Unit, tokenizer: ShopTokenizer, flagged: Callable[[str], bool],
                 rivals: Iterable[str]) -> None:
        self.pieces: list[str] = []
        self.limit, self.unit, self.tokenizer, self.flagged = limit, unit, tokenizer, flagged
        self.rivals = tuple(r.casefold() for r in rivals if r.strip())

    @property
    def text(self) -> str:
        return join(self.pieces)

    def acceptable(self, text: str) -> bool:
        if measure(text, self.unit) > self.limit or self.flagged(text):
            return False
        folded = text.casefold()
        if any(rival in folded for rival in self.rivals):
            return False
        words = [w.casefold() for w in self.tokenizer.words(text) if is_word(w)]
        return len(words) == len(set(words))

    def add(self, *pieces: str) -> bool:
        """Add ``pieces`` together (all or none); False when the result would break a rule."""
        pieces = tuple(p.strip() for p in pieces if p.strip())
        if not pieces:
            return False
        candidate = join([*self.pieces, *pieces])
        if not self.acceptable(candidate):
            return False
        self.pieces.extend(pieces)
        return True


def compose(title: str, terms: Sequence[TermRow], *, limit: int, unit: Unit, tokenizer: ShopTokenizer,
            flagged: Callable[[str], bool], brand: str = "", core: str = "", attributes: Sequence[str] = (),
            rivals: Iterable[str] = ()) -> Suggestion:
    """A suggestion for ``title`` from its search ``terms`` (:func:`mining.mine`'s rows, any order).

    Modifiers are the roots of the converting terms, best-converting first (orders, then conversion, then GMV);
    a term's missing roots are added together, so an added term is covered by the suggestion.
    """
    builder = _Builder(limit=limit, unit=unit, tokenizer=tokenizer, flagged=flagged, rivals=rivals)
    written = lambda word: word.casefold() in builder.text.casefold()  # noqa: E731
    for piece in (brand, core, *attributes):
        if piece.strip() and not written(piece):
            builder.add(piece)
    converting = sorted((t for t in terms if t.current.orders > 0),
                        key=lambda t: (-t.current.orders, -(t.current.conversion or 0), -t.current.sales_fen, t.term))
    for term in converting:
        missing = [root for root in term.roots if not written(root)]
        if missing:
            builder.add(*missing)
    for word in tokenizer.words(title):
        if is_word(word) and not written(word):
            builder.add(word)
    text = builder.text
    before, after = coverage(title, terms), coverage(text, terms)
    old = {w.casefold() for w in tokenizer.words(title)}
    new = [w for w in tokenizer.words(text) if is_word(w)]
    folded = text.casefold()
    return Suggestion(
        title=text, length=measure(text, unit), limit=limit, unit=unit, before=before, after=after,
        added_terms=tuple(t for t in after.covered if t not in set(before.covered)),
        added_words=tuple(w for w in new if w.casefold() not in old),
        dropped_words=tuple(dict.fromkeys(w for w in tokenizer.words(title) if is_word(w) and w.casefold() not in folded)))
