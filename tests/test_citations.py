"""Every rule the code cites is in the repository: ``docs/<file>.md#anchor`` names a file and a heading that
exist, and nothing cites notes outside the repository (the design notes or research files it was founded on)
or an issue number."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.quality  # about the source, not the database: run once

ROOT = Path(__file__).resolve().parents[1]
CITATION = re.compile(r"docs/((?:[\w-]+/)*[\w-]+\.md)(?:#([\w\-\u4e00-\u9fff]+))?")
OUTSIDE = re.compile(r"DESIGN\.md|domain-rules\.md|[a-z]+-anchors\.md|\.\./shared/|\bissue #?\d+", re.IGNORECASE)


def _sources() -> list[Path]:
    found = []
    for folder in ("src/shopops", "tests", "benchmarks", "scripts"):
        found += [p for p in (ROOT / folder).rglob("*") if p.suffix in {".py", ".html", ".sh", ".js"}
                  and "migrations" not in p.parts and p != Path(__file__).resolve()]
    return found


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LN")
    return kept.replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    """The anchors of a document: its headings' and its explicit ``<a id="…">`` ones."""
    text = doc.read_text()
    headings = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
    return {_slug(h) for h in headings} | set(re.findall(r'<a id="([^"]+)"', text))


def test_every_cited_document_and_anchor_exists():
    missing = []
    for source in _sources():
        for match in CITATION.finditer(source.read_text(errors="replace")):
            doc = ROOT / "docs" / match.group(1)
            anchor = match.group(2)
            if not doc.is_file():
                missing.append(f"{source.relative_to(ROOT)}: docs/{match.group(1)} does not exist")
            elif anchor and anchor not in _anchors(doc):
                missing.append(f"{source.relative_to(ROOT)}: docs/{match.group(1)} has no heading #{anchor}")
    assert missing == [], "\n".join(missing)


def test_nothing_cites_notes_outside_the_repository():
    outside = [f"{p.relative_to(ROOT)}:{n}: {line.strip()[:80]}" for p in _sources()
               for n, line in enumerate(p.read_text(errors="replace").splitlines(), 1) if OUTSIDE.search(line)]
    assert outside == [], "\n".join(outside)


def test_the_slug_follows_github():
    assert _slug("Allocation of order-level discounts") == "allocation-of-order-level-discounts"
    assert _slug("Scale-out") == "scale-out"
    assert _slug("GMV = UV × CVR × AOV") == "gmv--uv--cvr--aov"
