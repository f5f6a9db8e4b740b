"""The colour rule in a real browser: a rise is painted red under red_up and green once the user picks green_up."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import login

pytestmark = pytest.mark.e2e

RED, GREEN = "rgb(207, 19, 34)", "rgb(56, 158, 13)"  # core.domain RED, GREEN


def _colour(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).color")


def test_the_profile_switches_the_colour_of_changes(page, server):
    login(page, server, "ads")
    page.goto(server + "/profile/")
    assert (_colour(page, "#color-rule .rise"), _colour(page, "#color-rule .fall")) == (RED, GREEN)
    try:
        page.check("#color-rule input[value=green_up]")
        page.click("#color-rule button[type=submit]")
        page.wait_for_load_state()
        assert page.is_checked("#color-rule input[value=green_up]")
        assert (_colour(page, "#color-rule .rise"), _colour(page, "#color-rule .fall")) == (GREEN, RED)
    finally:
        page.check("#color-rule input[value=red_up]")
        page.click("#color-rule button[type=submit]")
        page.wait_for_load_state()
