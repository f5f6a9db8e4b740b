"""The listing rule sets: each platform's limits as versioned data (docs/rules/listings.md#rulesets).

Every number a rule checks lives here, with its source and whether a public source confirms it (``verified``);
the rules read the set and hard-code no limit. A change of a platform's rules is a new ``version`` (stored on
each audit, so an audit made under old rules can be told from one made under new rules). Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shopops.listings.title_length import Unit

# Amazon's decorative characters (US list, Seller Central YTR6SYGFA5E3EQC); docs/rules/listings.md#characters
AMAZON_DECORATIVE = frozenset("~!*$?_{}#<>|;^¬¦")
# English stop words exempt from Amazon's "same word at most twice" (docs/rules/listings.md#repeats)
EN_STOP_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with", "&"})
# Chinese function words a repeat of which wastes nothing worth flagging
ZH_STOP_WORDS = frozenset({"的", "和", "与", "及", "款", "新款", "/", "+", "-"})


@dataclass(frozen=True, slots=True)
class Limit:
    """A number a rule checks, where it comes from and whether a public source confirms it."""

    value: int
    source: str
    verified: bool = True


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """What a platform asks of its carousel (主图/轮播图) images."""

    min_side: Limit | None = None
    max_bytes: Limit | None = None
    square: bool = False
    max_main: Limit | None = None
    min_main: int = 1


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One platform's listing rules at one version."""

    channel: str
    version: str
    title_limit: Limit | None
    title_unit: Unit
    forbidden_chars: frozenset[str] = frozenset()
    no_emoji: bool = False
    max_word_repeats: int | None = None  # Amazon: a word at most twice (stop words exempt)
    flag_repeated_tokens: bool = True  # Chinese platforms: a repeated token wastes title budget
    backend_terms_limit: Limit | None = None
    images: ImageSpec = field(default_factory=ImageSpec)
    wants_white: bool = False
    wants_video: bool = False
    min_detail: int = 0
    # category code (or "*" for any) → attribute names a listing of it must carry
    required_attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # component → weight of the score (docs/rules/listings.md#score)
    weights: Mapping[str, int] = field(default_factory=dict)


_CN_WEIGHTS = {"title": 30, "compliance": 30, "attributes": 15, "media": 15, "images": 10}
_AMAZON_WEIGHTS = {"title": 35, "compliance": 25, "attributes": 15, "media": 15, "images": 10}
_CN_ATTRIBUTES = {"*": ("brand",)}
_TAOBAO_TITLE = Limit(60, "taobao.item.add: 宝贝标题不能超过30字符 (30 汉字 = 60)")
_TAOBAO_IMAGES = ImageSpec(min_side=Limit(800, "淘宝/天猫 主图规范: 800×800 以上可放大 (operators' convention)",
                                          verified=False),
                           max_bytes=Limit(3 * 1024 * 1024, "淘宝图片空间上传上限 3 MB (operators' convention)",
                                           verified=False),
                           square=True, max_main=Limit(5, "淘宝/天猫 主图 5 张", verified=False))

RULESETS: Mapping[str, RuleSet] = {
    "tmall": RuleSet("tmall", "tmall-2026.1", _TAOBAO_TITLE, Unit.GBK_BYTES, images=_TAOBAO_IMAGES,
                     wants_white=True, wants_video=True, min_detail=3, required_attributes=_CN_ATTRIBUTES,
                     weights=_CN_WEIGHTS),
    "taobao": RuleSet("taobao", "taobao-2026.1", _TAOBAO_TITLE, Unit.GBK_BYTES, images=_TAOBAO_IMAGES,
                      wants_white=True, wants_video=False, min_detail=3, required_attributes=_CN_ATTRIBUTES,
                      weights=_CN_WEIGHTS),
    "douyin": RuleSet(
        "douyin", "douyin-2026.1", Limit(30, "抖店 product/addV2 name: 最多30个字符, 不能含emoj表情"),
        Unit.CHARACTERS, no_emoji=True,
        images=ImageSpec(min_side=Limit(600, "抖店 product/addV2 pic: 主图 ≥600×600"),
                         max_bytes=Limit(1024 * 1024, "抖店 product/addV2 pic: ≤1 MB"),
                         square=False, max_main=Limit(5, "抖店 product/addV2 pic: ≤5 张轮播图")),
        wants_white=True, wants_video=True, min_detail=1, required_attributes=_CN_ATTRIBUTES, weights=_CN_WEIGHTS),
    "pdd": RuleSet(
        "pdd", "pdd-2026.1", Limit(60, "pdd.goods.add goods_name: no length in the API doc; 30 汉字 by sellers' "
                                       "convention", verified=False),
        Unit.GBK_BYTES,
        images=ImageSpec(min_side=Limit(480, "pdd.goods.add carousel_gallery: 1:1, ≥480 px"),
                         max_bytes=Limit(1024 * 1024, "pdd.goods.add carousel_gallery: ≤1 MB"), square=True,
                         max_main=Limit(10, "pdd.goods.add carousel_gallery", verified=False)),
        wants_white=True, min_detail=1, required_attributes=_CN_ATTRIBUTES, weights=_CN_WEIGHTS),
    "jd": RuleSet(
        "jd", "jd-2026.1", Limit(90, "京东 title limit not found in public sources (short title: 品牌名+产品词+规格)",
                                 verified=False),
        Unit.CHARACTERS,
        images=ImageSpec(min_side=Limit(800, "京东主图 800×800 (operators' convention)", verified=False),
                         square=True),
        wants_white=True, min_detail=1, required_attributes=_CN_ATTRIBUTES, weights=_CN_WEIGHTS),
    "xiaohongshu": RuleSet(
        "xiaohongshu", "xiaohongshu-2026.1", Limit(20, "小红书 笔记标题 20 字 (not found in a public listing API doc)",
                                                   verified=False),
        Unit.CHARACTERS, images=ImageSpec(), required_attributes=_CN_ATTRIBUTES, weights=_CN_WEIGHTS),
    "amazon": RuleSet(
        "amazon", "amazon-2026.1", Limit(200, "Seller Central 200390640: ≤200 characters incl. spaces"),
        Unit.CHARACTERS, forbidden_chars=AMAZON_DECORATIVE, no_emoji=True, max_word_repeats=2,
        flag_repeated_tokens=False,
        backend_terms_limit=Limit(249, "Seller Central G23501: search terms less than 250 bytes"),
        images=ImageSpec(min_side=Limit(1000, "Amazon product image requirements: 1000 px for zoom",
                                        verified=False)),
        wants_white=True, min_detail=0, required_attributes={"*": ("brand",)}, weights=_AMAZON_WEIGHTS),
}

# channels without rules of their own (own site, Shopify, WeCom): characters, no hard limit
GENERIC = RuleSet("generic", "generic-2026.1", None, Unit.CHARACTERS, images=ImageSpec(),
                  flag_repeated_tokens=True, weights=_CN_WEIGHTS)


def rule_set(channel: str) -> RuleSet:
    """The current rule set of a channel (the generic one for a channel with no platform rules)."""
    return RULESETS.get(channel, GENERIC)


def required_attributes(rules: RuleSet, category: str) -> tuple[str, ...]:
    """Attributes a listing of ``category`` must carry on this platform: the category's own, else ``"*"``."""
    return rules.required_attributes.get(category, rules.required_attributes.get("*", ()))
