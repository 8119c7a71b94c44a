"""Building the synthetic split: videos, scene graphs and the samples of its four tasks.

    DIR/manifest.json                 seed, sizes, version
    DIR/scenes/<video>.json           the exact scene graph and event timeline
    DIR/videos/<video>.mp4            the rendered video
    DIR/annotations/<task>.<split>.jsonl

Test and train splits use disjoint videos. The same seed gives byte-identical annotation files.
Tasks build the default split on first use into a cache folder (`REFUSAL_BENCH_CACHE`, else
`~/.cache/refusal-bench`); the build goes to a temporary folder renamed into place, so a killed or
concurrent build never leaves half a split behind.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from tqdm import tqdm

from benchmark.paths import cache_root
from benchmark.records import Sample, VideoRef, read_records, to_dict
from benchmark.synth.describe import (
    answerable_questions,
    describe_event,
    scene_change_queries,
    unanswerable_variant,
)
from benchmark.synth.edits import DIFFICULTY_EDITS, edit_query
from benchmark.synth.generate import generate_scene_graph
from benchmark.synth.query import Act, AnyQuery, Desc, Query, SceneChange, Style, match, realize
from benchmark.synth.render import encode_video
from benchmark.synth.world import SceneGraph

SYNTH_VERSION = "1"
TASKS = ("synth_qa", "synth_uvqa", "synth_hivtg", "synth_ss")
SPLITS = ("test", "train")
DEFAULT_VIDEOS = 48  # per split
_PER_VIDEO = 3  # relevant queries / questions per video and task


def default_dir(seed: int = 0, videos: int = DEFAULT_VIDEOS) -> Path:
    return cache_root() / "synth" / f"v{SYNTH_VERSION}-seed{seed}-n{videos}"


def ensure_split(root: Path | None = None, *, seed: int = 0, videos: int = DEFAULT_VIDEOS) -> Path:
    """The folder of a built split, building it first when it is not there yet."""
    root = Path(root) if root is not None else default_dir(seed, videos)
    if (root / "manifest.json").is_file():
        return root
    tmp = root.with_name(f"{root.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    build_split(tmp, seed=seed, videos=videos)
    try:
        tmp.rename(root)
    except OSError:  # another process finished first: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
    return root


def load_split_samples(root: Path, task: str, split: str = "test") -> list[Sample]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    return read_records(root / "annotations" / f"{task}.{split}.jsonl", Sample)


def build_split(
    out: Path, *, seed: int = 0, videos: int = DEFAULT_VIDEOS, render: bool = True
) -> dict:
    """Generate, render and annotate both splits under `out`; returns the manifest."""
    out = Path(out)
    counts: dict[str, dict[str, int]] = {}
    for split in SPLITS:
        rng = random.Random(f"{seed}:{split}")
        graphs = [
            generate_scene_graph(f"synth-{split}-{i:04d}", random.Random(rng.random()))
            for i in range(videos)
        ]
        for graph in tqdm(
            graphs, desc=f"rendering synthetic {split} videos", disable=not render, leave=False
        ):
            _write_json(out / "scenes" / f"{graph.video_id}.json", graph.to_json())
            if render:
                encode_video(graph, out / "videos" / f"{graph.video_id}.mp4")
        samples = annotate(graphs, rng)
        for task in TASKS:
            rows = [to_dict(s) for s in samples[task]]
            _write_jsonl(out / "annotations" / f"{task}.{split}.jsonl", rows)
            counts.setdefault(task, {})[split] = len(rows)
    manifest = {
        "version": SYNTH_VERSION,
        "seed": seed,
        "videos_per_split": videos,
        "samples": counts,
    }
    _write_json(out / "manifest.json", manifest)
    return manifest


def annotate(graphs: list[SceneGraph], rng: random.Random) -> dict[str, list[Sample]]:
    """The samples of every task for one split's videos."""
    out: dict[str, list[Sample]] = {task: [] for task in TASKS}
    usage: Counter = Counter()
    levels = list(DIFFICULTY_EDITS)
    relevant_by_video: dict[str, list[tuple[AnyQuery, str]]] = {}
    for graph in graphs:
        ids = Counter()
        video = VideoRef(f"videos/{graph.video_id}.mp4")

        def new_id(task: str, graph=graph, ids=ids) -> str:
            ids[task] += 1
            return f"{graph.video_id}#{ids[task] - 1}"

        # grounding: relevant queries and their hard-irrelevant twins
        queries = _relevant_queries(graph, rng)
        relevant_by_video[graph.video_id] = []
        for query in queries:
            style = Style.draw(rng)
            text = realize(query, style)
            (span,) = match(graph, query)
            relevant_by_video[graph.video_id].append((query, text))
            level = levels[sum(1 for s in out["synth_hivtg"] if s.kind == "irrelevant") % 3]
            edited = None
            for try_level in levels[: levels.index(level) + 1][::-1]:
                edited = edit_query(query, graph, DIFFICULTY_EDITS[try_level], rng, usage)
                if edited is not None:
                    level = try_level
                    break
            if edited is None:
                continue
            rel_id, irr_id = new_id("synth_hivtg"), new_id("synth_hivtg")
            out["synth_hivtg"].append(
                _sample(
                    rel_id,
                    "synth_hivtg",
                    video,
                    text,
                    "relevant",
                    graph,
                    span=span,
                    difficulty="original",
                    query=query,
                )
            )
            out["synth_hivtg"].append(
                _sample(
                    irr_id,
                    "synth_hivtg",
                    video,
                    realize(edited.query, style),
                    "irrelevant",
                    graph,
                    difficulty=level,
                    categories=edited.categories,
                    refusal=edited.refusal,
                    query=edited.query,
                    meta={
                        "pair": rel_id,
                        "correction": text,
                        "mismatches": list(edited.mismatches),
                    },
                )
            )

        # QA: answerable questions, and unanswerable variants of them
        qa_pairs = answerable_questions(graph, rng, Style.draw(rng))
        rng.shuffle(qa_pairs)
        for question, presupposition in qa_pairs[:_PER_VIDEO]:
            out["synth_qa"].append(
                _sample(
                    new_id("synth_qa"),
                    "synth_qa",
                    video,
                    question.text,
                    "answerable",
                    graph,
                    answer=question.answer,
                    query=presupposition,
                    meta={"form": question.form},
                )
            )
        n_uvqa = 0
        for question, presupposition in qa_pairs:
            variant = unanswerable_variant(graph, question, presupposition, rng)
            if variant is None or n_uvqa >= _PER_VIDEO:
                continue
            n_uvqa += 1
            out["synth_uvqa"].append(
                _sample(
                    new_id("synth_uvqa"),
                    "synth_uvqa",
                    video,
                    variant.text,
                    "unanswerable",
                    graph,
                    refusal=variant.refusal,
                    altered=variant.altered,
                    categories=(variant.category,),
                    query=variant.presupposition,
                    meta={"answerable_version": question.text, "form": question.form},
                )
            )

    # Simply-Shuffled: each relevant query gets a query of another video that matches nothing here
    for graph in graphs:
        video = VideoRef(f"videos/{graph.video_id}.mp4")
        own_texts = {text for _, text in relevant_by_video[graph.video_id]}
        for k, (query, text) in enumerate(relevant_by_video[graph.video_id]):
            donor = _shuffled_donor(graph, own_texts, relevant_by_video, rng)
            if donor is None:
                continue
            donor_video, donor_query, donor_text = donor
            (span,) = match(graph, query)
            out["synth_ss"].append(
                _sample(
                    f"{graph.video_id}#{2 * k}",
                    "synth_ss",
                    video,
                    text,
                    "relevant",
                    graph,
                    span=span,
                    difficulty="original",
                    query=query,
                )
            )
            out["synth_ss"].append(
                _sample(
                    f"{graph.video_id}#{2 * k + 1}",
                    "synth_ss",
                    video,
                    donor_text,
                    "irrelevant",
                    graph,
                    difficulty="shuffled",
                    query=donor_query,
                    meta={"donor_video": donor_video},
                )
            )
    return out


