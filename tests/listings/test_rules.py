"""The listing rules one by one, each with its source (docs/rules/listings.md) and the issue's vectors."""

from __future__ import annotations

import pytest

from shopops.catalog.ad_law import ad_law_findings, ad_law_token_findings
from shopops.listings import media_rules, title_rules
from shopops.listings.engine import ListingFacts, RuleEngine, missing_attributes
from shopops.listings.media import media_items
from shopops.listings.problems import Severity
from shopops.listings.rulesets import RULESETS, rule_set
from shopops.listings.score import score
from shopops.listings.title_length import Unit, measure
from shopops.listings.tokens import ShopTokenizer

ENGINE = RuleEngine({"brand": ("最生活",), "model": ("BZ-YQ1722",), "rival_brand": ("小米",)})


def rules_of(problems) -> list[str]:
    return [p.rule for p in problems]


# docs/rules/listings.md#length ------------------------------------------------------------------------------

def test_the_taobao_vector_counts_22_bytes_and_fits():
    value, problems, length = ENGINE.check("taobao", "2024新款iPhone15手机壳")
    assert length == {"value": 22, "limit": 60, "unit": "gbk_bytes"}
    assert "title_length" not in rules_of(problems)


def test_31_hanzi_count_62_and_are_rejected_at_60_with_the_overflow_as_span():
    title = "好" * 30 + "杯"
    problems = title_rules.title_length(title, rule_set("tmall"))
    assert measure(title, Unit.GBK_BYTES) == 62
    assert [(p.rule, p.severity, p.span, p.start, p.end) for p in problems] == [
        ("title_length", Severity.ERROR, "杯", 30, 31)]


def test_kuche_messer_set_is_17_utf8_bytes_and_backend_terms_stop_at_249():
    assert measure("küche messer set", Unit.UTF8_BYTES) == 17
    amazon = rule_set("amazon")
    assert amazon.backend_terms_limit is not None and amazon.backend_terms_limit.value == 249
    assert title_rules.backend_terms(["a" * 249], amazon) == []
    over = title_rules.backend_terms(["a" * 248, "ü"], amazon)  # 248 + space + 2 = 251
    assert rules_of(over) == ["backend_terms_length"] and over[0].span == "ü"


def test_douyin_counts_characters_to_30():
    assert rules_of(title_rules.title_length("杯" * 30, rule_set("douyin"))) == []
    assert rules_of(title_rules.title_length("杯" * 31, rule_set("douyin"))) == ["title_length"]


def test_an_unverified_limit_only_warns_and_is_data_in_the_rule_set():
    jd = rule_set("jd")
    assert jd.title_limit is not None and not jd.title_limit.verified
    problems = title_rules.title_length("杯" * (jd.title_limit.value + 1), jd)
    assert [p.severity for p in problems] == [Severity.WARNING]


# docs/rules/listings.md#characters --------------------------------------------------------------------------

def test_amazon_decorative_characters_and_douyin_emoji_are_refused():
    amazon = title_rules.forbidden_characters("Mug {Blue}!", rule_set("amazon"))
    assert [(p.rule, p.span, p.start) for p in amazon] == [("forbidden_character", "{", 4),
                                                          ("forbidden_character", "}", 9),
                                                          ("forbidden_character", "!", 10)]
    douyin = title_rules.forbidden_characters("🔥保温杯", rule_set("douyin"))
    assert [(p.rule, p.span) for p in douyin] == [("emoji", "🔥")]
    assert title_rules.forbidden_characters("🔥保温杯!", rule_set("taobao")) == []


# docs/rules/listings.md#repeats -----------------------------------------------------------------------------

def test_amazon_allows_a_word_twice_stop_words_exempt():
    tokens = ShopTokenizer().tokens("Knife Set for Knife Block for Knife Sharpener for")
    problems = title_rules.repeated_words(tokens, rule_set("amazon"))
    assert [(p.span, p.start) for p in problems] == [("Knife", 30)]


def test_a_chinese_repeat_wastes_budget():
    tokens = ENGINE.tokens("保温杯大容量保温杯")
    problems = title_rules.repeated_words(tokens, rule_set("taobao"))
    assert [(p.rule, p.span, p.start) for p in problems] == [("repeated_word", "保温杯", 6)]


# docs/rules/listings.md#rival-brands ------------------------------------------------------------------------

def test_another_brand_is_flagged_but_not_inside_our_protected_word():
    engine = RuleEngine({"brand": ("小米粥坊",), "rival_brand": ("小米",)})
    assert [p.span for p in engine.check("taobao", "小米同款保温杯")[1] if p.rule == "rival_brand"] == ["小米"]
    assert "rival_brand" not in rules_of(engine.check("taobao", "小米粥坊保温杯")[1])


# docs/rules/ad-law.md#tokens --------------------------------------------------------------------------------

def test_only_zuihao_is_flagged_in_the_vector():
    problems = [p for p in ENGINE.check("taobao", "最近第一步教你选出最好的保温杯")[1] if p.rule == "ad_law"]
    assert [(p.span, p.start, p.end) for p in problems] == [("最好", 9, 11)]


