"""Pricing speaks the user's language: the pure engine and contract build English ``Text`` messages, and the
faces (API, CLI) say them with gettext, Chinese by default, English on request."""

from __future__ import annotations

import json
import pickle
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import trans_real

from shopops.core.errors import InvalidInput
from shopops.core.text import Text, gettext_noop
from shopops.pricing.contract import parse_cart
from shopops.pricing.domain import quote
from shopops.pricing.messages import say
from tests.pricing.carts import cart, line

# Test translations, so that these tests do not depend on what the project catalog says today.
ZH = {
    "Invalid cart.": "测试：购物车有误。",
    "unknown field": "测试：未知字段",
    "no line of shop %(shop)s in its scope": "测试：店铺 %(shop)s 没有商品在优惠范围内",
    "same-type offers don't stack: one %(family)s %(where)s, and %(winner)s saves %(saved)s (this one %(other)s)":
        "测试：同类优惠不叠加：%(where)s%(family)s只用一张，%(winner)s 省 %(saved)s（本券 %(other)s）",
    "coupon": "测试：优惠券",
    "per shop": "测试：每店",
}


@pytest.fixture
def chinese(monkeypatch):
    """The zh-Hans catalog with the test translations in front (Django's catalog keeps a list of dicts)."""
    catalog = trans_real.translation("zh-hans")._catalog
    monkeypatch.setattr(catalog, "_catalogs", [{**catalog._catalogs[0], **ZH}, *catalog._catalogs[1:]])


COUPONS = cart(
    [line("1", "A", "300.00")],
    {"id": "big", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "30.00"},
    {"id": "small", "type": "coupon", "shop": "S1", "threshold": "100.00", "off": "10.00"},
    {"id": "far", "type": "coupon", "shop": "S9", "threshold": "1.00", "off": "1.00"},
)


def _reasons(result: dict) -> dict[str, str]:
    return {r["promotion"]: r["reason"] for r in result["rejected"]}


# ------------------------------------------------------------------ the Text idiom


def test_a_text_is_its_english_and_keeps_its_msgid():
    text = gettext_noop("no line of shop %(shop)s in its scope", shop="S9")
    assert text == "no line of shop S9 in its scope" and isinstance(text, str)
    assert (text.msgid, text.params) == ("no line of shop %(shop)s in its scope", {"shop": "S9"})
    again = pickle.loads(pickle.dumps(text))
    assert isinstance(again, Text) and again == text and again.msgid == text.msgid
    assert gettext_noop("100 % sure") == "100 % sure"  # no parameters: no formatting


def test_every_reason_and_every_problem_is_a_text():
    """Nothing the engine or the contract says escapes translation."""
    result = quote(parse_cart(COUPONS))
    assert len(result.rejected) == 2
    assert all(isinstance(r.reason, Text) for r in result.rejected)
    with pytest.raises(InvalidInput) as caught:
        parse_cart(cart([line("1", "A", "1.5555"), {"line": "2"}],
                        {"id": "x", "type": "bogus"}, {"id": "p", "type": "presale", "deposit": "1.00"},
                        {"id": "q", "type": "every_off", "shop": "S1", "every": "1.00", "off": "2.00", "foo": 1},
                        at="soon"))
    assert isinstance(caught.value.detail, Text)
    assert len(caught.value.errors) >= 6
    assert all(isinstance(e.message, Text) for e in caught.value.errors), caught.value.errors


def test_say_translates_parameters_that_are_texts(chinese):
    reason = _reasons_of_engine()["small"]
    with translation.override("zh-hans"):
        assert say(reason) == "测试：同类优惠不叠加：测试：每店测试：优惠券只用一张，big 省 30.00（本券 10.00）"
    with translation.override("en"):
        assert say(reason) == str(reason)
        assert say("plain text") == "plain text"


def _reasons_of_engine() -> dict[str, Text]:
    return {r.promotion: r.reason for r in quote(parse_cart(COUPONS)).rejected}


# ------------------------------------------------------------------ the API: Accept-Language


def _post(client, body: object, **headers):
    return client.post("/api/v1/pricing/quote", data=json.dumps(body), content_type="application/json", **headers)


def test_api_reasons_in_chinese_by_default_and_english_on_request(api_as, chinese):
    client = api_as("viewer")
    chinese_reasons = _reasons(_post(client, COUPONS).json())
    assert chinese_reasons["far"] == "测试：店铺 S9 没有商品在优惠范围内"
    assert chinese_reasons["small"].startswith("测试：同类优惠不叠加：测试：每店测试：优惠券")
    english = _post(client, COUPONS, HTTP_ACCEPT_LANGUAGE="en")
    assert english.headers["Content-Language"] == "en"
    assert _reasons(english.json())["far"] == "no line of shop S9 in its scope"


def test_api_problems_in_chinese_by_default_and_english_on_request(api_as, chinese):
    client = api_as("viewer")
    body = {**COUPONS, "currency": "CNY"}
    response = _post(client, body)
    assert response.status_code == 422
    assert response.json() == {"detail": "测试：购物车有误。", "errors": [{"field": "currency",
                                                                       "message": "测试：未知字段"}]}
    english = _post(client, body, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {"detail": "Invalid cart.", "errors": [{"field": "currency", "message": "unknown field"}]}


# ------------------------------------------------------------------ the CLI: --language


def _price(tmp_path, data: dict, *args: str) -> dict:
    path = tmp_path / "cart.json"
    path.write_text(json.dumps(data))
    out = StringIO()
    call_command("price", "quote", "--cart", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_reasons_in_chinese_by_default_and_english_with_language(tmp_path, chinese):
    assert _reasons(_price(tmp_path, COUPONS))["far"] == "测试：店铺 S9 没有商品在优惠范围内"
    assert _reasons(_price(tmp_path, COUPONS, "--language", "en"))["far"] == "no line of shop S9 in its scope"


def test_cli_problems_in_chinese_by_default_and_english_with_language(tmp_path, chinese):
    with pytest.raises(CommandError) as caught:
        _price(tmp_path, {**COUPONS, "currency": "CNY"})
    assert str(caught.value) == "测试：购物车有误。\n  currency: 测试：未知字段"
    with pytest.raises(CommandError) as caught:
        _price(tmp_path, {**COUPONS, "currency": "CNY"}, "--language", "en")
    assert str(caught.value) == "Invalid cart.\n  currency: unknown field"
    assert caught.value.returncode == 2


def test_cli_human_output_says_the_reasons(tmp_path, chinese):
    path = tmp_path / "cart.json"
    path.write_text(json.dumps(COUPONS))
    out = StringIO()
    call_command("price", "quote", "--cart", str(path), stdout=out)
    assert "测试：店铺 S9 没有商品在优惠范围内" in out.getvalue()
