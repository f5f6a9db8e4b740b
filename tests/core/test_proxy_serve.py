"""Production settings behind a TLS proxy: `X-Forwarded-Proto` counts only when a trusted proxy sends it.

The real `shopops serve` runs with `shopops.settings_production`; the test plays the proxy (it connects from
127.0.0.1 and sets the headers a proxy sets).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from shopops.core.management.commands.serve import behind_proxies, trusted_proxy_networks

SHOPOPS = str(Path(sys.executable).parent / "shopops")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _start(tmp_path: Path, trusted: str) -> tuple[subprocess.Popen, int]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "shopops.settings_production",
        "SHOPOPS_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "SHOPOPS_ALLOWED_HOSTS": "127.0.0.1",
        "SHOPOPS_DATA_DIR": str(tmp_path),
        "SHOPOPS_TRUSTED_PROXIES": trusted,
    })
    port = _free_port()
    process = subprocess.Popen([SHOPOPS, "serve", "--port", str(port), "--threads", "2"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, port


def _wait(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            _get(port, "/api/v1/health")
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("shopops serve did not start: " + process.stderr.read().decode()[-2000:]) from None
            time.sleep(0.3)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One server that trusts 127.0.0.1 (where the test connects from), one that trusts another address."""
    trusted = _start(tmp_path_factory.mktemp("trusted"), "127.0.0.1")
    untrusted = _start(tmp_path_factory.mktemp("untrusted"), "192.0.2.7, 10.20.0.0/16")
    try:
        for process, port in (trusted, untrusted):
            _wait(process, port)
        yield {"trusted": trusted[1], "untrusted": untrusted[1]}
    finally:
        for process, _port in (trusted, untrusted):
            process.terminate()
            process.wait(timeout=20)


def test_https_from_the_trusted_proxy_is_served_not_redirected(servers):
    response = _get(servers["trusted"], "/", {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.status == 302, response.getheader("Location")
    assert response.getheader("Location").startswith("/login/")
    # Django sees the request as secure: HSTS is sent only on secure requests.
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    login = _get(servers["trusted"], "/api/v1/health", {"X-Forwarded-Proto": "https"})
    assert login.status == 200


def test_plain_http_through_the_trusted_proxy_is_redirected_to_https(servers):
    response = _get(servers["trusted"], "/")
    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{servers['trusted']}/"


def test_a_client_that_is_not_a_trusted_proxy_cannot_claim_https(servers):
    response = _get(servers["untrusted"], "/", {"X-Forwarded-Proto": "https"})
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")


def _run(proxies: list[str], environ: dict) -> dict:
    seen: dict = {}

    def inner(env, start_response):
        seen.update(env)
        start_response("200 OK", [])
        return [b""]

    behind_proxies(inner, networks=trusted_proxy_networks(proxies))(
        {"wsgi.url_scheme": "http", "REMOTE_ADDR": "127.0.0.1", **environ}, lambda *a: None)
    return seen


def test_only_listed_proxies_set_the_scheme_and_client_address():
    proxies = ["10.0.0.0/8", "::1"]
    via_proxy = _run(proxies, {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_PROTO": "https",
                               "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"})
    assert via_proxy["wsgi.url_scheme"] == "https"
    assert via_proxy["REMOTE_ADDR"] == "203.0.113.9"  # the hop our proxy appended, not what the client wrote
    via_ipv6 = _run(proxies, {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_PROTO": "https"})
    assert via_ipv6["wsgi.url_scheme"] == "https"
    direct = _run(proxies, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_PROTO": "https",
                            "HTTP_X_FORWARDED_FOR": "10.1.2.3", "HTTP_X_FORWARDED_HOST": "evil.example"})
    assert direct["wsgi.url_scheme"] == "http" and direct["REMOTE_ADDR"] == "192.0.2.1"
    assert not any(key.startswith("HTTP_X_FORWARDED") for key in direct)
    nobody = _run([], {"HTTP_X_FORWARDED_PROTO": "https"})
    assert nobody["wsgi.url_scheme"] == "http" and "HTTP_X_FORWARDED_PROTO" not in nobody


@pytest.mark.parametrize("bad", ["*", "proxy.lan", "10.0.0.300", "0.0.0.0/0"])
def test_a_wrong_proxy_address_is_refused_with_its_value(bad):
    with pytest.raises(ImproperlyConfigured, match="SHOPOPS_TRUSTED_PROXIES"):
        trusted_proxy_networks([bad])
