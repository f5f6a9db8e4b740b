"""Every web page with hostile query parameters: no input gives a 5xx (the pages' twin of tests/api_fuzz).

The pages are every URL pattern of the ``web`` namespace (path parameters filled with real ids, as the role walk
does), fetched as admin on the test shop. The parameters a page reads are recorded during a clean first request
(``request.GET`` is swapped for a recording QueryDict), plus a list of common names. Each is then sent alone
with hostile values (bad, out-of-range and overflowing dates, huge numbers, quotes, long and unicode text,
repeats), all at once, with ``export=xlsx``/``csv``, and with hypothesis-generated text. A 5xx fails with the
URL and the traceback of every failing request.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterable
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopops.analytics.engine import Engine
from shopops.catalog.models import Product
from tests.web.test_role_walk import PAGES, _args, _sample_kwargs, _web_patterns

# Parameters many pages read; every page also gets the ones it was seen reading.
COMMON = ("from", "to", "vs", "by", "q", "page", "sort", "dir", "status", "channel", "export", "table", "limit",
          "period", "steps", "step", "window", "mode", "cohort", "active", "start", "sku", "date", "days",
          "format", "year", "month", "all", "source", "state", "location", "supplier", "category", "province",
          "min_orders", "refunded", "date_from", "date_to", "next", "metrics")

# Sent to every parameter a page reads, one parameter at a time.
HOSTILE = (
    "", "1", "-1", "0", "0001-01-01", "9999-12-31", "2026-13-45", "abc", "99999999999999999999", "x" * 5000,
    "' OR 1=1 --", "\u202e\ufeff😀销售额　２０２６", "../../etc/passwd", "2026-11-01..2026-11-30", "1e309",
)
# Also sent, to every parameter at once.
MORE = (
    " ", "2026-02-30", "-99999999999999999999", "nan", "inf", '"><script>alert(1)</script>', "9999-12-31..9999-12-31",
    "0001-01-01..0001-01-02", "..", "-", ",,,", "pv,pv", "0d", "999999d", "xlsx", "csv", "%", "\\", "null", "[]",
)
# With an export.
SHORT = ("", "1", "-1", "9999-12-31", "0001-01-01", "2026-13-45", "abc", "99999999999999999999", "x" * 500)


class RecordingQueryDict(QueryDict):
    """A QueryDict that remembers which keys the view asked for (by get, getlist, [] or ``in``)."""

    seen: set[str] = set()

    def __getitem__(self, key):
        RecordingQueryDict.seen.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        RecordingQueryDict.seen.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        RecordingQueryDict.seen.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        RecordingQueryDict.seen.add(key)
        return super().__contains__(key)


def _recording_get(self):
    if "_recorded_get" not in self.__dict__:
        self.__dict__["_recorded_get"] = RecordingQueryDict(self.environ.get("QUERY_STRING", ""),
                                                            encoding=self._encoding)
    return self.__dict__["_recorded_get"]


def _page_urls(shop) -> dict[str, str]:
    """url name → the page's URL, path parameters filled with real ids (as the role walk does)."""
    samples = _sample_kwargs(shop)
    urls = {}
    for name in sorted(_web_patterns()):
        short = name.split(":")[1]
        if short == "sku_edit":
            product = Product.objects.filter(shop=shop).first()
            urls[name] = reverse(name, args=[product.pk, product.skus.first().pk])
        else:
            key = name if name in samples else short  # a full name wins: two namespaces may share a short one
            urls[name] = reverse(name, args=_args(samples[key]) if key in samples else [])
    return urls


class Fuzzer:
    """GETs as admin; collects every 5xx (status or exception) with its URL and traceback."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.failures: list[str] = []
        self.requests = 0

    def get(self, url: str, params: Iterable[tuple[str, str]], headers: dict[str, str] | None = None) -> None:
        full = url + "?" + urlencode(list(params))
        self.requests += 1
        try:
            response = self.client.get(full, headers=headers)
        except Exception:
            self.failures.append(f"GET {full[:300]}\n{traceback.format_exc(limit=-12)}")  # the view's frames
            return
        if response.status_code >= 500:
            self.failures.append(f"GET {full[:300]}: {response.status_code}")

    def read_params(self, url: str) -> tuple[set[str], int]:
        """The parameters the page reads on a clean request, and that request's status."""
        RecordingQueryDict.seen = set()
        status = self.client.get(url).status_code
        return set(RecordingQueryDict.seen), status


@pytest.fixture
def fuzzer(client_as, monkeypatch, caplog):
    """The admin's client, with ``request.GET`` recording and each analytics query computed once per run.

    Most hostile values fall back to a page's defaults, so the same Ibis query would be compiled again and
    again (about a second each): the result of an identical query expression is reused. Every different
    query (a new channel, a new period) still runs; the views and templates run in full every time.
    """
    caplog.set_level(logging.ERROR, logger="django.request")  # thousands of expected 4xx warnings
    monkeypatch.setattr(WSGIRequest, "GET", property(_recording_get))
    tables: dict[tuple[str, str], object] = {}  # nothing is imported meanwhile: a lake table stays the same
    results: dict[object, object] = {}
    open_table, compute = Engine.lake_table, Engine.to_pyarrow

    def lake_table(self, name):
        if (self.name, name) not in tables:
            tables[(self.name, name)] = open_table(self, name)
        return tables[(self.name, name)]

    def to_pyarrow(self, expr):
        key = (self.name, expr.op())
        if key not in results:
            results[key] = compute(self, expr)
        return results[key]

    monkeypatch.setattr(Engine, "lake_table", lake_table)
    monkeypatch.setattr(Engine, "to_pyarrow", to_pyarrow)
    return Fuzzer(client_as("admin"))


