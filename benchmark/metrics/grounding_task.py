"""What a grounding (RA-VTG) task's items contribute to its metrics: per-item columns, the metrics
its data leave undefined, and the difficulty and category breakdowns.

Every metric of results.json is a statistic over column sums (`benchmark.metrics.table`), so one
definition gives the point value and the video-level bootstrap interval. A scored item is a
(sample, judgment) pair whose judgment is ok.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from benchmark.metrics import grounding
from benchmark.metrics._util import finite, ratio
from benchmark.records import CATEGORIES, Judgment, Sample

Scored = Sequence[tuple[Sample, Judgment]]
Columns = dict[str, list[float]]


#: the per-item columns of `columns`, in order
COLUMNS = (
    "n", "tp", "fn", "fp", "tn", "gold_relevant", "ra_iou", "ra_iou_relevant", "unparsed",
    *(f"ra_iou>={m}" for m in grounding.RECALL_THRESHOLDS),
    "jaccard", "sbert_tn", "llm_tn",
)  # fmt: skip


def columns(scored: Scored) -> Columns:
    """Per-item columns (one value per scored item): the confusion cells, RA-IoU and whether it
    reaches each R@m threshold, the category Jaccard of gold-irrelevant items (∅ predicted for a
    missed refusal), whether the output was unparsed, and the explanation scores of correct
    refusals (0 elsewhere)."""
    rows = [_row(sample, judgment) for sample, judgment in scored]
    values = zip(*rows, strict=True) if rows else ((),) * len(COLUMNS)
    return {name: list(column) for name, column in zip(COLUMNS, values, strict=True)}


def _row(sample: Sample, judgment: Judgment) -> tuple[float, ...]:
    """One item's value of each of `COLUMNS`, as floats."""
    gold, pred = sample.gold_relevant, judgment.verdict == "relevant"
    value = grounding.best_ra_iou(gold, pred, sample.gold_spans, judgment.span)
    tn = not gold and not pred
    jaccard = (
        0.0
        if gold
        else grounding.category_jaccard(() if pred else judgment.categories, sample.categories)
    )
    sbert = judgment.sbert if tn and judgment.sbert is not None else 0.0
    llm = judgment.consistency if tn and judgment.consistency is not None else 0.0
    return (
        1.0,
        float(gold and pred),
        float(gold and not pred),
        float(not gold and pred),
        float(tn),
        float(gold),
        float(value),
        float(value) if gold else 0.0,
        float(grounding.is_unparsed(pred, judgment.span)),
        *(float(value >= m) for m in grounding.RECALL_THRESHOLDS),
        float(jaccard),
        float(sbert),
        float(llm),
    )


def undefined(scored: Scored) -> dict[str, str]:
    """Metrics these items leave undefined whatever the counts say, with the reason: a partial
    average of explanation scores would be silently wrong, so it is null instead."""
    reasons: dict[str, str] = {}
    tn_items = [j for s, j in scored if not s.gold_relevant and j.verdict == "irrelevant"]
    gold_irrelevant = [s for s, _ in scored if not s.gold_relevant]
    no_references = bool(gold_irrelevant) and not any(s.refusal for s in gold_irrelevant)
    for key, field, label in (
        ("sbert", "sbert", "SBERT score"),
        ("llm_score", "consistency", "LLM score"),
    ):
        lacking = sum(getattr(j, field) is None for j in tn_items)
        if lacking:
            reasons[key] = reasons[f"{key}_tn"] = (
                "no reference refusals to compare with (e.g. Simply-Shuffled)"
                if no_references
                else f"{lacking} of {len(tn_items)} true-negative items have no {label} "
                "from the judge"
            )
    if gold_irrelevant and not any(s.categories for s in gold_irrelevant):
        reasons["rt_iou"] = "no gold mismatch categories on these items (e.g. Simply-Shuffled)"
    return reasons


def breakdowns(scored: Scored, item_columns: Columns | None = None) -> dict[str, Any]:
    """The confusion counts, the per-class relevance figures, per-difficulty and per-category
    tables, and the labels outside the 11 mismatch categories (kept and reported).
    `item_columns`: `columns(scored)`, when the caller has them already."""
    cells = {k: 0 for k in ("tp", "fn", "fp", "tn")}
    for sample, judgment in scored:
        gold, pred = sample.gold_relevant, judgment.verdict == "relevant"
        cells[("t" if gold == pred else "f") + ("p" if pred else "n")] += 1
    conf = grounding.Confusion(**cells)
    out: dict[str, Any] = {
        "confusion": cells,
        "relevance": relevance_figures(conf),
        "difficulty": difficulty_breakdown(scored, item_columns),
        "category": category_breakdown(scored),
    }
    unknown = Counter(c for s, _ in scored for c in s.categories if c not in CATEGORIES)
    if unknown:
        out["unknown_categories"] = dict(sorted(unknown.items()))
    return out


