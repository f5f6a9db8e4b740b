"""Path converters of the web pages.

``<code:…>`` carries a seller code (SKU, SPU, category) as one path segment, whatever the code holds. New
codes follow the code rule (``core.domain.code_problem``), but rows written before it, or by hand, may hold
``/``, ``?``, ``#``, ``%``, spaces or be ``..``; a page listing such a row must still link it, and the link
must lead back to it.

How: ``to_url`` escapes ``%`` and ``/`` (and the dots of a ``.``/``..`` segment) as ``%25``/``%2F``/``%2E``;
``reverse()`` then percent-encodes the rest as usual (``%`` → ``%25``, ``?`` → ``%3F``, CJK → UTF-8), so the
URL holds ``%252F``. The server decodes the path once, the segment is ``U2%2F1`` again (no ``/``), and
``to_python`` undoes exactly the escapes of ``to_url``. Plain codes keep plain URLs (``/stock/sku/SC-01/``).
"""

from __future__ import annotations

import re

from django.urls import register_converter

_UNESCAPE = re.compile(r"%(25|2[Ff]|2[Ee])")
_CHARS = {"25": "%", "2F": "/", "2E": "."}


class CodeConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return _UNESCAPE.sub(lambda m: _CHARS[m.group(1).upper()], value)

    def to_url(self, value: object) -> str:
        text = str(value)
        if not text:
            raise ValueError("an empty code has no page")
        text = text.replace("%", "%25").replace("/", "%2F")
        if text in (".", ".."):  # a dot segment: browsers would drop it and leave the page
            text = text.replace(".", "%2E")
        return text


register_converter(CodeConverter, "code")  # once, at import: every urls module imports this one
