"""Pure rules for products and SKUs: what a valid SPU with SKUs looks like, before any write."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import heapq
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from shopops.core import roles
from shopops.core.domain import AmountTooLarge, CodeProblem, code_problem, describe_char, parse_amount
from shopops.core.errors import FieldError
from shopops.core.money import MoneyError
from shopops.core.text import Text, gettext_noop, listing

MAX_TITLE = 200
MAX_CATEGORY_CODE = 40  # catalog.Category.code
MAX_SKUS = 500
MAX_BRAND = 80
MAX_DESCRIPTION = 20000


@dataclass(frozen=True, slots=True)
class SkuInput:
    sku_code: str
    price: str | Decimal
    cost: str | Decimal
    attributes: dict[str, str] = field(default_factory=dict)
    barcode: str = ""


@dataclass(frozen=True, slots=True)
class ProductInput:
    spu_code: str
    title: str
    category: str
    skus: tuple[SkuInput, ...]
    brand: str = ""
    description: str = ""
    launched_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CleanSku:
    sku_code: str
    price_fen: int
    cost_fen: int
    attributes: dict[str, str]
    barcode: str


_MESSAGES = {
    "required": "必填 / required",
    "too_long": "太长 / too long",
    "too_large": "金额过大 / amount too large",
}


def _default_code_message(problem: CodeProblem) -> str:
    if problem.kind in _MESSAGES:
        return _MESSAGES[problem.kind]
    return f"编码只能含字母、数字和 - _ . / only letters, digits and - _ . in a code: {describe_char(problem.char)!r}"


def validate_product(
    data: ProductInput, messages: dict[str, str] | None = None,
    code_message: Callable[[CodeProblem], str] = _default_code_message,
) -> tuple[list[CleanSku], list[FieldError]]:
    """Check an SPU and its SKUs; return the cleaned SKUs and every problem found (field paths like skus[2].price).

    ``messages`` maps problem codes to text in the user's language and ``code_message`` says why a code is
    refused (services pass translated text). Codes follow the one rule of ``core.domain.code_problem``;
    prices and costs are bounded by ``core.domain.MAX_AMOUNT_FEN``.
    """
    text = {**_MESSAGES, **(messages or {})}
    errors: list[FieldError] = []
    problem = code_problem(data.spu_code)
    if problem:
        errors.append(FieldError("spu_code", code_message(problem)))
    title = (data.title or "").strip()
    if not title:
        errors.append(FieldError("title", text["required"]))
    elif len(title) > MAX_TITLE:
        errors.append(FieldError("title", text["too_long"]))
    if len(data.brand or "") > MAX_BRAND:
        errors.append(FieldError("brand", text["too_long"]))
    if len(data.description or "") > MAX_DESCRIPTION:
        errors.append(FieldError("description", text["too_long"]))
    if not (data.category or "").strip():
        errors.append(FieldError("category", text["required"]))
    if not data.skus:
        errors.append(FieldError("skus", text.get("no_skus", "至少一个 SKU / at least one SKU")))
    if len(data.skus) > MAX_SKUS:
        errors.append(FieldError("skus", text["too_long"]))
    clean: list[CleanSku] = []
    seen: set[str] = set()
    for index, sku in enumerate(data.skus):
        where = f"skus[{index}]"
        problem = code_problem(sku.sku_code)
        if problem:
            errors.append(FieldError(f"{where}.sku_code", code_message(problem)))
        elif sku.sku_code in seen:
            errors.append(FieldError(f"{where}.sku_code", text.get("duplicate", "重复 / duplicate")))
        seen.add(sku.sku_code)
        amounts = {}
        for name in ("price", "cost"):
            try:
                amounts[name] = parse_amount(getattr(sku, name))
            except AmountTooLarge:
                errors.append(FieldError(f"{where}.{name}", text["too_large"]))
            except MoneyError as exc:
                message = text.get("negative" if "negative" in str(exc) else "bad_money", str(exc))
                errors.append(FieldError(f"{where}.{name}", message))
        attributes = sku.attributes or {}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()):
            errors.append(FieldError(f"{where}.attributes", text.get("bad_attributes", "attributes")))
        if len(amounts) == 2 and not problem:
            clean.append(CleanSku(sku.sku_code, amounts["price"], amounts["cost"], dict(attributes),
                                  sku.barcode or ""))
    return clean, errors


def margin_rate(price_fen: int, cost_fen: int) -> float | None:
    """Gross margin rate 毛利率 = (price − cost) / price, a number in 0..1 (None when price is 0)."""
    if price_fen <= 0:
        return None
    return (price_fen - cost_fen) / price_fen


# ---------------------------------------------------------------- the category tree (类目)

MAX_CATEGORY_DEPTH = 5  # 一级 … 五级类目: the platforms' trees are at most four or five levels deep
MAX_CATEGORY_NAME = 80  # catalog.Category.name
PATH_SEPARATOR = " › "


@dataclass(frozen=True, slots=True)
class CategoryNode:
    """One category as the tree rules see it (ids, no records)."""

    id: int
    code: str
    name: str
    parent_id: int | None


def category_chain(nodes: Mapping[int, CategoryNode], node_id: int) -> list[CategoryNode]:
    """The node and its ancestors, root first. A loop in stored data (which the services never write) stops
    the walk instead of hanging it."""
    chain: list[CategoryNode] = []
    seen: set[int] = set()
    current: int | None = node_id
    while current is not None and current in nodes and current not in seen:
        seen.add(current)
        chain.append(nodes[current])
        current = nodes[current].parent_id
    chain.reverse()
    return chain


def category_path(nodes: Mapping[int, CategoryNode], node_id: int) -> str:
    """``服饰 › 女装 › 连衣裙``: the names from the root down to the node."""
    return PATH_SEPARATOR.join(node.name for node in category_chain(nodes, node_id))


def category_children(nodes: Mapping[int, CategoryNode]) -> dict[int | None, list[CategoryNode]]:
    """Children by parent id (None: the roots), each list by name then code."""
    children: dict[int | None, list[CategoryNode]] = {}
    for node in nodes.values():
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.name, n.code))
    return children


def category_tree_order(nodes: Mapping[int, CategoryNode]) -> list[tuple[CategoryNode, int]]:
    """Every node with its depth (1 for a root), parents before their children, siblings by name."""
    children = category_children(nodes)
    rows: list[tuple[CategoryNode, int]] = []
    seen: set[int] = set()
    stack: list[tuple[CategoryNode, int]] = [(n, 1) for n in reversed(children.get(None, []))]
    while stack:
        node, depth = stack.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        rows.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(node.id, [])))
    return rows


def _subtree_height(children: Mapping[int | None, list[CategoryNode]], node_id: int) -> int:
    """Levels in the subtree of ``node_id`` (1: the node alone)."""
    height, level = 0, [node_id]
    seen: set[int] = set()
    while level:
        height += 1
        seen.update(level)
        level = [c.id for parent in level for c in children.get(parent, []) if c.id not in seen]
    return height


def category_place_problem(
    nodes: Mapping[int, CategoryNode], node_id: int | None, parent_id: int | None
) -> Text | None:
    """Why the node (None: a new one) cannot sit under ``parent_id`` (None: at the top), or None when it can:
    no category under itself or its own subcategory, and at most ``MAX_CATEGORY_DEPTH`` levels."""
    if parent_id is None:
        depth_above = 0
    else:
        chain = category_chain(nodes, parent_id)
        if node_id is not None and node_id in {n.id for n in chain}:
            if node_id == parent_id:
                return gettext_noop("A category cannot be its own parent.")
            return gettext_noop("%(parent)s is inside %(name)s: a category cannot move under its own subcategory.",
                                parent=category_path(nodes, parent_id), name=nodes[node_id].name)
        depth_above = len(chain)
    height = 1 if node_id is None else _subtree_height(category_children(nodes), node_id)
    if depth_above + height > MAX_CATEGORY_DEPTH:
        return gettext_noop("Too deep: categories have at most %(max)s levels, and this would make %(levels)s.",
                            max=MAX_CATEGORY_DEPTH, levels=depth_above + height)
    return None


def category_name_problem(name: str) -> Text | None:
    """Why a category name is refused, or None."""
    if not (name or "").strip():
        return gettext_noop("This field is required.")
    if len(name.strip()) > MAX_CATEGORY_NAME:
        return gettext_noop("At most %(n)s characters.", n=MAX_CATEGORY_NAME)
    return None


# ---------------------------------------------------------------- changing many SKUs at once

MAX_BULK_SKUS = 1000  # SKUs in one bulk change (a page of the SKU list is 50)

# What each field of a SKU change needs beyond changing products: a price is a pricing decision, and only
# those who may see costs may set them.
SKU_FIELD_PERMISSIONS = {"price": roles.CHANGE_PRICES, "cost": roles.VIEW_COSTS, "active": roles.CHANGE_PRODUCTS}
SKU_FIELD_LABELS = {"price": gettext_noop("Price"), "cost": gettext_noop("Cost"), "active": gettext_noop("On sale")}


def sku_fields_denied(fields: set[str], has_perm: Callable[[str], bool]) -> Text | None:
    """Which fields of a SKU change (price, cost, active) this user may not set, as a message; None: all allowed."""
    denied = [SKU_FIELD_LABELS[name] for name, perm in SKU_FIELD_PERMISSIONS.items()
              if name in fields and not has_perm(perm)]
    return gettext_noop("You may not change: %(fields)s.", fields=listing(denied)) if denied else None


# ---------------------------------------------------------------- a listing's SKUs on a platform

MAX_PLATFORM_ID = 64  # catalog.ListingSku.platform_sku_id
LISTING_STATUSES = ("draft", "online", "offline")  # catalog.Listing.Status


@dataclass(frozen=True, slots=True)
class ListingSkuInput:
    """One SKU of a platform listing: our SKU code, the platform's SKU id (may be empty), its price there."""

    sku_code: str
    platform_sku_id: str = ""
    price: str | Decimal | None = None
    status: str = "online"