def _report(fuzzer: Fuzzer) -> str:
    """Every failing request, one traceback per distinct (page, error) pair, then the other URLs."""
    shown: dict[tuple[str, str], str] = {}
    others = []
    for failure in fuzzer.failures:
        head, _sep, trace = failure.partition("\n")
        key = (head.split("?")[0], trace.strip().rsplit("\n", 1)[-1])
        if key in shown:
            others.append(head)
        else:
            shown[key] = failure
    return (f"{len(fuzzer.failures)} of {fuzzer.requests} requests answered 5xx:\n\n" + "\n\n".join(shown.values())
            + "\n\nAlso:\n" + "\n".join(others[:200]))


@pytest.mark.slow
def test_every_page_survives_hostile_query_parameters(shop, fuzzer):
    opened = {}
    for name, url in _page_urls(shop).items():
        read, opened[name] = fuzzer.read_params(url)
        every = sorted(read | set(COMMON))
        for value in HOSTILE + MORE:  # every parameter at once
            fuzzer.get(url, [(p, value) for p in every])
        for value in SHORT:  # with an export; as an htmx request (list pages answer with the table only)
            fuzzer.get(url, [*((p, value) for p in sorted(read - {"export"})), ("export", "xlsx")])
            fuzzer.get(url, [(p, value) for p in sorted(read)], headers={"HX-Request": "true"})
        fuzzer.get(url, [("export", "csv"), ("from", "1"), ("to", "9999-12-31")])
        for param in sorted(read):
            for value in HOSTILE:  # one parameter at a time
                fuzzer.get(url, [(param, value)])
            fuzzer.get(url, [(param, "1"), (param, "abc"), (param, "9999-12-31")])  # a repeated parameter
    assert not fuzzer.failures, _report(fuzzer)
    # the admin really saw the pages (a broken login would make every request a harmless redirect)
    closed = {name: status for name, status in opened.items() if PAGES[name][0]["admin"] == 200 and status != 200}
    assert not closed, closed


@pytest.fixture
def page_params(shop, fuzzer) -> list[tuple[str, list[str]]]:
    return [(url, sorted(fuzzer.read_params(url)[0] | {"from", "to", "export"})) for url in _page_urls(shop).values()]


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("SHOPOPS_PAGE_FUZZ_EXAMPLES", "60")), deadline=None, database=None,
          suppress_health_check=list(HealthCheck), derandomize=not os.environ.get("SHOPOPS_FUZZ_RANDOM"))
@given(data=st.data())
def test_pages_survive_generated_query_text(page_params, fuzzer, data):
    url, names = data.draw(st.sampled_from(page_params))
    text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
    params = data.draw(st.lists(st.tuples(st.sampled_from(names), text | st.sampled_from(HOSTILE + MORE)),
                                max_size=6))
    fuzzer.get(url, params)
    assert not fuzzer.failures, _report(fuzzer)


# --- what the fuzzing found quiet but unhelpful: a date filter that is not understood is said on the page ---


def _messages(html: str) -> list[str]:
    if '<ul class="messages">' not in html:
        return []
    block = html.split('<ul class="messages">', 1)[1].split("</ul>", 1)[0]
    return [item.split(">", 1)[1].removesuffix("</li>") for item in block.split("<li")[1:]]


def test_order_list_says_which_date_filter_it_did_not_understand(client_as):
    client = client_as("operator")
    response = client.get("/orders/", {"date_from": "2026-13-45", "date_to": "2026-11-20"})
    assert response.status_code == 200
    assert _messages(response.content.decode()) == ["付款起始日期: “2026-13-45”不是日期（YYYY-MM-DD）。"]
    reversed_ = client.get("/orders/", {"date_from": "2026-11-20", "date_to": "2026-11-01"}).content.decode()
    assert _messages(reversed_) == ["付款截止日期: 结束日期早于开始日期。"]
    assert _messages(client.get("/orders/", {"date_from": "2026-11-01"}).content.decode()) == []
    partial = client.get("/orders/", {"date_from": "abc"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and _messages(client.get("/orders/").content.decode()) == []
    export = client.get("/orders/", {"date_from": "abc", "export": "xlsx"})  # not a file of every order
    assert export["Content-Type"].startswith("text/html") and _messages(export.content.decode())
    assert client.get("/orders/", {"date_from": "2026-11-01", "export": "xlsx"}).content[:2] == b"PK"


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "日期: “abc”不是日期（YYYY-MM-DD）。"), ("9999-12-31", "日期: 请选择 2000-01-01 到 "),
    ("0001-01-01", "日期: 请选择 2000-01-01 到 "),
])
def test_dashboard_says_it_shows_yesterday_instead_of_a_bad_date(client_as, value, message):
    response = client_as("viewer").get("/", {"date": value})
    assert response.status_code == 200
    shown = _messages(response.content.decode())
    assert len(shown) == 1 and shown[0].startswith(message)
