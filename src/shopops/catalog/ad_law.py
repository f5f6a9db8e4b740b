"""The 广告法 check (《广告法》 Art. 9(3) 极限词): which words of a text make an absolute claim, where they are
and why — the one home of the rule for every text a shop publishes (reply templates today; titles and detail
pages of listings later). The rule, its word lists and vectors: docs/rules/ad-law.md#matching.

Matching is a forward longest-match scan over one dictionary that holds the forbidden words *and* an
allow-list of ordinary words that merely contain one (最近, 第一步…): at each position the longest entry wins,
so "最近" is read as the allowed word and never as "最" + "近". (jieba is not installed here, so no word
segmenter is used; the dictionary scan is deterministic and needs no model.) Latin entries (NO.1, TOP1)
match case-insensitively, also in full-width letters, and only as whole tokens (TOP1 is not found in TOP10).
Pure: no Django; reasons are ``core.text`` messages said by the face.

``ad_law_token_findings`` is the same rule read on a text's words (a caller's segmentation, e.g. the listings
tokenizer with the shop dictionary): a finding is one word or a run of whole words, never part of a word and
never a protected word (a brand such as 最生活), docs/rules/ad-law.md#tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from shopops.core.text import Text, gettext_noop

# family code → (label, words); docs/rules/ad-law.md#families
FAMILIES: Mapping[str, tuple[Text, tuple[str, ...]]] = {
    "superlative": (gettext_noop("最-words (superlatives)"), (
        "最", "最佳", "最具", "最好", "最大", "最高", "最低", "最便宜", "最低价", "史上最低价", "最新", "最先进",
        "最受欢迎", "最时尚", "最强", "最优", "最牛", "最实惠", "最流行", "最舒适", "最安全", "最正宗")),
    "first": (gettext_noop("第一-words (rankings)"), (
        "第一", "中国第一", "全网第一", "销量第一", "排名第一", "唯一", "第一品牌", "NO.1", "NO1", "TOP1",
        "独一无二", "销冠", "全国第一", "世界第一", "行业第一")),
    "grade": (gettext_noop("级/极-words (grades)"), (
        "国家级", "国际级", "世界级", "最高级", "顶级", "顶尖", "极品", "极致", "终极", "至尊", "完美", "极佳",
        "宇宙级", "殿堂级")),
    "origin": (gettext_noop("首/家/国-words (firsts and endorsements)"), (
        "首个", "首选", "首发", "首家", "独家", "全国首发", "国家免检", "国家领导人推荐", "填补国内空白",
        "驰名商标", "全球首发", "独创")),
    "urgency": (gettext_noop("time pressure"), (
        "随时结束", "马上涨价", "仅此一次", "最后一波", "售罄", "再不抢就没了", "秒杀全网", "错过不再")),
    "absolute": (gettext_noop("absolutes"), (
        "万能", "绝对", "永久", "王牌", "领袖品牌", "绝无仅有", "史无前例", "百分百", "100%有效")),
}

# category code → (label, words): claims forbidden for goods of a category (health foods, cosmetics…), checked
# only when the caller names the category; docs/rules/ad-law.md#categories
CATEGORIES: Mapping[str, tuple[Text, tuple[str, ...]]] = {
    "health": (gettext_noop("health and food claims"), (
        "根治", "疗效", "治愈", "药到病除", "包治百病", "无副作用", "防癌", "抗癌", "延年益寿", "降血压", "降血糖",
        "降血脂", "治疗", "祛病")),
}

# ordinary words that contain a forbidden one (docs/rules/ad-law.md#allow-list)
ALLOWED: tuple[str, ...] = (
    "最近", "最初", "最终", "最后", "最早", "最晚", "最迟", "最少", "最多", "第一步", "第一次", "第一天",
    "第一时间", "第一件", "第一单", "第一批", "唯一性", "首选项", "绝对值", "永久性", "完美主义")

# 限时 is an urgency word unless a concrete time follows within this many characters (限时3天, 限时至11月11日)
TIMED = "限时"
TIMED_WINDOW = 6


@dataclass(frozen=True, slots=True)
class Finding:
    """A forbidden word as written in the text (``text[start:end] == word``), its family and why."""

    word: str
    family: str
    start: int
    end: int
    reason: Text


def _fold(ch: str) -> str:
    """One character → one character: full-width ASCII to half-width, letters to upper case (spans stay put)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        ch = chr(code - 0xFEE0)
    return ch.upper() if ch.isascii() else ch


def _dictionary(categories: Iterable[str], allow: Iterable[str]) -> dict[str, str | None]:
    """Folded entry → its family (``None``: allowed). Allowed words win over forbidden ones of the same text."""
    entries: dict[str, str | None] = {}
    for family, (_label, words) in FAMILIES.items():
        entries.update({"".join(map(_fold, w)): family for w in words})
    for category in categories:
        if category not in CATEGORIES:
            raise ValueError(f"unknown 广告法 category: {category!r}")
        entries.update({"".join(map(_fold, w)): category for w in CATEGORIES[category][1]})
    entries.update({"".join(map(_fold, w)): None for w in (*ALLOWED, *allow) if w})
    return entries


