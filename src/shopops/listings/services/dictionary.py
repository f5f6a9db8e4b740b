"""The shop dictionary's writes (店铺词库). A stand-in with the signature of the title-editing part's
``dictionary_word_add`` (that version, with its checks, replaces this one on merge): the demo seeds its words here."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop
from shopops.listings.models import ShopWord


@transaction.atomic
def dictionary_word_add(*, shop: Shop, word: str, kind: str, note: str = "") -> ShopWord:
    """Add one word of ``kind``; a word already in the dictionary is refused."""
    errors = ErrorCollector()
    word = (word or "").strip()
    if not word or len(word) > 60:
        errors.add("word", _("Expected text of 1 to 60 characters."))
    if kind not in ShopWord.Kind.values:
        errors.add("kind", _("Expected one of %(kinds)s.") % {"kinds": ", ".join(ShopWord.Kind.values)})
    if word and ShopWord.objects.filter(shop=shop, word__iexact=word).exists():
        errors.add("word", _("This word is already in the dictionary."))
    errors.raise_if_any(_("The word was not added."))
    return ShopWord.objects.create(shop=shop, word=word, kind=kind, note=(note or "").strip())
