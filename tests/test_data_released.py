"""Counts and properties of the real released annotation files (skipped when ../shared/data is absent)."""

from __future__ import annotations

from collections import Counter

import pytest
from data_fixtures import SHARED_DATA

from benchmark.data.shuffle import build_simply_shuffled, normalize_text
from benchmark.task_loading import load_task

pytestmark = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"released annotation files not found at {SHARED_DATA}"
)


@pytest.mark.parametrize(
    ("task", "n", "relevant", "difficulty"),
    [
        ("hi_tvgbench", 1600, 800, {"strong": 267, "moderate": 267, "weak": 266}),
        ("hi_charades", 2194, 1097, {"strong": 530, "moderate": 363, "weak": 204}),
        ("ss_charades", 3720, 1860, {"shuffled": 1860}),
        ("ss_qvhighlights", 3100, 1550, {"shuffled": 1550}),
    ],
)
def test_grounding_task_counts(task, n, relevant, difficulty):
    samples = load_task(task, data_root=SHARED_DATA).samples
    assert len(samples) == n
    assert sum(s.kind == "relevant" for s in samples) == relevant
    irrelevant_levels = Counter(s.difficulty for s in samples if s.kind == "irrelevant")
    assert irrelevant_levels == difficulty
    assert len({s.id for s in samples}) == n


@pytest.mark.parametrize(
    ("task", "n"), [("uvqa_object", 238), ("uvqa_relation", 111), ("uvqa_attribute", 118)]
)
def test_uvqa_counts(task, n):
    samples = load_task(task, data_root=SHARED_DATA).samples
    assert len(samples) == n
    assert all(s.kind == "unanswerable" and s.altered for s in samples)


def test_tvgbench_quirks_are_reported_not_fatal():
    loaded = load_task("hi_tvgbench", data_root=SHARED_DATA)
    assert loaded.report.unknown_categories == {"Action/SceneTransition": 1}


def _assert_simply_shuffled(samples):
    texts = {}
    for s in samples:
        if s.kind == "relevant":
            texts.setdefault(s.video.path, set()).add(normalize_text(s.question))
    shuffled = [s for s in samples if s.kind == "irrelevant"]
    assert all(s.meta["donor_video"] != s.video.path for s in shuffled)
    assert all(normalize_text(s.question) not in texts[s.video.path] for s in shuffled)
    return len(samples) - len(shuffled), len(shuffled)


def test_simply_shuffled_built_from_the_ratsg_charades_file():
    from benchmark.data.grounding_formats import load_ratsg
    from benchmark.data.report import LoadReport

    path = SHARED_DATA / "RaTSG/data/dataset/charades_RF/charades_sta_test2.0.json"
    plain = load_ratsg(path, task="r", report=LoadReport("r"))
    built = build_simply_shuffled(plain, task="ss_charades", seed=0)
    assert _assert_simply_shuffled(built) == (1860, 1860)


def test_simply_shuffled_built_from_the_qvhighlights_positives():
    from benchmark.data.grounding_formats import load_qvhighlights
    from benchmark.data.report import LoadReport

    path = SHARED_DATA / "MomentofUntruth/UniVTG-NA/data/qvhighlights/metadata/qvhl_pos_val.jsonl"
    plain = load_qvhighlights(path, task="q", report=LoadReport("q"))
    built = build_simply_shuffled(plain, task="ss_qvhighlights", seed=0)
    assert _assert_simply_shuffled(built) == (1550, 1550)
