"""Reply-template variables (service.templating): render, unknown variable named with its position, unclosed
braces, missing values as visible placeholders, money in the house format, one-pass (no re-expansion)."""

from __future__ import annotations

import pytest
from django.utils import translation

from shopops.core.i18n import say
from shopops.service import templating
from shopops.service.templating import TemplateProblem, parse, render, variables_of

VALUES = {"order.no": "2026110812345", "sku.title": "纯棉T恤", "logistics.no": "SF1234567890",
          "refund.amount": 12345, "customer.name": "小王", "shop.name": "花间"}


def test_render_fills_every_variable():
    body = "{{customer.name}}您好，订单 {{ order.no }}（{{sku.title}}）运单号 {{logistics.no}}，退款 {{refund.amount}}。"
    assert render(body, VALUES) == "小王您好，订单 2026110812345（纯棉T恤）运单号 SF1234567890，退款 ¥123.45。"


def test_money_in_the_house_format():
    assert render("{{refund.amount}}/{{order.amount}}", {"refund.amount": 123456789, "order.amount": 0}) \
        == "¥1,234,567.89/¥0.00"


def test_unknown_variable_is_named_with_its_position():
    with pytest.raises(TemplateProblem) as caught:
        parse("您好 {{order.number}}，{{sku.title}}")
    (problem,) = caught.value.problems
    assert problem.field == "body"
    assert "{{order.number}}" in problem.message and "character 4" in problem.message
    with translation.override("zh-hans"):
        assert "{{order.number}}" in say(problem.message)


def test_unclosed_braces():
    with pytest.raises(TemplateProblem) as caught:
        parse("订单 {{order.no 已发货")
    assert "character 4" in caught.value.problems[0].message
    with pytest.raises(TemplateProblem):
        parse("{{ {{order.no}}")


def test_missing_value_is_a_visible_placeholder_never_an_error():
    text = render("单号 {{logistics.no}}，{{customer.name}}", {"customer.name": ""})
    assert text == "单号 【tracking number: not known】，【customer name: not known】"
    with translation.override("zh-hans"):
        zh = render("{{logistics.no}}", {}, say)
    assert zh.startswith("【") and zh.endswith("】")


def test_values_are_not_expanded_again_and_stay_text():
    hostile = {"customer.name": "{{order.no}}<script>alert(1)</script>", "order.no": "X"}
    assert render("{{customer.name}}", hostile) == "{{order.no}}<script>alert(1)</script>"


def test_literal_text_and_lone_closing_braces_pass_through():
    assert render("价格 }} 不变 {单个}", {}) == "价格 }} 不变 {单个}"


def test_variables_of_in_first_use_order():
    assert variables_of("{{sku.title}} {{order.no}} {{sku.title}}") == ["sku.title", "order.no"]
    assert set(templating.VARIABLES) >= {"order.no", "sku.title", "logistics.no", "refund.amount",
                                         "customer.name", "shop.name"}
