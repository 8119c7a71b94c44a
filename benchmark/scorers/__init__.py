"""Scorers: judges that turn responses into judgments, and the SBERT similarity they use.

`JUDGES` is the one table of judges (name, where its class lives, whether it can be re-run
offline, the options it takes); a `JudgeSpec` parses and prints judge ids:

    rules                          the rules judge with the default SBERT model
    rules[sbert=none]              ... without SBERT (no torch needed)
    rules[protocol=ra-rft]         ... scoring as the RA-RFT evaluator does (`benchmark.protocols`)
    openai:gpt-4o-mini             an LLM judge on an OpenAI-compatible endpoint
    openai:gpt-4o[sbert=all-mpnet-base-v2]

The protocol and an SBERT model other than the protocol's are part of the id because they change
verdicts and scores: runs are only ranked within one judge.
`load_judge(JudgeSpec.parse("rules", sbert="none"))`.
"""

from __future__ import annotations

import importlib

from benchmark.errors import UsageError
from benchmark.scorers.base import Judge
from benchmark.scorers.rules import RulesJudge
from benchmark.scorers.sbert import DEFAULT_SBERT, SbertScorer
from benchmark.scorers.spec import JUDGES, JudgeKind, JudgeSpec

__all__ = [
    "DEFAULT_SBERT",
    "JUDGES",
    "Judge",
    "JudgeKind",
    "JudgeSpec",
    "RulesJudge",
    "SbertScorer",
    "load_judge",
]


def load_judge(spec: JudgeSpec | str, **options) -> Judge:
    """A judge instance; `options` are those of its table entry (e.g. `concurrency`)."""
    spec = spec if isinstance(spec, JudgeSpec) else JudgeSpec.parse(spec)
    unknown = sorted(set(options) - set(spec.info.options))
    if unknown:
        raise UsageError(f"judge {spec.kind!r} takes no option {unknown[0]!r}")
    module, _, name = spec.info.target.partition(":")
    cls = getattr(importlib.import_module(module), name)
    scorer = None if spec.sbert == "none" else SbertScorer(spec.sbert)
    judge = cls(
        *([spec.model] if spec.model else []), sbert=scorer, protocol=spec.protocol, **options
    )
    assert judge.name == spec.id, (judge.name, spec.id)  # the id is the spec's, whoever made it
    return judge
