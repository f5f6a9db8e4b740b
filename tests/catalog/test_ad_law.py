"""The 广告法 check (catalog.ad_law; docs/rules/ad-law.md#vectors): the research's vectors, the allow-list,
Latin tokens, category lists, and the spans of every finding pointing at the text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopops.catalog.ad_law import ALLOWED, FAMILIES, ad_law_findings


def words(text: str, **kwargs) -> list[tuple[str, int, int]]:
    return [(f.word, f.start, f.end) for f in ad_law_findings(text, **kwargs)]


def test_token_vector_flags_only_the_superlative():
    # jieba: 最近/第一步/…/最好/… — substring matching on 最 or 第一 would also flag 最近 and 第一步
    assert words("最近第一步教你选出最好的保温杯") == [("最好", 9, 11)]


@pytest.mark.parametrize(("text", "expected"), [
    ("全网销量第一的保温杯", ["销量第一"]),
    ("限时抢购", ["限时"]),
    ("限时3天", []),
    ("限时至11月11日", []),
    ("最后一波，最后三天", ["最后一波"]),
    ("TOP10 榜单，ｔｏｐ１", ["ｔｏｐ１"]),
    ("品质NO.1", ["NO.1"]),
    ("型号NO.12", []),
    ("最美保温杯", ["最"]),
    ("第一时间为您处理，第一次购买", []),
    ("顶级面料，国家级工艺", ["顶级", "国家级"]),
    ("亲，您的订单已发货", []),
])
def test_vectors(text, expected):
    assert [w for w, _s, _e in words(text)] == expected


def test_category_lists_only_when_named():
    assert words("根治失眠") == []
    assert [f.family for f in ad_law_findings("根治失眠", categories=["health"])] == ["health"]
    with pytest.raises(ValueError):
        ad_law_findings("x", categories=["nope"])


def test_a_callers_own_allowed_word():
    assert words("至尊宝") == [("至尊", 0, 2)]
    assert words("至尊宝", allow=["至尊宝"]) == []


def test_reason_names_the_word_and_family():
    (finding,) = ad_law_findings("最好的")
    assert finding.family == "superlative"
    assert "最好" in finding.reason and finding.reason.msgid.startswith("“%(word)s”")


def test_allow_list_words_contain_a_forbidden_word():
    """Every allowed word is there because substring matching would flag it."""
    forbidden = {w for _label, ws in FAMILIES.values() for w in ws}
    for word in ALLOWED:
        assert any(f in word for f in forbidden), word
        assert words(word) == []


ALPHABET = st.sampled_from(list("最近第一步好的顶级限时3天NOTop.1ＮＯ１ 亲，唯一性国家级") + ["最后一波", "全网第一"])


@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_spans_point_at_the_text(text):
    findings = ad_law_findings(text)
    end = 0
    for f in findings:
        assert text[f.start:f.end] == f.word and f.start >= end and f.end > f.start
        end = f.end