@dataclass(frozen=True, slots=True)
class CleanListingSku:
    sku_code: str
    platform_sku_id: str
    price_fen: int | None
    status: str


def validate_listing_skus(rows: Sequence[ListingSkuInput]) -> tuple[list[CleanListingSku], list[FieldError]]:
    """Check a listing's SKUs before any write: a platform SKU id at most once, prices as money, known statuses.
    Field paths are ``skus[i].field``; messages are English ``Text`` for the face to say."""
    errors: list[FieldError] = []
    clean: list[CleanListingSku] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        where = f"skus[{index}]"
        bad = len(errors)
        platform_id = (row.platform_sku_id or "").strip()
        sku_code = (row.sku_code or "").strip()
        key = platform_id or f"\0{sku_code}"  # without a platform id, a row is known by our SKU
        if len(platform_id) > MAX_PLATFORM_ID:
            errors.append(FieldError(f"{where}.platform_sku_id", gettext_noop("At most %(n)s characters.",
                                                                              n=MAX_PLATFORM_ID)))
        elif platform_id and key in seen:
            errors.append(FieldError(f"{where}.platform_sku_id",
                                     gettext_noop("The platform SKU id %(id)s is given twice.", id=platform_id)))
        elif sku_code and key in seen:
            errors.append(FieldError(f"{where}.sku_code", gettext_noop(
                "The SKU %(code)s is given twice without a platform SKU id.", code=sku_code)))
        seen.add(key)
        if not sku_code:
            errors.append(FieldError(f"{where}.sku_code", gettext_noop("This field is required.")))
        if row.status not in LISTING_STATUSES:
            errors.append(FieldError(f"{where}.status", gettext_noop("Unknown status: %(status)s.",
                                                                     status=row.status)))
        price_fen = None
        if row.price not in (None, ""):
            try:
                price_fen = parse_amount(row.price)
            except (AmountTooLarge, MoneyError):
                errors.append(FieldError(f"{where}.price", gettext_noop(
                    "Not an amount of money with at most two decimals.")))
        if len(errors) == bad:
            clean.append(CleanListingSku(sku_code, platform_id, price_fen, row.status))
    return clean, errors


