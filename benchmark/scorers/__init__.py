"""Scorers: judges that turn responses into judgments, and the SBERT similarity they use.

`load_judge("rules", sbert="all-MiniLM-L6-v2")`; `--sbert none` runs the rules judge without
SBERT (no torch needed; QA answers then compare by words only and SBERT scores stay empty).
"""

from __future__ import annotations

from benchmark.errors import UsageError
from benchmark.scorers.base import Judge
from benchmark.scorers.rules import RulesJudge
from benchmark.scorers.sbert import DEFAULT_SBERT, SbertScorer

__all__ = ["DEFAULT_SBERT", "Judge", "RulesJudge", "SbertScorer", "load_judge"]


def load_judge(spec: str = "rules", *, sbert: str | None = DEFAULT_SBERT, **options) -> Judge:
    """A judge by name: "rules" or "openai:<model>"."""
    scorer = SbertScorer(sbert) if sbert and sbert.lower() != "none" else None
    if spec == "rules":
        return RulesJudge(sbert=scorer)
    if spec.startswith("openai:"):
        from benchmark.scorers.openai_judge import OpenAIJudge

        return OpenAIJudge(model=spec.split(":", 1)[1], sbert=scorer, **options)
    raise UsageError(f"unknown judge {spec!r}: use 'rules' or 'openai:<model>'")
