"""Competitor tracking's pure rules (docs/rules/listings.md#competitors): what counts as a change of a rival
item between two observations, the title diff by words, the image-change threshold and the price band.

Pure: no Django. The services feed it observations in date order and keep the ``Seen`` state per item, so a
change is reported once: the observation that brings it, never again for the same or an older date."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from shopops.listings.title_diff import word_diff
from shopops.listings.tokens import ShopTokenizer

# Hamming distance (of 64 bits) at or under which two perceptual hashes are the same picture: a resized or
# re-encoded copy moves a few bits, another picture about half of them (docs/rules/listings.md#competitors).
PHASH_SAME_MAX = 10


@dataclass(frozen=True)
class Observation:
    """A rival item on a date: imported (lake) or hand-entered. Prices in fen; None: not known."""

    date: dt.date
    title: str = ""
    price_fen: int | None = None
    promo_price_fen: int | None = None
    sales_estimate: int | None = None
    reviews: int | None = None
    rank: int | None = None
    source: str = "import"  # "import" | "manual"

    @property
    def effective_fen(self) -> int | None:
        """What a buyer pays: the promotion price when known (到手价), else the price."""
        return self.promo_price_fen if self.promo_price_fen is not None else self.price_fen


@dataclass(frozen=True)
class Seen:
    """The last observation processed for an item (the detection's cursor)."""

    date: dt.date | None = None
    title: str = ""
    price_fen: int | None = None
    promo_fen: int | None = None
    below_price: bool = False
    below_floor: bool = False


@dataclass(frozen=True)
class Change:
    """One change: ``kind`` below_price | below_floor | promo | title | image; ``detail`` what changed."""

    date: dt.date
    kind: str
    detail: dict


@dataclass(frozen=True)
class Ours:
    """Our side of the comparison: our lowest price of the rivalled listings and our price floor (fen)."""

    price_fen: int | None = None
    floor_fen: int | None = None


def title_diff(before: str, after: str, tokenizer: ShopTokenizer) -> dict[str, list[str]]:
    """The words added and removed between two titles (a word twice counts twice), in title order: the same
    word diff as our own titles' history (``title_diff.word_diff``)."""
    diff = word_diff(tokenizer.words(before), tokenizer.words(after))
    return {"added": list(diff.added), "removed": list(diff.removed)}


def changes(seen: Seen, observations: Iterable[Observation], ours: Ours,
            tokenizer: ShopTokenizer) -> tuple[Seen, list[Change]]:
    """The changes the observations newer than ``seen.date`` bring, in date order, and the new cursor.

    Below our price / floor fire when the rival's 到手价 goes below (not again while it stays below; again
    after it came back up); a promotion when a promo price appears or drops; a title change when the title
    differs from the last one seen. The first observation of an item sets the baseline: only the below
    conditions can fire on it (there is no earlier promotion or title to compare)."""
    found: list[Change] = []
    for obs in sorted(observations, key=lambda o: o.date):
        if seen.date is not None and obs.date <= seen.date:
            continue
        first = seen.date is None
        title, promo = seen.title, seen.promo_fen
        if obs.title and not first and seen.title and obs.title != seen.title:
            found.append(Change(obs.date, "title", {"before": seen.title, "after": obs.title,
                                                    **title_diff(seen.title, obs.title, tokenizer)}))
        if obs.title:
            title = obs.title
        if obs.promo_price_fen is not None and not first and (promo is None or obs.promo_price_fen < promo):
            found.append(Change(obs.date, "promo", {"before": promo, "after": obs.promo_price_fen,
                                                    "price": obs.price_fen}))
        promo = obs.promo_price_fen
        paid = obs.effective_fen
        below_price = _below(paid, ours.price_fen, seen.below_price)
        below_floor = _below(paid, ours.floor_fen, seen.below_floor)
        if below_price and not seen.below_price:
            found.append(Change(obs.date, "below_price", {"theirs": paid, "ours": ours.price_fen}))
        if below_floor and not seen.below_floor:
            found.append(Change(obs.date, "below_floor", {"theirs": paid, "floor": ours.floor_fen}))
        seen = replace(seen, date=obs.date, title=title, price_fen=obs.price_fen, promo_fen=promo,
                       below_price=below_price, below_floor=below_floor)
    return seen, found


def _below(paid: int | None, limit: int | None, was: bool) -> bool:
    """Whether the rival is below ``limit`` now; an unknown price keeps the previous state (no flapping)."""
    if paid is None or limit is None:
        return was
    return paid < limit


def image_changed(previous_hash: str, new_hash: str) -> tuple[bool, int | None]:
    """Whether a new main image is another picture than the previous one (hex perceptual hashes), and the
    Hamming distance; the first image of an item is no change."""
    if not previous_hash:
        return False, None
    distance = hamming(previous_hash, new_hash)
    return distance > PHASH_SAME_MAX, distance


def hamming(first: str, second: str) -> int:
    """Bits that differ between two hex hashes of the same length."""
    return bin(int(first, 16) ^ int(second, 16)).count("1")


def price_band(prices: Sequence[int]) -> dict[str, int] | None:
    """Min, median (rounded down to the fen) and max of the rivals' current prices; None without rivals."""
    if not prices:
        return None
    ordered = sorted(prices)
    return {"min": ordered[0], "median": int(statistics.median_low(ordered)) if len(ordered) % 2 else
            (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) // 2, "max": ordered[-1],
            "count": len(ordered)}
