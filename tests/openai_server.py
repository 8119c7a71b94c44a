"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, for tests.

It answers like a competent judge (or chat model) and misbehaves on request: a marker in the
request text picks the behaviour, so one test can mix good and bad requests.

    [[429]]          first reply 429 with `Retry-After: 1`, then good
    [[429ms]]        first reply 429 with `retry-after-ms: 50`, then good
    [[500]]          first two replies 500, then good
    [[slow]]         first reply arrives after 1 s (past a short client timeout), then good
    [[truncated]]    every reply is cut off mid-body
    [[garbage]]      every reply is a 200 with an HTML body
    [[nonjson]]      the completion's content is never JSON
    [[nonjson-once]] the first content is not JSON; the repair request gets JSON

`die_after=N`: after N chat requests the server drops every connection without a reply (a
server that crashed behind its port); `alive = True` brings it back.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPAN = re.compile(r"(\d+(?:\.\d+)?)\s*(?:to|-)\s*(\d+(?:\.\d+)?)")


class FakeOpenAI:
    """`with FakeOpenAI() as server:` ... `server.base_url`, `server.requests`."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        api_key: str = "test-key",
        reply=None,
        die_after: int | None = None,
    ) -> None:
        self.latency = latency
        self.die_after = die_after
        self.alive = True
        self.api_key = api_key
        self.reply = reply or judge_reply
        self.requests: list[dict] = []
        self.times: list[float] = []
        self.attempts: Counter = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def chat_requests(self) -> int:
        return sum(1 for r in self.requests if r["path"].endswith("/chat/completions"))

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if not self._authorized():
                    return
                self._json(
                    200, {"object": "list", "data": [{"id": "judge-model", "object": "model"}]}
                )

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    if server.die_after is not None and server.chat_requests >= server.die_after:
                        server.alive = False
                        server.die_after = None
                    if not server.alive:
                        self.close_connection = True
                        return  # no status line at all: the client sees a dropped connection
                    server.requests.append({"path": self.path, "body": body})
                    server.times.append(time.monotonic())
                if not self._authorized():
                    return
                text = "\n".join(str(m.get("content")) for m in body.get("messages", []))
                marker = next((m for m in MARKERS if m in text), None)
                repair = any(m.get("role") == "assistant" for m in body.get("messages", []))
                with server._lock:
                    key = (marker, repair, text[:2000])
                    server.attempts[key] += 1
                    attempt = server.attempts[key]
                if server.latency:
                    time.sleep(server.latency)
                if marker == "[[429]]" and attempt == 1:
                    return self._json(
                        429, {"error": {"message": "rate limited"}}, {"Retry-After": "1"}
                    )
                if marker == "[[429ms]]" and attempt == 1:
                    return self._json(
                        429, {"error": {"message": "rate limited"}}, {"retry-after-ms": "50"}
                    )
                if marker == "[[500]]" and attempt <= 2:
                    return self._json(500, {"error": {"message": "boom"}})
                if marker == "[[slow]]" and attempt == 1:
                    time.sleep(1.0)
                if marker == "[[truncated]]":
                    payload = b'{"id": "x", "choices": [{"mess'
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "400")
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if marker == "[[garbage]]":
                    payload = b"<html><body>upstream proxy error</body></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if marker == "[[nonjson]]" or (marker == "[[nonjson-once]]" and not repair):
                    content = "Sure! The answer is relevant, I think."
                else:
                    content = server.reply(body)
                self._json(200, completion(body.get("model", "m"), content, text))

            def _authorized(self) -> bool:
                if (
                    server.api_key
                    and self.headers.get("Authorization") != f"Bearer {server.api_key}"
                ):
                    self._json(
                        401,
                        {"error": {"message": "invalid api key", "type": "invalid_request_error"}},
                    )
                    return False
                return True

            def _json(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


MARKERS = (
    "[[429ms]]",
    "[[429]]",
    "[[500]]",
    "[[slow]]",
    "[[truncated]]",
    "[[garbage]]",
    "[[nonjson-once]]",
    "[[nonjson]]",
)


def completion(model: str, content: str, prompt: str) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": len(prompt) // 4,
            "completion_tokens": len(content) // 4,
            "total_tokens": (len(prompt) + len(content)) // 4,
        },
    }


def judge_reply(body: dict) -> str:
    """What a sensible judge would answer to the refusal-bench judge prompts."""
    messages = body.get("messages", [])
    system = str(messages[0].get("content", "")) if messages else ""
    user = str(messages[1].get("content", "")) if len(messages) > 1 else ""
    response = user.split("Response:", 1)[-1] if "Response:" in user else user
    if "compare the reasoning" in system or "consistent the reasoning" in system:
        return json.dumps({"score": 4.0})
    if "temporal grounding" in system:
        answer = re.findall(r"<answer>(.*?)</answer>", response, re.S)
        scope = answer[-1] if answer else response
        span = SPAN.search(scope)
        if span and "does not" not in scope:
            return json.dumps(
                {"classification": "relevant", "span": [float(span[1]), float(span[2])]}
            )
        return json.dumps({"classification": "irrelevant", "span": None})
    if "multi-label classifier" in system:
        return json.dumps(
            {
                "categories": ["Object/ObjectExistence"]
                + (["Attribute/AttributeValue"] if "colour" in response else [])
            }
        )
    if "grade a model's answer" in system:
        answer = user.split("Model's answer:", 1)[-1].lower()
        refused = "cannot" in answer or "no " in answer
        if "reference answer:" in user.lower():
            reference = user.lower().split("reference answer:", 1)[-1].split("\n")[0].strip()
            return json.dumps(
                {
                    "verdict": "refused"
                    if refused
                    else ("correct" if reference in answer else "wrong")
                }
            )
        altered = user.lower().split("altered element:", 1)[-1].split("\n")[0].strip()
        if not refused:
            return json.dumps({"verdict": "answered"})
        return json.dumps(
            {
                "verdict": "refused_right_reason"
                if altered and altered in answer
                else "refused_wrong_reason"
            }
        )
    return "Hello from the test server."
