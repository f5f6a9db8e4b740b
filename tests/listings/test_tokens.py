"""Words of a title (docs/rules/listings.md#tokens): jieba's vectors, the shop dictionary winning."""

from shopops.listings.tokens import ShopTokenizer


def test_jieba_vector_for_a_phone_case_title():
    assert ShopTokenizer().words("2024新款iPhone15手机壳") == ["2024", "新款", "iPhone15", "手机", "壳"]


def test_a_model_number_in_the_shop_dictionary_stays_one_token():
    words = ShopTokenizer(["BZ-YQ1722"]).words("BZ-YQ1722 纯棉T恤男夏季宽松短袖")
    assert words[0] == "BZ-YQ1722"
    assert "BZ" not in words and "YQ1722" not in words


def test_protected_words_match_case_insensitively_and_keep_their_spans():
    text = "新款bz-yq1722纯棉"
    tokens = ShopTokenizer(["BZ-YQ1722"]).tokens(text)
    code = next(t for t in tokens if t.protected)
    assert text[code.start:code.end] == "bz-yq1722"


def test_a_brand_word_wins_over_jieba():
    assert ShopTokenizer(["最生活"]).words("最生活毛巾")[0] == "最生活"
    assert ShopTokenizer().words("最生活毛巾")[0] != "最生活"


def test_ordinary_words_containing_forbidden_ones_are_whole_tokens():
    words = ShopTokenizer().words("最近第一步教你选出最好的保温杯")
    assert words[:2] == ["最近", "第一步"] and "最好" in words


def test_spans_cover_the_text_and_blanks_are_dropped():
    text = "BZ-YQ1722 纯棉 T恤"
    for token in ShopTokenizer(["BZ-YQ1722"]).tokens(text):
        assert text[token.start:token.end] == token.word and token.word.strip()
