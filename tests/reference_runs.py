"""Runs of the reference models on synthetic tasks, as submissions for leaderboard tests."""

from __future__ import annotations

from pathlib import Path

from benchmark.runner import RunConfig, run

REFERENCE_MODELS = {"always-answer": {}, "always-refuse": {}, "random": {"p_refuse": "0.5"}}


def reference_runs(root: Path, tasks: str, *, bootstrap: int) -> Path:
    """One run directory per reference model under `root` (offline judge, no SBERT)."""
    for model, args in REFERENCE_MODELS.items():
        run(
            RunConfig(
                model=model,
                model_args=args,
                tasks=tasks,
                output=root / model,
                sbert="none",
                progress=False,
                bootstrap=bootstrap,
            )
        )
    return root
