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


def columns(scored: Scored) -> Columns:
    """Per-item columns (one value per scored item): the confusion cells, RA-IoU and whether it
    reaches each R@m threshold, the category Jaccard of gold-irrelevant items (∅ predicted for a
    missed refusal), whether the output was unparsed, and the explanation scores of correct
    refusals (0 elsewhere)."""
    names = ["n", "tp", "fn", "fp", "tn", "gold_relevant", "ra_iou", "ra_iou_relevant", "unparsed"]
    names += [f"ra_iou>={m}" for m in grounding.RECALL_THRESHOLDS]
    cols: dict[str, list] = {name: [] for name in [*names, "jaccard", "sbert_tn", "llm_tn"]}
    for sample, judgment in scored:
        gold, pred = sample.gold_relevant, judgment.verdict == "relevant"
        value = grounding.best_ra_iou(gold, pred, sample.gold_spans, judgment.span)
        tn = not gold and not pred
        cols["n"].append(1)
        cols["tp"].append(gold and pred)
        cols["fn"].append(gold and not pred)
        cols["fp"].append(not gold and pred)
        cols["tn"].append(tn)
        cols["gold_relevant"].append(gold)
        cols["ra_iou"].append(value)
        cols["ra_iou_relevant"].append(value if gold else 0.0)
        cols["unparsed"].append(grounding.is_unparsed(pred, judgment.span))
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


def breakdowns(scored: Scored) -> dict[str, Any]:
    """The confusion counts, per-difficulty and per-category tables, and the labels outside the
    11 mismatch categories (kept and reported)."""
    cells = {k: 0 for k in ("tp", "fn", "fp", "tn")}
    for sample, judgment in scored:
        gold, pred = sample.gold_relevant, judgment.verdict == "relevant"
        cells[("t" if gold == pred else "f") + ("p" if pred else "n")] += 1
    out: dict[str, Any] = {
        "confusion": cells,
        "difficulty": difficulty_breakdown(scored),
        "category": category_breakdown(scored),
    }
    unknown = Counter(c for s, _ in scored for c in s.categories if c not in CATEGORIES)
    if unknown:
        out["unknown_categories"] = dict(sorted(unknown.items()))
    return out


def difficulty_breakdown(scored: Scored) -> dict[str, dict[str, Any]]:
    """Per difficulty level: F1 with that level's gold class as positive (irrelevant for
    strong/moderate/weak/shuffled, relevant for original), its recall, and mIoU."""
    groups: dict[str, list] = defaultdict(list)
    for sample, judgment in scored:
        if sample.difficulty:
            groups[sample.difficulty].append((sample, judgment))
    out = {}
    for level, items in sorted(groups.items()):
        conf = grounding.relevance_confusion(
            [s.gold_relevant for s, _ in items], [j.verdict == "relevant" for _, j in items]
        )
        if level == "original":
            f1, recall = grounding.f1_relevant(conf), ratio(conf.tp, conf.tp + conf.fn)
        else:
            f1, recall = (
                grounding.f1_irrelevant(conf),
                grounding.refusal_recall(conf.tn, conf.tn + conf.fp),
            )
        values = [
            grounding.best_ra_iou(s.gold_relevant, j.verdict == "relevant", s.gold_spans, j.span)
            for s, j in items
        ]
        out[level] = {
            "n": len(items),
            "f1": finite(f1),
            "recall": finite(recall),
            "miou": finite(grounding.mean_ra_iou(np.sum(values), len(values))),
        }
    return out


def category_breakdown(scored: Scored) -> dict[str, dict[str, Any]]:
    """Per mismatch category, over gold-irrelevant items; an item with k categories weighs 1/k
    in each of them (RA-RFT evaluator). Scores count 0 for missed refusals."""
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
            "refusal_recall": finite(grounding.refusal_recall(t["refused"], t["weight"])),
            "rt_iou": finite(grounding.rt_iou(t["jaccard"], t["weight"])),
            "sbert": None
            if t["sbert_missing"]
            else finite(grounding.explanation_score(t["sbert"], t["weight"])),
            "llm_score": None
            if t["llm_missing"]
            else finite(grounding.explanation_score(t["llm"], t["weight"])),
        }
        for category, t in sorted(totals.items())
    }
