"""Judge ids: the table of judges and the `JudgeSpec` that parses and prints their ids.

    rules                          the rules judge, default protocol, its SBERT model (MiniLM)
    rules[sbert=none]              ... without SBERT (no torch needed)
    rules[protocol=ra-rft]         ... under the RA-RFT evaluator's protocol (its SBERT: mpnet)
    rules[protocol=ra-rft,sbert=all-MiniLM-L6-v2]
    openai:gpt-4o-mini             an LLM judge on an OpenAI-compatible endpoint
    openai:gpt-4o[sbert=all-mpnet-base-v2]

The scoring protocol (`benchmark.protocols`) and an SBERT model other than the protocol's are part
of the id because they change verdicts and scores: runs are only ranked within one judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from benchmark.errors import UsageError
from benchmark.protocols import DEFAULT_PROTOCOL, get_protocol


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

_ID = re.compile(r"^(?P<kind>[a-z][a-z0-9_-]*)(?::(?P<model>[^\[]+))?(?:\[(?P<options>.+)\])?$")
_OPTIONS = ("protocol", "sbert")


@dataclass(frozen=True)
class JudgeSpec:
    """Which judge, with which model, scoring protocol and SBERT model (None: the protocol's)."""

    kind: str
    model: str | None = None
    sbert: str | None = None  # "none": no SBERT scores
    protocol: str = DEFAULT_PROTOCOL

    def __post_init__(self) -> None:
        object.__setattr__(self, "sbert", self.sbert or get_protocol(self.protocol).sbert)
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
    def parse(
        cls, text: str, *, sbert: str | None = None, protocol: str | None = None
    ) -> JudgeSpec:
        """A spec from an id; `sbert` and `protocol` (the --sbert and --protocol flags) apply
        unless the id names them."""
        match = _ID.match(text.strip())
        if match is None:
            raise UsageError(f"unknown judge {text!r}: use 'rules' or 'openai:<model>'")
        model = match["model"].strip() if match["model"] else None
        named = _options(match["options"], text)
        chosen = named.get("sbert") or sbert
        return cls(
            match["kind"],
            model,
            "none" if chosen and chosen.lower() == "none" else chosen,
            get_protocol(named.get("protocol") or protocol).name,
        )

    @property
    def id(self) -> str:
        base = f"{self.kind}:{self.model}" if self.model else self.kind
        options = [f"protocol={self.protocol}"] if self.protocol != DEFAULT_PROTOCOL else []
        if self.sbert != get_protocol(self.protocol).sbert:
            options.append(f"sbert={self.sbert}")
        return f"{base}[{','.join(options)}]" if options else base

    @property
    def info(self) -> JudgeKind:
        return JUDGES[self.kind]

    def __str__(self) -> str:
        return self.id


def _options(text: str | None, judge: str) -> dict[str, str]:
    """`protocol=ra-rft,sbert=none` -> {"protocol": "ra-rft", "sbert": "none"}."""
    out: dict[str, str] = {}
    for part in text.split(",") if text else ():
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in _OPTIONS or not value.strip():
            raise UsageError(
                f"judge {judge!r}: options in brackets are {' and '.join(_OPTIONS)}, e.g. "
                "rules[protocol=ra-rft,sbert=none]"
            )
        out[key.strip()] = value.strip()
    return out
