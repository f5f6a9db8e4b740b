"""Writes of the shop dictionary (店铺词库, docs/rules/listings.md#dictionary): one word, a word's removal, and
many words pasted as lines — ``word`` or ``word,kind`` — all or nothing, every bad line named with why."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.errors import ErrorCollector, NotFound
from shopops.core.models import Shop
from shopops.listings.models import ShopWord

MAX_WORD = 60  # ShopWord.word
MAX_LINES = 2000
SEPARATORS = (",", "，", "\t")
# what an operator may write for a kind besides its code: the page's Chinese names and common synonyms
KIND_ALIASES = {
    "品牌": ShopWord.Kind.BRAND, "本店品牌": ShopWord.Kind.BRAND, "自有品牌": ShopWord.Kind.BRAND,
    "型号": ShopWord.Kind.MODEL, "货号": ShopWord.Kind.MODEL,
    "产品词": ShopWord.Kind.TERM, "品类词": ShopWord.Kind.TERM, "核心词": ShopWord.Kind.TERM,
    "他人品牌": ShopWord.Kind.RIVAL_BRAND, "竞品品牌": ShopWord.Kind.RIVAL_BRAND,
    "允许词": ShopWord.Kind.ALLOWED, "白名单": ShopWord.Kind.ALLOWED,
}


@dataclass(frozen=True, slots=True)
class BulkAdded:
    added: int
    unchanged: int  # already in the dictionary with the same kind
    words: tuple[ShopWord, ...] = ()  # the words added


def kind_of(text: str) -> str | None:
    """The kind code of what an operator wrote (a code, a label in the page's language, or a Chinese name)."""
    value = text.strip()
    if value in ShopWord.Kind.values:
        return value
    if value in KIND_ALIASES:
        return str(KIND_ALIASES[value])
    for code, label in ShopWord.Kind.choices:
        if value.casefold() == str(label).casefold():
            return str(code)
    return None


def _word_problem(word: str) -> str | None:
    if not word:
        return _("the word is empty")
    if len(word) > MAX_WORD:
        return _("the word is longer than %(n)s characters") % {"n": MAX_WORD}
    if any(sep in word for sep in SEPARATORS) or "\n" in word:
        return _("a word cannot contain a comma")
    return None


def _existing(shop: Shop) -> dict[str, ShopWord]:
    return {w.word.casefold(): w for w in ShopWord.objects.select_for_update().filter(shop=shop)}


def _kind_label(kind: str) -> str:
    return str(ShopWord.Kind(kind).label)


@transaction.atomic
def dictionary_word_add(*, shop: Shop, word: str, kind: str, note: str = "") -> ShopWord:
    """Add one word of ``kind``; a word already in the dictionary (any letter case) is refused, saying as what."""
    errors = ErrorCollector()
    word = (word or "").strip()
    problem = _word_problem(word)
    if problem:
        errors.add("word", problem[:1].upper() + problem[1:] + ".")
    code = kind_of(kind or "")
    if code is None:
        errors.add("kind", _("Choose a kind of word."))
    if len(note or "") > 200:
        errors.add("note", _("At most %(n)s characters.") % {"n": 200})
    if not problem:
        same = _existing(shop).get(word.casefold())
        if same is not None:
            errors.add("word", _("“%(word)s” is already in the dictionary as %(kind)s.")
                       % {"word": same.word, "kind": _kind_label(same.kind)})
    errors.raise_if_any(_("The word was not added."))
    assert code is not None
    return ShopWord.objects.create(shop=shop, word=word, kind=code, note=(note or "").strip())


@transaction.atomic
def dictionary_word_remove(*, shop: Shop, pk: int) -> None:
    """Remove one word of the shop's dictionary (another shop's is as absent as a missing one)."""
    deleted, _rows = ShopWord.objects.filter(shop=shop, pk=pk).delete()
    if not deleted:
        raise NotFound(_("No such word in the dictionary."))


def _split(line: str) -> tuple[str, str | None, bool]:
    """``(word, kind text or None, too many separators)`` of one pasted line."""
    for sep in SEPARATORS:
        line = line.replace(sep, ",")
    parts = [p.strip() for p in line.split(",")]
    if len(parts) == 1:
        return parts[0], None, False
    return parts[0], parts[1], len(parts) > 2


@transaction.atomic
def dictionary_words_paste(*, shop: Shop, text: str, default_kind: str = ShopWord.Kind.TERM) -> BulkAdded:
    """Add the words of pasted lines, ``word`` (of ``default_kind``) or ``word,kind``; blank lines are skipped.
    All or nothing: any bad line — an empty or too long word, an unknown kind, a word twice in the paste with
    two kinds, a word the dictionary has as another kind — names its line number and why, and nothing is
    saved. A word already there with the same kind is left as it is (pasting the same list twice adds none)."""
    errors = ErrorCollector()
    default = kind_of(default_kind or "")
    if default is None:
        errors.add("kind", _("Choose a kind of word."))
        default = ShopWord.Kind.TERM
    lines = (text or "").splitlines()
    if len(lines) > MAX_LINES:
        errors.add("lines", _("At most %(n)s lines at a time.") % {"n": MAX_LINES})
        errors.raise_if_any(_("No word was added."))
    stored = _existing(shop)
    seen: dict[str, tuple[int, str]] = {}
    new: list[ShopWord] = []
    unchanged = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        word, kind_text, extra = _split(raw)
        code = default if kind_text is None else kind_of(kind_text)
        problem = (_word_problem(word) or
                   (_("write “word” or “word,kind”") if extra else None) or
                   (_("unknown kind “%(kind)s”") % {"kind": (kind_text or "")[:20]} if code is None else None))
        key = word.casefold()
        if problem is None and key in seen and seen[key][1] != code:
            problem = _("the same word is on line %(line)s as another kind") % {"line": seen[key][0]}
        if problem is None and key in stored and stored[key].kind != code:
            problem = _("already in the dictionary as %(kind)s") % {"kind": _kind_label(stored[key].kind)}
        if problem is not None:
            errors.add("lines", _("Line %(line)s (“%(text)s”): %(why)s.")
                       % {"line": number, "text": raw.strip()[:40], "why": problem}, row=number)
            continue
        assert code is not None
        if key in seen:
            continue
        seen[key] = (number, code)
        if key in stored:
            unchanged += 1
        else:
            new.append(ShopWord(shop=shop, word=word, kind=code))
    if not errors.errors and not new and not unchanged:
        errors.add("lines", _("Paste at least one word."))
    errors.raise_if_any(_("No word was added: please correct the lines below."))
    created = ShopWord.objects.bulk_create(new)
    return BulkAdded(added=len(created), unchanged=unchanged, words=tuple(created))
