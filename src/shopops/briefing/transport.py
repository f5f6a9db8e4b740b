"""One HTTP POST of JSON to a robot's webhook with the standard library: a timeout, no redirects (a webhook
that moves is a misconfigured one), the local proxy settings bypassed for this machine only, the answer read
up to a bound. Never raises for a network problem: the caller logs what happened."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from shopops.briefing.domain import LOOPBACK, webhook_problem

TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 64 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # the 3xx answer itself is returned (and judged a failure)


def post_json(url: str, body: dict, *, timeout: float = TIMEOUT_SECONDS) -> tuple[int | None, bytes]:
    """``(HTTP status, answer bytes)``; ``(None, reason)`` when no answer came (refused, timed out, bad URL)."""
    problem = webhook_problem(url)
    if problem is not None:
        return None, str(problem).encode()
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    proxies = urllib.request.ProxyHandler({} if urlsplit(url).hostname in LOOPBACK else None)
    opener = urllib.request.build_opener(proxies, _NoRedirect())
    try:
        with opener.open(request, timeout=timeout) as answer:
            return answer.status, answer.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(MAX_ANSWER_BYTES)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}".encode()
