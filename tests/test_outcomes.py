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


# A third set written after the rules, against one query: first look 23/25 (grounding) and
# 10/12 (QA); the rules now read all of them.
MILK = "A woman pours milk into a glass."
MILK_OUTPUTS = [
    (
        "<think>The woman takes the carton.</think><answer>The pouring happens between 4.2 and 9.8 seconds.</answer>",
        "span",
    ),
    ("The woman pours milk from 0:04 to 0:10.", "span"),
    ("Segment: 4.2s – 9.8s", "span"),
    ('{"start_sec": 4.2, "end_sec": 9.8}', "span"),
    ("[4.2 - 9.8]", "span"),
    ("She begins pouring at 4.2s and stops at 9.8s.", "span"),
    ("The relevant clip runs 4.2→9.8 s.", "span"),
    ("Likely 4–10 seconds, but the view is partly blocked.", "span"),
    ("Around 00:04–00:10 she fills the glass; there is no sound.", "span"),
    ("Pouring milk: 4.2 to 9.8 seconds. Before that she does not move.", "span"),
    ("The woman pours orange juice, not milk.", "refusal"),
    ("No milk appears anywhere in this footage.", "refusal"),
    ("She never pours anything; she only drinks from the glass.", "refusal"),
    ("This query doesn't fit the video: she pours water from 4 to 9 s.", "refusal"),
    ("What is shown is a man washing dishes, so the query is not applicable.", "refusal"),
    ("I could not find that event.", "refusal"),
    ("The described pouring does not take place.", "refusal"),
    ("The glass stays empty throughout; nothing is poured into it.", "refusal"),
    ("Query mismatch.", "refusal"),
    ("There's no woman in the clip at all.", "refusal"),
    ("", "unparsed"),
    ("The video is 30 seconds long.", "unparsed"),
    ("Maybe.", "unparsed"),
    ("<think>Let me think about milk... from 4 to 10", "unparsed"),
]


@pytest.mark.parametrize(("text", "outcome"), MILK_OUTPUTS)
def test_a_later_set_of_grounding_outputs(text, outcome):
    assert read_grounding(answer_part(text), MILK).outcome == outcome


UMBRELLA = "What color is the woman's umbrella?"
UMBRELLA_ANSWERS = [
    ("There is no umbrella in the video, so the color can't be given.", True),
    ("The woman does not carry an umbrella.", True),
    ("Unclear - I can't make out any umbrella.", True),
    ("I don't see an umbrella.", True),
    ("The premise seems off: she holds a handbag.", True),
    ("Cannot be determined.", True),
    ("She has no umbrella; she is holding a newspaper over her head.", True),
    ("It's red.", False),
    ("The umbrella is dark blue with white dots.", False),
    ("It looks black, although the lighting is poor.", False),
    ("Mostly green; it is not fully open.", False),
    ("Not red, it's pink.", False),
]


@pytest.mark.parametrize(("text", "refused"), UMBRELLA_ANSWERS)
def test_a_later_set_of_qa_answers(text, refused):
    assert read_qa(text, UMBRELLA).refused is refused
