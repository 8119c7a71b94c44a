"""Refusal-aware video temporal grounding (RA-VTG) metrics.

Source: RA-RFT paper, appendix A, and its released evaluator (`src/llm_eval/processor.py`).
Relevance is a binary decision with "relevant" as the positive class; the grounding quality of
relevant predictions and the explanation quality of refusals are scored on top of it.

The papers print percentages; these functions return fractions in [0, 1]. Every count argument
may be a number or a numpy array (the bootstrap evaluates many resamples at once).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from benchmark.metrics._util import ratio

Span = tuple[float, float]

#: R@m thresholds of the RA-RFT tables.
RECALL_THRESHOLDS = (0.3, 0.5, 0.7)


@dataclass(frozen=True, slots=True)
class Confusion:
    """Relevance confusion counts, "relevant" = positive.

    tp: relevant predicted relevant; fn: relevant predicted irrelevant (over-refusal);
    fp: irrelevant predicted relevant (missed refusal); tn: irrelevant predicted irrelevant.
    """

    tp: int
    fn: int
    fp: int
    tn: int


def relevance_confusion(gold_relevant: Sequence[bool], pred_relevant: Sequence[bool]) -> Confusion:
    """Count the four outcomes of the relevance decision.

    >>> relevance_confusion([True, True, False, False], [True, False, True, False])
    Confusion(tp=1, fn=1, fp=1, tn=1)
    """
    gold = np.asarray(gold_relevant, dtype=bool)
    pred = np.asarray(pred_relevant, dtype=bool)
    if gold.shape != pred.shape:
        raise ValueError(f"gold and predicted labels differ in length: {gold.size} vs {pred.size}")
    return Confusion(
        tp=int(np.sum(gold & pred)),
        fn=int(np.sum(gold & ~pred)),
        fp=int(np.sum(~gold & pred)),
        tn=int(np.sum(~gold & ~pred)),
    )


def f1_score(tp, fp, fn):
    """F1 = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall.

    Zero division: when precision or recall is 0/0 but the other side has errors, F1 is 0 (the
    RA-RFT evaluator's convention, which gives F1_irrel = 0 for a model that never refuses);
    when there is nothing at all to score (TP = FP = FN = 0) it is undefined: NaN.

    >>> f1_score(2, 1, 1), f1_score(0, 0, 5)
    (0.6666666666666666, 0.0)
    """
    return ratio(2 * np.asarray(tp, dtype=float), 2 * np.asarray(tp) + np.asarray(fp) + fn)


def f1_relevant(conf: Confusion) -> float:
    """F1 with "relevant" as the positive class: P = TP/(TP+FP), R = TP/(TP+FN).

    Always-answer on a 1:1 split: P = 0.5, R = 1, F1 = 0.667 (RA-RFT tables: 66.7).
    """
    return f1_score(conf.tp, conf.fp, conf.fn)


def f1_irrelevant(conf: Confusion) -> float:
    """F1 with "irrelevant" as the positive class: P = TN/(TN+FN), R = TN/(TN+FP).

    Always-answer: 0.0; always-refuse on a 1:1 split: 0.667 (RA-RFT tables).
    """
    return f1_score(conf.tn, conf.fn, conf.fp)


def f1_average(conf: Confusion) -> float:
    """F1_avg = (F1_rel + F1_irrel) / 2 (RA-RFT tables; 33.3 for always-answer on 1:1)."""
    return (f1_relevant(conf) + f1_irrelevant(conf)) / 2


def temporal_iou(pred: Span, gold: Span) -> float:
    """|pred ∩ gold| / |pred ∪ gold| for two [start, end] intervals in seconds.

    Two identical zero-length spans have IoU 1; disjoint spans 0.

    >>> temporal_iou((0, 10), (5, 15))
    0.3333333333333333
    """
    intersection = max(0.0, min(pred[1], gold[1]) - max(pred[0], gold[0]))
    union = max(pred[1], gold[1]) - min(pred[0], gold[0])
    if union <= 0:
        return 1.0 if tuple(pred) == tuple(gold) else 0.0
    return intersection / union


def ra_iou(
    gold_relevant: bool, pred_relevant: bool, gold_span: Span | None, pred_span: Span | None
) -> float:
    """Refusal-aware IoU of one item (RA-RFT, appendix A).

    0 if the predicted relevance differs from gold; 1 if both say irrelevant; the temporal IoU of
    predicted and gold span if both say relevant (0 when either span is missing).

    >>> ra_iou(False, False, None, None), ra_iou(True, False, (0, 5), None)
    (1.0, 0.0)
    >>> ra_iou(True, True, (0, 10), (5, 15))
    0.3333333333333333
    """
    if gold_relevant != pred_relevant:
        return 0.0
    if not gold_relevant:
        return 1.0
    if gold_span is None or pred_span is None:
        return 0.0
    return temporal_iou(pred_span, gold_span)


def mean_ra_iou(ra_ious: Sequence[float]) -> float:
    """mIoU = mean RA-IoU over ALL items, relevant and irrelevant (NaN for no items).

    Always-refuse on a 1:1 split: 0.5 (relevant items score 0, irrelevant 1).
    """
    values = np.asarray(ra_ious, dtype=float)
    return ratio(values.sum(), values.size)


def recall_at(ra_ious: Sequence[float], threshold: float) -> float:
    """R@m = share of items with RA-IoU ≥ m (RA-RFT uses m = 0.3, 0.5, 0.7; NaN for no items)."""
    values = np.asarray(ra_ious, dtype=float)
    return ratio(np.sum(values >= threshold), values.size)


def category_jaccard(pred: Iterable[str], gold: Iterable[str]) -> float:
    """|pred ∩ gold| / |pred ∪ gold| of two category sets; Jaccard(∅, ∅) = 1.

    >>> category_jaccard(["Attribute/Counting"], ["Attribute/Counting", "Scene/SceneExistence"])
    0.5
    """
    p, g = set(pred), set(gold)
    return 1.0 if not p | g else len(p & g) / len(p | g)


def rt_iou(
    gold_categories: Sequence[Iterable[str]],
    pred_categories: Sequence[Iterable[str]],
    pred_relevant: Sequence[bool],
) -> float:
    """RT-IoU: mean category Jaccard over gold-irrelevant items (pass only those).

    An item predicted relevant gave no refusal, so its predicted categories are ∅.
    NaN when there are no gold-irrelevant items.
    """
    values = [
        category_jaccard(() if relevant else pred, gold)
        for gold, pred, relevant in zip(
            gold_categories, pred_categories, pred_relevant, strict=True
        )
    ]
    return ratio(sum(values), len(values))


def refusal_explanation_score(
    scores: Sequence[float | None], gold_relevant: Sequence[bool], pred_relevant: Sequence[bool]
) -> tuple[float, float]:
    """SBERT score or LLM score of refusal explanations (RA-RFT, appendix A).

    Returns (sum over TN items / number of gold-irrelevant items, mean over TN items). A missed
    refusal (FP) counts 0 in the first; scores of other items are ignored. Either value is NaN
    when its denominator is 0.

    >>> refusal_explanation_score([0.8, 0.4, None, None], [False] * 4, [False, False, True, True])
    (0.30000000000000004, 0.6000000000000001)
    """
    tn_scores: list[float] = []
    for i, (score, gold, pred) in enumerate(zip(scores, gold_relevant, pred_relevant, strict=True)):
        if gold or pred:
            continue
        if score is None or not np.isfinite(score):
            raise ValueError(f"true-negative item {i} has no score")
        tn_scores.append(float(score))
    n_gold_irrelevant = sum(1 for gold in gold_relevant if not gold)
    return ratio(sum(tn_scores), n_gold_irrelevant), ratio(sum(tn_scores), len(tn_scores))
