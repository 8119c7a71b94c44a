"""The `!function` targets of every task YAML: thin re-exports of `benchmark.lmeval_tasks`.

`utils.agg_<metric>` is the aggregation of each metric of the metric table (`r@0.5` ->
`agg_r_at_05`), made by `benchmark.lmeval_tasks.AGGREGATIONS`.
"""

from benchmark.lmeval_tasks import (
    AGGREGATIONS,
    doc_to_target,
    doc_to_text,
    doc_to_visual,
    load_dataset,
    process_results,
)

globals().update({f"agg_{name}": aggregate for name, aggregate in AGGREGATIONS.items()})

__all__ = ["doc_to_target", "doc_to_text", "doc_to_visual", "load_dataset", "process_results"]
