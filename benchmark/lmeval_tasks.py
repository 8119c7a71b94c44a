"""The task side of the lm-eval integration: functions the task YAMLs name with `!function`.

lm-eval builds a task's documents with `custom_dataset(**metadata, **dataset_kwargs)`. A document
carries the full Sample as JSON (so nested, optional fields never trip Arrow's schema inference)
and its video travels to the model as a JSON reference through `doc_to_image`, which lm-eval puts
into the request arguments (and hashes for its cache) without ever decoding it.
"""

from __future__ import annotations

import json
from typing import Any

from benchmark.metrics.summary import qa_statistics
from benchmark.prompts import render_prompt
from benchmark.records import Judgment, Response, Sample, from_dict, to_dict


def load_dataset(task: str, source: str | None = None, **options: Any):
    """`custom_dataset` of every task YAML: {"test": Dataset} of this task's documents.

    Options from lm-eval's `--metadata` are honoured: `data_root`, `video_root`, `seed`, `path`.
    """
    import datasets

    from benchmark.task_loading import load_task

    loaded = load_task(
        task,
        data_root=options.get("data_root"),
        video_root=options.get("video_root"),
        seed=int(options.get("seed", 0)),
        path=options.get("path"),
    )
    return datasets.DatasetDict(
        {"test": datasets.Dataset.from_list([to_doc(s) for s in loaded.samples])}
    )


def to_doc(sample: Sample) -> dict[str, str]:
    return {
        "id": sample.id,
        "task": sample.task,
        "kind": sample.kind,
        "question": sample.question,
        "sample": json.dumps(to_dict(sample), ensure_ascii=False),
    }


def doc_sample(doc: dict[str, Any]) -> Sample:
    return from_dict(Sample, json.loads(doc["sample"]))


def doc_to_text(doc: dict[str, Any]) -> str:
    sample = doc_sample(doc)
    return render_prompt(sample.question, "grounding" if sample.is_grounding else "qa").text


def doc_to_target(doc: dict[str, Any]) -> str:
    """The reference output: "S to E" for a relevant query, else the reference answer/refusal."""
    sample = doc_sample(doc)
    if sample.kind == "relevant" and sample.span:
        return f"{sample.span[0]:.2f} to {sample.span[1]:.2f}"
    return (sample.answer if sample.kind == "answerable" else sample.refusal) or ""


def doc_to_visual(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The video reference (with the sample id, so replayed predictions can be matched)."""
    sample = doc_sample(doc)
    return [{"sample_id": sample.id, "task": sample.task, "video": to_dict(sample.video)}]


# --- scoring: the same judge and metric code as `refusal-bench run` ----------------------------

GROUNDING_METRICS = (
    "f1_rel",
    "f1_irrel",
    "f1_avg",
    "miou",
    "r@0.3",
    "r@0.5",
    "r@0.7",
    "rt_iou",
    "sbert",
)
QA_METRICS = tuple(qa_statistics())  # every QA metric of results.json
_JUDGE = None


def judge():
    """The rules judge, with SBERT when sentence-transformers is installed (set
    REFUSAL_BENCH_SBERT=none to judge without it, or to another SBERT model)."""
    global _JUDGE
    if _JUDGE is None:
        import importlib.util
        import os

        from benchmark.scorers import DEFAULT_SBERT, load_judge

        default = DEFAULT_SBERT if importlib.util.find_spec("sentence_transformers") else "none"
        _JUDGE = load_judge("rules", sbert=os.environ.get("REFUSAL_BENCH_SBERT", default))
    return _JUDGE


def process_results(doc: dict[str, Any], results: list[str]) -> dict[str, Any]:
    """Judge one response; every metric of the family receives the (sample, judgment) pair and
    its aggregation computes the metric over all of them with `summarize_task`."""
    sample = doc_sample(doc)
    (judgment,) = judge().judge([(sample, Response(sample.id, "lm-eval", text=results[0]))])
    item = (doc["sample"], json.dumps(to_dict(judgment)))
    names = GROUNDING_METRICS if sample.is_grounding else QA_METRICS
    return {name: item for name in names}


def _aggregation(metric: str):
    def aggregate(items: list[tuple[str, str]]) -> float:
        from benchmark.metrics.summary import summarize_task

        samples = [from_dict(Sample, json.loads(s)) for s, _ in items]
        judgments = [from_dict(Judgment, json.loads(j)) for _, j in items]
        value = summarize_task(samples, judgments, judge=judge().name, n_resamples=0)["metrics"][
            metric
        ]
        return float("nan") if value is None else value

    aggregate.__name__ = f"aggregate_{metric}"
    return aggregate


AGGREGATIONS = {name: _aggregation(name) for name in GROUNDING_METRICS + QA_METRICS}
