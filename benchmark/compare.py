"""`refusal-bench compare RUN --base BASE`: one run against another on the samples both share.

For every task the two runs have in common: the UVQA paired scores of the run (as the aligned
model) against the base (S_ex-ref, S_permis, S_disc, QA tasks only), and the difference of every
metric, run − base, with a paired video-level bootstrap interval. Runs of different task versions,
data or judges are not compared: the message says which.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from benchmark.errors import UsageError
from benchmark.families import Family, family_named
from benchmark.metrics import METRICS, paired_bootstrap, paired_summary, summarize_task
from benchmark.protocols import protocol_of
from benchmark.provenance import samples_digest
from benchmark.records import Judgment, Sample, read_json, read_run_file
from benchmark.run_records import Results, RunInfo, TaskProvenance
from benchmark.task_loading import load_task


def compare_runs(
    run_dir: Path, base_dir: Path, *, n_resamples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    run_info, base_info = _info(run_dir), _info(base_dir)
    run_results, base_results = _results(run_dir), _results(base_dir)
    shared = [t for t in run_results.tasks if t in base_results.tasks]
    if not shared:
        raise UsageError(f"{run_dir} and {base_dir} have no task in common")
    out: dict[str, Any] = {"run": str(run_dir), "base": str(base_dir), "tasks": {}}
    for task in shared:
        run_task, base_task = run_info.tasks[task], base_info.tasks[task]
        if run_task.version != base_task.version:
            raise UsageError(
                f"task {task}: version {run_task.version} in {run_dir} but {base_task.version} "
                f"in {base_dir}; compare runs of the same task version"
            )
        if run_task.samples_sha256 != base_task.samples_sha256:
            raise UsageError(
                f"task {task}: the two runs were evaluated on different data "
                "(samples sha256 differ)"
            )
        judge, base_judge = run_results.tasks[task].judge, base_results.tasks[task].judge
        if judge != base_judge:
            raise UsageError(
                f"task {task}: judged by {judge!r} in {run_dir} but {base_judge!r} in {base_dir}; "
                "re-score one of them with the other's judge (refusal-bench score)"
            )
        protocol = protocol_of(judge)  # the gold the judge's protocol scores against
        samples = [protocol.view(s) for s in _samples(task, run_info, run_task)]
        out["tasks"][task] = compare_task(
            samples,
            _judgments(run_dir, task, judge),
            _judgments(base_dir, task, judge),
            family=family_named(run_task.family),
            n_resamples=n_resamples,
            seed=seed,
        )
    return out


def compare_task(
    samples: list[Sample],
    run: dict[str, Judgment],
    base: dict[str, Judgment],
    *,
    family: Family,
    n_resamples: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Paired scores and metric differences (run − base) over the samples judged ok in both."""
    both = [s for s in samples if s.id in run and s.id in base and run[s.id].ok and base[s.id].ok]
    run_cols = family.columns([(s, run[s.id]) for s in both])
    base_cols = family.columns([(s, base[s.id]) for s in both])
    clusters = [s.video.path for s in both]
    # a metric undefined for either run (e.g. no SBERT scores) has no difference either
    defined = [
        {
            k
            for k, v in summarize_task(
                both, judgments, family=family, judge="", n_resamples=0
            ).metrics.items()
            if v is not None
        }
        for judgments in (run, base)
    ]
    differences = {}
    for name, statistic in METRICS.statistics(family.name).items():
        if name not in defined[0] & defined[1]:
            continue
        interval = paired_bootstrap(
            run_cols, base_cols, clusters, statistic, n_resamples=n_resamples, seed=seed
        )
        if math.isfinite(interval.estimate):
            differences[name] = {"difference": interval.estimate, "ci": interval.as_list()}
    entry: dict[str, Any] = {"n_shared": len(both), "differences": differences}
    if family.paired_metrics:
        paired = paired_summary(both, base, run, family=family, n_resamples=n_resamples, seed=seed)
        entry["paired"] = paired.to_dict()
    return entry


def comparison_table(comparison: dict[str, Any]) -> str:
    lines = [f"{comparison['run']}  vs  base {comparison['base']}"]
    for task, entry in comparison["tasks"].items():
        lines.append(f"{task}  (shared samples: {entry['n_shared']})")
        paired = entry.get("paired")
        if paired:
            for name, value in paired["metrics"].items():
                low, high = paired["ci"].get(name, [None, None])
                shown = "—" if value is None else f"{value:.3f}"
                interval = f"[{low:.3f}, {high:.3f}]" if low is not None else ""
                lines.append(f"  {name:<22} {shown:>8}   {interval}")
        for name, diff in entry["differences"].items():
            low, high = diff["ci"]
            interval = f"[{low:+.3f}, {high:+.3f}]" if low is not None else ""
            lines.append(f"  Δ {name:<20} {diff['difference']:>+8.3f}   {interval}")
    return "\n".join(lines)


def _info(run_dir: Path) -> RunInfo:
    path = Path(run_dir) / "run.json"
    if not path.is_file():
        raise UsageError(f"{run_dir} is not a run directory (no run.json)")
    return RunInfo.from_dict(read_json(path), where=str(path))


def _results(run_dir: Path) -> Results:
    path = Path(run_dir) / "results.json"
    if not path.is_file():
        raise UsageError(
            f"{run_dir} has no results.json: finish the run first (re-run its command)"
        )
    return Results.from_dict(read_json(path), where=str(path))


def _samples(task: str, info: RunInfo, provenance: TaskProvenance) -> list[Sample]:
    loaded = load_task(task, data_root=info.data_root, seed=info.seed, limit=info.limit)
    if samples_digest(loaded.samples) != provenance.samples_sha256:
        raise UsageError(
            f"task {task}: the data found now differ from the data the runs were evaluated on"
        )
    return loaded.samples


def _judgments(run_dir: Path, task: str, judge: str) -> dict[str, Judgment]:
    path = Path(run_dir) / "samples" / f"{task}.jsonl"
    if not path.is_file():
        raise UsageError(f"{path} not found")
    _, judgments = read_run_file(path)
    return {j.sample_id: j for j in judgments if j.judge == judge}
