"""Metrics as pure functions: RA-VTG (RA-RFT), UVQA, InBoL, and video-level bootstrap intervals.

Imports nothing from the rest of the package but `records` and `run_records`. Each function
documents its formula, its source and its zero-division convention; rates are fractions in
[0, 1]. `METRICS` is the table of every metric of results.json (`benchmark.metrics.table`), and
`summarize_task` computes a task's entry from it.
"""

from benchmark.metrics.bootstrap import Interval, cluster_bootstrap, paired_bootstrap
from benchmark.metrics.grounding import (
    Confusion,
    category_jaccard,
    explanation_score,
    explanation_score_tn,
    f1_average,
    f1_irrelevant,
    f1_relevant,
    f1_score,
    mean_ra_iou,
    miou_relevant,
    ra_iou,
    recall_at,
    refusal_recall,
    relevance_confusion,
    rt_iou,
    temporal_iou,
)
from benchmark.metrics.inbol import trust_score
from benchmark.metrics.qa import (
    answer_accuracy,
    item_success,
    over_refusal_rate,
    refusal_rate,
    right_reason_refusal_rate,
    s_acc,
    s_disc,
    s_ex_ref,
    s_permis,
)
from benchmark.metrics.summary import paired_summary, summarize_task
from benchmark.metrics.table import METRICS, Metric

__all__ = [
    "METRICS",
    "Confusion",
    "Interval",
    "Metric",
    "answer_accuracy",
    "category_jaccard",
    "cluster_bootstrap",
    "explanation_score",
    "explanation_score_tn",
    "f1_average",
    "f1_irrelevant",
    "f1_relevant",
    "f1_score",
    "item_success",
    "mean_ra_iou",
    "miou_relevant",
    "over_refusal_rate",
    "paired_bootstrap",
    "paired_summary",
    "ra_iou",
    "recall_at",
    "refusal_rate",
    "refusal_recall",
    "relevance_confusion",
    "right_reason_refusal_rate",
    "rt_iou",
    "s_acc",
    "s_disc",
    "s_ex_ref",
    "s_permis",
    "summarize_task",
    "temporal_iou",
    "trust_score",
]
