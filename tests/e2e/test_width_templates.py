"""The rules that keep pages inside the window, checked in the sources (no browser needed).

Every table sits in a box that scrolls (``<div class="table-wrap">``, app.css), so a wide table scrolls there
and never makes the page wider than the window (tests/e2e/test_width.py measures it in Chromium). A change is
coloured by direction with one pair of classes (``rise``/``fall``), never by the older ad-hoc names.
"""

from __future__ import annotations

import re
from pathlib import Path

import shopops

SRC = Path(shopops.__file__).parent
# Boxes that scroll a table: the shared one, and the campaign plan form's own (campaigns/plan_form.css).
SCROLL_BOX = re.compile(r'<div class="(table-wrap|table-scroll)">\s*$')
OLD_DELTA_CLASSES = re.compile(r'class="[^"]*\b(up|down|positive|negative|text-success|text-danger)\b')


def _templates() -> list[Path]:
    return [p for p in SRC.rglob("*.html") if "templates" in p.parts]


def test_every_table_is_in_a_box_that_scrolls():
    loose = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            if not SCROLL_BOX.search(text[: match.start()]):
                loose.append(f"{path.relative_to(SRC)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert loose == [], "wrap these tables in <div class=\"table-wrap\">…</div>: " + ", ".join(loose)


def test_the_check_finds_a_loose_table():
    assert not SCROLL_BOX.search('<section class="panel">\n')
    assert SCROLL_BOX.search('<section class="panel"><div class="table-wrap">')


def test_the_stylesheet_scrolls_tables_and_keeps_the_first_column():
    css = (SRC / "ui/static/ui/app.css").read_text(encoding="utf-8")
    assert re.search(r"\.table-wrap \{[^}]*overflow-x:auto", css)
    assert re.search(r"tr > :first-child \{[^}]*position:sticky; left:0;[^}]*background:var\(--panel\)", css)


def test_changes_use_the_one_pair_of_direction_classes():
    sources = [*_templates(), *SRC.rglob("*.py"), *SRC.rglob("*.js")]
    found = [str(p.relative_to(SRC)) for p in sources
             if "migrations" not in p.parts and OLD_DELTA_CLASSES.search(p.read_text(encoding="utf-8"))]
    assert found == [], "colour a change with the rise/fall classes (ui templatetags RISE/FALL)"
