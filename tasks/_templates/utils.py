"""The `!function` targets of every task YAML: thin re-exports of `benchmark.lmeval_tasks`."""

from benchmark.lmeval_tasks import (
    AGGREGATIONS,
    doc_to_target,
    doc_to_text,
    doc_to_visual,
    load_dataset,
    process_results,
)

agg_f1_rel = AGGREGATIONS["f1_rel"]
agg_f1_irrel = AGGREGATIONS["f1_irrel"]
agg_f1_avg = AGGREGATIONS["f1_avg"]
agg_miou = AGGREGATIONS["miou"]
agg_r_at_03 = AGGREGATIONS["r@0.3"]
agg_r_at_05 = AGGREGATIONS["r@0.5"]
agg_r_at_07 = AGGREGATIONS["r@0.7"]
agg_rt_iou = AGGREGATIONS["rt_iou"]
agg_sbert = AGGREGATIONS["sbert"]
agg_s_acc = AGGREGATIONS["s_acc"]
agg_answer_acc = AGGREGATIONS["answer_acc"]
agg_over_refusal = AGGREGATIONS["over_refusal"]
agg_refusal_rate = AGGREGATIONS["refusal_rate"]
agg_right_reason_refusal = AGGREGATIONS["right_reason_refusal"]
agg_acc = AGGREGATIONS["acc"]
agg_refr = AGGREGATIONS["refr"]
agg_s_trust = AGGREGATIONS["s_trust"]

__all__ = ["doc_to_target", "doc_to_text", "doc_to_visual", "load_dataset", "process_results"]
