"""Chat completions on any OpenAI-compatible endpoint: retries, a persistent cache, accounting.

Used by the `openai:` judge and the `openai` model adapter. The official `openai` SDK talks to
`OPENAI_BASE_URL` (hosted OpenAI, a vLLM or Ollama server, ...) with `OPENAI_API_KEY`. Retries are
ours (the SDK's are switched off) so that they can be counted: 429, 5xx, timeouts, dropped
connections and unreadable bodies are retried with exponential backoff and jitter, honouring
`Retry-After` / `retry-after-ms`; other errors (400, 401, 404) are not. Successful completions are
stored in a SQLite cache keyed by model, prompt version and the full request, so a second run
makes no request at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.breaker import Breaker
from benchmark.errors import EndpointDown, UsageError
from benchmark.paths import cache_root, shared_sqlite

#: USD per 1M tokens (input, output) of hosted models, for cost accounting; others are unpriced.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
NO_ANSWER_STATUSES = frozenset({502, 503, 504})  # a proxy with nothing behind it


class RequestFailed(RuntimeError):
    """A request that failed for good (after retries, or not retryable)."""


class CacheMiss(LookupError):
    """Raised by `complete(..., cached_only=True)` when the reply is not cached."""


@dataclass
class Usage:
    """What talking to the endpoint cost: requests, retries, cache hits, tokens, dollars."""

    requests: int = 0
    retries: int = 0
    cache_hits: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for key, value in counts.items():
                setattr(self, key, getattr(self, key) + value)

    def as_dict(self, model: str) -> dict[str, Any]:
        price = PRICES.get(model)
        cost = None
        if price is not None:
            cost = round(
                (self.prompt_tokens * price[0] + self.completion_tokens * price[1]) / 1e6, 6
            )
        return {
            "requests": self.requests,
            "retries": self.retries,
            "cache_hits": self.cache_hits,
            "failures": self.failures,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": cost,
        }


class ResponseCache:
    """A SQLite table of completions, safe for threads and for several processes (WAL mode)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = shared_sqlite(
            self.path, "completions (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )

    @staticmethod
    def key(*parts: Any) -> str:
        return hashlib.sha256(
            json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()

    def get(self, key: str) -> str | None:
        with (
            self._lock
        ):  # fetchall: a half-read cursor would keep a transaction open and hold writes
            rows = self._db.execute(
                "SELECT value FROM completions WHERE key = ?", (key,)
            ).fetchall()
        return rows[0][0] if rows else None

    def put(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO completions (key, value) VALUES (?, ?)", (key, value)
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM completions").fetchall()[0][0]


def default_cache_path() -> Path:
    return cache_root() / "openai-cache.sqlite"


class ChatClient:
    """One model on one endpoint."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        cache: ResponseCache | None = None,
    ) -> None:
        import openai

        self.model = model
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL")
        api_key = api_key or os.environ.get("OPENAI_API_KEY")
        if not api_key:
            where = self.base_url or "api.openai.com"
            raise UsageError(
                f"OPENAI_API_KEY is not set: the {model!r} endpoint ({where}) needs one. "
                "Export OPENAI_API_KEY (any non-empty value for a local server that checks none)."
            )
        self._openai = openai
        self.client = openai.OpenAI(
            api_key=api_key, base_url=self.base_url, timeout=timeout, max_retries=0
        )
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.cache = cache
        self.usage = Usage()
        self.breaker = Breaker(self.base_url or "api.openai.com")

    def check(self, attempts: int = 3) -> None:
        """Fail fast, before the first sample, when the endpoint rejects the key or cannot be
        reached at all (`attempts` tries, a second apart)."""
        for attempt in range(attempts):
            try:
                self.client.models.list()
                return
            except self._openai.AuthenticationError as exc:
                raise UsageError(
                    f"the API key was rejected by {self.breaker.url} ({exc.status_code}): "
                    "check OPENAI_API_KEY"
                ) from None
            except self._openai.APIConnectionError as exc:  # refused, no route, DNS, timeout
                if attempt + 1 == attempts:
                    raise EndpointDown(
                        f"cannot reach {self.breaker.url} ({_short(str(exc))}): is the server "
                        "running, and is OPENAI_BASE_URL (or base_url=) its address?"
                    ) from None
                time.sleep(1.0)
            except self._openai.APIError:
                return  # a server without /models: requests will tell

    def complete(
        self,
        messages: list[dict[str, Any]],
        *,
        version: str = "",
        cached_only: bool = False,
        **params: Any,
    ) -> str:
        """The assistant's reply; cached by (model, version, messages, params). With `cached_only`,
        a reply that is not in the cache raises CacheMiss instead of making a request."""
        key = ""
        if self.cache is not None:
            key = ResponseCache.key(self.model, version, messages, params)
            if (hit := self.cache.get(key)) is not None:
                self.usage.add(cache_hits=1)
                return hit
        if cached_only:
            raise CacheMiss(key)
        content = self._request(messages, params)
        if self.cache is not None:
            self.cache.put(key, content)
        return content

    def _request(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> str:
        openai = self._openai
        for attempt in range(self.max_retries + 1):
            self.breaker.check()
            self.usage.add(requests=1)
            try:
                reply = self.client.chat.completions.create(
                    model=self.model, messages=messages, **params
                )
                self.breaker.answered()
                content = reply.choices[0].message.content
                if content is None:
                    raise RequestFailed("the reply has no message content")
                if reply.usage is not None:
                    self.usage.add(
                        prompt_tokens=reply.usage.prompt_tokens or 0,
                        completion_tokens=reply.usage.completion_tokens or 0,
                    )
                return content
            except openai.APIStatusError as exc:
                if exc.status_code in NO_ANSWER_STATUSES:
                    self.breaker.failed(f"HTTP {exc.status_code}")
                else:
                    self.breaker.answered()
                if exc.status_code not in RETRY_STATUSES or attempt == self.max_retries:
                    self.usage.add(failures=1)
                    raise RequestFailed(f"HTTP {exc.status_code}: {_short(exc.message)}") from None
                wait = _retry_after(exc.response) or self._backoff(attempt)
            except (
                openai.APITimeoutError,  # timeouts, dropped connections, unreadable bodies
                openai.APIConnectionError,
                openai.APIResponseValidationError,
                *_MALFORMED,
            ) as exc:
                if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
                    self.breaker.failed(f"{type(exc).__name__}: {_short(str(exc))}")
                if attempt == self.max_retries:
                    self.usage.add(failures=1)
                    raise RequestFailed(f"{type(exc).__name__}: {_short(str(exc))}") from None
                wait = self._backoff(attempt)
            self.usage.add(retries=1)
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * 2**attempt) * random.uniform(0.5, 1.5)


#: What a reply that is not a chat completion (an HTML page, cut-off JSON) raises when read.
_MALFORMED = (json.JSONDecodeError, AttributeError, IndexError, TypeError)


class InvalidReply(ValueError):
    """A reply that is not the JSON object expected (after one repair request)."""


def json_object(content: str) -> dict[str, Any]:
    """The JSON object of a reply (a ```json fence around it is tolerated)."""
    text = re.sub(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", r"\1", content.strip(), flags=re.S)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidReply(f"not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise InvalidReply("not a JSON object")
    return data


def ask_json(
    client: ChatClient, messages: list[dict], validate, *, version: str, cached_only: bool = False
):
    """Complete `messages`, parse the reply as a JSON object and `validate` it (raising
    InvalidReply); an unusable reply gets one repair request, then InvalidReply propagates."""
    params = {"temperature": 0, "response_format": {"type": "json_object"}}
    content = client.complete(messages, version=version, cached_only=cached_only, **params)
    try:
        return validate(json_object(content))
    except InvalidReply as first:
        repair = [
            *messages,
            {"role": "assistant", "content": content},
            {
                "role": "user",
                "content": f"That reply was not usable ({first}). Reply with only the JSON object.",
            },
        ]
        content = client.complete(repair, version=version, cached_only=cached_only, **params)
        try:
            return validate(json_object(content))
        except InvalidReply as second:
            raise InvalidReply(f"{second} (after one repair request)") from None


def _retry_after(response) -> float | None:
    """Seconds to wait as the server asks (`retry-after-ms`, or `Retry-After` in seconds)."""
    headers = getattr(response, "headers", None) or {}
    for name, scale in (("retry-after-ms", 1e-3), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue
    return None


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
