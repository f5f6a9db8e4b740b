"""A local stand-in for the three robot platforms (http.server on 127.0.0.1, started by the tests): it checks
each request as the platform does — 钉钉's timestamp and sign in the query, 飞书's in the body — computing the
signature itself from the secret it was given, and answers in the platform's words."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class RobotServer:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.secrets: dict[str, str] = {}  # path → the secret the "platform" holds for that robot
        self.broken: set[str] = set()  # paths that answer with a platform error
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                body = json.loads(raw.decode("utf-8"))
                server.requests.append({"path": parts.path, "query": parse_qs(parts.query), "body": body,
                                        "content_type": self.headers.get("Content-Type", "")})
                answer = server.answer(parts.path, parse_qs(parts.query), body)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, path: str, query: dict, body: dict) -> dict:
        secret = self.secrets.get(path)
        if path.startswith("/dingtalk"):
            if path in self.broken:
                return {"errcode": 300001, "errmsg": "token is not exist"}
            if secret is not None:
                stamp = query.get("timestamp", [""])[0]
                sign = query.get("sign", [""])[0]  # parse_qs already URL-decoded it
                expected = base64.b64encode(hmac.new(secret.encode("utf-8"), f"{stamp}\n{secret}".encode(),
                                                     digestmod=hashlib.sha256).digest()).decode()
                if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600_000 or sign != expected:
                    return {"errcode": 310000, "errmsg": "sign not match"}
            return {"errcode": 0, "errmsg": "ok"}
        if path.startswith("/feishu"):
            if path in self.broken:
                return {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}
            if secret is not None:
                stamp = str(body.get("timestamp", ""))
                expected = base64.b64encode(hmac.new(f"{stamp}\n{secret}".encode(), digestmod=hashlib.sha256)
                                            .digest()).decode()
                if not stamp.isdigit() or abs(int(stamp) - time.time()) > 3600 or body.get("sign") != expected:
                    return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
            return {"code": 0, "msg": "success", "data": {}}
        if path in self.broken:
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        return {"errcode": 0, "errmsg": "ok"}

    def __enter__(self) -> RobotServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
