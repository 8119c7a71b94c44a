"""The synthetic split: labels exact by construction, checked against the scene graphs and pixels."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter

import numpy as np
import pytest

from benchmark.cli import main
from benchmark.records import CATEGORIES, Sample, read_records
from benchmark.synth.edits import DIFFICULTY_EDITS, changed_categories
from benchmark.synth.query import Act, Style, match, verb_phrase
from benchmark.synth.split import SPLITS, TASKS, build_split, ensure_split, query_from_json
from benchmark.synth.world import COLOURS, SceneGraph
from benchmark.task_loading import load_task


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth") / "split"
    build_split(root, seed=7, videos=10)
    return root


def samples_of(root, task, split="test"):
    return read_records(root / "annotations" / f"{task}.{split}.jsonl", Sample)


def graph_of(root, sample) -> SceneGraph:
    video_id = sample.meta["split_video"]
    return SceneGraph.from_json(json.loads((root / "scenes" / f"{video_id}.json").read_text()))


def all_samples(root):
    for task in TASKS:
        for split in SPLITS:
            yield from samples_of(root, task, split)


def test_every_relevant_span_is_the_matchers_span(split):
    relevant = [s for s in all_samples(split) if s.kind == "relevant"]
    assert relevant
    for s in relevant:
        assert match(graph_of(split, s), query_from_json(s.meta["query"])) == [s.span], s.id


def test_every_irrelevant_query_matches_no_event(split):
    irrelevant = [s for s in all_samples(split) if s.kind == "irrelevant"]
    assert irrelevant
    for s in irrelevant:
        assert match(graph_of(split, s), query_from_json(s.meta["query"])) == [], s.id


def test_every_edit_changes_exactly_the_categories_it_is_labelled_with(split):
    for split_name in SPLITS:
        samples = {s.id: s for s in samples_of(split, "synth_hivtg", split_name)}
        for s in samples.values():
            if s.kind != "irrelevant":
                continue
            original = query_from_json(samples[s.meta["pair"]].meta["query"])
            edited = query_from_json(s.meta["query"])
            assert changed_categories(original, edited) == set(s.categories), s.id
            assert len(s.categories) == DIFFICULTY_EDITS[s.difficulty], s.id
            assert len(s.meta["mismatches"]) == len(s.categories)  # one stated mismatch per edit
            assert all(m in s.refusal for m in s.meta["mismatches"])


def test_unanswerable_questions_ask_about_something_absent(split):
    for s in samples_of(split, "synth_uvqa") + samples_of(split, "synth_uvqa", "train"):
        graph = graph_of(split, s)
        assert match(graph, query_from_json(s.meta["query"])) == [], s.id
        assert s.altered and s.altered in s.question and s.altered in s.refusal, s.id
        assert s.categories[0] in ("object", "relation", "attribute")


def test_answerable_answers_are_read_off_the_graph(split):
    for s in samples_of(split, "synth_qa") + samples_of(split, "synth_qa", "train"):
        graph = graph_of(split, s)
        query = query_from_json(s.meta["query"])
        (span,) = match(graph, query)
        event = next(e for e in graph.events if e.start == span[0] and query.action.kind == e.kind)
        expected = _expected_answer(graph, event, s.meta["form"])
        assert s.answer == expected, s.id


def _expected_answer(graph, event, form):
    actor = event.actors[0]
    if form == "colour":
        return graph.state(actor, event.start).colour
    if form == "shape":
        return graph.entity(actor).shape
    if form == "direction":
        return event.direction
    if form == "count":
        return {2: "two", 3: "three"}[len(event.actors)]
    if form == "scene":
        return graph.scene_during(event.start, event.end)
    return verb_phrase(Act(*_next(graph, event)), Style())


def _next(graph, event):
    nxt = next(e for e in graph.events_of(event.actors[0]) if e.start >= event.end)
    return nxt.kind, nxt.direction, nxt.colour


def test_decoded_pixels_agree_with_the_scene_model(split):
    import av

    checked = 0
    for video_file in sorted((split / "videos").glob("*.mp4"))[:4]:
        graph = SceneGraph.from_json(
            json.loads((split / "scenes" / f"{video_file.stem}.json").read_text())
        )
        with av.open(str(video_file)) as container:
            frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        assert len(frames) == round(graph.duration * graph.fps)
        for event in graph.events:
            t = event.end + 0.2  # just after the event: its effect is complete
            index = min(round(t * graph.fps), len(frames) - 1)
            t = index / graph.fps
            for actor in event.actors:
                state = graph.state(actor, t)
                crowded = any(
                    o.id != actor
                    and graph.state(o.id, t).visible > 0
                    and math.dist(
                        (state.x, state.y), (graph.state(o.id, t).x, graph.state(o.id, t).y)
                    )
                    < 3 * state.radius
                    for o in graph.entities
                )
                if state.visible < 1 or crowded or graph.entity(actor).part == "eyes":
                    continue
                pixel = frames[index][round(state.y), round(state.x)].astype(int)
                assert np.abs(pixel - np.array(COLOURS[state.colour])).max() < 45, (
                    video_file.stem,
                    actor,
                    t,
                )
                checked += 1
    assert checked >= 5


def test_same_seed_same_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build_split(first, seed=3, videos=3)
    build_split(second, seed=3, videos=3)
    for path in [*sorted((first / "annotations").glob("*.jsonl")), first / "manifest.json"]:
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path.name
    for path in sorted((first / "videos").glob("*.mp4")):
        assert path.read_bytes() == (second / "videos" / path.name).read_bytes(), path.name


def test_generator_output_is_pinned_to_its_version(tmp_path):
    build_split(tmp_path, seed=0, videos=4, render=False)
    digest = hashlib.sha256()
    for path in sorted((tmp_path / "annotations").glob("*.jsonl")):
        digest.update(path.read_bytes())
    assert digest.hexdigest()[:16] == GOLDEN, (
        "the synthetic split's annotations changed: bump SYNTH_VERSION in benchmark/synth/split.py "
        f"(cached splits are keyed by it) and set GOLDEN = {digest.hexdigest()[:16]!r}"
    )


GOLDEN = "8d1913e33ba050e1"


def test_splits_use_disjoint_videos(split):
    test_videos = {s.video.path for s in all_samples(split) if "-test-" in s.id}
    train_videos = {s.video.path for s in all_samples(split) if "-train-" in s.id}
    assert test_videos and train_videos and not test_videos & train_videos


def test_default_split_covers_all_categories_and_difficulties():
    samples = load_task("synth_hivtg").samples
    irrelevant = [s for s in samples if s.kind == "irrelevant"]
    assert {c for s in irrelevant for c in s.categories} == set(CATEGORIES)
    assert Counter(s.difficulty for s in irrelevant).keys() == {"strong", "moderate", "weak"}
    assert sum(s.kind == "relevant" for s in samples) == len(irrelevant)


def test_wording_alone_does_not_give_relevance_away(tmp_path):
    """A bag-of-words naive Bayes trained on the train split's query texts is near chance on test."""
    build_split(tmp_path, seed=0, videos=48, render=False)
    accuracies = {
        task: _bag_of_words_accuracy(tmp_path, task) for task in ("synth_hivtg", "synth_ss")
    }
    print(f"bag-of-words accuracy: {accuracies}")
    assert all(0.35 <= acc <= 0.65 for acc in accuracies.values()), accuracies


