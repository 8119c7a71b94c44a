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
    if category not in ALTERED_FIELD:
        raise ValueError(f"unknown UVQA category {category!r}")
    samples = []
    for i, item, at, vid, question, answer, ids in _items(path, report):
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


def load_uvqa_answerable(path: Path, *, task: str, report: LoadReport) -> list[Sample]:
    """Answerable questions in `{vid, new_question, new_answer}` form."""
    samples = []
    for i, _item, at, vid, question, answer, ids in _items(path, report):
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


def _items(path: Path, report: LoadReport):
    data = read_json(path)
    where = Where(path)
    if not isinstance(data, list):
        raise where.error(f"expected a JSON list of questions, got {type(data).__name__}")
    per_video: Counter[str] = Counter()

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
