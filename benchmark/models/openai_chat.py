"""`openai`: any OpenAI-compatible chat endpoint (hosted GPT-4o-class models, a vLLM or Ollama
server) watching sampled frames.

Each request sends the video first, as JPEG images each preceded by its time ("Frame at 12.5 s"),
then the task prompt, after a short system prompt (the RA-RFT inference layout). Requests run
concurrently (`concurrency`); retries, timeouts and token accounting come from
`benchmark.openai_client.ChatClient`.

    refusal-bench run --model openai --model-args model=gpt-4o-mini,frames=16 --tasks synth
"""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor

from benchmark.models.base import Model, Request
from benchmark.openai_client import ChatClient, ResponseCache, default_cache_path
from benchmark.video import FrameSpec


class OpenAIChat(Model):
    needs_frames = True

    def __init__(
        self,
        model: str = "",
        frames: int = 8,
        fps: float = 0.0,
        max_pixels: int = 448 * 448,
        concurrency: int = 8,
        max_tokens: int = 0,
        temperature: float | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        base_url: str = "",
        cache: str = "none",
        revision: str = "",
    ) -> None:
        if not model:
            raise ValueError("name the served model: --model-args model=NAME")
        self.name = f"openai:{model}"
        self.frame_spec = FrameSpec(
            num_frames=None if fps > 0 else frames,
            fps=fps or 2.0,
            max_frames=frames if fps > 0 else 768,
            total_pixels=None,
            max_pixels=max_pixels,
            min_pixels=28 * 28,
            multiple=28,
        )
        response_cache = None if cache == "none" else ResponseCache(cache or default_cache_path())
        self.client = ChatClient(
            model,
            base_url=base_url or None,
            timeout=timeout,
            max_retries=max_retries,
            cache=response_cache,
        )
        self.client.check()
        self.model = model
        self.concurrency = max(1, concurrency)
        self.batch_size = 4 * self.concurrency
        self.max_tokens = max_tokens  # 0: the task's max_new_tokens
        self.temperature = temperature  # None: the task's
        self.revision = revision or None

    def generate(self, requests: list[Request], encoded: list | None = None) -> list[str]:
        chats = encoded if encoded is not None else self.encode(requests)
        with ThreadPoolExecutor(self.concurrency) as pool:
            return list(pool.map(self._one, requests, chats))

    def encode(self, requests: list[Request]) -> list[list[dict]]:
        """Each request's messages, its frames encoded as JPEG (on the runner's decode-ahead
        thread, while the requests of the batch before are in flight)."""
        return [messages(request) for request in requests]

    def _one(self, request: Request, chat: list[dict]) -> str:
        from benchmark.openai_client import RequestFailed

        generation = request.generation.overridden(
            max_new_tokens=self.max_tokens, temperature=self.temperature
        )
        params: dict = {
            "max_tokens": generation.max_new_tokens,
            "temperature": generation.temperature,
        }
        if generation.until:
            params["stop"] = list(generation.until)[:4]  # the API takes up to 4
        try:
            text = self.client.complete(chat, version=request.prompt.version, **params)
        except RequestFailed as exc:
            raise RuntimeError(f"{self.name}: {exc}") from None
        return generation.stop(text)

    def describe(self) -> dict:
        return {
            "name": self.name,
            "revision": self.revision,
            "base_url": self.client.base_url,
            "frames": self.frame_spec.describe(),
            "max_tokens": self.max_tokens or None,  # None: each task's own
            "temperature": self.temperature,
        }

    def card(self) -> dict:
        return {"name": self.model}

    def usage(self) -> dict:
        return self.client.usage.as_dict(self.model)


def messages(request: Request) -> list[dict]:
    """System prompt, then the frames with their times, then the task prompt."""
    content: list[dict] = []
    if request.frames is not None:
        for image, t in zip(request.frames.images, request.frames.timestamps, strict=True):
            content.append({"type": "text", "text": f"Frame at {t:.1f} s:"})
            content.append({"type": "image_url", "image_url": {"url": jpeg_data_url(image)}})
    content.append({"type": "text", "text": request.prompt.text})
    return [
        {"role": "system", "content": request.prompt.system},
        {"role": "user", "content": content},
    ]


def jpeg_data_url(image, quality: int = 85) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()
