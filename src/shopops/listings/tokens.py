"""Words of a product title: jieba's segmentation with the shop dictionary winning (docs/rules/listings.md#tokens).

jieba alone splits model numbers (``BZ-YQ1722`` → ``BZ`` / ``-`` / ``YQ1722``) and lets its own frequencies beat a
user word (jieba #14, #587). So the shop's protected words (brand words, model numbers, product terms) are cut
out first, longest first and case-insensitively, and kept whole; ASCII codes joined by ``-``/``_``/``.``/``/``
are kept whole too; jieba segments only the text between them. Pure: no Django. One jieba model per process,
loaded on first use (about half a second), shared by every shop: shop words never enter jieba's dictionary, so
one shop's words cannot change another's tokens.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import NamedTuple

import jieba

_CODE = r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)+"
_CHUNK = re.compile(r"\S+")
CHUNK_CACHE = 200_000  # words of this many distinct chunks are kept per tokenizer (then the cache starts over)
_lock = threading.Lock()
_model: jieba.Tokenizer | None = None


class Token(NamedTuple):
    """A word as written in the text (``text[start:end] == word``); ``protected``: from the shop dictionary or a
    model-number pattern, never split. (A named tuple: an audit makes millions, a frozen dataclass is slower.)"""

    word: str
    start: int
    end: int
    protected: bool = False


def _jieba() -> jieba.Tokenizer:
    """The process's jieba model, loaded once (thread-safe); its start-up chatter is not the user's business."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                jieba.setLogLevel(logging.WARNING)
                model = jieba.Tokenizer()
                model.initialize()
                _model = model
    return _model


class ShopTokenizer:
    """Segments titles of one shop: its protected words first, then jieba between them."""

    def __init__(self, protected: Iterable[str] = (), *, hmm: bool = True) -> None:
        """``hmm``: jieba's HMM guesses words missing from its dictionary (unknown names); the listing audit
        turns it off (a quarter of the time, and its rules read dictionary words, codes and shop words)."""
        self.hmm = hmm
        self._chunks: dict[str, list[tuple[str, int, int]]] = {}
        words = sorted({w.strip() for w in protected if w and w.strip()}, key=lambda w: (-len(w), w))
        self.protected: tuple[str, ...] = tuple(words)
        alternatives = [re.escape(w) for w in words] + [_CODE]
        self._pattern = re.compile("|".join(alternatives), re.IGNORECASE)

    def tokens(self, text: str) -> list[Token]:
        """Every non-blank word of ``text`` in order, with its span."""
        out: list[Token] = []
        position = 0
        for match in self._pattern.finditer(text):
            out.extend(self._segment(text, position, match.start()))
            out.append(Token(match.group(), match.start(), match.end(), protected=True))
            position = match.end()
        out.extend(self._segment(text, position, len(text)))
        return out

    def words(self, text: str) -> list[str]:
        """The words alone (for counting, sets and joins)."""
        return [token.word for token in self.tokens(text)]

    def _segment(self, text: str, start: int, end: int) -> list[Token]:
        """jieba on each whitespace-free chunk of ``text[start:end]``, remembered per chunk: jieba never joins
        words across whitespace, so chunk by chunk gives its words for the whole, and a chunk met again
        (keyword groups written with spaces: 保温杯 大容量 便携) costs a lookup."""
        out: list[Token] = []
        for match in _CHUNK.finditer(text, start, end):
            chunk = match.group()
            words = self._chunks.get(chunk)
            if words is None:
                if len(self._chunks) >= CHUNK_CACHE:
                    self._chunks.clear()
                words = self._chunks[chunk] = [
                    (word, begin, stop) for word, begin, stop in _jieba().tokenize(chunk, HMM=self.hmm)
                    if word.strip()]
            offset = match.start()
            out.extend(Token(word, offset + begin, offset + stop) for word, begin, stop in words)
        return out
