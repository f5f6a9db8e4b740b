"""Nothing is wider than the window: every admin page at 1,366 px has no horizontal page scroll.

The pages are the role walk's (tests/web/test_role_walk.py PAGES, every one the admin opens); pages that need
an id (one order, one campaign and its simulation, one PO, one SKU's stock…) are reached by following the links
of the pages already visited, as an operator would. Wide tables scroll inside their own box (app.css
``.table-wrap``), so the page itself never does.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from tests.e2e.test_browser import login, wait_for_panels
from tests.web.test_role_walk import PAGES

pytestmark = pytest.mark.e2e

WIDTH = 1366
# Answers that are files, not pages.
DOWNLOADS = {"web:import_catalog_template", "web:import_errors", "web:briefing_xlsx"}
# Fragments loaded into their pages (ui/_lazy.html, or on demand like a reply template's text on a ticket):
# measured there, once they have arrived.
PANELS = {"web:dashboard_kpis", "web:dashboard_month", "web:analytics_traffic_panel",
          "web:analytics_gmv_explain_panel", "web:inventory_replenishment_panel", "web:service_template_render",
          "web:keywords_suggestion", "competitors:rivals", "listings:health_progress", "listings:title_history"}
ADMIN_PAGES = {name for name, (by_role, _anonymous) in PAGES.items()
               if by_role.get("admin") == 200 and name not in DOWNLOADS | PANELS}

# The widest element that sticks out of the window, named so the failure message says what to fix.
OVERFLOW = """() => {
  const limit = window.innerWidth, doc = document.documentElement;
  if (doc.scrollWidth <= limit) return null;
  let widest = null, width = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right + window.scrollX > limit + 1 && r.width > width) { widest = el; width = r.width; }
  }
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const path = [];
  for (let el = widest; el && el !== document.body && path.length < 4; el = el.parentElement) path.unshift(name(el));
  return {scroll: doc.scrollWidth, window: limit, widest: path.join(' > '), width: Math.round(width)};
}"""


def _url_name(href: str) -> str | None:
    path = urlsplit(href).path
    try:
        match = resolve(unquote(path)) if path.startswith("/") else None
    except Resolver404:
        return None
    return match.view_name if match else None


def _needs_args(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return True
    return False


@pytest.mark.parametrize("language", ["zh-hans", "en"])  # English labels are longer
def test_every_admin_page_fits_a_1366_px_window(browser, server, language):
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        login(page, server, "admin")
        _switch_language(page, language)
        queue = [reverse(name) for name in sorted(ADMIN_PAGES) if not _needs_args(name)]
        seen_names: set[str] = set()
        seen_urls: set[str] = set()
        too_wide: list[str] = []
        while queue:
            url = queue.pop(0)
            name = _url_name(url)
            if url in seen_urls or name in seen_names or name not in ADMIN_PAGES:
                continue
            seen_urls.add(url)
            seen_names.add(name)
            response = page.goto(server + url)
            assert response is not None and response.status == 200, url
            page.wait_for_load_state("networkidle")  # the charts draw (and take their width) on load
            wait_for_panels(page)  # and the panels loaded after the page (ui/_lazy.html) have arrived
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                too_wide.append(f"{name} {url}: page {overflow['scroll']} px > window {overflow['window']} px, "
                                f"widest {overflow['widest']} ({overflow['width']} px)")
            hrefs = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
            queue += [h for h in hrefs if _url_name(h) in ADMIN_PAGES - seen_names]
        assert too_wide == [], "\n".join(too_wide)
        assert seen_names == ADMIN_PAGES, f"pages no link leads to: {sorted(ADMIN_PAGES - seen_names)}"
    finally:
        _switch_language(page, "zh-hans")  # the language is the user's: leave it as the other tests expect
        context.close()


def _switch_language(page, language: str) -> None:
    button = page.locator(f"button[name=language][value={language}]")
    if button.count():
        button.click()
        page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == language
