"""The judge interface: (sample, response) pairs in, one Judgment each out.

A judge decides what a response says: for grounding, relevant or not and the predicted span, the
refusal categories, a 0-5 consistency with the reference refusal, an SBERT score; for QA, one of
the answerable or unanswerable verdicts. A judge that cannot decide records `parse_error` or
`api_error`: such judgments are excluded from every metric, never scored 0.

Each judge has its rules per task family (`rules`: family name -> a function judging that
family's items); `judge` sends every item to its family's rules and keeps the order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from benchmark.errors import UsageError
from benchmark.families import family_of
from benchmark.records import Judgment, Response, Sample

Items = list[tuple[Sample, Response]]


class Judge(ABC):
    #: id recorded in every judgment and in results.json; runs are only ranked within one judge
    name: str = "judge"
    prompt_version: str = "v1"
    batch_size: int = 64

    @property
    @abstractmethod
    def rules(self) -> dict[str, Callable[[Items], list[Judgment]]]:
        """Family name -> the function that judges a list of that family's items."""

    def judge(self, items: Items) -> list[Judgment]:
        """One judgment per (sample, response), in order."""
        groups: dict[str, list[int]] = {}
        for k, (sample, _) in enumerate(items):
            groups.setdefault(family_of(sample).name, []).append(k)
        out: list[Judgment | None] = [None] * len(items)
        for family, members in groups.items():
            rules = self.rules.get(family)
            if rules is None:
                raise UsageError(f"judge {self.name!r} has no rules for {family} tasks")
            for k, judgment in zip(members, rules([items[k] for k in members]), strict=True):
                out[k] = judgment
        return out  # type: ignore[return-value]

    def describe(self) -> dict:
        return {"name": self.name, "prompt_version": self.prompt_version}
