"""UVQA eval files (unanswerable questions) and the answerable counterpart.

Eval items are `{vid, new_question, new_answer, ...}`; the altered scene-graph element is the gold
`altered`: `generated_actor_or_object` (object), `generated_relation` (relation),
`generated_attributes` (attribute). The answerable counterpart (Video-ChatGPT QA) has the same
`{vid, new_question, new_answer}` form with a real answer. Ids are `<vid>#<k>`, k counting the
questions of that video in file order. An item with an empty question is dropped and counted.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmark.data.fields import Where, text
from benchmark.data.report import LoadReport
from benchmark.errors import RecordError
from benchmark.records import Sample, VideoRef, read_json

#: Field holding the altered element, per UVQA category.
ALTERED_FIELD = {
    "object": "generated_actor_or_object",
    "relation": "generated_relation",
    "attribute": "generated_attributes",
}
#: Other fields kept in `meta` for judges and analysis (what the element was before).
CONTEXT_FIELDS = (
    "orig_relation",
    "orig_attribute",
    "generated_relation",
    "generated_actor_or_object",
)


def load_uvqa(path: Path, *, task: str, category: str, report: LoadReport) -> list[Sample]:
    """Unanswerable questions of one UVQA category (object, relation or attribute)."""
    return _unanswerable(path, task, category, report, Counter())


def load_uvqa_answerable(path: Path, *, task: str, report: LoadReport) -> list[Sample]:
    """Answerable questions in `{vid, new_question, new_answer}` form."""
    return _answerable(path, task, report, Counter())


def _unanswerable(path: Path, task: str, category: str, report: LoadReport, per_video: Counter):
    if category not in ALTERED_FIELD:
        raise ValueError(f"unknown UVQA category {category!r}")
    samples = []
    for i, item, at, vid, question, answer, ids in _items(path, report, per_video):
        altered = text(item, ALTERED_FIELD[category], at, required=False).strip()
        if not altered:
            report.note(f"no {ALTERED_FIELD[category]!r} (altered element unknown)", str(at))
        meta = {"source": path.name, "index": i}
        meta |= {
            k: item[k]
            for k in CONTEXT_FIELDS
            if isinstance(item.get(k), str) and k != ALTERED_FIELD[category]
        }
        samples.append(
            Sample(
                id=ids(vid),
                task=task,
                video=VideoRef(vid),
                question=question,
                kind="unanswerable",
                refusal=answer or None,
                categories=(category,),
                altered=altered or None,
                meta=meta,
            )
        )
    return samples


def _answerable(path: Path, task: str, report: LoadReport, per_video: Counter):
    samples = []
    for i, _item, at, vid, question, answer, ids in _items(path, report, per_video):
        if not answer:
            report.note("answerable question without an answer (dropped)", str(at))
            continue
        samples.append(
            Sample(
                id=ids(vid),
                task=task,
                video=VideoRef(vid),
                question=question,
                kind="answerable",
                answer=answer,
                meta={"source": path.name, "index": i},
            )
        )
    return samples


def load_uvqa_training(
    paths: list[Path], *, task: str, report: LoadReport, seed: int = 0, category: str = "answerable"
) -> list[Sample]:
    """UVQA training data with its DPO negatives: `paths` are the training files, then as many
    negative files (`train_<category>.json` + `train_negative_<category>.json`, or the five
    Video-ChatGPT `train_uvqa_format_chunk<k>.json` then the five `train_neg_chunk<k>.json`).
    Item i of the negatives is the rejected answer of item i of the training files (the UVQA
    authors' DPO pairs them by index); it is kept as `meta.negative`. `category` "answerable":
    Video-ChatGPT questions, else unanswerable questions of that category."""
    if len(paths) % 2:
        raise RecordError(
            f"{', '.join(p.name for p in paths)}: UVQA training data come as training files "
            "followed by as many negative files"
        )
    half = len(paths) // 2
    negatives = [item for p in paths[half:] for item in _list_of(p)]
    per_video: Counter[str] = Counter()
    samples, offset = [], 0
    for path in paths[:half]:
        read = (
            _answerable(path, task, report, per_video)
            if category == "answerable"
            else _unanswerable(path, task, category, report, per_video)
        )
        count = len(_list_of(path))
        for sample in read:
            k = offset + sample.meta["index"]
            if k < len(negatives) and isinstance(negatives[k], dict):
                sample.meta["negative"] = str(negatives[k].get("new_answer") or "")
            samples.append(sample)
        offset += count
    if offset != len(negatives):
        raise RecordError(
            f"{', '.join(p.name for p in paths[:half])} hold {offset} items but the negatives "
            f"{', '.join(p.name for p in paths[half:])} hold {len(negatives)}: they pair by index"
        )
    return samples


def _list_of(path: Path) -> list:
    data = read_json(path)
    if not isinstance(data, list):
        raise Where(path).error(f"expected a JSON list of questions, got {type(data).__name__}")
    return data


def _items(path: Path, report: LoadReport, per_video: Counter[str]):
    data = _list_of(path)
    where = Where(path)

    def next_id(vid: str) -> str:
        per_video[vid] += 1
        return f"{vid}#{per_video[vid] - 1}"

    for i, item in enumerate(data):
        at = where.at(f"item {i}")
        vid = text(item, "vid", at).strip()
        if not vid:
            raise at.error("field 'vid' must not be empty")
        question = text(item, "new_question", at).strip()
        if not question:
            report.note("empty question (dropped)", str(at))
            continue
        answer = text(item, "new_answer", at, required=False).strip()
        yield i, item, at, vid, question, answer, next_id
