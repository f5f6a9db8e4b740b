"""The shop a CLI command works on: ``--shop CODE``, else the install's first shop."""

from __future__ import annotations

from django.core.management.base import CommandError

from shopops.core.selectors import all_shops


def pick_shop(code: str | None):  # noqa: ANN201 (a core Shop)
    shops = all_shops()
    shop = shops.filter(code=code).first() if code else shops.first()
    if shop is None:
        raise CommandError(f"No shop {code!r}." if code else "No shop yet: run `shopops init` or `shopops demo`.",
                           returncode=2)
    return shop
