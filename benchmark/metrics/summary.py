"""One task's entry of results.json, computed from its samples and their judgments.

Both the runner's aggregate stage and the leaderboard's validator call `summarize_task`, so
submitted numbers are always recomputed the same way. The task's family (`benchmark.families`)
turns its items into per-item columns; every metric of the family's part of the metric table is a
statistic over column sums, which gives the point value and the video-level bootstrap interval
from one definition (`benchmark.metrics.table`).

Judgments whose status is not "ok" are excluded from every metric and counted in `failures`;
samples without a judgment (generation errors, unfinished runs) are counted in `missing`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from benchmark.metrics._util import finite, ratio
from benchmark.metrics.bootstrap import DEFAULT_RESAMPLES, Statistic, cluster_bootstrap
from benchmark.metrics.table import METRICS
from benchmark.protocols import protocol_of
from benchmark.records import Judgment, RecordError, Sample
from benchmark.run_records import PairedResult, TaskResult

Scored = Sequence[tuple[Sample, Judgment]]


class Scoring(Protocol):
    """What summarizing needs of a task family (`benchmark.families.Family` provides it)."""

    name: str
    kinds: tuple[str, ...]

    def verdicts_for(self, kind: str) -> tuple[str, ...]: ...

    def columns(self, scored: Scored) -> dict[str, list[float]]: ...

    def breakdowns(
        self, scored: Scored, item_columns: dict[str, list[float]] | None = None
    ) -> dict[str, Any]: ...

    def undefined(self, scored: Scored) -> dict[str, str]: ...


def summarize_task(
    samples: Sequence[Sample],
    judgments: Iterable[Judgment] | Mapping[str, Judgment],
    *,
    family: Scoring,
    judge: str,
    version: str = "",
    errors: int = 0,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    scored: ScoredTask | None = None,
) -> TaskResult:
    """The results.json entry of one task: every metric of `family` in the metric table, with
    95% intervals, breakdowns, and the counts of failed, missing and errored samples.

    `judgments` may hold several per sample (append-only run files); the last one counts.
    `errors` (generation errors) and `version` are recorded as given. The scoring protocol the
    judge id names (`benchmark.protocols`) says which gold the items are scored against.
    `scored`: `score_task` of the same samples and judgments, when the caller has it.
    """
    task = scored
    if task is None:
        task = score_task(samples, judgments, family=family, judge=judge)
    scored, failures, missing, columns = task.items, task.failures, task.missing, task.columns

    reasons = family.undefined(scored)
    statistics: dict[str, Statistic] = {
        key: _undefined if key in reasons else statistic
        for key, statistic in METRICS.statistics(family.name).items()
    }
    clusters = [sample.video.path for sample, _ in scored]
    intervals = cluster_bootstrap(columns, clusters, statistics, n_resamples=n_resamples, seed=seed)
    metrics: dict[str, float | None] = {}
    ci: dict[str, list[float | None]] = {}
    for name, interval in intervals.items():
        if math.isfinite(interval.estimate):
            metrics[name] = interval.estimate
            ci[name] = interval.as_list()
        else:
            metrics[name] = None
            reasons.setdefault(name, METRICS.get(family.name, name).null_reason)
    breakdowns = family.breakdowns(scored, columns)
    breakdowns["null_reasons"] = {k: v for k, v in reasons.items() if metrics.get(k) is None}
    return TaskResult(
        n=len(scored),
        metrics=metrics,
        ci=ci,
        breakdowns=breakdowns,
        judge=judge,
        failures=failures,
        missing=missing,
        failure_rate=ratio(failures, failures + len(scored)) if failures else 0.0,
        errors=errors,
        version=version,
        family=family.name,
    )


@dataclass(frozen=True)
class ScoredTask:
    """A task's scored items and their per-item columns (`Scoring.columns`), with the counts of
    failed and unjudged samples: what every statistic of its summary is made of."""

    items: list[tuple[Sample, Judgment]]
    failures: int
    missing: int
    columns: dict[str, list[float]]


def score_task(
    samples: Sequence[Sample],
    judgments: Iterable[Judgment] | Mapping[str, Judgment],
    *,
    family: Scoring,
    judge: str,
) -> ScoredTask:
    items, failures, missing = scored_items(samples, judgments, family=family, judge=judge)
    return ScoredTask(items, failures, missing, family.columns(items))


def scored_items(
    samples: Sequence[Sample],
    judgments: Iterable[Judgment] | Mapping[str, Judgment],
    *,
    family: Scoring,
    judge: str,
) -> tuple[list[tuple[Sample, Judgment]], int, int]:
    """(sample as the judge's protocol scores it, its latest judgment) for every sample with an
    ok judgment, in sample order; and how many failed and how many have none."""
    protocol = protocol_of(judge)
    latest = latest_judgments(judgments)
    scored: list[tuple[Sample, Judgment]] = []
    failures = missing = 0
    for sample in (protocol.view(s) for s in samples):
        check_kind(family, sample)
        judgment = latest.get(sample.id)
        if judgment is None:
            missing += 1
        elif not judgment.ok:
            failures += 1
        else:
            check_verdict(family, sample, judgment)
            scored.append((sample, judgment))
    return scored, failures, missing


def pooled(
    samples: Mapping[str, Sequence[Sample]], *judgments: Mapping[str, Iterable[Judgment]]
) -> tuple[list[Sample], ...]:
    """Several tasks' samples (and each run's judgments) as one set, ids made `task/id` (ids are
    unique within a task only): a group's answerable and unanswerable questions scored together,
    as UVQA's paired scores need both kinds.

    >>> from benchmark.records import VideoRef
    >>> a = Sample(id="q", task="a", video=VideoRef("v"), question="?", kind="answerable")
    >>> u = Sample(id="q", task="u", video=VideoRef("v"), question="?", kind="unanswerable")
    >>> [s.id for s in pooled({"a": [a], "u": [u]})[0]]
    ['a/q', 'u/q']
    """
    from dataclasses import replace

    out_samples = [replace(s, id=f"{task}/{s.id}") for task in samples for s in samples[task]]
    out_judgments = [
        [replace(j, sample_id=f"{task}/{j.sample_id}") for task in run for j in run[task]]
        for run in judgments
    ]
    return (out_samples, *out_judgments)


class PairedScoring(Scoring, Protocol):
    def paired_columns(self, paired) -> dict[str, list[float]]: ...


def paired_summary(
    samples: Sequence[Sample],
    base: Iterable[Judgment] | Mapping[str, Judgment],
    aligned: Iterable[Judgment] | Mapping[str, Judgment],
    *,
    family: PairedScoring,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> PairedResult:
    """The family's paired metrics (UVQA: S_ex-ref, S_permis, S_disc) of an aligned run against
    its base run on the same samples, with video-level bootstrap intervals. Only samples with an
    ok judgment in both runs are compared."""
    base_of, aligned_of = latest_judgments(base), latest_judgments(aligned)
    paired = []
    for sample in samples:
        j0, j1 = base_of.get(sample.id), aligned_of.get(sample.id)
        if j0 is None or j1 is None or not (j0.ok and j1.ok):
            continue
        check_verdict(family, sample, j0), check_verdict(family, sample, j1)
        paired.append((sample, j0, j1))
    intervals = cluster_bootstrap(
        family.paired_columns(paired),
        [sample.video.path for sample, _, _ in paired],
        METRICS.statistics(family.name, paired=True),
        n_resamples=n_resamples,
        seed=seed,
    )
    return PairedResult(
        n=len(paired),
        metrics={k: finite(v.estimate) for k, v in intervals.items()},
        ci={k: v.as_list() for k, v in intervals.items() if math.isfinite(v.estimate)},
    )


def latest_judgments(judgments: Iterable[Judgment] | Mapping[str, Judgment]) -> dict[str, Judgment]:
    """The last judgment of each sample id (run files are append-only)."""
    if isinstance(judgments, Mapping):
        return dict(judgments)
    latest: dict[str, Judgment] = {}
    for judgment in judgments:
        latest[judgment.sample_id] = judgment
    return latest


def check_kind(family: Scoring, sample: Sample) -> None:
    if sample.kind not in family.kinds:
        raise RecordError(
            f"sample {sample.id!r} is {sample.kind}, not a kind of the {family.name} family "
            f"({', '.join(family.kinds)}): a task holds the samples of one family; split it "
            "into two tasks"
        )


def check_verdict(family: Scoring, sample: Sample, judgment: Judgment) -> None:
    allowed = family.verdicts_for(sample.kind)
    if judgment.verdict not in allowed:
        raise RecordError(
            f"sample {sample.id!r} ({sample.kind}): judgment by {judgment.judge!r} has verdict "
            f"{judgment.verdict!r}; expected one of {', '.join(allowed)}"
        )


def _undefined(sums):
    return np.nan
