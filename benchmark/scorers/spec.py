"""Judge ids: the table of judges and the `JudgeSpec` that parses and prints their ids.

    rules                          the rules judge with the default SBERT model
    rules[sbert=none]              ... without SBERT (no torch needed)
    openai:gpt-4o-mini             an LLM judge on an OpenAI-compatible endpoint
    openai:gpt-4o[sbert=all-mpnet-base-v2]

A non-default SBERT model is part of the id because it changes verdicts and scores: runs are
only ranked within one judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from benchmark.errors import UsageError
from benchmark.scorers.sbert import DEFAULT_SBERT


@dataclass(frozen=True)
class JudgeKind:
    """One entry of the judge table."""

    target: str  # "module:Class", called as Class([model,] sbert=SbertScorer | None, **options)
    deterministic: bool  # the same responses always get the same judgments: re-run offline
    takes_model: bool  # the id names a model after a colon: openai:<model>
    options: tuple[str, ...] = ()  # keyword options from the command line (--judge-*)


JUDGES: dict[str, JudgeKind] = {
    "rules": JudgeKind("benchmark.scorers.rules:RulesJudge", deterministic=True, takes_model=False),
    "openai": JudgeKind(
        "benchmark.scorers.openai_judge:OpenAIJudge",
        deterministic=False,
        takes_model=True,
        options=("concurrency", "cache", "timeout", "max_retries"),
    ),
}

_ID = re.compile(r"^(?P<kind>[a-z][a-z0-9_-]*)(?::(?P<model>[^\[]+))?(?:\[sbert=(?P<sbert>.+)\])?$")


@dataclass(frozen=True)
class JudgeSpec:
    """Which judge, with which model and SBERT model."""

    kind: str
    model: str | None = None
    sbert: str = DEFAULT_SBERT  # "none": no SBERT scores

    def __post_init__(self) -> None:
        info = JUDGES.get(self.kind)
        if info is None:
            raise UsageError(f"unknown judge {self.kind!r}: use 'rules' or 'openai:<model>'")
        if info.takes_model != bool(self.model):
            raise UsageError(
                f"judge {self.kind!r} needs a model: {self.kind}:<model>"
                if info.takes_model
                else f"judge {self.kind!r} takes no model (got {self.kind}:{self.model})"
            )

    @classmethod
    def parse(cls, text: str, *, sbert: str | None = None) -> JudgeSpec:
        """A spec from an id; `sbert` (the --sbert flag) applies unless the id names one."""
        match = _ID.match(text.strip())
        if match is None:
            raise UsageError(f"unknown judge {text!r}: use 'rules' or 'openai:<model>'")
        model = match["model"].strip() if match["model"] else None
        chosen = match["sbert"] or sbert or DEFAULT_SBERT
        return cls(match["kind"], model, "none" if chosen.lower() == "none" else chosen)

    @property
    def id(self) -> str:
        base = f"{self.kind}:{self.model}" if self.model else self.kind
        return base if self.sbert == DEFAULT_SBERT else f"{base}[sbert={self.sbert}]"

    @property
    def info(self) -> JudgeKind:
        return JUDGES[self.kind]

    def __str__(self) -> str:
        return self.id
