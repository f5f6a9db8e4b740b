"""Content-Security-Policy: every response carries a policy without inline script, and no template needs one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.web.test_role_walk import PAGES, _sample_kwargs, page_url

SRC = Path(__file__).resolve().parents[2] / "src" / "shopops"
TEMPLATES = sorted(p for p in SRC.glob("**/templates/**/*.html"))


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(response) -> None:
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"], policy
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    for values in policy.values():
        assert "'unsafe-eval'" not in values and "*" not in values


def test_every_page_carries_the_policy(client_as, shop):
    client = client_as("admin")
    samples = _sample_kwargs(shop)
    for name in PAGES:
        _assert_strict(client.get(page_url(name, samples)))
    for url in ("/no-such-page/", "/api/v1/orders?limit=1", "/api/v1/docs", "/admin/"):
        _assert_strict(client.get(url))


def test_anonymous_pages_carry_the_policy(db):
    client = Client()
    for url in ("/login/", "/", "/no-such-page/", "/api/v1/health", "/admin/login/"):
        _assert_strict(client.get(url))


def test_the_api_docs_are_served_locally(client_as):
    html = client_as("admin").get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in html and "/static/ninja/" in html


def test_htmx_adds_no_inline_style(client_as):
    html = client_as("viewer").get("/orders/").content.decode()
    assert '"includeIndicatorStyles":false' in html.replace(" ", "")


SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text(encoding="utf-8")
    for attributes in SCRIPT.findall(text):
        assert "src=" in attributes or 'type="application/json"' in attributes, f"inline <script{attributes}>"
    for tag in TAG.findall(text):
        assert not HANDLER.search(tag), f"inline event handler in {tag!r}"
        assert not re.search(r"\sstyle\s*=", tag), f"inline style in {tag!r}"
    assert "<style" not in text.lower()
    assert "javascript:" not in text.lower()


def test_the_templates_are_found():
    assert len(TEMPLATES) > 30 and any(p.name == "base.html" for p in TEMPLATES)


def test_python_code_writes_no_inline_handler_or_style():
    for path in SRC.glob("**/*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[a-z][^>]*\s(on[a-z]+|style)=", text), path


def test_the_style_hashes_match_the_bundled_plotly():
    """Plotly creates <style> elements at run time; the policy allows exactly their contents by hash.

    On a plotly upgrade this names the new hash to put in settings (PLOTLY_MAPLIBRE_STYLE).
    """
    import base64
    import hashlib

    import plotly
    from django.conf import settings

    bundle = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-elem"]
    creations = re.findall(r'createElement\("style"\)', bundle)
    assert len(creations) == 2, "plotly.js adds <style> elements in new places: check the CSP in a browser"
    assert 'n.appendChild(document.createTextNode(""))' in bundle  # the empty one, filled through the CSSOM
    texts = re.findall(r'createElement\("style"\);e\.id="[0-9a-f]+",e\.textContent=\'((?:[^\'\\]|\\.)*)\'', bundle)
    assert len(texts) == 1
    for text in ["", *texts]:
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        assert digest in allowed, f"plotly's <style> {text[:40]!r} needs {digest} in style-src-elem"
