"""The task side of the lm-eval integration: functions the task YAMLs name with `!function`.

lm-eval builds a task's documents with `custom_dataset(**metadata, **dataset_kwargs)`. A document
carries the full Sample as JSON (so nested, optional fields never trip Arrow's schema inference)
and its video travels to the model as a JSON reference through `doc_to_image`, which lm-eval puts
into the request arguments (and hashes for its cache) without ever decoding it.
"""

from __future__ import annotations

import json
from typing import Any

from benchmark.prompts import render_prompt
from benchmark.records import Sample, from_dict, to_dict


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
