"""Outcomes as a careful reader decides them: span, refusal or unparsed; QA refusal or answer."""

from __future__ import annotations

import pytest

from benchmark.outcomes import read_grounding, read_qa
from benchmark.parse import answer_part

QUERY = "A man walks his dog in the park."


@pytest.mark.parametrize(
    "text",
    [
        "I'm not sure, but it is around 12 to 18 s.",
        "There's no audio, but the man walks the dog from 3 to 6 s.",
        "The dog is not seen until 12 s; the walk happens from 12 to 18 s.",
        "It doesn't start before 12 seconds: the moment is 12 to 18 s.",
        "The query doesn't perfectly match, but the closest moment is 12 to 18 s.",
        "I can't determine the exact moment, but roughly 12 to 18 s.",
        "There is no doubt: 12 to 18 s.",
        '{"start": 12, "end": 18}',
        "<think>There is no dog here at all.</think><answer>12 to 18</answer>",
    ],
)
def test_groundings_with_negations_or_hedges_are_spans(text):
    reading = read_grounding(answer_part(text), QUERY)
    assert reading.outcome == "span", reading
    assert reading.span in ((12.0, 18.0), (3.0, 6.0))


@pytest.mark.parametrize(
    "text",
    [
        "There is no dog; a cat is seen from 3 to 5 s.",
        "The man walks a cat, not a dog.",
        "This query assumes a dog, but the video never shows one.",
        "The dog is absent throughout the clip.",
        "The video doesn't provide enough information to locate this event.",
        "The man walks alone instead.",
        "No part of the video matches: there is no such event between 0 and 10 seconds.",
        "The query does not match the video. The closest thing is a cat shown 3 to 5 s, but it is different.",
        "The query is about a dog, but the video is about a cat.",
        "Irrelevant.",
        '{"relevant": false, "reason": "no dog"}',
        "This query is somewhat inconsistent with the video.The man walks a cat.",
        "I don't think this happens in the video.",
        "The requested event is not performed in the video.",
    ],
)
def test_refusals_with_or_without_cue_words_and_with_evidence_times(text):
    assert read_grounding(answer_part(text), QUERY).outcome == "refusal"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<think>The man might be walking. Let me check 3 to 5 s",
        "I'm not sure.",
        "I don't know.",
        "The event happens in the middle of the video.",
        "Yes, this event is in the video.",
        "The answer is 15.",
        "the the the the",
        "As an AI, I cannot watch videos.",
    ],
)
def test_neither_span_nor_refusal_is_unparsed_not_a_refusal(text):
    assert read_grounding(answer_part(text), QUERY).outcome == "unparsed"


QUESTION = "What color is the dog's collar?"


@pytest.mark.parametrize(
    "text",
    [
        "There is no dog in the video, so this can't be answered.",
        "This cannot be determined from the video.",
        "This question assumes a dog, but the video never shows one.",
        "Nothing like that is in the clip.",
        "I don't know.",
        "The question mentions a dog, but the video actually shows a cat.",
        "It's a cat, not a dog.",
        "The video is too blurry to tell.",
        "Sorry, I cannot provide an answer because the video does not contain a dog.",
        "I don't have enough information to answer that.",
    ],
)
def test_qa_refusals(text):
    assert read_qa(text, QUESTION).refused


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("No, he is not smiling; he looks serious.", "Is the man smiling?"),
        ("He does not use a knife; he tears the bread by hand.", "How does he cut the bread?"),
        ("No one else is in the room; the woman sits alone.", "How many people are there?"),
        ("It's hard to say for sure, but he seems to be cooking pasta.", "What is he cooking?"),
        ("He doesn't seem to notice the camera and keeps working.", "How does he react?"),
        ("No, there is no dog.", "Is there a dog in the video?"),
        ("", "What is he doing?"),
    ],
)
def test_qa_answers_with_no_or_not_are_answers(text, question):
    assert not read_qa(text, question).refused
