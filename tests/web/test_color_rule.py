"""One colour rule for changes: up is red and down is green by default (as Chinese platforms show them); a user
may pick green up on the profile page. The rule is about direction, whatever the metric (docs/user-guide)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from shopops.core.domain import GREEN, GREEN_UP, RED, RED_UP, rise_fall_colors
from shopops.core.models import UserProfile
from shopops.ui.templatetags.shopops import FALL, RISE, pct_change


def _css() -> str:
    path = finders.find("ui/app.css")
    assert path
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _rule(css: str, selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, selector
    return match.group(1)


def _var(block: str, name: str) -> str:
    match = re.search(r"--" + name + r":\s*([^;]+);", block)
    assert match, name
    return match.group(1).strip()


def test_a_rise_renders_the_rise_class_and_a_fall_the_fall_class():
    assert f'class="{RISE}">▲12.5%' in pct_change(0.125)
    assert f'class="{FALL}">▼3.0%' in pct_change(-0.03)
    assert RISE not in pct_change(0) and FALL not in pct_change(0)


def test_the_stylesheet_paints_a_rise_red_under_red_up_and_green_under_green_up():
    css = _css()
    root = _rule(css, ":root")
    assert _var(root, "red") == RED and _var(root, "green") == GREEN  # the colours the charts use too
    assert "color:var(--rise)" in _rule(css, ".rise") and "color:var(--fall)" in _rule(css, ".fall")
    assert _var(root, "rise") == "var(--red)" and _var(root, "fall") == "var(--green)"  # red_up: no attribute needed
    green_up = _rule(css, f'html[data-color-rule="{GREEN_UP}"]')
    assert _var(green_up, "rise") == "var(--green)" and _var(green_up, "fall") == "var(--red)"
    assert rise_fall_colors(RED_UP) == (RED, GREEN) and rise_fall_colors(GREEN_UP) == (GREEN, RED)


@pytest.mark.django_db
def test_the_profile_form_saves_the_rule_and_every_page_follows_it(client_as, user_of):
    client = client_as("viewer")
    assert 'data-color-rule="red_up"' in client.get("/profile/").content.decode()
    response = client.post("/profile/", {"action": "color_rule", "color_rule": GREEN_UP})
    assert response.status_code == 302
    assert UserProfile.objects.get(user=user_of("viewer")).color_rule == GREEN_UP
    html = client.get("/orders/").content.decode()
    assert '<html lang="zh-hans" data-color-rule="green_up">' in html


@pytest.mark.django_db
def test_an_unknown_rule_is_refused_and_changes_nothing(client_as, user_of):
    client = client_as("operator")
    html = client.post("/profile/", {"action": "color_rule", "color_rule": "blue_up"}, follow=True).content.decode()
    assert "未知的颜色规则" in html or "Unknown colour rule." in html
    assert UserProfile.objects.get(user=user_of("operator")).color_rule == RED_UP


@pytest.mark.django_db
def test_the_gmv_waterfall_colours_its_steps_by_the_rule(client_as, user_of):
    client = client_as("admin")
    period = {"from": "2026-11-11", "to": "2026-11-20"}
    assert f'"increasing": {{"marker": {{"color": "{RED}"}}}}' in client.get("/analytics/gmv-explain/", {**period, "inline": "1"}).content.decode()
    UserProfile.objects.filter(user=user_of("admin")).update(color_rule=GREEN_UP)
    html = client.get("/analytics/gmv-explain/", {**period, "inline": "1"}).content.decode()
    assert f'"increasing": {{"marker": {{"color": "{GREEN}"}}}}' in html
    assert f'"decreasing": {{"marker": {{"color": "{RED}"}}}}' in html
