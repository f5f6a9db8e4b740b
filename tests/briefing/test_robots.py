"""The three robot formats: bodies, signatures checked by a local server as each platform checks them, size
limits, answers judged as each platform means them, addresses refused unless https (or this machine)."""

from __future__ import annotations

import json
import time

import pytest

from shopops.briefing.domain import (
    LIMIT_BYTES,
    cut_lines,
    judge_answer,
    mask_secret,
    mask_url,
    robot_request,
    webhook_problem,
)
from shopops.briefing.transport import post_json

TITLE = "演示店 日报 2026-11-20"
MARKDOWN = ["### 演示店 日报", "- 支付金额 ¥1,234.00 (较前一日 ▲3.0%)"]
PLAIN = ["支付金额 ¥1,234.00 (较前一日 ▲3.0%)", "待办 3"]
MORE = "… 更多见日报页面"


def _send(kind: str, url: str, secret: str = "") -> tuple[int | None, bytes]:
    address, body = robot_request(kind, url, title=TITLE, markdown=MARKDOWN, plain=PLAIN,
                                  more=MORE, secret=secret, now_s=time.time())
    return post_json(address, body)


def test_wecom_markdown_body(robots):
    status, answer = _send("wecom", f"{robots.base}/wecom/send?key=abc")
    assert judge_answer("wecom", status, answer) == (True, "HTTP 200: 0 ok")
    sent = robots.requests[-1]
    assert sent["body"] == {"msgtype": "markdown", "markdown": {"content": "\n".join(MARKDOWN)}}
    assert sent["query"] == {"key": ["abc"]} and sent["content_type"].startswith("application/json")


def test_dingtalk_signature_is_what_dingtalk_computes(robots):
    robots.secrets["/dingtalk/send"] = "SEC0123456789abcdef+/="
    status, answer = _send("dingtalk", f"{robots.base}/dingtalk/send?access_token=tok", secret="SEC0123456789abcdef+/=")
    assert judge_answer("dingtalk", status, answer)[0], answer
    sent = robots.requests[-1]
    assert sent["body"] == {"msgtype": "markdown", "markdown": {"title": TITLE, "text": "\n".join(MARKDOWN)}}
    assert sent["query"]["access_token"] == ["tok"] and len(sent["query"]["timestamp"][0]) == 13  # milliseconds
    status, answer = _send("dingtalk", f"{robots.base}/dingtalk/send?access_token=tok", secret="wrong secret")
    assert judge_answer("dingtalk", status, answer) == (False, "HTTP 200: 310000 sign not match")


def test_feishu_signature_is_what_feishu_computes(robots):
    robots.secrets["/feishu/hook/abc"] = "feishu-secret"
    status, answer = _send("feishu", f"{robots.base}/feishu/hook/abc", secret="feishu-secret")
    assert judge_answer("feishu", status, answer) == (True, "HTTP 200: 0 success")
    body = robots.requests[-1]["body"]
    assert body["msg_type"] == "post" and isinstance(body["timestamp"], str) and len(body["timestamp"]) == 10
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == TITLE and post["content"] == [[{"tag": "text", "text": line}] for line in PLAIN]
    status, answer = _send("feishu", f"{robots.base}/feishu/hook/abc", secret="another")
    ok, said = judge_answer("feishu", status, answer)
    assert not ok and "19021" in said and "sign match fail" in said


def test_unsigned_robots_send_no_signature(robots):
    _send("dingtalk", f"{robots.base}/dingtalk/plain?access_token=tok")
    _send("feishu", f"{robots.base}/feishu/plain")
    assert "sign" not in robots.requests[0]["query"] and "sign" not in robots.requests[1]["body"]


def test_answers_are_judged_as_each_platform_means_them():
    assert judge_answer("feishu", 200, b'{"StatusCode": 0, "StatusMessage": "success"}')[0]
    assert not judge_answer("feishu", 200, b'{"errcode": 0}')[0]  # not how feishu says yes
    assert not judge_answer("wecom", 200, b'{"errcode": false}')[0]
    assert not judge_answer("wecom", 500, b'{"errcode": 0}')[0]
    ok, said = judge_answer("wecom", 502, b"<html>Bad gateway</html>")
    assert not ok and said == "HTTP 502: <html>Bad gateway</html>"
    assert judge_answer("dingtalk", None, b"ConnectionRefusedError: refused") == (
        False, "HTTP None: ConnectionRefusedError: refused")


def test_a_refused_connection_is_an_answer_not_an_exception():
    status, answer = post_json("http://127.0.0.1:9/nothing-listens", {"x": 1}, timeout=2)
    assert status is None and answer


def test_wecom_content_is_cut_politely_to_4096_bytes():
    lines = [f"- 第{i}项 {'很长的标题' * 10}" for i in range(200)]
    _url, body = robot_request("wecom", "https://example.com/x", title=TITLE, markdown=lines, plain=[], more=MORE,
                               now_s=0)
    content = body["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096 and content.endswith(MORE)
    assert all(line in lines for line in content.split("\n")[:-1])  # whole lines only
    assert cut_lines(["a", "b"], LIMIT_BYTES["wecom"], MORE) == ["a", "b"]


@pytest.mark.parametrize(("url", "ok"), [
    ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", True),
    ("https://oapi.dingtalk.com/robot/send?access_token=x", True),
    ("http://127.0.0.1:8000/hook", True),
    ("http://localhost/hook", True),
    ("http://oapi.dingtalk.com/robot/send?access_token=x", False),
    ("ftp://example.com/x", False),
    ("https://", False),
    ("https://user:pw@example.com/x", False),
    ("https://example.com/a b", False),
    ("", False),
])
def test_webhook_addresses(url, ok):
    assert (webhook_problem(url) is None) is ok


def test_secrets_and_tokens_are_masked():
    assert mask_secret("") == "" and "abcdefgh" not in mask_secret("abcdefgh")
    assert mask_secret("SEC0123456789abcdefXYZ1").endswith("XYZ1")
    shown = mask_url("https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123")
    assert "0123456789abcdef0123" not in shown and shown.startswith("https://oapi.dingtalk.com/robot/send?")
    shown = mask_url("https://open.feishu.cn/open-apis/bot/v2/hook/8f2e6c1a-0000-4bbb-9ccc-123456789abc")
    assert "123456789abc" not in shown and "/bot/v2/hook/" in shown
    assert json.dumps(mask_url("not a url"))