def _bag_of_words_accuracy(root, task):
    def tokens(text):
        return re.findall(r"[a-z]+", text.lower())

    train, test = samples_of(root, task, "train"), samples_of(root, task, "test")
    counts = {k: Counter() for k in ("relevant", "irrelevant")}
    prior = Counter(s.kind for s in train)
    for s in train:
        counts[s.kind].update(tokens(s.question))
    vocab = set(counts["relevant"]) | set(counts["irrelevant"])

    def log_p(text, kind):
        total = sum(counts[kind].values()) + len(vocab)
        return math.log(prior[kind]) + sum(
            math.log((counts[kind][w] + 1) / total) for w in tokens(text)
        )

    hits = sum(max(counts, key=lambda k: log_p(s.question, k)) == s.kind for s in test)
    return hits / len(test)


def test_data_synth_command_writes_a_split_and_a_contact_sheet(tmp_path, capsys):
    out = tmp_path / "split"
    png = tmp_path / "sheet.png"
    assert (
        main(
            [
                "data",
                "synth",
                "--out",
                str(out),
                "--videos",
                "2",
                "--preview",
                "synth-test-0001",
                "--preview-out",
                str(png),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "synth_hivtg" in printed and png.read_bytes().startswith(b"\x89PNG")
    assert main(["data", "synth", "--out", str(out), "--preview", "nope"]) == 2


def test_tasks_build_the_default_split_once_and_reuse_it():
    first = ensure_split()
    stamp = (first / "manifest.json").stat().st_mtime_ns
    loaded = load_task("synth_qa")
    assert loaded.video_root == first
    assert (first / loaded.samples[0].video.path).is_file()
    assert (ensure_split() / "manifest.json").stat().st_mtime_ns == stamp
    assert len(load_task("synth_qa", split="train").samples) > 0
