"""The judge interface: (sample, response) pairs in, one Judgment each out.

A judge decides what a response says: for grounding, relevant or not and the predicted span, the
refusal categories, a 0-5 consistency with the reference refusal, an SBERT score; for QA, one of
the answerable or unanswerable verdicts. A judge that cannot decide records `parse_error` or
`api_error`: such judgments are excluded from every metric, never scored 0.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from benchmark.records import Judgment, Response, Sample


class Judge(ABC):
    #: id recorded in every judgment and in results.json; runs are only ranked within one judge
    name: str = "judge"
    prompt_version: str = "v1"
    batch_size: int = 64

    @abstractmethod
    def judge(self, items: list[tuple[Sample, Response]]) -> list[Judgment]:
        """One judgment per (sample, response), in order."""

    def describe(self) -> dict:
        return {"name": self.name, "prompt_version": self.prompt_version}