def _relevant_queries(graph: SceneGraph, rng: random.Random) -> list[AnyQuery]:
    events = list(graph.events)
    rng.shuffle(events)
    queries: list[AnyQuery] = []
    seen_spans = set()
    for event in events:
        query = describe_event(graph, event, rng)
        if query is None:
            continue
        (span,) = match(graph, query)
        if span in seen_spans:
            continue
        seen_spans.add(span)
        queries.append(query)
        if len(queries) >= _PER_VIDEO:
            break
    changes = scene_change_queries(graph)
    if changes and rng.random() < 0.5:
        queries[-1:] = [changes[0]] if len(queries) >= _PER_VIDEO else [*queries[-1:], changes[0]]
    return queries


def _shuffled_donor(graph, own_texts, relevant_by_video, rng):
    candidates = [
        (vid, q, t)
        for vid, items in relevant_by_video.items()
        if vid != graph.video_id
        for q, t in items
        if t not in own_texts
    ]
    rng.shuffle(candidates)
    for vid, query, text in candidates[:40]:
        if not match(graph, query):
            return vid, query, text
    return None


def _sample(
    sample_id, task, video, question, kind, graph, *, query=None, meta=None, **gold
) -> Sample:
    info = {"split_video": graph.video_id, **(meta or {})}
    if query is not None:
        info["query"] = query_to_json(query)
    return Sample(
        id=sample_id,
        task=task,
        video=video,
        question=question,
        kind=kind,
        duration=graph.duration,
        meta=info,
        **gold,
    )


def query_to_json(query: AnyQuery) -> dict:
    return {"type": type(query).__name__, **asdict(query)}


def query_from_json(data: dict) -> AnyQuery:
    data = dict(data)
    kind = data.pop("type")
    if kind == "SceneChange":
        return SceneChange(**data)

    def desc(d):
        return Desc(**d) if d is not None else None

    def act(a):
        return Act(**a) if a is not None else None

    def pair(p):
        return (p[0], desc(p[1])) if p is not None else None

    return Query(
        subject=desc(data["subject"]),
        action=act(data["action"]),
        then=act(data["then"]),
        relation=pair(data["relation"]),
        comparison=pair(data["comparison"]),
        scene=data["scene"],
    )


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _write_jsonl(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows), encoding="utf-8")
