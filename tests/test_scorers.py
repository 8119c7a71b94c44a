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


def test_refusal_categories_by_keyword():
    text = "There is no triangle in the video; the red circle moves to the left, not to the right, in the desert."
    cats = refusal_categories(text)
    assert {
        "Object/ObjectExistence",
        "Object/ObjectMoving",
        "Attribute/AttributeValue",
        "Scene/SceneExistence",
    } <= set(cats)
    assert set(cats) <= set(CATEGORIES)
    assert refusal_categories("Nothing matches.") == ()


def test_refusal_categories_fast_path_finds_what_case_insensitive_search_does():
    from benchmark.scorers.rules import _CUES

    texts = [
        "THERE IS NO triangle; The Red Circle Moves To The LEFT in the DESERT.",
        "The scene CUTS FROM the kitchen to the garden; Two people, not three.",
        "Es gibt keinen Hund — THERE ARE NO dogs, only shows a cat.",  # not ASCII: slow path
        "ſo the object is missing",  # long s: matches 's' only case-insensitively
    ]
    for text in texts:
        slow = tuple(c for c in CATEGORIES if _CUES[c].search(text))
        assert refusal_categories(text) == slow, text
        assert refusal_categories(text)  # every text names some category


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
