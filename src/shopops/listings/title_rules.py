"""The rules on a listing's words: title length, forbidden characters, repeated words, other brands' names and
the 广告法 极限词 (docs/rules/listings.md#title-rules). Each reads its limits from the platform's rule set and
returns ``Problem``s located in the title. Pure: no Django.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from shopops.catalog.ad_law import ad_law_token_findings
from shopops.core.text import gettext_noop
from shopops.listings.problems import Problem, Severity
from shopops.listings.rulesets import EN_STOP_WORDS, ZH_STOP_WORDS, RuleSet
from shopops.listings.title_length import Unit, cut_to, measure
from shopops.listings.tokens import Token

# pictographs, dingbats, flags, variation selector 16 and the zero-width joiner (docs/rules/listings.md#characters)
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F\u200D]")
_WORD = re.compile(r"\w", re.UNICODE)
UNDER_USED = 0.7  # a Chinese title using less than this share of its budget leaves search words unused

UNIT_LABELS = {Unit.GBK_BYTES: gettext_noop("bytes (汉字 count 2)"), Unit.UTF8_BYTES: gettext_noop("UTF-8 bytes"),
               Unit.CHARACTERS: gettext_noop("characters")}


def title_length(title: str, rules: RuleSet) -> list[Problem]:
    """Over the limit: the part that does not fit is the span (an unverified limit only warns); far under it on a
    byte-counted platform: unused search budget."""
    limit = rules.title_limit
    if limit is None:
        return []
    length = measure(title, rules.title_unit)
    if length > limit.value:
        end, _used = cut_to(title, limit.value, rules.title_unit)
        severity = Severity.ERROR if limit.verified else Severity.WARNING
        return [Problem("title_length", severity, gettext_noop(
            "The title is %(length)s %(unit)s long; the limit is %(limit)s.", length=length,
            unit=UNIT_LABELS[rules.title_unit], limit=limit.value), title[end:], end, len(title))]
    if rules.title_unit is Unit.GBK_BYTES and length < limit.value * UNDER_USED:
        return [Problem("title_short", Severity.INFO, gettext_noop(
            "The title uses %(length)s of %(limit)s %(unit)s: room for more search words.", length=length,
            limit=limit.value, unit=UNIT_LABELS[rules.title_unit]))]
    return []


@lru_cache(maxsize=32)
def _refused(forbidden: frozenset[str], no_emoji: bool) -> re.Pattern[str] | None:
    """One pattern of the characters a rule set refuses (None: it refuses none), so a title is scanned by the
    regex engine instead of character by character in Python."""
    alternatives = ([f"[{''.join(re.escape(ch) for ch in sorted(forbidden) if len(ch) == 1)}]"] if forbidden else []) + (
        [EMOJI.pattern] if no_emoji else [])
    return re.compile("|".join(alternatives)) if alternatives else None


def forbidden_characters(title: str, rules: RuleSet) -> list[Problem]:
    """Characters the platform refuses: Amazon's decorative signs, emoji on 抖店 and Amazon."""
    pattern = _refused(rules.forbidden_chars, rules.no_emoji)
    if pattern is None:
        return []
    out: list[Problem] = []
    for match in pattern.finditer(title):
        ch, index = match.group(), match.start()
        if ch in rules.forbidden_chars:
            out.append(Problem("forbidden_character", Severity.ERROR, gettext_noop(
                "“%(char)s” is not allowed in a title here.", char=ch), ch, index, index + 1))
        else:
            out.append(Problem("emoji", Severity.ERROR, gettext_noop(
                "Emoji are not allowed in a title here."), ch, index, index + 1))
    return out


def repeated_words(tokens: Sequence[Token], rules: RuleSet) -> list[Problem]:
    """Amazon: a word more than ``max_word_repeats`` times (stop words exempt); Chinese platforms: every repeat
    of a word of two or more characters spends budget on nothing (one search word counts once)."""
    seen: Counter[str] = Counter()
    out: list[Problem] = []
    for token in tokens:
        key = token.word.casefold()
        if not _WORD.search(key) or key in EN_STOP_WORDS or key in ZH_STOP_WORDS:
            continue
        seen[key] += 1
        if rules.max_word_repeats is not None:
            if seen[key] == rules.max_word_repeats + 1:
                out.append(Problem("repeated_word", Severity.ERROR, gettext_noop(
                    "“%(word)s” appears more than %(times)s times.", word=token.word,
                    times=rules.max_word_repeats), token.word, token.start, token.end))
        elif rules.flag_repeated_tokens and seen[key] == 2 and len(key) >= 2 and not key.isdigit():
            out.append(Problem("repeated_word", Severity.WARNING, gettext_noop(
                "“%(word)s” is repeated: a word counts once in search, the repeat wastes title length.",
                word=token.word), token.word, token.start, token.end))
    return out


def rival_brands(title: str, tokens: Sequence[Token], rivals: Iterable[str]) -> list[Problem]:
    """Another brand's name in our title (品牌词滥用): found case-insensitively, never inside our protected words."""
    folded = title.casefold()
    protected = [(t.start, t.end) for t in tokens if t.protected]
    out: list[Problem] = []
    for rival in rivals:
        key = rival.casefold()
        start = folded.find(key)
        while start >= 0 and key:
            end = start + len(key)
            inside = any(s <= start and end <= e and (s, e) != (start, end) for s, e in protected)
            if not inside:
                out.append(Problem("rival_brand", Severity.ERROR, gettext_noop(
                    "“%(word)s” is another brand's name.", word=title[start:end]), title[start:end], start, end))
            start = folded.find(key, end)
    return out


def ad_law(title: str, tokens: Sequence[Token], categories: Iterable[str], allow: Iterable[str]) -> list[Problem]:
    """广告法 极限词 on the title's words (``catalog.ad_law``, docs/rules/ad-law.md#tokens)."""
    spans = [(t.start, t.end, t.protected) for t in tokens]
    return [Problem("ad_law", Severity.ERROR, finding.reason, finding.word, finding.start, finding.end)
            for finding in ad_law_token_findings(title, spans, categories, allow)]


def backend_terms(keywords: Sequence[str], rules: RuleSet) -> list[Problem]:
    """Amazon backend search terms: the field is the words joined by spaces, at most 249 UTF-8 bytes."""
    limit = rules.backend_terms_limit
    if limit is None or not keywords:
        return []
    text = " ".join(str(k) for k in keywords)
    length = measure(text, Unit.UTF8_BYTES)
    if length <= limit.value:
        return []
    end, _used = cut_to(text, limit.value, Unit.UTF8_BYTES)
    return [Problem("backend_terms_length", Severity.ERROR, gettext_noop(
        "The backend search terms are %(length)s UTF-8 bytes; the limit is %(limit)s.", length=length,
        limit=limit.value), text[end:])]