# ---------------------------------------------------------------- SKU matching (商品对应关系)

MATCH_KEY_MAX = 255  # catalog.SkuMapping.match_key, orders.OrderLine.match_key
SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class LineIdentity:
    """What an order line says of its item, as the platform's export gives it: the seller's code (商家编码),
    the platform's item and SKU ids, the title and the spec text (商品属性/规格). SKU matching reads it."""

    seller_code: str = ""
    platform_item_id: str = ""
    platform_sku_id: str = ""
    title: str = ""
    spec: str = ""

    @property
    def key(self) -> str:
        return match_key(self)


def _squeeze(text: str) -> str:
    """Text compared as a key: full-width forms folded (NFKC), spaces collapsed, case ignored."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def match_key(line: LineIdentity) -> str:
    """The key an unmatched line is grouped and mapped by, within one channel account
    (docs/rules/sku-matching.md#match-key): the platform ids when the export has them (``id:ITEM:SKU``), else
    the seller's code (``code:CODE``), else the title and spec text (``title:TITLE|SPEC``; a long one is
    hashed). The same line always gives the same key, so a mapping made once matches every later import."""
    if line.platform_item_id or line.platform_sku_id:
        key = f"id:{line.platform_item_id.strip()}:{line.platform_sku_id.strip()}"
    elif line.seller_code.strip():
        key = f"code:{line.seller_code.strip()}"
    else:
        key = f"title:{_squeeze(line.title)}|{_squeeze(line.spec)}"
    if len(key) <= MATCH_KEY_MAX:
        return key
    return f"{key[:key.index(':')]}#{hashlib.sha256(key.encode()).hexdigest()}"


def new_sku_code(seller_code: str, key: str) -> str:
    """The code offered for a SKU made from unmatched lines: their seller code, else one derived from their
    match key (the same key always offers the same code)."""
    return seller_code.strip()[:64] or f"SKU-{hashlib.sha256(key.encode()).hexdigest()[:8].upper()}"


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1 (difflib's ratio over the squeezed characters: Chinese titles have no
    spaces to split words on, so characters are the unit)."""
    left, right = _squeeze(a).replace(" ", ""), _squeeze(b).replace(" ", "")
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


