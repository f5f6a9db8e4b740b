"""The title composer (docs/rules/listings.md#title-suggestion): over random titles and search-term sets, a
suggestion never exceeds the budget, never contains a 广告法 word (catalog.ad_law, the one home of the rule) or
another brand's name, and never repeats a word; and on a worked example it adds the best-converting terms."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopops.catalog.ad_law import ad_law_findings
from shopops.listings.composer import compose, join
from shopops.listings.mining import Figures, TermRow, roots_of
from shopops.listings.title_length import Unit, measure
from shopops.listings.tokens import ShopTokenizer

BRAND, RIVAL = "最生活", "膳魔师"
TOKENIZER = ShopTokenizer([BRAND, "BZ-YQ1722"])
ALLOW = [BRAND, "BZ-YQ1722"]  # protected words are allowed: the brand 最生活 is not the 极限词 最
WORDS = ["保温杯", "大容量", "316", "不锈钢", "男士", "女", "儿童", "水杯", "便携", "最好", "第一", "顶级", "最近",
         "iPhone15", "手机壳", "BZ-YQ1722", BRAND, RIVAL, "新款", "2024", "杯", "保温", "TOP1", "进口", "学生"]


def flagged(text: str) -> bool:
    return bool(ad_law_findings(text, allow=ALLOW))


def term(text: str, orders: int, visitors: int) -> TermRow:
    return TermRow(text, roots_of(text, TOKENIZER), Figures(visitors, 0, orders, orders * 5_000), Figures())


def words_of(text: str) -> list[str]:
    return [w.casefold() for w in TOKENIZER.words(text) if any(ch.isalnum() for ch in w)]


titles = st.lists(st.sampled_from(WORDS), max_size=12).map(lambda ws: " ".join(ws))
term_sets = st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("".join),
                               st.integers(0, 50), st.integers(0, 500)), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=titles, terms=term_sets, limit=st.integers(4, 80), unit=st.sampled_from(list(Unit)),
       brand=st.sampled_from(["", BRAND, RIVAL, "最好"]), core=st.sampled_from(["", "保温杯", "手机壳"]))
def test_a_suggestion_fits_is_clean_and_never_repeats(title, terms, limit, unit, brand, core):
    rows = [term(text, orders, visitors) for text, orders, visitors in terms]
    s = compose(title, rows, limit=limit, unit=unit, tokenizer=TOKENIZER, flagged=flagged, brand=brand, core=core,
                rivals=[RIVAL])
    assert measure(s.title, unit) == s.length <= limit
    assert not ad_law_findings(s.title, allow=ALLOW)
    assert RIVAL not in s.title
    words = words_of(s.title)
    assert len(words) == len(set(words)), s.title
    assert s.after.covered_orders >= 0 and s.before.orders == s.after.orders


def test_the_best_converting_terms_come_first_and_flagged_words_go():
    rows = [term("保温杯 大容量", 9, 100), term("保温杯 儿童", 4, 50), term("最好的保温杯", 3, 10),
            term("保温杯 学生", 1, 80)]
    s = compose("最生活保温杯 最好 顶级", rows, limit=20, unit=Unit.GBK_BYTES, tokenizer=TOKENIZER, flagged=flagged,
                brand=BRAND, core="保温杯", rivals=[RIVAL])
    # 最生活 (6) + 保温杯 (6) + 大容量 (6) = 18 bytes; 儿童 (4 more) would make 22 > 20
    assert s.title == "最生活保温杯大容量"
    assert s.dropped_words == ("最好", "顶级")
    assert s.before.share is not None and s.after.share is not None and s.after.share > s.before.share
    assert s.added_terms == ("保温杯 大容量",)


def test_latin_words_keep_a_space_between_them():
    assert join(["iPhone15", "手机壳", "BZ-YQ1722", "2024"]) == "iPhone15手机壳BZ-YQ1722 2024"
