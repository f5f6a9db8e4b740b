"""The shop dictionary (店铺词库): one word, removal, and pasted lines — all or nothing, each bad line named with
why (docs/rules/listings.md#dictionary); its page and API, and who may change it (operators, admins)."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from shopops.core.errors import InvalidInput, NotFound
from shopops.listings.models import ShopWord
from shopops.listings.selectors.dictionary import protected_words, shop_words
from shopops.listings.selectors.dictionary_pages import dictionary_by_kind
from shopops.listings.services.dictionary import (
    dictionary_word_add,
    dictionary_word_remove,
    dictionary_words_paste,
)


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English (the default language is Chinese)."""
    with translation.override("en"):
        yield

PASTE = "最生活,品牌\nBZ-YQ1722,model\n\n保温杯\n某大牌,他人品牌\n最近,允许词\n"


def _words(shop) -> list[tuple[str, str]]:
    return sorted(ShopWord.objects.filter(shop=shop).values_list("word", "kind"))


def test_pasted_lines_add_words_of_each_kind_and_pasting_again_adds_none(shop):
    result = dictionary_words_paste(shop=shop, text=PASTE)
    assert (result.added, result.unchanged) == (5, 0)
    assert _words(shop) == sorted([("最生活", "brand"), ("BZ-YQ1722", "model"), ("保温杯", "term"),
                                   ("某大牌", "rival_brand"), ("最近", "allowed")])
    again = dictionary_words_paste(shop=shop, text=PASTE.replace("BZ-YQ1722", "bz-yq1722"))
    assert (again.added, again.unchanged) == (0, 5)
    assert sorted(protected_words(shop_words(shop))) == sorted(["最生活", "BZ-YQ1722", "保温杯"])
    by_kind = {kind: [w.word for w in words] for kind, _label, words in dictionary_by_kind(shop=shop)}
    assert by_kind["rival_brand"] == ["某大牌"] and list(by_kind) == ["brand", "model", "term", "rival_brand", "allowed"]


@pytest.mark.parametrize(("line", "why"), [
    ("保温杯,颜色词", "unknown kind"), (",品牌", "the word is empty"), ("杯" * 61, "longer than 60"),
    ("a,brand,extra", "word,kind"), ("最生活,产品词", "as another kind"),
])
def test_a_bad_line_is_named_with_why_and_nothing_is_saved(shop, line, why):
    text = f"最生活,品牌\n保温杯\n{line}\n不锈钢\n"
    with pytest.raises(InvalidInput) as refused:
        dictionary_words_paste(shop=shop, text=text)
    (error,) = refused.value.errors
    assert error.field == "lines" and error.row == 3
    assert error.message.startswith("Line 3 (") and why in error.message
    assert _words(shop) == []


def test_a_word_stored_as_another_kind_is_refused_in_a_paste(shop):
    dictionary_word_add(shop=shop, word="最生活", kind="brand")
    with pytest.raises(InvalidInput) as refused:
        dictionary_words_paste(shop=shop, text="保温杯\n最生活,他人品牌")
    assert refused.value.errors[0].row == 2 and "already in the dictionary" in refused.value.errors[0].message
    assert _words(shop) == [("最生活", "brand")]


def test_one_word_is_added_once_and_removed_in_its_own_shop_only(shop, second_shop):
    word = dictionary_word_add(shop=shop, word=" BZ-YQ1722 ", kind="型号", note="主推")
    assert (word.word, word.kind, word.note) == ("BZ-YQ1722", "model", "主推")
    with pytest.raises(InvalidInput) as twice:
        dictionary_word_add(shop=shop, word="bz-yq1722", kind="term")
    assert twice.value.errors[0].field == "word"
    with pytest.raises(InvalidInput) as unknown:
        dictionary_word_add(shop=shop, word="杯子", kind="colour")
    assert unknown.value.errors[0].field == "kind"
    with pytest.raises(NotFound):
        dictionary_word_remove(shop=second_shop.shop, pk=word.pk)
    dictionary_word_remove(shop=shop, pk=word.pk)
    assert _words(shop) == []


def test_an_empty_paste_is_refused(shop):
    with pytest.raises(InvalidInput):
        dictionary_words_paste(shop=shop, text="\n  \n")


def test_the_page_lists_words_by_kind_in_chinese_and_an_operator_pastes(client_as, shop):
    dictionary_word_add(shop=shop, word="最生活", kind="brand")
    client = client_as("operator")
    page = client.get("/listings/dictionary/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "最生活" in text and 'action="/listings/dictionary/add/"' in text
    assert ">rival_brand<" not in text  # kinds by name, never by code
    bad = client.post("/listings/dictionary/add/", {"what": "paste", "lines": "保温杯\n杯子,颜色词",
                                                   "default_kind": "term"})
    assert bad.status_code == 422 and "data-line-error" in bad.content.decode()
    assert _words(shop) == [("最生活", "brand")]
    good = client.post("/listings/dictionary/add/", {"what": "paste", "lines": "保温杯\n某大牌,他人品牌",
                                                    "default_kind": "term"})
    assert good.status_code == 302
    assert ("某大牌", "rival_brand") in _words(shop)
    word = ShopWord.objects.get(shop=shop, word="保温杯")
    assert client.post(f"/listings/dictionary/{word.pk}/delete/").status_code == 302
    assert not ShopWord.objects.filter(pk=word.pk).exists()


@pytest.mark.parametrize("role", ["ads", "service", "viewer"])
def test_readers_see_the_dictionary_but_cannot_change_it(client_as, shop, role):
    word = dictionary_word_add(shop=shop, word="最生活", kind="brand")
    client = client_as(role)
    page = client.get("/listings/dictionary/")
    assert page.status_code == 200 and "最生活" in page.content.decode()
    assert 'action="/listings/dictionary/add/"' not in page.content.decode()
    assert client.post("/listings/dictionary/add/", {"what": "one", "word": "x", "kind": "term"}).status_code == 403
    assert client.post(f"/listings/dictionary/{word.pk}/delete/").status_code == 403
    assert ShopWord.objects.filter(pk=word.pk).exists()


def test_the_api_lists_adds_and_removes(api_as, shop):
    client = api_as("operator")
    added = client.post("/api/v1/listings/dictionary", data=json.dumps({"word": "最生活", "kind": "brand"}),
                        content_type="application/json")
    assert added.status_code == 201, added.content
    (item,) = added.json()["items"]
    assert item["kind"] == "brand" and item["word"] == "最生活"
    bad = client.post("/api/v1/listings/dictionary", data=json.dumps({"lines": "保温杯\n杯子,颜色词"}),
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["row"] == 2
    many = client.post("/api/v1/listings/dictionary", data=json.dumps({"lines": "保温杯\nBZ-YQ1722,型号"}),
                       content_type="application/json")
    assert many.status_code == 201 and many.json()["added"] == 2
    listed = client.get("/api/v1/listings/dictionary?kind=model").json()
    assert [w["word"] for w in listed["items"]] == ["BZ-YQ1722"] and listed["count"] == 1
    assert client.get("/api/v1/listings/dictionary").json()["count"] == 3
    assert client.delete(f"/api/v1/listings/dictionary/{item['id']}").status_code == 204
    assert client.delete(f"/api/v1/listings/dictionary/{item['id']}").status_code == 404
    assert api_as("viewer").post("/api/v1/listings/dictionary", data=json.dumps({"word": "x"}),
                                 content_type="application/json").status_code == 403
