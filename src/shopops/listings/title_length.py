"""How long a text is by a platform's counting basis (docs/rules/listings.md#length).

Three bases exist: Taobao/Tmall count GBK-style bytes (an ASCII character 1, every other character 2: 30 汉字 =
60), Amazon's backend search terms count UTF-8 bytes (ü 2, 汉 3), the others count characters (code points).
Pure: no Django.
"""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    """A counting basis; the value is the JSON ``unit`` of a length."""

    GBK_BYTES = "gbk_bytes"
    UTF8_BYTES = "utf8_bytes"
    CHARACTERS = "characters"


def gbk_style_bytes(text: str) -> int:
    """ASCII 1, anything else 2 (the sellers' 30 汉字 = 60 字符 convention; full-width signs count 2 too)."""
    return 2 * len(text) - len(text.encode("ascii", "ignore"))  # = Σ (1 if ASCII else 2), without a loop


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def measure(text: str, unit: Unit) -> int:
    """The length of ``text`` in ``unit``."""
    if unit is Unit.GBK_BYTES:
        return gbk_style_bytes(text)
    if unit is Unit.UTF8_BYTES:
        return utf8_bytes(text)
    return len(text)


def cut_to(text: str, limit: int, unit: Unit) -> tuple[int, int]:
    """``(end, used)``: the longest prefix ``text[:end]`` that fits ``limit`` and its length (for the span of
    an over-long title: ``text[end:]`` is what does not fit)."""
    used = 0
    for index, ch in enumerate(text):
        size = measure(ch, unit)
        if used + size > limit:
            return index, used
        used += size
    return len(text), used
