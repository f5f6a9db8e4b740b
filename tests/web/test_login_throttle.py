"""Log-in throttling: after too many wrong passwords the log-in is paused, on the log-in page, with a reason."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from shopops.core.services import token_create
from tests.conftest import PASSWORD

LIMIT = settings.AXES_FAILURE_LIMIT


def _client(address: str) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post("/login/", {"username": username, "password": "wrong-password"})


def test_the_settings_are_sensible():
    assert 5 <= LIMIT <= 10
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.")


def test_after_too_many_wrong_passwords_the_right_one_is_refused_with_a_reason(db, user_of):
    attacker = _client("10.0.0.1")
    _fail(attacker, "operator", LIMIT - 1)
    assert attacker.post("/login/", {"username": "operator", "password": "wrong"}).status_code == 429
    response = attacker.post("/login/", {"username": "operator", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-in attempts" in html and "15 minutes" in html
    assert 'name="password"' in html  # the log-in page itself, not a bare text
    assert attacker.get("/").status_code == 302  # not logged in
    # Another user from the same address is paused too (per address) ...
    assert attacker.post("/login/", {"username": "viewer", "password": PASSWORD}).status_code == 429
    # ... but nobody elsewhere: the attacker cannot lock the real operator out.
    for username in ("viewer", "operator"):
        elsewhere = _client("10.0.0.2")
        assert elsewhere.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
        assert elsewhere.get("/").status_code == 200


def test_the_page_is_in_chinese_by_default(db):
    client = Client(REMOTE_ADDR="10.0.0.3")
    _fail(client, "operator", LIMIT)
    response = client.get("/login/")
    assert response.status_code == 200  # looking at the page is not a log-in attempt
    response = client.post("/login/", {"username": "operator", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录" in response.content.decode()


def test_a_successful_log_in_resets_the_count(db):
    client = _client("10.0.0.4")
    _fail(client, "operator", LIMIT - 1)
    assert client.post("/login/", {"username": "operator", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    _fail(client, "operator", LIMIT - 1)
    assert client.post("/login/", {"username": "operator", "password": PASSWORD}).status_code == 302


def test_api_tokens_are_not_affected(db, user_of):
    _fail(_client("10.0.0.5"), "operator", LIMIT)
    _token, clear = token_create(user=user_of("operator"), name="erp")
    api = Client(REMOTE_ADDR="10.0.0.5", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert api.get("/api/v1/orders?limit=1").status_code == 200


@pytest.mark.parametrize(("command", "argument"), [("axes_reset_ip", "10.0.0.6"),
                                                   ("axes_reset_ip_username", ("10.0.0.6", "operator"))])
def test_an_administrator_can_unlock(db, command, argument):
    client = _client("10.0.0.6")
    _fail(client, "operator", LIMIT)
    assert client.post("/login/", {"username": "operator", "password": PASSWORD}).status_code == 429
    call_command(command, *([argument] if isinstance(argument, str) else argument), verbosity=0)
    assert client.post("/login/", {"username": "operator", "password": PASSWORD}).status_code == 302


def test_the_test_clients_login_works_with_a_request(db):
    """The throttle needs the request: tests use `force_login`, or `login(request=HttpRequest(), ...)`."""
    client = Client()
    assert client.login(request=HttpRequest(), username="operator", password=PASSWORD)
    assert client.get("/").status_code == 200
