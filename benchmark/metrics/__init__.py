"""Metrics as pure functions: RA-VTG (RA-RFT), UVQA, InBoL, and video-level bootstrap intervals.

Imports nothing from the rest of the package but `records`. Each function documents its formula,
its source and its zero-division convention; rates are fractions in [0, 1].
"""

from benchmark.metrics.bootstrap import Interval, cluster_bootstrap, paired_bootstrap
from benchmark.metrics.grounding import (
    Confusion,
    category_jaccard,
    f1_average,
    f1_irrelevant,
    f1_relevant,
    f1_score,
    mean_ra_iou,
    ra_iou,
    recall_at,
    refusal_explanation_score,
    relevance_confusion,
    rt_iou,
    temporal_iou,
)
from benchmark.metrics.inbol import inbol_scores, trust_score
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
from benchmark.metrics.summary import paired_qa_summary, summarize_task

__all__ = [
    "Confusion",
    "Interval",
    "answer_accuracy",
    "category_jaccard",
    "cluster_bootstrap",
    "f1_average",
    "f1_irrelevant",
    "f1_relevant",
    "f1_score",
    "inbol_scores",
    "item_success",
    "mean_ra_iou",
    "over_refusal_rate",
    "paired_bootstrap",
    "paired_qa_summary",
    "ra_iou",
    "recall_at",
    "refusal_explanation_score",
    "refusal_rate",
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
