"""The group robots' rules — 企业微信 (wecom), 钉钉 (dingtalk), 飞书 (feishu) custom robots: which webhook
addresses are accepted, how each platform signs a request, the body each one takes, how long a message may be
and how each one says "done". Pure: no Django, no I/O (docs/rules/group-robots.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlencode, urlsplit

from shopops.core.text import Text, gettext_noop

WECOM, DINGTALK, FEISHU = "wecom", "dingtalk", "feishu"
KINDS = (WECOM, DINGTALK, FEISHU)
SIGNED = (DINGTALK, FEISHU)  # the platforms with an optional signing secret (加签)
# How long a message may be, in UTF-8 bytes: 企业微信 markdown content at most 4096; 钉钉 and 飞书 bodies
# stay well under their 20 KB request limits (the JSON and the signature travel with the text).
LIMIT_BYTES = {WECOM: 4096, DINGTALK: 18000, FEISHU: 15000}
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAX_URL = 1000
MAX_ANSWER = 300  # characters of a platform's answer kept in the sent log


def webhook_problem(url: str) -> Text | None:
    """Why ``url`` cannot be a robot's webhook, or None. https only (plain http only to this machine)."""
    text = url.strip()
    if not text:
        return gettext_noop("Enter the robot's webhook address.")
    if len(text) > MAX_URL or any(ch.isspace() for ch in text):
        return gettext_noop("Not a webhook address (at most %(n)s characters, no spaces).", n=MAX_URL)
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return gettext_noop("Not a webhook address (at most %(n)s characters, no spaces).", n=MAX_URL)
    if not host or parts.username or parts.password:
        return gettext_noop("Not a webhook address: it needs a host name.")
    if parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK):
        return None
    return gettext_noop("A webhook address must start with https://.")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉: base64(HMAC-SHA256 keyed by the secret over "timestamp\\nsecret"), before URL-encoding."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """飞书: base64(HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message)."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def cut_lines(lines: list[str], limit_bytes: int, more: str) -> list[str]:
    """As many whole lines as fit in ``limit_bytes`` (joined by newlines), then ``more`` when some were left
    out: a message is never cut inside a line or a character."""
    budget = limit_bytes - len(more.encode()) - 1
    kept: list[str] = []
    used = 0
    for line in lines:
        size = len(line.encode()) + (1 if kept else 0)
        if used + size > budget:
            kept.append(more)
            return kept
        kept.append(line)
        used += size
    return kept


def robot_request(kind: str, url: str, *, title: str, markdown: list[str], plain: list[str], more: str,
                  secret: str = "", now_s: float) -> tuple[str, dict]:
    """The address and JSON body of one message: markdown lines for 企业微信/钉钉, plain lines (a 飞书 rich
    text post, one paragraph a line) for 飞书, each cut to its platform's size; signed when a secret is set."""
    if kind == WECOM:
        content = "\n".join(cut_lines(markdown, LIMIT_BYTES[WECOM], more))
        return url, {"msgtype": "markdown", "markdown": {"content": content}}
    if kind == DINGTALK:
        text = "\n".join(cut_lines(markdown, LIMIT_BYTES[DINGTALK], more))
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        if secret:
            stamp = int(now_s * 1000)
            query = urlencode({"timestamp": stamp, "sign": dingtalk_sign(secret, stamp)})
            url = f"{url}{'&' if urlsplit(url).query else '?'}{query}"
        return url, body
    if kind == FEISHU:
        paragraphs = [[{"tag": "text", "text": line}] for line in cut_lines(plain, LIMIT_BYTES[FEISHU], more)]
        feishu: dict = {"msg_type": "post",
                        "content": {"post": {"zh_cn": {"title": title, "content": paragraphs}}}}
        if secret:
            stamp = int(now_s)
            feishu = {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp), **feishu}
        return url, feishu
    raise ValueError(kind)


def judge_answer(kind: str, status: int | None, body: bytes | str) -> tuple[bool, str]:
    """Whether the platform took the message, and its answer in short. 钉钉/企业微信 say ``{"errcode": 0}``,
    飞书 ``{"code": 0}`` (older robots ``{"StatusCode": 0}``); anything else is a failure with their message."""
    raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return False, f"HTTP {status}: {raw.strip()}"[:MAX_ANSWER]
    if kind == FEISHU:
        code = data.get("code", data.get("StatusCode"))
        message = data.get("msg") or data.get("StatusMessage") or ""
    else:
        code, message = data.get("errcode"), data.get("errmsg") or ""
    ok = status == 200 and type(code) is int and code == 0
    return ok, f"HTTP {status}: {code} {message}".strip()[:MAX_ANSWER]


def mask_secret(secret: str) -> str:
    """A secret as shown on pages: that one is set, and its last characters when it is long enough to spare."""
    if not secret:
        return ""
    return "••••••" + (secret[-4:] if len(secret) >= 16 else "")


def mask_url(url: str) -> str:
    """A webhook address as shown on pages: its token (query values, a long last path part) hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "••••••"
    path = parts.path
    head, _sep, last = path.rpartition("/")
    if len(last) >= 16:
        path = f"{head}/{last[:4]}••••••"
    query = "&".join(f"{k}={v[:4]}••••••" if v else k for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{query}" if query else "")
