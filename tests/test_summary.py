"""Task summaries (the results.json entry) and the video-level bootstrap."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from benchmark.families import GROUNDING, QA, family_of_samples
from benchmark.metrics import cluster_bootstrap, paired_bootstrap, paired_summary, summarize_task
from benchmark.records import Judgment, RecordError, Sample, VideoRef


def vtg_sample(i, kind, *, video=None, difficulty=None, categories=(), span=(10.0, 20.0)):
    return Sample(
        id=f"s{i}",
        task="t",
        video=VideoRef(video or f"v{i // 2}.mp4"),
        question=f"query {i}",
        kind=kind,
        span=span if kind == "relevant" else None,
        difficulty=difficulty or ("original" if kind == "relevant" else "strong"),
        categories=tuple(categories),
    )


def judged(sample, verdict, *, span=None, sbert=None, consistency=None, categories=(), status="ok"):
    return Judgment(
        sample_id=sample.id,
        judge="rules",
        status=status,
        verdict=verdict if status == "ok" else None,
        span=span,
        sbert=sbert,
        consistency=consistency,
        categories=tuple(categories),
    )


def one_to_one_split(n=10):
    """Video k holds a relevant query (id 2k) and its edited irrelevant twin (id 2k+1)."""
    return [vtg_sample(i, "relevant" if i % 2 == 0 else "irrelevant") for i in range(2 * n)]


def summarize(samples, judgments, **options):
    """summarize_task with the family of the samples (grounding for an empty task)."""
    family = family_of_samples(samples, default=GROUNDING)
    return summarize_task(samples, judgments, family=family, **options)


# --- grounding ---------------------------------------------------------------------------------


def test_always_answer_summary_matches_the_paper_sanity_values():
    samples = one_to_one_split()
    judgments = [judged(s, "relevant", span=(0.0, 5.0)) for s in samples]
    result = summarize(samples, judgments, judge="rules", n_resamples=200)
    m = result.metrics
    assert (round(m["f1_rel"], 3), m["f1_irrel"], round(m["f1_avg"], 3)) == (0.667, 0.0, 0.333)
    assert m["refusal_recall"] == 0.0
    assert m["sbert"] == 0.0  # every refusal missed: the explanation score is 0, not undefined
    assert m["sbert_tn"] is None
    assert "sbert_tn" in result.breakdowns["null_reasons"]
    assert result.n == 20 and result.failures == 0 and result.judge == "rules"


def test_always_refuse_summary_has_miou_one_half():
    samples = one_to_one_split()
    judgments = [judged(s, "irrelevant", sbert=0.5, consistency=2.0) for s in samples]
    m = summarize(samples, judgments, judge="rules", n_resamples=200).metrics
    assert (m["f1_rel"], round(m["f1_irrel"], 3), round(m["f1_avg"], 3)) == (0.0, 0.667, 0.333)
    assert m["miou"] == 0.5 and m["r@0.7"] == 0.5
    assert m["sbert"] == 0.5 and m["llm_score"] == 2.0
    assert m["over_refusal"] == 1.0


def test_grounding_metrics_by_hand():
    s = [
        vtg_sample(0, "relevant", span=(10, 20)),
        vtg_sample(1, "relevant", span=(0, 10)),
        vtg_sample(2, "irrelevant", categories=["Object/ObjectExistence"]),
        vtg_sample(3, "irrelevant", categories=["Object/ObjectExistence", "Attribute/Counting"]),
    ]
    j = [
        judged(s[0], "relevant", span=(15, 25)),  # IoU 5/15
        judged(s[1], "irrelevant"),  # FN
        judged(s[2], "irrelevant", sbert=0.8, consistency=4, categories=["Object/ObjectExistence"]),
        judged(s[3], "relevant", span=(0, 1)),  # FP
    ]
    result = summarize(s, j, judge="rules", n_resamples=100)
    m = result.metrics
    assert result.breakdowns["confusion"] == {"tp": 1, "fn": 1, "fp": 1, "tn": 1}
    assert m["f1_rel"] == pytest.approx(0.5) and m["f1_irrel"] == pytest.approx(0.5)
    assert m["miou"] == pytest.approx((1 / 3 + 0 + 1 + 0) / 4)
    assert m["r@0.3"] == pytest.approx(0.5) and m["r@0.5"] == pytest.approx(0.25)
    assert m["miou_relevant"] == pytest.approx((1 / 3) / 2)
    assert m["rt_iou"] == pytest.approx((1 + 0) / 2)
    assert m["sbert"] == pytest.approx(0.8 / 2) and m["sbert_tn"] == pytest.approx(0.8)
    assert m["llm_score"] == pytest.approx(2.0) and m["llm_score_tn"] == pytest.approx(4.0)
    category = result.breakdowns["category"]
    # ObjectExistence: item 2 (weight 1, refused) and item 3 (weight 1/2, missed)
    assert category["Object/ObjectExistence"]["refusal_recall"] == pytest.approx(1 / 1.5)
    assert category["Object/ObjectExistence"]["sbert"] == pytest.approx(0.8 / 1.5)
    assert category["Attribute/Counting"]["refusal_recall"] == 0.0
    assert category["Attribute/Counting"]["weight"] == pytest.approx(0.5)


def test_difficulty_breakdown_uses_irrelevant_as_positive():
    s = [
        vtg_sample(0, "relevant"),
        vtg_sample(1, "irrelevant", difficulty="strong"),
        vtg_sample(2, "irrelevant", difficulty="strong"),
        vtg_sample(3, "irrelevant", difficulty="weak"),
    ]
    j = [
        judged(s[0], "relevant", span=(10, 20)),
        judged(s[1], "irrelevant"),
        judged(s[2], "relevant", span=(1, 2)),
        judged(s[3], "irrelevant"),
    ]
    by_level = summarize(s, j, judge="rules", n_resamples=0).breakdowns["difficulty"]
    # strong: TN 1, FP 1 -> P = 1, R = 1/2, F1 = 2/3
    assert by_level["strong"]["f1"] == pytest.approx(2 / 3)
    assert by_level["strong"]["recall"] == pytest.approx(0.5)
    assert by_level["strong"]["precision"] == 1.0 and by_level["strong"]["accuracy"] == 0.5
    assert by_level["strong"]["miou"] == 0.5 and by_level["strong"]["r@0.7"] == 0.5
    assert by_level["weak"]["f1"] == 1.0
    assert by_level["original"] == {
        "n": 1, "f1": 1.0, "precision": 1.0, "recall": 1.0, "accuracy": 1.0, "miou": 1.0,
        "r@0.3": 1.0, "r@0.5": 1.0, "r@0.7": 1.0, "rt_iou": None, "sbert": None, "llm_score": None,
    }  # fmt: skip


def test_failed_judgments_are_excluded_and_counted_never_scored_zero():
    samples = one_to_one_split(2)
    judgments = [judged(samples[0], "relevant", span=(10, 20)), judged(samples[1], "irrelevant")]
    judgments += [judged(samples[2], None, status="api_error")]
    result = summarize(samples, judgments, judge="rules", n_resamples=0)
    assert result.n == 2
    assert result.failures == 1 and result.missing == 1
    assert result.failure_rate == pytest.approx(1 / 3)
    assert result.metrics["miou"] == 1.0  # the failed item did not drag it down


def test_the_last_judgment_of_a_sample_counts():
    sample = vtg_sample(0, "irrelevant")
    judgments = [judged(sample, "relevant", span=(1, 2)), judged(sample, "irrelevant")]
    assert (
        summarize([sample], judgments, judge="rules", n_resamples=0).metrics["refusal_recall"]
        == 1.0
    )


def test_undefined_metrics_are_null_with_a_reason():
    samples = [vtg_sample(i, "relevant") for i in range(4)]
    result = summarize(
        samples,
        [judged(s, "relevant", span=(10, 20)) for s in samples],
        judge="rules",
        n_resamples=50,
    )
    assert result.metrics["f1_irrel"] is None
    assert result.metrics["f1_avg"] is None
    assert result.breakdowns["null_reasons"]["refusal_recall"] == "no gold-irrelevant items"
    assert "f1_irrel" not in result.ci


def test_partial_explanation_scores_make_the_metric_null_not_wrong():
    samples = [
        replace(s, refusal="No door.") if s.kind == "irrelevant" else s for s in one_to_one_split(2)
    ]
    judgments = [judged(s, "irrelevant", sbert=0.9 if s.id == "s1" else None) for s in samples]
    result = summarize(samples, judgments, judge="rules", n_resamples=0)
    assert result.metrics["sbert"] is None
    assert "1 of 2 true-negative items" in result.breakdowns["null_reasons"]["sbert"]


def test_explanation_scores_without_reference_refusals_say_so():
    samples = one_to_one_split(2)
    result = summarize(
        samples, [judged(s, "irrelevant") for s in samples], judge="rules", n_resamples=0
    )
    assert "no reference refusals" in result.breakdowns["null_reasons"]["sbert"]


def test_unknown_categories_are_kept_and_reported():
    sample = vtg_sample(1, "irrelevant", categories=["Action/SceneTransition"])
    result = summarize([sample], [judged(sample, "irrelevant")], judge="rules", n_resamples=0)
    assert result.breakdowns["unknown_categories"] == {"Action/SceneTransition": 1}
    assert "Action/SceneTransition" in result.breakdowns["category"]


def test_a_verdict_of_the_wrong_family_names_the_sample():
    sample = vtg_sample(7, "relevant")
    with pytest.raises(RecordError, match=r"'s7'.*verdict 'correct'"):
        summarize([sample], [judged(sample, "correct")], judge="rules")


def test_a_task_mixing_families_is_an_error():
    qa = Sample(id="q", task="t", video=VideoRef("v.mp4"), question="?", kind="answerable")
    with pytest.raises(RecordError, match="mixes grounding"):
        family_of_samples([vtg_sample(0, "relevant"), qa])
    with pytest.raises(RecordError, match="'q' is answerable, not a kind of the grounding family"):
        summarize_task([vtg_sample(0, "relevant"), qa], [], family=GROUNDING, judge="rules")


def test_empty_task_gives_nulls_not_errors():
    result = summarize([], [], judge="rules")
    assert result.n == 0
    assert all(value is None for value in result.metrics.values())


# --- QA ----------------------------------------------------------------------------------------


def qa_sample(i, kind, category=None):
    return Sample(
        id=f"q{i}",
        task="uvqa",
        video=VideoRef(f"v{i}.mp4"),
        question="What is the man holding?",
        kind=kind,
        categories=(category,) if category else (),
    )


def test_qa_summary_by_hand():
    s = [
        qa_sample(0, "answerable"),
        qa_sample(1, "answerable"),
        qa_sample(2, "unanswerable", "object"),
        qa_sample(3, "unanswerable", "object"),
        qa_sample(4, "unanswerable", "relation"),
    ]
    verdicts = ["correct", "refused", "refused_right_reason", "answered", "refused_wrong_reason"]
    result = summarize(
        s, [judged(x, v) for x, v in zip(s, verdicts, strict=True)], judge="rules", n_resamples=100
    )
    m = result.metrics
    assert m["s_acc"] == pytest.approx(2 / 5)
    assert (m["answer_acc"], m["over_refusal"]) == (0.5, 0.5)
    assert m["refusal_rate"] == pytest.approx(2 / 3)
    assert m["right_reason_refusal"] == pytest.approx(1 / 3)
    # InBoL: correct = {correct, refused_right_reason}, refused = {refused, refused_wrong_reason}
    assert (m["acc"], m["refr"]) == (pytest.approx(0.4), pytest.approx(0.4))
    assert m["s_trust"] == pytest.approx(0.2)
    b = result.breakdowns
    assert b["category"]["object"] == {"n": 2, "s_acc": 0.5}
    assert b["category"]["relation"] == {"n": 1, "s_acc": 0.0}
    assert b["kind"]["answerable"] == {"n": 2, "s_acc": 0.5}


def test_paired_qa_summary_by_hand():
    s = [qa_sample(i, "answerable") for i in range(3)] + [
        qa_sample(3, "unanswerable"),
        qa_sample(4, "unanswerable"),
    ]
    base = [
        judged(x, v)
        for x, v in zip(
            s, ["correct", "correct", "refused", "answered", "refused_right_reason"], strict=True
        )
    ]
    aligned = [
        judged(x, v)
        for x, v in zip(
            s, ["refused", "correct", "correct", "refused_right_reason", "answered"], strict=True
        )
    ]
    result = paired_summary(s, base, aligned, family=QA, n_resamples=100)
    assert result.n == 5
    assert result.metrics == {"s_ex_ref": 0.5, "s_permis": 1.0, "s_disc": 1.0}


# --- bootstrap ---------------------------------------------------------------------------------


def correlated_items(n_videos=30, per_video=5, seed=1):
    """Items whose outcome is shared by every item of the same video."""
    rng = np.random.default_rng(seed)
    per_video_outcome = rng.random(n_videos) < 0.5
    hits = np.repeat(per_video_outcome, per_video).astype(float)
    videos = np.repeat(np.arange(n_videos), per_video)
    return {"hit": hits, "n": np.ones_like(hits)}, videos


def accuracy(sums):
    return sums["hit"] / sums["n"]


def test_bootstrap_is_deterministic_for_a_seed():
    columns, videos = correlated_items()
    first = cluster_bootstrap(columns, videos, {"acc": accuracy}, seed=3)["acc"]
    again = cluster_bootstrap(columns, videos, {"acc": accuracy}, seed=3)["acc"]
    other = cluster_bootstrap(columns, videos, {"acc": accuracy}, seed=4)["acc"]
    assert first == again
    assert first != other
    assert first.low <= first.estimate <= first.high


def test_bootstrap_resamples_whole_videos():
    columns, videos = correlated_items()
    clustered = cluster_bootstrap(columns, videos, {"acc": accuracy})["acc"]
    independent = cluster_bootstrap(columns, np.arange(len(videos)), {"acc": accuracy})["acc"]
    # five perfectly correlated items per video carry the information of one: a wider interval
    assert clustered.high - clustered.low > 1.5 * (independent.high - independent.low)


def test_bootstrap_interval_is_close_to_the_normal_approximation():
    rng = np.random.default_rng(0)
    hits = (rng.random(2000) < 0.3).astype(float)
    ci = cluster_bootstrap(
        {"hit": hits, "n": np.ones(2000)}, np.arange(2000), {"acc": accuracy}, n_resamples=2000
    )["acc"]
    half_width = 1.96 * np.sqrt(ci.estimate * (1 - ci.estimate) / 2000)
    assert ci.high - ci.low == pytest.approx(2 * half_width, rel=0.15)


def test_undefined_resamples_are_left_out():
    # the denominator column is non-zero for one video only: many resamples have 0/0
    columns = {"num": [1.0, 0.0, 0.0], "den": [1.0, 0.0, 0.0]}
    ci = cluster_bootstrap(
        columns,
        ["a", "b", "c"],
        {"r": lambda s: np.where(s["den"] > 0, s["num"] / np.maximum(s["den"], 1), np.nan)},
    )["r"]
    assert (ci.low, ci.high) == (1.0, 1.0)


def test_paired_bootstrap_of_identical_runs_is_zero():
    columns, videos = correlated_items()
    diff = paired_bootstrap(columns, columns, videos, accuracy)
    assert (diff.estimate, diff.low, diff.high) == (0.0, 0.0, 0.0)


def test_paired_bootstrap_difference_estimate():
    a = {"hit": [1, 1, 1, 1], "n": [1, 1, 1, 1]}
    b = {"hit": [0, 1, 0, 1], "n": [1, 1, 1, 1]}
    diff = paired_bootstrap(a, b, ["v1", "v1", "v2", "v3"], accuracy, n_resamples=500)
    assert diff.estimate == 0.5
    assert 0.0 <= diff.low <= 0.5 <= diff.high <= 1.0


def test_cluster_ids_must_match_items():
    with pytest.raises(ValueError, match="2 cluster ids for 3 items"):
        cluster_bootstrap({"x": [1, 2, 3]}, ["a", "b"], {"s": lambda s: s["x"]})


def test_grounding_is_scored_against_the_best_matching_window():
    sample = Sample(
        id="q",
        task="t",
        video=VideoRef("v.mp4"),
        question="?",
        kind="relevant",
        span=(0.0, 10.0),
        windows=((0.0, 10.0), (40.0, 50.0)),
    )
    result = summarize(
        [sample], [judged(sample, "relevant", span=(40.0, 50.0))], judge="rules", n_resamples=0
    )
    assert result.metrics["miou"] == 1.0


def test_rt_iou_is_null_without_gold_categories():
    samples = [vtg_sample(0, "relevant"), vtg_sample(1, "irrelevant", difficulty="shuffled")]
    result = summarize(
        samples,
        [judged(samples[0], "relevant", span=(10, 20)), judged(samples[1], "irrelevant")],
        judge="rules",
        n_resamples=0,
    )
    assert result.metrics["rt_iou"] is None
    assert "Simply-Shuffled" in result.breakdowns["null_reasons"]["rt_iou"]
