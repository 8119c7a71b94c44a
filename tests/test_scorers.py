"""The rules judge and the SBERT scorer."""

from __future__ import annotations

import pytest

from benchmark.records import CATEGORIES, Response, Sample, VideoRef
from benchmark.scorers import JudgeSpec, RulesJudge, load_judge
from benchmark.scorers.rules import answer_matches, mentions, refusal_categories


def sample(kind, **gold):
    return Sample(
        id=f"s-{kind}", task="t", video=VideoRef("v.mp4"), question="q?", kind=kind, **gold
    )


def verdict(judge, s, text):
    (j,) = judge.judge([(s, Response(s.id, "m", text=text))])
    return j


@pytest.fixture(scope="module")
def sbert():
    pytest.importorskip("sentence_transformers")
    from benchmark.scorers import SbertScorer

    return SbertScorer()


def test_grounding_relevance_and_span_follow_the_parser():
    judge = RulesJudge()
    s = sample("relevant", span=(1.0, 3.0), duration=10.0)
    j = verdict(
        judge, s, "<think>x</think><answer>2.0 to 12.0</answer><correction>NIL</correction>"
    )
    assert (j.verdict, j.span) == ("relevant", (2.0, 10.0))
    j = verdict(
        judge, s, "<answer>The video does not contain a relevant segment: no red door.</answer>"
    )
    assert j.verdict == "irrelevant" and j.span is None


@pytest.mark.parametrize(
    ("query", "refusal", "expected"),
    [
        ("person opens the bag.", "The person opens a box, not a bag.", {"Object/ObjectExistence"}),
        (
            "a person eats in the kitchen.",
            "The footage shows someone eating in a bedroom, not a kitchen.",
            {"Scene/SceneExistence"},
        ),
        ("two dogs run.", "Three dogs run in the clip, not two.", {"Attribute/Counting"}),
        (
            "a red car stops.",
            "The car that stops is blue; its colour differs.",
            {"Attribute/AttributeValue"},
        ),
        (
            "a person closes the door.",
            "The person opens the door rather than closing it.",
            {"Action/FineGrainedAction"},
        ),
        (
            "the ball rolls to the left.",
            "The ball rolls to the right, so the direction does not match.",
            {"Object/ObjectMoving"},
        ),
        (
            "he drinks and then sits down.",
            "He sits down first and drinks afterwards: the order is reversed.",
            {"Action/ActionSequence"},
        ),
        (
            "a cat sits under the table.",
            "The cat sits on top of the table, not under it.",
            {"Object/ObjectSpatialRelation"},
        ),
    ],
)
def test_refusal_categories_come_from_what_the_refusal_contrasts(query, refusal, expected):
    cats = set(refusal_categories(refusal, query))
    assert expected <= cats, cats
    assert cats <= set(CATEGORIES)


def test_generic_refusal_language_names_no_category():
    assert refusal_categories("Nothing matches.", "a man walks.") == ()
    # "no part of the material" is refusal language, not a part relation or a material
    cats = refusal_categories("No part of the material matches this.", "a man walks.")
    assert "Object/ObjectPartRelation" not in cats and "Attribute/AttributeValue" not in cats


@pytest.mark.parametrize(
    ("answer", "reference", "expected"),
    [
        ("The circle is red.", "red", True),
        ("It moves to the left.", "moves to the left", True),
        ("It is blue.", "red", False),
        ("two", "two", True),
        (
            "A man is cooking pasta in a small kitchen.",
            "The man cooks pasta in the kitchen near a window.",
            True,
        ),
        ("A dog runs on the beach.", "The man cooks pasta in the kitchen near a window.", False),
    ],
)
def test_answer_matches(answer, reference, expected):
    assert answer_matches(answer, reference) is expected


def test_altered_element_mentions():
    assert mentions("There is no belt in the video.", "belt")
    assert mentions("No barber stands beside a belt here.", "barber on the side of belt")
    assert not mentions("The question cannot be answered.", "belt")
    assert not mentions("anything", None)


def test_qa_verdicts_without_sbert():
    judge = RulesJudge()
    answerable = sample("answerable", answer="red")
    assert verdict(judge, answerable, "It is red.").verdict == "correct"
    assert verdict(judge, answerable, "It is green.").verdict == "wrong"
    assert (
        verdict(judge, answerable, "I cannot determine that from the video.").verdict == "refused"
    )
    unanswerable = sample(
        "unanswerable", altered="triangle", refusal="There is no triangle in the video."
    )
    assert (
        verdict(judge, unanswerable, "There is no triangle in this video.").verdict
        == "refused_right_reason"
    )
    assert (
        verdict(judge, unanswerable, "The question cannot be answered.").verdict
        == "refused_wrong_reason"
    )
    assert verdict(judge, unanswerable, "The triangle is red.").verdict == "answered"


def test_judge_name_says_which_sbert(sbert):
    assert load_judge(JudgeSpec.parse("rules", sbert="none")).name == "rules[sbert=none]"
    assert RulesJudge(sbert).name == "rules"


def test_sbert_scores_refusal_explanations(sbert):
    judge = RulesJudge(sbert)
    s = sample(
        "irrelevant", refusal="The query does not match the video: the circle is red, not blue."
    )
    close = verdict(judge, s, "<answer>The video has no blue circle; the circle is red.</answer>")
    far = verdict(judge, s, "<answer>Not relevant: there is nothing about cooking pasta.</answer>")
    assert 0.0 <= far.sbert < close.sbert <= 1.0
    assert (
        verdict(judge, sample("irrelevant"), "<answer>unrelated</answer>").sbert is None
    )  # no reference


def test_sbert_embeddings_are_cached_and_normalised(sbert):
    values = sbert.cosine(["a red circle", "a red circle"], ["a red circle", "a blue square"])
    assert values[0] == pytest.approx(1.0, abs=1e-5) and values[1] < 0.95
    assert "a red circle" in sbert._cache
    assert sbert.cosine([], []).shape == (0,)
    with pytest.raises(ValueError, match="1 texts against 2"):
        sbert.cosine(["a"], ["a", "b"])