def relevance_figures(conf: grounding.Confusion) -> dict[str, Any]:
    """Overall relevance accuracy and each class's precision, recall and F1 (the RA-RFT
    evaluator's `relevance` block)."""
    n = conf.tp + conf.fn + conf.fp + conf.tn
    return {
        "accuracy": finite(grounding.relevance_accuracy(conf.tp, conf.tn, n)),
        "relevant": {
            "precision": finite(grounding.precision(conf.tp, conf.tp + conf.fp)),
            "recall": finite(ratio(conf.tp, conf.tp + conf.fn)),
            "f1": finite(grounding.f1_relevant(conf)),
        },
        "irrelevant": {
            "precision": finite(grounding.precision(conf.tn, conf.tn + conf.fn)),
            "recall": finite(grounding.refusal_recall(conf.tn, conf.tn + conf.fp)),
            "f1": finite(grounding.f1_irrelevant(conf)),
        },
    }


def difficulty_breakdown(
    scored: Scored, item_columns: Columns | None = None
) -> dict[str, dict[str, Any]]:
    """Per difficulty level, the RA-RFT evaluator's per-level figures: F1, precision and recall
    with that level's gold class as positive (irrelevant for strong/moderate/weak/shuffled,
    relevant for original), relevance accuracy, mIoU, R@m, and for irrelevant levels RT-IoU and
    the explanation scores. Each is the statistic of the metric table over the level's items."""
    groups: dict[str, list[int]] = defaultdict(list)
    for k, (sample, _) in enumerate(scored):
        if sample.difficulty:
            groups[sample.difficulty].append(k)
    if not groups:
        return {}
    item_columns = columns(scored) if item_columns is None else item_columns
    out = {}
    for level, positions in sorted(groups.items()):
        items = [scored[k] for k in positions]
        sums = {
            name: float(np.sum([values[k] for k in positions]))
            for name, values in item_columns.items()
        }
        conf = grounding.Confusion(tp=sums["tp"], fn=sums["fn"], fp=sums["fp"], tn=sums["tn"])
        figures = relevance_figures(conf)["relevant" if level == "original" else "irrelevant"]
        reasons = undefined(items)
        row: dict[str, Any] = {"n": len(items), **figures}
        row["accuracy"] = finite(grounding.relevance_accuracy(conf.tp, conf.tn, sums["n"]))
        row["miou"] = finite(grounding.mean_ra_iou(sums["ra_iou"], sums["n"]))
        for m in grounding.RECALL_THRESHOLDS:
            row[f"r@{m}"] = finite(grounding.recall_at(sums[f"ra_iou>={m}"], sums["n"]))
        n_irrelevant = sums["n"] - sums["gold_relevant"]
        row["rt_iou"] = (
            None if "rt_iou" in reasons else finite(grounding.rt_iou(sums["jaccard"], n_irrelevant))
        )
        for key, column in (("sbert", "sbert_tn"), ("llm_score", "llm_tn")):
            row[key] = (
                None
                if key in reasons
                else finite(grounding.explanation_score(sums[column], n_irrelevant))
            )
        out[level] = row
    return out


def category_breakdown(scored: Scored) -> dict[str, dict[str, Any]]:
    """Per mismatch category, over gold-irrelevant items; an item with k categories weighs 1/k
    in each of them (RA-RFT evaluator). `refusal_recall`, `rt_iou`, `sbert`, `llm_score`:
    weighted, missed refusals count 0 (as the headline scores); `accuracy`: the unweighted share
    refused (the evaluator's `category_irrelevant_classification`); `*_tn`: weighted means over
    correct refusals (its `true_negative_samples`); `*_all`: weighted means over every item, a
    missed refusal's own score included, where the judge scored them all (`ra-rft`; its
    `irrelevant_samples` label scores)."""
    totals: dict[str, Counter] = defaultdict(Counter)
    for sample, judgment in scored:
        if sample.gold_relevant or not sample.categories:
            continue
        weight = 1.0 / len(sample.categories)
        refused = judgment.verdict == "irrelevant"
        for category in sample.categories:
            t = totals[category]
            t["n"] += 1
            t["weight"] += weight
            t["refused"] += refused
            t["weight_refused"] += weight * refused
            t["jaccard"] += weight * grounding.category_jaccard(
                judgment.categories if refused else (), sample.categories
            )
            for key, score in (("sbert", judgment.sbert), ("llm", judgment.consistency)):
                if score is None:
                    t[f"{key}_missing"] += refused
                    t[f"{key}_unscored"] += 1
                    continue
                t[f"{key}_all"] += weight * score
                if refused:
                    t[key] += weight * score
    out = {}
    for category, t in sorted(totals.items()):
        row: dict[str, Any] = {
            "n": int(t["n"]),
            "weight": t["weight"],
            "accuracy": finite(ratio(t["refused"], t["n"])),
            "refusal_recall": finite(grounding.refusal_recall(t["weight_refused"], t["weight"])),
            "rt_iou": finite(grounding.rt_iou(t["jaccard"], t["weight"])),
        }
        for key, name in (("sbert", "sbert"), ("llm", "llm_score")):
            missing = t[f"{key}_missing"]
            row[name] = (
                None if missing else finite(grounding.explanation_score(t[key], t["weight"]))
            )
            row[f"{name}_tn"] = (
                None
                if missing
                else finite(grounding.explanation_score_tn(t[key], t["weight_refused"]))
            )
            if not t[f"{key}_unscored"]:
                row[f"{name}_all"] = finite(ratio(t[f"{key}_all"], t["weight"]))
        out[category] = row
    return out
