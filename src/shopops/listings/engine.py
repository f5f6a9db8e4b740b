"""The listing rule engine: every rule of a platform's rule set over one listing, with a score
(docs/rules/listings.md#engine). Built once per audit with the shop dictionary (tokenizer compiled once); the
words and title findings of a title are cached, so a title shared by many listings is read once. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopops.core.text import gettext_noop
from shopops.core.tuning import no_cyclic_gc
from shopops.listings import media_rules, title_rules
from shopops.listings.media import media_items
from shopops.listings.problems import SEVERITY_RANK, Problem, Severity
from shopops.listings.rulesets import RuleSet, required_attributes, rule_set
from shopops.listings.score import score
from shopops.listings.title_length import measure
from shopops.listings.tokens import ShopTokenizer, Token

PROTECTED_KINDS = ("brand", "model", "term")
TITLE_COMPONENTS = ("title", "compliance")


@dataclass(frozen=True, slots=True)
class ListingFacts:
    """What the engine reads of one listing (filled by the audit service from the catalog)."""

    listing_id: int
    channel: str
    title: str
    keywords: Sequence[str] = ()
    media: Any = None
    category: str = ""
    ad_categories: Sequence[str] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The audit of one listing: its score, the problems worst first, the score's components."""

    listing_id: int
    channel: str
    title: str
    score: int
    problems: list[Problem]
    components: dict[str, dict[str, int]]
    rules_version: str


class RuleEngine:
    """The rules with one shop's dictionary (kind → words: brand/model/term protected, rival_brand, allowed)."""

    def __init__(self, dictionary: Mapping[str, Iterable[str]] | None = None, image_root: Path | None = None,
                 ) -> None:
        words = dictionary or {}
        self.tokenizer = ShopTokenizer((w for kind in PROTECTED_KINDS for w in words.get(kind, ())), hmm=False)
        self.rivals = tuple(sorted({w for w in words.get("rival_brand", ()) if w}))
        self.allowed = frozenset(w for w in words.get("allowed", ()) if w)
        self._read = media_rules.file_inspector(image_root)
        self._tokens: dict[str, list[Token]] = {}
        self._title: dict[tuple[str, str, tuple[str, ...]], list[Problem]] = {}

    def tokens(self, title: str) -> list[Token]:
        """The title's words (cached per distinct title)."""
        found = self._tokens.get(title)
        if found is None:
            found = self._tokens[title] = self.tokenizer.tokens(title)
        return found

    def title_problems(self, title: str, rules: RuleSet, ad_categories: Sequence[str] = ()) -> list[Problem]:
        """Every rule on the title (cached per platform and title)."""
        key = (rules.version, title, tuple(ad_categories))
        found = self._title.get(key)
        if found is None:
            tokens = self.tokens(title)
            found = [*title_rules.title_length(title, rules), *title_rules.forbidden_characters(title, rules),
                     *title_rules.repeated_words(tokens, rules),
                     *title_rules.rival_brands(title, tokens, self.rivals),
                     *title_rules.ad_law(title, tokens, ad_categories, self.allowed)]
            self._title[key] = found
        return found

    def check(self, channel: str, title: str) -> tuple[int, list[Problem], dict[str, Any]]:
        """A title alone (``shopops listings check``): its score over title and compliance, problems, length."""
        rules = rule_set(channel)
        problems = _ordered(self.title_problems(title, rules))
        value, _components = score(problems, rules.weights, TITLE_COMPONENTS)
        length = {"value": measure(title, rules.title_unit),
                  "limit": rules.title_limit.value if rules.title_limit else None, "unit": str(rules.title_unit)}
        return value, problems, length

    def audit(self, facts: ListingFacts) -> Verdict:
        """Every rule of the listing's platform over the listing."""
        rules = rule_set(facts.channel)
        items = media_items(facts.media)
        problems = [*self.title_problems(facts.title, rules, facts.ad_categories),
                    *title_rules.backend_terms(facts.keywords, rules),
                    *missing_attributes(required_attributes(rules, facts.category), facts.attributes),
                    *media_rules.completeness(items, rules), *media_rules.image_checks(items, rules, self._read)]
        problems = _ordered(problems)
        value, components = score(problems, rules.weights)
        return Verdict(facts.listing_id, facts.channel, facts.title, value, problems, components, rules.version)


def audit_many(engine: RuleEngine, facts: Iterable[ListingFacts]) -> list[Verdict]:
    """``engine.audit`` over a batch of listings (the audit service and the benchmark call this), the cyclic
    collector paused: the rules make no reference cycles, and its full passes over the growing title caches were
    most of a large audit's time (``core.tuning``). No collection after it: the batch made no cycles to free (a
    caller running many batches pauses the collector around all of them and collects once)."""
    with no_cyclic_gc(collect=False):
        return [engine.audit(one) for one in facts]


def missing_attributes(required: Iterable[str], present: Mapping[str, str]) -> list[Problem]:
    """Attributes the platform requires for the category that the product does not carry (brand, material…): a
    warning, as the per-category tables are not public (docs/rules/listings.md#attributes)."""
    return [Problem("required_attribute", Severity.WARNING, gettext_noop(
        "The attribute “%(name)s” is required and missing.", name=name), name)
        for name in required if not str(present.get(name) or "").strip()]


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Worst first, then in title order."""
    return sorted(problems, key=lambda p: (SEVERITY_RANK[p.severity], p.start if p.start is not None else 10**6))
