"""Building UVQA-style and HI-VTG-style splits from annotated videos.

Two modes each:
- rules: from the synthetic split's exact scene graphs, with the synthetic generator's matcher
  checking every alteration (no LLM; runs offline);
- llm: from any collection's annotations, an LLM on any OpenAI-compatible endpoint writes the
  questions / edits (versioned prompts in `benchmark/prompts/construct/`, strict JSON with one
  repair, the client's cache and retries).

Outputs use the released formats, so the tasks load them: UVQA `eval_<category>.json` (object,
relation, attribute) and the RA-VTG group schema `hi_vtg_<name>.json`; put them in a data root
(flat layout) and run `uvqa_*` / `hi_*` tasks on it. Every candidate passes the quality gates
(`gates.py`); the report counts what was kept and why the rest was rejected.

UVQA input for the llm mode (MOMA-LRG-style scene graphs with DiDeMo-style descriptions), a JSON
list of videos:

    {"video": "abc123", "description": "...", "objects": ["barber", "chair"],
     "relations": [["barber", "standing beside", "chair"]],
     "relation_types": {"standing beside": "spatial"},
     "attributes": [{"object": "chair", "type": "color", "value": "red"}]}
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.construct.gates import GateReport, Gates
from benchmark.errors import RecordError
from benchmark.openai_client import ChatClient, InvalidReply, RequestFailed, ask_json
from benchmark.prompts import template
from benchmark.records import CATEGORIES, UVQA_CATEGORIES, Sample, read_json, write_json

UVQA_FIELD = {
    "object": "generated_actor_or_object",
    "relation": "generated_relation",
    "attribute": "generated_attributes",
}
HARDNESS = {1: "hard", 2: "medium", 3: "easy"}  # the release's labels for 1 / 2 / 3 edits


@dataclass
class Built:
    files: list[Path]
    report: GateReport


# --- UVQA --------------------------------------------------------------------------------------


def build_uvqa_rules(
    split_dir: Path, out: Path, *, split: str = "test", seed: int = 0, per_video: int = 3
) -> Built:
    """Unanswerable questions from the synthetic scene graphs (alterations checked by matching)."""
    from benchmark.synth.describe import answerable_questions, unanswerable_variant
    from benchmark.synth.query import Style

    rng = random.Random(seed)
    gates = Gates(UVQA_CATEGORIES)
    rows: dict[str, list[dict]] = defaultdict(list)
    for graph in _graphs(split_dir, split):
        kept = 0
        for question, presupposition in answerable_questions(graph, rng, Style.draw(rng)):
            variant = unanswerable_variant(graph, question, presupposition, rng)
            if variant is None or kept >= per_video:
                continue
            original = _original_element(question.text, variant.text)
            if not gates.admit(
                graph.video_id,
                variant.text,
                original=question.text,
                other_queries=[],
                refusal=variant.refusal or "",
                categories=[variant.category],
                leaked=original,
            ):
                continue
            gates.report.keep([variant.category])
            kept += 1
            rows[variant.category].append(
                _uvqa_row(
                    graph.video_id,
                    variant.text,
                    variant.refusal,
                    variant.category,
                    variant.altered,
                    original,
                )
            )
    return Built(_write_uvqa(rows, out), gates.report)


def build_uvqa_llm(
    graphs_file: Path, out: Path, client: ChatClient, *, seed: int = 0, per_video: int = 3
) -> Built:
    """Unanswerable questions written by an LLM for alterations made here."""
    videos = read_json(graphs_file)
    if not isinstance(videos, list):
        raise RecordError(f"{graphs_file}: expected a JSON list of scene graphs")
    vocabulary = _vocabulary(videos, graphs_file)
    rng = random.Random(seed)
    gates = Gates(UVQA_CATEGORIES)
    rows: dict[str, list[dict]] = defaultdict(list)
    module = template("construct/uvqa_v1").module
    for video in videos:
        for category, original, altered in _alterations(video, vocabulary, rng, per_video):
            messages = [
                {"role": "system", "content": str(module.system()).strip()},
                {
                    "role": "user",
                    "content": str(
                        module.user(
                            video.get("description", ""),
                            json.dumps(_graph_view(video)),
                            category,
                            original,
                            altered,
                        )
                    ).strip(),
                },
            ]
            try:
                reply = ask_json(client, messages, _uvqa_reply, version="uvqa_v1")
            except (InvalidReply, RequestFailed) as exc:
                gates.report.reject(f"LLM reply unusable ({type(exc).__name__})", altered)
                continue
            if reply is None:
                gates.report.reject("judged not applicable by the LLM", altered)
                continue
            question, refusal = reply
            leaked = original if category != "relation" else None
            if not gates.admit(
                video["video"],
                question,
                original="",
                other_queries=[],
                refusal=refusal,
                categories=[category],
                leaked=leaked,
            ):
                continue
            if altered.lower() not in refusal.lower():
                gates.report.reject("refusal does not name the altered element", question)
                continue
            gates.report.keep([category])
            rows[category].append(
                _uvqa_row(video["video"], question, refusal, category, altered, original)
            )
    return Built(_write_uvqa(rows, out), gates.report)


def _uvqa_reply(data: dict) -> tuple[str, str] | None:
    if data.get("not_applicable") is True:
        return None
    question, refusal = data.get("question"), data.get("refusal")
    if (
        not isinstance(question, str)
        or not question.strip()
        or not isinstance(refusal, str)
        or not refusal.strip()
    ):
        raise InvalidReply("expected 'question' and 'refusal' strings, or not_applicable: true")
    return question.strip(), refusal.strip()


def _vocabulary(videos: list, source: Path) -> dict[str, Any]:
    objects, relations, values = set(), defaultdict(set), defaultdict(set)
    for i, video in enumerate(videos):
        if not isinstance(video, dict) or not isinstance(video.get("video"), str):
            raise RecordError(f"{source}: item {i}: expected an object with a 'video' id")
        objects.update(video.get("objects", []))
        types = video.get("relation_types", {})
        for triplet in video.get("relations", []):
            relations[types.get(triplet[1], "relation")].add(triplet[1])
        for attribute in video.get("attributes", []):
            values[attribute["type"]].add(attribute["value"])
    return {
        "objects": sorted(objects),
        "relations": {k: sorted(v) for k, v in relations.items()},
        "values": {k: sorted(v) for k, v in values.items()},
    }


def _alterations(video: dict, vocabulary: dict, rng: random.Random, per_video: int):
    """(category, original, altered) candidates within each category, cycling categories."""
    present = set(video.get("objects", []))
    types = video.get("relation_types", {})
    options = []
    absent = [o for o in vocabulary["objects"] if o not in present]
    for obj in sorted(present):
        if absent:
            options.append(("object", obj, rng.choice(absent)))
    for subject, relation, obj in video.get("relations", []):
        same_type = [
            r
            for r in vocabulary["relations"].get(types.get(relation, "relation"), [])
            if r != relation
        ]
        if same_type:
            options.append(
                (
                    "relation",
                    f"{subject} {relation} {obj}",
                    f"{subject} {rng.choice(same_type)} {obj}",
                )
            )
    for attribute in video.get("attributes", []):
        others = [
            v for v in vocabulary["values"].get(attribute["type"], []) if v != attribute["value"]
        ]
        if others:
            options.append(("attribute", attribute["value"], rng.choice(others)))
    rng.shuffle(options)
    options.sort(key=lambda o: UVQA_CATEGORIES.index(o[0]))
    chosen, by_category = [], defaultdict(list)
    for option in options:
        by_category[option[0]].append(option)
    while len(chosen) < per_video and any(by_category.values()):
        for category in UVQA_CATEGORIES:
            if by_category[category] and len(chosen) < per_video:
                chosen.append(by_category[category].pop(0))
    return chosen


def _graph_view(video: dict) -> dict:
    return {k: video.get(k) for k in ("objects", "relations", "attributes") if video.get(k)}


def _uvqa_row(vid, question, refusal, category, altered, original) -> dict:
    return {
        "vid": vid,
        "new_question": question,
        "new_answer": refusal,
        UVQA_FIELD[category]: altered,
        "category": category,
        "original_element": original,
    }


def _write_uvqa(rows: dict[str, list[dict]], out: Path) -> list[Path]:
    files = []
    for category in UVQA_CATEGORIES:
        if rows.get(category):
            path = out / f"eval_{category}.json"
            write_json(path, rows[category])
            files.append(path)
    return files


def _original_element(answerable: str, unanswerable: str) -> str | None:
    """The word the alteration replaced (for the leak check), when it replaced one word."""
    a, b = answerable.rstrip("?").split(), unanswerable.rstrip("?").split()
    if len(a) == len(b):
        changed = [x for x, y in zip(a, b, strict=True) if x != y]
        if len(changed) == 1:
            return changed[0]
    return None


# --- HI-VTG ------------------------------------------------------------------------------------


def build_hivtg_rules(
    split_dir: Path, out: Path, *, name: str = "custom", split: str = "test", seed: int = 0
) -> Built:
    """Relevant queries and 1/2/3-edit hard-irrelevant twins from the synthetic scene graphs."""
    from collections import Counter

    from benchmark.synth.describe import describe_event
    from benchmark.synth.edits import edit_query
    from benchmark.synth.query import Style, match, realize

    rng = random.Random(seed)
    gates = Gates(CATEGORIES)
    usage: Counter = Counter()
    groups, turn = [], 0
    for graph in _graphs(split_dir, split):
        texts = []
        for event in graph.events:
            query = describe_event(graph, event, rng)
            if query is None:
                continue
            style = Style.draw(rng)
            text = realize(query, style)
            (span,) = match(graph, query)
            edits = turn % 3 + 1
            turn += 1
            edited = edit_query(query, graph, edits, rng, usage)
            if edited is None:
                gates.report.reject(
                    "no edit along free categories leaves the query irrelevant", text
                )
                continue
            edited_text = realize(edited.query, style)
            if not gates.admit(
                graph.video_id,
                edited_text,
                original=text,
                other_queries=texts,
                refusal=edited.refusal,
                categories=edited.categories,
            ):
                continue
            gates.report.keep(edited.categories, HARDNESS[edits])
            texts.append(text)
            groups.append(
                _group(
                    f"videos/{graph.video_id}.mp4",
                    text,
                    span,
                    graph.duration,
                    [(edited_text, edited.refusal, edited.categories, edits)],
                )
            )
    path = out / f"hi_vtg_{name}.json"
    write_json(path, groups)
    return Built([path], gates.report)


def build_hivtg_llm(
    samples: list[Sample],
    out: Path,
    client: ChatClient,
    *,
    name: str = "custom",
    descriptions: dict[str, str] | None = None,
) -> Built:
    """Hard-irrelevant twins written by an LLM for the relevant queries of any grounding set."""
    gates = Gates(CATEGORIES)
    module = template("construct/hivtg_v1").module
    by_video: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        if sample.kind == "relevant" and sample.span is not None:
            by_video[sample.video.path].append(sample)
    groups, turn = [], 0
    for video, queries in by_video.items():
        others = [q.question for q in queries]
        for sample in queries:
            messages = [
                {"role": "system", "content": str(module.system(CATEGORIES)).strip()},
                {
                    "role": "user",
                    "content": str(
                        module.user(sample.question, (descriptions or {}).get(video))
                    ).strip(),
                },
            ]
            try:
                edits = ask_json(client, messages, _hivtg_reply, version="hivtg_v1")
            except (InvalidReply, RequestFailed) as exc:
                gates.report.reject(f"LLM reply unusable ({type(exc).__name__})", sample.question)
                continue
            level = (
                turn % 3 + 1
            )  # keep one twin per query, cycling 1 / 2 / 3 edits as the release does
            turn += 1
            text, categories, refusal = edits[level - 1]
            if not gates.admit(
                video,
                text,
                original=sample.question,
                other_queries=others,
                refusal=refusal,
                categories=categories,
            ):
                continue
            gates.report.keep(categories, HARDNESS[level])
            groups.append(
                _group(
                    video,
                    sample.question,
                    sample.span,
                    sample.duration,
                    [(text, refusal, categories, level)],
                )
            )
    path = out / f"hi_vtg_{name}.json"
    write_json(path, groups)
    return Built([path], gates.report)


def _hivtg_reply(data: dict) -> list[tuple[str, list[str], str]]:
    edits = data.get("edits")
    if not isinstance(edits, list) or len(edits) != 3:
        raise InvalidReply("expected 'edits', a list of three cumulative edits")
    out = []
    for k, edit in enumerate(edits, start=1):
        if not isinstance(edit, dict):
            raise InvalidReply(f"edit {k} is not an object")
        query, categories, refusal = edit.get("query"), edit.get("categories"), edit.get("refusal")
        if (
            not isinstance(query, str)
            or not isinstance(refusal, str)
            or not isinstance(categories, list)
        ):
            raise InvalidReply(f"edit {k} needs 'query', 'categories' and 'refusal'")
        if len(categories) != k:
            raise InvalidReply(f"edit {k} must change {k} categories, lists {len(categories)}")
        out.append((query.strip(), [str(c) for c in categories], refusal.strip()))
    return out


def _group(
    video: str, query: str, span, duration, irrelevant: list[tuple[str, str, tuple | list, int]]
) -> dict:
    entry = {
        "video": video,
        "query_text": query,
        "timestamp": list(span),
        "GRPO": [
            {
                "q": query,
                "a": f"<answer>{span[0]:.2f} to {span[1]:.2f}</answer>",
                "r": True,
                "difficulty": "original",
            }
        ],
    }
    if duration is not None:
        entry["duration"] = duration
    for text, refusal, categories, edits in irrelevant:
        entry["GRPO"].append(
            {
                "q": text,
                "a": f"<answer>{refusal}</answer><correct>{query}</correct>",
                "r": False,
                "c": list(categories),
                "difficulty": HARDNESS[edits],
            }
        )
    return entry


# --- shared ------------------------------------------------------------------------------------


def _graphs(split_dir: Path, split: str):
    from benchmark.synth.world import SceneGraph

    paths = sorted((Path(split_dir) / "scenes").glob(f"synth-{split}-*.json"))
    if not paths:
        raise RecordError(
            f"{split_dir}: no synthetic scene graphs of the {split} split "
            "(run `refusal-bench data synth`)"
        )
    for path in paths:
        yield SceneGraph.from_json(json.loads(path.read_text()))