K = TypeVar("K")  # what a caller keys its texts by
ROUGH_SHORTLIST = 20  # candidates compared closely (difflib) after the rough bigram overlap


def _bigrams(text: str) -> frozenset[str]:
    flat = _squeeze(text).replace(" ", "")
    return frozenset(flat[i : i + 2] for i in range(len(flat) - 1)) if len(flat) > 1 else frozenset(flat)


def suggest(texts: Mapping[K, str], candidates: Sequence[tuple[int, str]], limit: int = SUGGESTIONS,
            floor: float = 0.2) -> dict[K, list[tuple[int, float]]]:
    """For each text, the ``limit`` candidates (id, text) most like it, best first, each at least ``floor``
    alike (:func:`similarity`). Candidates are first shortlisted by their shared character pairs (Dice), so a
    page of 200 lines against 5,000 SKUs is not a million difflib comparisons."""
    prepared = [(pk, other, _bigrams(other)) for pk, other in candidates]
    out: dict[K, list[tuple[int, float]]] = {}
    for key, text in texts.items():
        grams = _bigrams(text)
        rough = heapq.nlargest(ROUGH_SHORTLIST, (
            (2 * len(grams & theirs) / (len(grams) + len(theirs)), pk, other)
            for pk, other, theirs in prepared if grams and theirs and not grams.isdisjoint(theirs)))
        scored = [(pk, similarity(text, other)) for _rough, pk, other in rough]
        scored = [(pk, score) for pk, score in scored if score >= floor]
        scored.sort(key=lambda item: (-item[1], item[0]))
        out[key] = scored[:limit]
    return out
