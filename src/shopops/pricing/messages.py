"""Pricing in the user's language: where the English texts of the pure engine and contract meet gettext.

``pricing.quote``, ``pricing.promotions`` and ``pricing.contract`` may not import Django, so they build every
reason and error with ``core.text.gettext_noop`` (English that keeps its msgid). The faces (the API, the
``shopops price`` command, the campaign pages) say them through this module, in the active language
(zh-Hans unless the request or ``--language`` asks for another).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from shopops.core.errors import InvalidInput
from shopops.core.i18n import said_errors, say
from shopops.pricing.contract import CartIn, render_quote
from shopops.pricing.quote import quote

__all__ = ["CartRequest", "quote_said", "said", "say"]


def said(exc: InvalidInput) -> InvalidInput:
    """The same problems, each message in the active language."""
    return InvalidInput(say(exc.detail), said_errors(exc.errors))


class CartRequest(CartIn):
    """A cart to quote: lines, promotions (one schema per ``type``), the instant ``at`` (default: now) and
    ``member``. A bad cart is a 422 naming every problem by its JSON path (``promotions[2].off``), in the
    request's language: ``CartIn`` as the API and the CLI read it."""

    @classmethod
    def read(cls, data: object) -> Self:
        try:
            return super().read(data)
        except InvalidInput as exc:
            raise said(exc) from None


def quote_said(cart: CartIn, *, now: dt.datetime) -> dict[str, Any]:
    """Quote a read cart at ``now`` (unless it names ``at``), rejection reasons in the user's language."""
    try:
        engine_cart = cart.to_cart(now=now)
    except InvalidInput as exc:
        raise said(exc) from None
    return render_quote(quote(engine_cart), say=say)