# ``_fold`` over a whole text in one call (the same mapping: full-width ASCII to half-width, ASCII upper case)
_FOLD_TABLE = {**{code: chr(code - 0xFEE0).upper() for code in range(0xFF01, 0xFF5F)},
               **{code: chr(code).upper() for code in range(ord("a"), ord("z") + 1)}}


def _fold_text(text: str) -> str:
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=64)
def _cached_dictionary(categories: tuple[str, ...], allow: frozenset[str],
                       ) -> tuple[dict[str, str | None], frozenset[str]]:
    """The dictionary of a (categories, allow-list) pair and the first characters of its entries (a word
    starting with none of them is passed at once), built once per process: audits call it per title."""
    entries = _dictionary(categories, allow)
    return entries, frozenset(entry[0] for entry in entries if entry) | {TIMED[0]}


def _latin_bounded(folded: str, start: int, end: int) -> bool:
    """A Latin entry is a whole token: no ASCII letter or digit touches it on either side."""
    if not folded[start:end].isascii():
        return True
    before = folded[start - 1] if start > 0 else ""
    after = folded[end] if end < len(folded) else ""
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _timed(text: str, end: int) -> bool:
    """限时 with a concrete time after it (a digit within ``TIMED_WINDOW`` characters) is allowed."""
    return any(ch.isdigit() for ch in text[end:end + TIMED_WINDOW])


def _reason(word: str, family: str) -> Text:
    label = FAMILIES[family][0] if family in FAMILIES else CATEGORIES[family][0]
    return gettext_noop("“%(word)s” is forbidden by the Advertising Law (%(family)s).", word=word, family=label)


def family_label(family: str) -> Text:
    """A family's or category's name, for faces that group findings."""
    return FAMILIES[family][0] if family in FAMILIES else CATEGORIES[family][0]


def ad_law_findings(text: str, categories: Iterable[str] = (), allow: Iterable[str] = ()) -> list[Finding]:
    """Every forbidden word of ``text`` in order, with its span; ``categories`` adds their claim lists
    (``CATEGORIES``), ``allow`` adds a shop's own allowed words to ``ALLOWED``."""
    entries = _dictionary(categories, allow)
    longest = max(map(len, entries))
    folded = _fold_text(text)
    findings: list[Finding] = []
    i = 0
    while i < len(folded):
        hit: tuple[int, str | None] | None = None
        for size in range(min(longest, len(folded) - i), 0, -1):
            piece = folded[i:i + size]
            if piece in entries and _latin_bounded(folded, i, i + size):
                hit = (size, entries[piece])
                break
        if hit is None and folded.startswith(TIMED, i) and not _timed(text, i + len(TIMED)):
            hit = (len(TIMED), "urgency")
        if hit is None:
            i += 1
            continue
        size, family = hit
        if family is not None:
            word = text[i:i + size]
            findings.append(Finding(word, family, i, i + size, _reason(word, family)))
        i += size
    return findings


TOKEN_RUN = 6  # the most words one entry may span (中国 + 第一, 史上 + 最低价…)


def ad_law_token_findings(text: str, tokens: Sequence[tuple[int, int, bool]], categories: Iterable[str] = (),
                          allow: Iterable[str] = ()) -> list[Finding]:
    """Every forbidden word of ``text`` that is a whole word or a run of whole words of ``tokens``
    (``(start, end, protected)`` in text order, blanks left out); a protected word is never (part of) a
    finding. At each word the longest run that is an entry wins, so an allowed word (最近, 第一步) hides the
    forbidden one it contains."""
    entries, starts = _cached_dictionary(tuple(sorted(categories)), frozenset(w for w in allow if w))
    folded = _fold_text(text)
    findings: list[Finding] = []
    i = 0
    while i < len(tokens):
        start, first_end, protected = tokens[i]
        if protected or folded[start] not in starts:
            i += 1
            continue
        hit: tuple[int, str | None] | None = None
        last = i
        while last + 1 < len(tokens) and last + 1 < i + TOKEN_RUN and not tokens[last + 1][2]:
            last += 1
        for j in range(last, i - 1, -1):
            piece = folded[start:tokens[j][1]]
            if piece in entries:
                hit = (j, entries[piece])
                break
        if hit is None and folded[start:first_end] == TIMED and not _timed(text, first_end):
            hit = (i, "urgency")
        if hit is None:
            i += 1
            continue
        j, family = hit
        if family is not None:
            end = tokens[j][1]
            word = text[start:end]
            findings.append(Finding(word, family, start, end, _reason(word, family)))
        i = j + 1
    return findings
