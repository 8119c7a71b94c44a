"""Reference baselines that need no video: they bound what a real model should beat.

- `always-answer`: always answers: a plausible span (the middle third of the video) for a
  grounding query, "yes" for a question; on a 1:1 split it scores F1_rel 66.7 / F1_irrel 0.
- `always-refuse`: always says the query does not match / the question cannot be answered.
- `random`: refuses with probability `p_refuse`, otherwise answers (a random span for grounding);
  seeded per sample, so a resumed run gives the same outputs as an uninterrupted one.
All follow the output contract of the task's family (`Family.guess`, `Family.refusal`).
"""

from __future__ import annotations

import hashlib
import random

from benchmark.models.base import Model, Request


class AlwaysAnswer(Model):
    name = "always-answer"

    def generate(self, requests: list[Request]) -> list[str]:
        return [r.family.guess(r.duration, None) for r in requests]


class AlwaysRefuse(Model):
    name = "always-refuse"

    def generate(self, requests: list[Request]) -> list[str]:
        return [r.family.refusal(r.question) for r in requests]


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
            out.append(r.family.refusal(r.question) if refuse else r.family.guess(r.duration, rng))
        return out

    def describe(self) -> dict:
        return {"name": self.name, "p_refuse": self.p_refuse, "seed": self.seed}

    def card(self) -> dict:
        return {"name": self.name, "organisation": "refusal-bench (reference baseline)"}
