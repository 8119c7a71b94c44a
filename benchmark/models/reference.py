"""Reference baselines that need no video: they bound what a real model should beat.

- `always-answer`: always grounds a span (a plausible one: the middle third of the video) and
  always answers a question; on a 1:1 split it scores F1_rel 66.7 / F1_irrel 0.
- `always-refuse`: always says the query does not match / the question cannot be answered.
- `random`: refuses with probability `p_refuse`, otherwise answers with a random span; seeded per
  sample, so a resumed run gives the same outputs as an uninterrupted one.
All follow the output contract of the task family's prompt.
"""

from __future__ import annotations

import hashlib
import random

from benchmark.models.base import Model, Request

DEFAULT_DURATION = 30.0  # assumed when a video's duration is unknown


def grounding_answer(start: float, end: float) -> str:
    return (
        "<think>The query describes an event that happens in the video.</think>"
        f"<answer>{start:.2f} to {end:.2f}</answer><correction>NIL</correction>"
    )


def grounding_refusal(question: str) -> str:
    return (
        "<think>Nothing in the video matches the query.</think>"
        "<answer>The video does not contain a segment relevant to the query; "
        f'what "{question}" describes does not happen in it.</answer>'
        "<correction>NIL</correction>"
    )


QA_ANSWER = "Based on the video, the answer is yes."
QA_REFUSAL = (
    "The question cannot be answered from the video: what it asks about does not appear in it."
)


class AlwaysAnswer(Model):
    name = "always-answer"

    def generate(self, requests: list[Request]) -> list[str]:
        out = []
        for r in requests:
            if r.family == "grounding":
                d = r.duration or DEFAULT_DURATION
                out.append(grounding_answer(d / 3, 2 * d / 3))
            else:
                out.append(QA_ANSWER)
        return out


class AlwaysRefuse(Model):
    name = "always-refuse"

    def generate(self, requests: list[Request]) -> list[str]:
        return [
            grounding_refusal(r.question) if r.family == "grounding" else QA_REFUSAL
            for r in requests
        ]


class RandomModel(Model):
    name = "random"

    def __init__(self, p_refuse: float = 0.5, seed: int = 0) -> None:
        if not 0.0 <= p_refuse <= 1.0:
            raise ValueError(f"p_refuse must be in [0, 1], got {p_refuse}")
        self.p_refuse = p_refuse
        self.seed = seed

    def generate(self, requests: list[Request]) -> list[str]:
        out = []
        for r in requests:
            rng = random.Random(
                hashlib.sha256(f"{self.seed}:{r.task}:{r.sample_id}".encode()).digest()
            )
            refuse = rng.random() < self.p_refuse
            if r.family == "grounding":
                d = r.duration or DEFAULT_DURATION
                a, b = sorted((rng.uniform(0, d), rng.uniform(0, d)))
                out.append(grounding_refusal(r.question) if refuse else grounding_answer(a, b))
            else:
                out.append(QA_REFUSAL if refuse else QA_ANSWER)
        return out

    def describe(self) -> dict:
        return {"name": self.name, "p_refuse": self.p_refuse, "seed": self.seed}
