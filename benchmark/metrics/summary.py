"""One task's entry of results.json, computed from its samples and their judgments.

Both the runner's aggregate stage and the leaderboard's validator call this, so submitted numbers
are always recomputed the same way. Items are turned into per-item columns (0/1 outcomes, RA-IoU,
scores); every metric is a formula over column sums (see `bootstrap`), which gives the point value
and the video-level bootstrap interval from one definition.

Judgments whose status is not "ok" are excluded from every metric and counted in `failures`;
samples without a judgment (generation errors, unfinished runs) are counted in `missing`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from benchmark.metrics import grounding, inbol
from benchmark.metrics._util import ratio
from benchmark.metrics.bootstrap import DEFAULT_RESAMPLES, Statistic, cluster_bootstrap
from benchmark.metrics.qa import REFUSED
from benchmark.records import (
    ANSWERABLE_VERDICTS,
    CATEGORIES,
    GROUNDING_VERDICTS,
    UNANSWERABLE_VERDICTS,
    Judgment,
    RecordError,
    Sample,
)

Columns = dict[str, list[float]]


def summarize_task(
    samples: Sequence[Sample],
    judgments: Iterable[Judgment] | Mapping[str, Judgment],
    *,
    judge: str,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> dict[str, Any]:
    """`{"n", "metrics", "ci", "breakdowns", "judge", "failures", "missing"}` for one task.

    `judgments` may hold several per sample (append-only run files); the last one counts.
    """
    latest = _latest(judgments)
    scored: list[tuple[Sample, Judgment]] = []
    failures = missing = 0
    for sample in samples:
        judgment = latest.get(sample.id)
        if judgment is None:
            missing += 1
        elif not judgment.ok:
            failures += 1
        else:
            _check_verdict(sample, judgment)
            scored.append((sample, judgment))

    family = _family(samples)
    columns, statistics, breakdowns, reasons = (
        _grounding(scored) if family == "grounding" else _qa(scored)
    )
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
            reasons.setdefault(name, _DEFAULT_REASONS.get(name, "undefined on these items"))
    breakdowns["null_reasons"] = {k: v for k, v in reasons.items() if metrics.get(k) is None}
    return {
        "n": len(scored),
        "metrics": metrics,
        "ci": ci,
        "breakdowns": breakdowns,
        "judge": judge,
        "failures": failures,
        "missing": missing,
        "failure_rate": ratio(failures, failures + len(scored)) if failures else 0.0,
    }


# --- grounding ---------------------------------------------------------------------------------


def grounding_columns(scored: Sequence[tuple[Sample, Judgment]]) -> Columns:
    """Per-item columns of a grounding task (one value per scored item)."""
    names = ["n", "tp", "fn", "fp", "tn", "gold_relevant", "ra_iou", "ra_iou_relevant"]
    names += [f"ra_iou>={m}" for m in grounding.RECALL_THRESHOLDS]
    cols: Columns = {name: [] for name in [*names, "jaccard", "sbert_tn", "llm_tn"]}
    for sample, judgment in scored:
        gold, pred = sample.kind == "relevant", judgment.verdict == "relevant"
        value = _best_ra_iou(sample, pred, judgment.span)
        tn = not gold and not pred
        cols["n"].append(1)
        cols["tp"].append(gold and pred)
        cols["fn"].append(gold and not pred)
        cols["fp"].append(not gold and pred)
        cols["tn"].append(tn)
        cols["gold_relevant"].append(gold)
        cols["ra_iou"].append(value)
        cols["ra_iou_relevant"].append(value if gold else 0.0)
        for m in grounding.RECALL_THRESHOLDS:
            cols[f"ra_iou>={m}"].append(value >= m)
        cols["jaccard"].append(
            0.0
            if gold
            else grounding.category_jaccard(() if pred else judgment.categories, sample.categories)
        )
        cols["sbert_tn"].append(judgment.sbert if tn and judgment.sbert is not None else 0.0)
        cols["llm_tn"].append(
            judgment.consistency if tn and judgment.consistency is not None else 0.0
        )
    return {k: [float(x) for x in v] for k, v in cols.items()}


def _best_ra_iou(sample: Sample, pred_relevant: bool, pred_span) -> float:
    """RA-IoU against the best-matching gold span (a query may have several gold windows)."""
    gold = sample.kind == "relevant"
    spans = sample.gold_spans or (None,)
    return max(grounding.ra_iou(gold, pred_relevant, span, pred_span) for span in spans)


def grounding_statistics() -> dict[str, Statistic]:
    """The RA-VTG metrics as formulas over column sums (keys as in results.json)."""

    def gold_irrelevant(s):
        return s["n"] - s["gold_relevant"]

    stats: dict[str, Statistic] = {
        "f1_rel": lambda s: grounding.f1_score(s["tp"], s["fp"], s["fn"]),
        "f1_irrel": lambda s: grounding.f1_score(s["tn"], s["fn"], s["fp"]),
        "f1_avg": lambda s: (
            (
                grounding.f1_score(s["tp"], s["fp"], s["fn"])
                + grounding.f1_score(s["tn"], s["fn"], s["fp"])
            )
            / 2
        ),
        "miou": lambda s: ratio(s["ra_iou"], s["n"]),
    }
    for m in grounding.RECALL_THRESHOLDS:
        stats[f"r@{m}"] = lambda s, m=m: ratio(s[f"ra_iou>={m}"], s["n"])
    stats |= {
        "miou_relevant": lambda s: ratio(s["ra_iou_relevant"], s["gold_relevant"]),
        "refusal_recall": lambda s: ratio(s["tn"], gold_irrelevant(s)),
        "over_refusal": lambda s: ratio(s["fn"], s["gold_relevant"]),
        "rt_iou": lambda s: ratio(s["jaccard"], gold_irrelevant(s)),
        "sbert": lambda s: ratio(s["sbert_tn"], gold_irrelevant(s)),
        "sbert_tn": lambda s: ratio(s["sbert_tn"], s["tn"]),
        "llm_score": lambda s: ratio(s["llm_tn"], gold_irrelevant(s)),
        "llm_score_tn": lambda s: ratio(s["llm_tn"], s["tn"]),
    }
    return stats


def _grounding(scored):
    columns = grounding_columns(scored)
    statistics = grounding_statistics()
    reasons: dict[str, str] = {}
    tn_items = [j for smp, j in scored if smp.kind == "irrelevant" and j.verdict == "irrelevant"]
    gold_irrelevant = [smp for smp, _ in scored if smp.kind == "irrelevant"]
    no_references = bool(gold_irrelevant) and not any(smp.refusal for smp in gold_irrelevant)
    for key, field, label in (
        ("sbert", "sbert", "SBERT score"),
        ("llm_score", "consistency", "LLM score"),
    ):
        lacking = sum(getattr(j, field) is None for j in tn_items)
        if lacking:  # a partial average would be silently wrong: report the metric as null
            statistics[key] = statistics[f"{key}_tn"] = _undefined
            reasons[key] = reasons[f"{key}_tn"] = (
                "no reference refusals to compare with (e.g. Simply-Shuffled)"
                if no_references
                else f"{lacking} of {len(tn_items)} true-negative items have no {label} "
                "from the judge"
            )
    if gold_irrelevant and not any(smp.categories for smp in gold_irrelevant):
        statistics["rt_iou"] = _undefined
        reasons["rt_iou"] = "no gold mismatch categories on these items (e.g. Simply-Shuffled)"
    breakdowns = {
        "confusion": {k: int(sum(columns.get(k, []))) for k in ("tp", "fn", "fp", "tn")},
        "difficulty": _difficulty_breakdown(scored),
        "category": _category_breakdown(scored),
    }
    unknown = Counter(c for s, _ in scored for c in s.categories if c not in CATEGORIES)
    if unknown:
        breakdowns["unknown_categories"] = dict(sorted(unknown.items()))
    return columns, statistics, breakdowns, reasons


def _difficulty_breakdown(scored) -> dict[str, dict[str, Any]]:
    """Per difficulty level: F1 with that level's gold class as positive (irrelevant for
    strong/moderate/weak/shuffled, relevant for original), its recall, and mIoU."""
    groups: dict[str, list] = defaultdict(list)
    for sample, judgment in scored:
        if sample.difficulty:
            groups[sample.difficulty].append((sample, judgment))
    out = {}
    for level, items in sorted(groups.items()):
        conf = grounding.relevance_confusion(
            [s.kind == "relevant" for s, _ in items], [j.verdict == "relevant" for _, j in items]
        )
        relevant_level = level == "original"
        f1 = grounding.f1_relevant(conf) if relevant_level else grounding.f1_irrelevant(conf)
        recall = (
            ratio(conf.tp, conf.tp + conf.fn)
            if relevant_level
            else ratio(conf.tn, conf.tn + conf.fp)
        )
        values = [_best_ra_iou(s, j.verdict == "relevant", j.span) for s, j in items]
        out[level] = {
            "n": len(items),
            "f1": _finite(f1),
            "recall": _finite(recall),
            "miou": _finite(grounding.mean_ra_iou(values)),
        }
    return out


def _category_breakdown(scored) -> dict[str, dict[str, Any]]:
    """Per mismatch category, over gold-irrelevant items; an item with k categories weighs 1/k
    in each of them (RA-RFT evaluator). Scores count 0 for missed refusals."""
    totals: dict[str, Counter] = defaultdict(Counter)
    for sample, judgment in scored:
        if sample.kind != "irrelevant" or not sample.categories:
            continue
        weight = 1.0 / len(sample.categories)
        refused = judgment.verdict == "irrelevant"
        for category in sample.categories:
            t = totals[category]
            t["n"] += 1
            t["weight"] += weight
            t["refused"] += weight * refused
            t["jaccard"] += weight * grounding.category_jaccard(
                judgment.categories if refused else (), sample.categories
            )
            if refused:
                for key, score in (("sbert", judgment.sbert), ("llm", judgment.consistency)):
                    if score is None:
                        t[f"{key}_missing"] += 1
                    else:
                        t[key] += weight * score
    return {
        category: {
            "n": int(t["n"]),
            "weight": t["weight"],
            "refusal_recall": _finite(ratio(t["refused"], t["weight"])),
            "rt_iou": _finite(ratio(t["jaccard"], t["weight"])),
            "sbert": None if t["sbert_missing"] else _finite(ratio(t["sbert"], t["weight"])),
            "llm_score": None if t["llm_missing"] else _finite(ratio(t["llm"], t["weight"])),
        }
        for category, t in sorted(totals.items())
    }


# --- question answering ------------------------------------------------------------------------


def qa_columns(scored: Sequence[tuple[Sample, Judgment]]) -> Columns:
    """Per-item columns of a QA task: one 0/1 column per kind and verdict, plus s."""
    names = ["n", "answerable", *ANSWERABLE_VERDICTS, *UNANSWERABLE_VERDICTS]
    cols: Columns = {name: [] for name in [*names, "inbol_correct", "inbol_refused"]}
    for sample, judgment in scored:
        verdict = judgment.verdict
        cols["n"].append(1)
        cols["answerable"].append(sample.kind == "answerable")
        for v in ANSWERABLE_VERDICTS + UNANSWERABLE_VERDICTS:
            cols[v].append(verdict == v)
        outcome = inbol.outcome(verdict)
        cols["inbol_correct"].append(outcome == "correct")
        cols["inbol_refused"].append(outcome == "refused")
    return {k: [float(x) for x in v] for k, v in cols.items()}


def qa_statistics() -> dict[str, Statistic]:
    """The UVQA and InBoL metrics as formulas over column sums (keys as in results.json)."""

    def unanswerable(s):
        return s["n"] - s["answerable"]

    def acc(s):
        return inbol.accuracy(s["inbol_correct"], s["n"])

    def refr(s):
        return inbol.refusal_rate(s["inbol_refused"], s["n"])

    return {
        "s_acc": lambda s: ratio(s["correct"] + s["refused_right_reason"], s["n"]),
        "answer_acc": lambda s: ratio(s["correct"], s["answerable"]),
        "over_refusal": lambda s: ratio(s["refused"], s["answerable"]),
        "refusal_rate": lambda s: ratio(
            s["refused_right_reason"] + s["refused_wrong_reason"], unanswerable(s)
        ),
        "right_reason_refusal": lambda s: ratio(s["refused_right_reason"], unanswerable(s)),
        "acc": acc,
        "refr": refr,
        "s_trust": lambda s: inbol.trust_score(acc(s), refr(s)),
    }


def _qa(scored):
    columns = qa_columns(scored)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_category: dict[str, Counter] = defaultdict(Counter)
    for sample, judgment in scored:
        success = _success(sample, judgment)
        by_kind[sample.kind].update(n=1, success=success)
        for category in sample.categories:
            by_category[category].update(n=1, success=success)

    def table(groups):
        return {
            key: {"n": c["n"], "s_acc": _finite(ratio(c["success"], c["n"]))}
            for key, c in sorted(groups.items())
        }

    verdicts = Counter(j.verdict for _, j in scored)
    breakdowns = {
        "kind": table(by_kind),
        "category": table(by_category),
        "verdicts": dict(sorted(verdicts.items())),
    }
    return columns, qa_statistics(), breakdowns, {}


def _success(sample: Sample, judgment: Judgment) -> bool:
    return (sample.kind == "answerable" and judgment.verdict == "correct") or (
        sample.kind == "unanswerable" and judgment.verdict == "refused_right_reason"
    )


# --- paired comparison (UVQA) ------------------------------------------------------------------


_PAIRED_COLUMNS = (
    "f0_correct",
    "f0_correct_f1_refused",
    "f0_refused",
    "f0_refused_f1_correct",
    "f0_not_right",
    "f0_not_right_f1_right",
)


def paired_qa_summary(
    samples: Sequence[Sample],
    base: Iterable[Judgment] | Mapping[str, Judgment],
    aligned: Iterable[Judgment] | Mapping[str, Judgment],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> dict[str, Any]:
    """S_ex-ref, S_permis and S_disc of an aligned run against its base run on the same samples
    (UVQA paper; see `benchmark.metrics.qa`), with video-level bootstrap intervals. Only samples
    with an ok judgment in both runs are compared."""
    base_of, aligned_of = _latest(base), _latest(aligned)
    cols: Columns = {name: [] for name in _PAIRED_COLUMNS}
    clusters = []
    for sample in samples:
        j0, j1 = base_of.get(sample.id), aligned_of.get(sample.id)
        if j0 is None or j1 is None or not (j0.ok and j1.ok):
            continue
        _check_verdict(sample, j0), _check_verdict(sample, j1)
        answerable = sample.kind == "answerable"
        f0_correct, f1_correct = j0.verdict == "correct", j1.verdict == "correct"
        f0_refused, f1_refused = j0.verdict in REFUSED, j1.verdict in REFUSED
        f0_right = j0.verdict == "refused_right_reason"
        f1_right = j1.verdict == "refused_right_reason"
        cols["f0_correct"].append(answerable and f0_correct)
        cols["f0_correct_f1_refused"].append(answerable and f0_correct and f1_refused)
        cols["f0_refused"].append(answerable and f0_refused)
        cols["f0_refused_f1_correct"].append(answerable and f0_refused and f1_correct)
        cols["f0_not_right"].append(not answerable and not f0_right)
        cols["f0_not_right_f1_right"].append(not answerable and not f0_right and f1_right)
        clusters.append(sample.video.path)
    statistics = {
        "s_ex_ref": lambda s: ratio(s["f0_correct_f1_refused"], s["f0_correct"]),
        "s_permis": lambda s: ratio(s["f0_refused_f1_correct"], s["f0_refused"]),
        "s_disc": lambda s: ratio(s["f0_not_right_f1_right"], s["f0_not_right"]),
    }
    columns = {k: [float(x) for x in v] for k, v in cols.items()}
    intervals = cluster_bootstrap(columns, clusters, statistics, n_resamples=n_resamples, seed=seed)
    return {
        "n": len(clusters),
        "metrics": {k: _finite(v.estimate) for k, v in intervals.items()},
        "ci": {k: v.as_list() for k, v in intervals.items() if math.isfinite(v.estimate)},
    }


# --- helpers -----------------------------------------------------------------------------------

_DEFAULT_REASONS = {
    "f1_rel": "no gold-relevant items and no relevant predictions",
    "f1_irrel": "no gold-irrelevant items and no refusals",
    "f1_avg": "one of F1_rel / F1_irrel is undefined",
    "miou": "no scored items",
    "miou_relevant": "no gold-relevant items",
    "refusal_recall": "no gold-irrelevant items",
    "over_refusal": "no gold-relevant / answerable items",
    "rt_iou": "no gold-irrelevant items",
    "sbert": "no gold-irrelevant items",
    "sbert_tn": "no true negatives (no correct refusals)",
    "llm_score": "no gold-irrelevant items",
    "llm_score_tn": "no true negatives (no correct refusals)",
    "s_acc": "no scored items",
    "answer_acc": "no answerable items",
    "refusal_rate": "no unanswerable items",
    "right_reason_refusal": "no unanswerable items",
    "acc": "no scored items",
    "refr": "no scored items",
    "s_trust": "no scored items",
}
for _m in grounding.RECALL_THRESHOLDS:
    _DEFAULT_REASONS[f"r@{_m}"] = "no scored items"


def _undefined(sums):
    return np.nan


def _latest(judgments: Iterable[Judgment] | Mapping[str, Judgment]) -> dict[str, Judgment]:
    if isinstance(judgments, Mapping):
        return dict(judgments)
    latest: dict[str, Judgment] = {}
    for judgment in judgments:
        latest[judgment.sample_id] = judgment
    return latest


def _family(samples: Sequence[Sample]) -> str:
    families = {"grounding" if s.is_grounding else "qa" for s in samples}
    if len(families) > 1:
        raise RecordError(
            "a task mixes grounding (relevant/irrelevant) and QA (answerable/unanswerable) "
            f"samples, e.g. {samples[0].id!r}: split them into two tasks"
        )
    return families.pop() if families else "qa"


def _check_verdict(sample: Sample, judgment: Judgment) -> None:
    allowed = {
        "relevant": GROUNDING_VERDICTS,
        "irrelevant": GROUNDING_VERDICTS,
        "answerable": ANSWERABLE_VERDICTS,
        "unanswerable": UNANSWERABLE_VERDICTS,
    }[sample.kind]
    if judgment.verdict not in allowed:
        raise RecordError(
            f"sample {sample.id!r} ({sample.kind}): judgment by {judgment.judge!r} has verdict "
            f"{judgment.verdict!r}; expected one of {', '.join(allowed)}"
        )


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None
