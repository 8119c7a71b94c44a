"""The model interface: a batch of requests in, one text per request out.

A model never sees gold labels: a `Request` carries the prompt, the question and where the video
is, nothing else. The runner never looks inside a model; adding one means subclassing `Model`
and adding a line to the table `benchmark.models.MODELS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from benchmark.families import Family
from benchmark.generation import Generation
from benchmark.prompts import Prompt
from benchmark.records import VideoRef


@dataclass(frozen=True)
class Request:
    """What a model is asked for one sample."""

    sample_id: str
    task: str
    family: Family  # the task's family: its output contract (`Family.guess`, `Family.refusal`)
    question: str
    prompt: Prompt
    video: VideoRef
    duration: float | None = None  # seconds, when known (a property of the video, not a label)
    frames: Any = None  # sampled frames with their timestamps, for models that need them
    generation: Generation = field(default_factory=Generation)  # the task's; model args win


class Model(ABC):
    """A model under evaluation.

    Subclasses set `name` (what run.json records) and `needs_frames` (whether the runner must
    decode the video for it), and implement `generate`. An exception from `generate` fails the
    batch; the runner then retries its requests one by one and records the error of each request
    that still fails, so one bad sample never stops a run.

    A model whose batches need work that does not need the model itself (a processor's resizing
    and tokenising, encoding images for an API) can also implement `encode`: the runner calls it
    on its decode-ahead thread, while the model generates the batch before, and hands the result
    to `generate` as `encoded=`.
    """

    name: str = "model"
    needs_frames: bool = False
    batch_size: int = 8

    @abstractmethod
    def generate(self, requests: list[Request]) -> list[str]:
        """One output text per request, in order (with `encoded=`: what `encode` returned for
        these requests, where the model implements it)."""

    def encode(self, requests: list[Request]) -> Any:
        """A batch's inputs made ready for `generate`, or None: the model makes them itself.
        Runs beside `generate` of another batch, so it must not use what `generate` changes."""
        return None

    def describe(self) -> dict[str, Any]:
        """Provenance recorded in run.json (model id, revision, settings)."""
        return {"name": self.name}

    def card(self) -> dict[str, Any]:
        """What the model knows of its own model card (`benchmark.model_card`): display name,
        parameters, organisation, link, ...; the user's `--model-name` / `--model-card` win."""
        return {"name": self.name}
