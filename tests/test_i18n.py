"""The Chinese catalog is complete: every string translated, nothing fuzzy, the compiled .mo up to date."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[1] / "src/shopops"
# The project catalog plus one per app that keeps its own (makemessages writes each string to the
# nearest locale/ directory above its file).
CATALOGS = sorted(PACKAGE.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def _entries(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(["msgattrib", *flags, "--no-wrap", str(po)], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line.startswith('msgid "') and line != 'msgid ""']


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext tools not installed")
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_string_is_translated_and_nothing_is_fuzzy(po):
    assert _entries(po, "--untranslated") == []
    assert _entries(po, "--only-fuzzy") == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools not installed")
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_compiled_catalog_matches_the_source(po):
    compiled = subprocess.run(["msgfmt", "--check", "-o", "-", str(po)], capture_output=True, check=True).stdout
    assert compiled == po.with_suffix(".mo").read_bytes(), "run: django-admin compilemessages -l zh_Hans"


def test_key_terms_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("GMV") == "支付金额"
        assert translation.gettext("AOV") == "客单价"
        assert translation.gettext("Paid orders") == "支付订单数"
    with translation.override("en"):
        assert translation.gettext("AOV") == "AOV"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_every_source_string_is_in_the_catalog(tmp_path):
    """Run makemessages on a copy of the package: it must find no string the catalog lacks."""
    import os
    import sys

    copy = tmp_path / "shopops"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shopops.settings", "SHOPOPS_DATA_DIR": str(tmp_path / "data")}
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location",
                    "--no-obsolete"], cwd=copy, env=env, check=True, capture_output=True)
    missing = [f"{fresh.relative_to(copy)}: {entry}"
               for fresh in sorted(copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
               for entry in _entries(fresh, "--untranslated")]
    assert missing == [], "new strings need a translation: run makemessages -l zh_Hans (in the app) and translate"
