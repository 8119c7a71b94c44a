"""Refusal-aware video temporal grounding (RA-VTG) metrics.

Source: RA-RFT paper, appendix A, and its released evaluator (`src/llm_eval/processor.py`).
Relevance is a binary decision with "relevant" as the positive class; the grounding quality of
relevant predictions and the explanation quality of refusals are scored on top of it.

Two layers: per-item functions (`temporal_iou`, `ra_iou`, `category_jaccard`) give the values an
item contributes, and count-level functions turn sums of those values into the metrics. Every
count argument may be a number or a numpy array (the bootstrap evaluates many resamples at once);
`benchmark.metrics.table` computes results.json with exactly these functions.

The papers print percentages; these functions return fractions in [0, 1] (LLM score: 0-5).
Zero division gives NaN (`ratio`), reported as null with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from benchmark.metrics._util import ratio

Span = tuple[float, float]

#: R@m thresholds of the RA-RFT tables.
RECALL_THRESHOLDS = (0.3, 0.5, 0.7)


# --- relevance ---------------------------------------------------------------------------------


def is_unparsed(pred_relevant: bool, span: Span | None) -> bool:
    """An output the judge could read neither as a span nor as a refusal: it predicts "relevant"
    (the RA-RFT evaluator's judge counts a refusal only when one is stated) without a span."""
    return pred_relevant and span is None


def unparsed_rate(n_unparsed, n_items):
    """Share of outputs with neither a span nor a refusal (refusal-bench; they score RA-IoU 0).

    >>> unparsed_rate(3, 12)
    0.25
    """
    return ratio(n_unparsed, n_items)


@dataclass(frozen=True, slots=True)
class Confusion:
    """Relevance confusion counts, "relevant" = positive (numbers or arrays of resamples).

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


def f1_relevant(conf: Confusion):
    """F1_rel: F1 with "relevant" as the positive class, P = TP/(TP+FP), R = TP/(TP+FN).

    Always-answer on a 1:1 split: P = 0.5, R = 1, F1 = 0.667 (RA-RFT tables: 66.7).

    >>> round(f1_relevant(Confusion(tp=5, fn=0, fp=5, tn=0)), 3)
    0.667
    """
    return f1_score(conf.tp, conf.fp, conf.fn)


def f1_irrelevant(conf: Confusion):
    """F1_irrel: F1 with "irrelevant" as the positive class, P = TN/(TN+FN), R = TN/(TN+FP).

    Always-answer: 0.0; always-refuse on a 1:1 split: 0.667 (RA-RFT tables).

    >>> f1_irrelevant(Confusion(tp=5, fn=0, fp=5, tn=0))
    0.0
    """
    return f1_score(conf.tn, conf.fn, conf.fp)


def f1_average(conf: Confusion):
    """F1_avg = (F1_rel + F1_irrel) / 2 (RA-RFT tables; 33.3 for always-answer on 1:1).

    >>> round(f1_average(Confusion(tp=5, fn=0, fp=5, tn=0)), 3)
    0.333
    """
    return (f1_relevant(conf) + f1_irrelevant(conf)) / 2


def precision(true_positive, predicted_positive):
    """Precision of one class: correct predictions of it / all predictions of it (RA-RFT
    evaluator, `compute_binary_metrics`; "relevant": TP / (TP + FP), "irrelevant": TN / (TN + FN)).

    >>> precision(3, 4)
    0.75
    """
    return ratio(true_positive, predicted_positive)


def relevance_accuracy(tp, tn, n_items):
    """Share of items whose relevance is predicted right: (TP + TN) / N (RA-RFT evaluator's
    "overall accuracy").

    >>> relevance_accuracy(3, 2, 10)
    0.5
    """
    return ratio(np.asarray(tp) + tn, n_items)


def refusal_recall(tn, n_gold_irrelevant):
    """Share of gold-irrelevant queries refused: TN / (TN + FP) (the recall of F1_irrel).

    >>> refusal_recall(3, 4)
    0.75
    """
    return ratio(tn, n_gold_irrelevant)


def over_refusal_rate(fn, n_gold_relevant):
    """Share of relevant queries refused: FN / (TP + FN) (lower is better).

    >>> over_refusal_rate(1, 4)
    0.25
    """
    return ratio(fn, n_gold_relevant)


# --- localisation ------------------------------------------------------------------------------


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


def best_ra_iou(
    gold_relevant: bool, pred_relevant: bool, gold_spans: Sequence[Span], pred_span: Span | None
) -> float:
    """RA-IoU against the best-matching gold span: a query may have several gold windows
    (QVHighlights); with none, as `ra_iou` with no gold span.

    >>> best_ra_iou(True, True, [(0, 4), (10, 20)], (10, 18))
    0.8
    """
    if not (gold_relevant and pred_relevant):  # the spans do not matter: one comparison
        return ra_iou(gold_relevant, pred_relevant, None, pred_span)
    spans = gold_spans or (None,)
    return max(ra_iou(gold_relevant, pred_relevant, span, pred_span) for span in spans)


def mean_ra_iou(ra_iou_sum, n_items):
    """mIoU = mean RA-IoU over ALL items, relevant and irrelevant (NaN for no items).

    Always-refuse on a 1:1 split: 0.5 (relevant items score 0, irrelevant 1).

    >>> mean_ra_iou(5.0, 10)
    0.5
    """
    return ratio(ra_iou_sum, n_items)


def recall_at(n_at_least, n_items):
    """R@m = share of items whose RA-IoU is ≥ m (RA-RFT: m = 0.3, 0.5, 0.7; NaN for no items).
    Count the items with `ra_iou >= m` (greater or equal) for the first argument.

    >>> recall_at(2, 6)
    0.3333333333333333
    """
    return ratio(n_at_least, n_items)


def miou_relevant(ra_iou_sum_relevant, n_gold_relevant):
    """Mean RA-IoU over gold-relevant items only: grounding quality with over-refusals as 0.

    >>> miou_relevant(1.5, 3)
    0.5
    """
    return ratio(ra_iou_sum_relevant, n_gold_relevant)


# --- refusal explanations ----------------------------------------------------------------------


def category_jaccard(pred: Iterable[str], gold: Iterable[str]) -> float:
    """|pred ∩ gold| / |pred ∪ gold| of two category sets; Jaccard(∅, ∅) = 1.

    >>> category_jaccard(["Attribute/Counting"], ["Attribute/Counting", "Scene/SceneExistence"])
    0.5
    """
    p, g = set(pred), set(gold)
    return 1.0 if not p | g else len(p & g) / len(p | g)


def rt_iou(jaccard_sum, n_gold_irrelevant):
    """RT-IoU: mean category Jaccard over gold-irrelevant items (NaN when there are none).

    An item predicted relevant gave no refusal: its predicted categories are ∅, so it adds
    Jaccard(∅, gold) to the sum (0 when it has gold categories).

    >>> rt_iou(2.5, 4)
    0.625
    """
    return ratio(jaccard_sum, n_gold_irrelevant)


def explanation_score(tn_score_sum, n_gold_irrelevant):
    """SBERT score or LLM score of refusal explanations (RA-RFT, appendix A): the sum of the
    per-item scores over correct refusals (TN) divided by the number of gold-irrelevant items,
    so a missed refusal counts 0.

    >>> explanation_score(1.2, 4)
    0.3
    """
    return ratio(tn_score_sum, n_gold_irrelevant)


def explanation_score_tn(tn_score_sum, tn):
    """The mean explanation score over correct refusals alone (NaN when there are none).

    >>> explanation_score_tn(1.2, 2)
    0.6
    """
    return ratio(tn_score_sum, tn)
