"""Requests as one principal or another (a session, a Bearer token, both), shared by the principal and two-shop
walks."""

from __future__ import annotations

import re

from django.test import Client


def endpoint_url(template: str, values: dict[str, object]) -> str:
    """The path with its placeholders filled (a converter such as ``{path:sku_code}`` taken off first)."""
    return re.sub(r"\{\w+:(\w+)\}", r"{\1}", template).format(**values)


def call(client: Client, method: str, url: str, **headers: str):
    """One request as the role walk sends it: a GET, or an empty JSON body (a no-op PATCH, an invalid POST that
    answers 422 after the auth checks)."""
    if method == "GET":
        return client.get(url, headers=headers)
    return client.generic(method, url, data="{}", content_type="application/json", headers=headers)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(clear: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {clear}"}