def test_the_brand_zuishenghuo_in_the_dictionary_is_not_flagged():
    assert "ad_law" not in rules_of(ENGINE.check("taobao", "最生活保温杯")[1])
    bare = RuleEngine()  # without the dictionary jieba gives 最 / 生活 and 最 is a 极限词
    assert "ad_law" in rules_of(bare.check("taobao", "最生活保温杯")[1])


def test_a_model_number_is_one_token():
    tokens = ENGINE.tokens("BZ-YQ1722 纯棉T恤男夏季宽松短袖")
    assert tokens[0].word == "BZ-YQ1722" and tokens[0].protected


def test_chunked_tokens_are_jiebas_words():
    from shopops.listings.tokens import _jieba

    tokenizer = ShopTokenizer()
    for text in ("保温杯 大容量  便携 2024新款iPhone15手机壳", "最好的 保温杯\t最好的 保温杯", "  "):
        ours = [(t.word, t.start, t.end) for t in tokenizer.tokens(text)]
        assert ours == [(w, i, j) for w, i, j in _jieba().tokenize(text) if w.strip()], text


def test_token_findings_lie_on_token_boundaries_and_join_runs():
    text = "中国第一保温杯最大化"
    spans = [(0, 2, False), (2, 4, False), (4, 7, False), (7, 10, False)]  # 中国 / 第一 / 保温杯 / 最大化
    assert [f.word for f in ad_law_token_findings(text, spans)] == ["中国第一"]
    assert [f.word for f in ad_law_findings(text)] == ["中国第一", "最大"]  # the substring scan, as before


def test_the_old_entry_keeps_working_for_reply_templates():
    assert [f.word for f in ad_law_findings("全网最低价，限时3天")] == ["最低价"]


# docs/rules/listings.md#attributes --------------------------------------------------------------------------

def test_a_missing_required_attribute_is_reported():
    assert rules_of(missing_attributes(("brand",), {"brand": " "})) == ["required_attribute"]
    assert missing_attributes(("brand",), {"brand": "暖阳"}) == []


# docs/rules/listings.md#media and #media-rules --------------------------------------------------------------

def test_media_shapes_list_and_legacy_dict():
    listed = media_items([{"kind": "main", "width": "800", "height": 800}, {"kind": "poster"}, "x", 3])
    assert [(i.kind, i.width) for i in listed] == [("main", 800), ("main", None)]
    legacy = media_items({"main": ["a.jpg", "b.jpg"], "white": [{"url": "w.jpg"}], "video": "bad"})
    assert [i.kind for i in legacy] == ["main", "main", "white"]
    assert media_items(None) == [] and media_items("junk") == []


def test_completeness_per_platform():
    assert rules_of(media_rules.completeness([], rule_set("tmall"))) == ["media_unknown"]  # none imported
    video_only = media_items([{"kind": "video"}])
    assert rules_of(media_rules.completeness(video_only, rule_set("tmall"))) == [
        "main_images", "white_image", "detail_sections"]
    six = media_items([{"kind": "main"}] * 6)
    assert [p.severity for p in media_rules.completeness(six, rule_set("douyin")) if p.rule == "main_images"] == [
        Severity.WARNING]


@pytest.mark.parametrize(("channel", "item", "expected"), [
    ("douyin", {"width": 599, "height": 800}, ["image_size"]),
    ("douyin", {"width": 600, "height": 600, "bytes": 1024 * 1024 + 1}, ["image_bytes"]),
    ("pdd", {"width": 800, "height": 900}, ["image_ratio"]),
    ("pdd", {"width": 480, "height": 480, "bytes": 1024 * 1024}, []),
])
def test_recorded_image_sizes_are_checked(channel, item, expected):
    items = media_items([{"kind": "main", **item}])
    assert rules_of(media_rules.image_checks(items, rule_set(channel), media_rules.file_inspector(None))) == expected


# docs/rules/listings.md#score -------------------------------------------------------------------------------

def test_the_score_is_the_weighted_mean_of_its_components():
    value, components = score(title_rules.title_length("好" * 31, rule_set("tmall")), {"title": 1, "media": 3})
    assert components == {"title": {"score": 60, "weight": 1}, "media": {"score": 100, "weight": 3}}
    assert value == 90


def test_every_platform_weighs_every_component():
    for rules in RULESETS.values():
        assert set(rules.weights) == {"title", "compliance", "attributes", "media", "images"}, rules.channel


def test_a_full_audit_is_explained_and_ordered_worst_first():
    facts = ListingFacts(1, "tmall", "最好的保温杯" + "杯" * 30, media=[{"kind": "main", "width": 800,
                                                                       "height": 800, "bytes": 1000}],
                         attributes={"brand": "暖阳"})
    verdict = ENGINE.audit(facts)
    severities = [p.severity for p in verdict.problems]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert {"title_length", "ad_law", "white_image"} <= set(rules_of(verdict.problems))
    assert 0 <= verdict.score < 100 and verdict.rules_version == "tmall-2026.1"
    assert set(verdict.components) == set(rule_set("tmall").weights)
