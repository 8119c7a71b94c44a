"""The task side of the lm-eval integration: functions the task YAMLs name with `!function`.

lm-eval builds a task's documents with `custom_dataset(**metadata, **dataset_kwargs)`. A document
carries the full Sample as JSON (so nested, optional fields never trip Arrow's schema inference)
and its video travels to the model as a JSON reference through `doc_to_image`, which lm-eval puts
into the request arguments (and hashes for its cache) without ever decoding it. The prompt is the
task's own (its YAML's `metadata.prompt`), and every metric of the task's family in the metric
table is reported, computed by the same judge and `summarize_task` as `refusal-bench run`.
"""

from __future__ import annotations

import json
from typing import Any

from benchmark.families import family_of, family_of_samples
from benchmark.metrics import METRICS, summarize_task
from benchmark.prompts import render_prompt
from benchmark.records import Judgment, Response, Sample, from_dict, to_dict
from benchmark.registry import load_registry


def load_dataset(task: str, **options: Any):
    """`custom_dataset` of every task YAML: {"test": Dataset} of this task's documents.

    Options from lm-eval's `--metadata` are honoured: `data_root`, `video_root`, `seed`, `path`;
    the rest (the YAML's own metadata and data recipes) is the registry's to read.
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
    return render_prompt(sample.question, load_registry().tasks[doc["task"]].prompt).text


def doc_to_target(doc: dict[str, Any]) -> str:
    """The reference output: "S to E" for a relevant query, else the reference answer/refusal."""
    sample = doc_sample(doc)
    return family_of(sample).reference(sample)


def doc_to_visual(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The video reference (with the sample id, so replayed predictions can be matched)."""
    sample = doc_sample(doc)
    return [{"sample_id": sample.id, "task": sample.task, "video": to_dict(sample.video)}]


# --- scoring: the same judge and metric code as `refusal-bench run` ----------------------------

_JUDGE = None


def judge():
    """The rules judge, with SBERT when sentence-transformers is installed (set
    REFUSAL_BENCH_SBERT=none to judge without it, or to another SBERT model)."""
    global _JUDGE
    if _JUDGE is None:
        import importlib.util
        import os

        from benchmark.scorers import DEFAULT_SBERT, JudgeSpec, load_judge

        default = DEFAULT_SBERT if importlib.util.find_spec("sentence_transformers") else "none"
        sbert = os.environ.get("REFUSAL_BENCH_SBERT", default)
        _JUDGE = load_judge(JudgeSpec("rules", sbert=sbert))
    return _JUDGE


def process_results(doc: dict[str, Any], results: list[str]) -> dict[str, Any]:
    """Judge one response; every metric of the family receives the (sample, judgment) pair and
    its aggregation computes the metric over all of them with `summarize_task`."""
    sample = doc_sample(doc)
    (judgment,) = judge().judge([(sample, Response(sample.id, "lm-eval", text=results[0]))])
    item = (doc["sample"], json.dumps(to_dict(judgment)))
    return {name: item for name in family_of(sample).metrics}


def aggregation_name(metric: str) -> str:
    """The Python name of a metric's aggregation: `r@0.5` -> `r_at_05`."""
    return metric.replace("@", "_at_").replace(".", "")


_last_summary: tuple[tuple[str, ...], Any] | None = None  # every metric aggregates the same items


def _summary(items: list[tuple[str, str]]):
    """The task summary of these items, computed once for all the metrics that aggregate them."""
    global _last_summary
    key = tuple(f"{s}\0{j}" for s, j in items)
    if _last_summary is None or _last_summary[0] != key:
        samples = [from_dict(Sample, json.loads(s)) for s, _ in items]
        judgments = [from_dict(Judgment, json.loads(j)) for _, j in items]
        family = family_of_samples(samples)
        summary = summarize_task(
            samples, judgments, family=family, judge=judge().name, n_resamples=0
        )
        _last_summary = (key, summary)
    return _last_summary[1]


def _aggregation(metric: str):
    def aggregate(items: list[tuple[str, str]]) -> float:
        value = _summary(items).metrics[metric]
        return float("nan") if value is None else value

    aggregate.__name__ = f"aggregate_{aggregation_name(metric)}"
    return aggregate


AGGREGATIONS = {aggregation_name(m.key): _aggregation(m.key) for m in METRICS if not m.paired}
