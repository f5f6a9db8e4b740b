"""The pure rules of SKU matching (docs/rules/sku-matching.md#match-key): the key of a line, title suggestions."""

from __future__ import annotations

from shopops.catalog.domain import MATCH_KEY_MAX, LineIdentity, match_key, new_sku_code, suggest


def test_the_key_prefers_platform_ids_then_the_seller_code_then_title_and_spec():
    assert match_key(LineIdentity("A-1", "6601", "5001", "卫衣", "黑")) == "id:6601:5001"
    assert match_key(LineIdentity("", "", "5001")) == "id::5001"
    assert match_key(LineIdentity(" A-1 ", title="卫衣")) == "code:A-1"
    assert match_key(LineIdentity("", title="羊毛 围巾", spec="颜色:红")) == "title:羊毛 围巾|颜色:红"
    # full-width forms, spaces and case do not make another key
    assert match_key(LineIdentity(title="ＡＢＣ  围巾 ")) == match_key(LineIdentity(title="abc 围巾"))


def test_a_long_key_is_hashed_and_stays_stable():
    line = LineIdentity(title="长" * 200, spec="规" * 200)
    key = match_key(line)
    assert len(key) <= MATCH_KEY_MAX and key.startswith("title#") and key == match_key(line)
    assert key != match_key(LineIdentity(title="长" * 200, spec="规" * 199))


def test_a_new_sku_code_is_offered_for_every_group():
    assert new_sku_code(" A-1 ", "code:A-1") == "A-1"
    offered = new_sku_code("", "title:围巾|红")
    assert offered.startswith("SKU-") and len(offered) == 12 and offered == new_sku_code("", "title:围巾|红")
    assert offered != new_sku_code("", "title:围巾|蓝")


def test_suggestions_rank_the_closest_titles_and_drop_unrelated_ones():
    candidates = [(1, "羊毛围巾 冬季加厚 红色"), (2, "不锈钢保温杯"), (3, "羊毛围巾 春秋薄款"), (4, "")]
    found = suggest({"a": "无码羊毛围巾 冬季加厚", "b": "", "c": "有机大米"}, candidates)
    assert [pk for pk, _score in found["a"]] == [1, 3]
    assert found["a"][0][1] > found["a"][1][1]
    assert found["b"] == [] and found["c"] == []
