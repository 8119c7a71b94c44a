"""Answer parsing: tags, refusals, and a table of real-looking model outputs (spans:
test_spans.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.parse import (
    is_refusal,
    last_block,
    parse_grounding_output,
    split_tags,
    tag_blocks,
)

# --- tags ---------------------------------------------------------------------------------------


def test_last_answer_block_wins():
    text = "<answer>1 to 2</answer> wait, let me re-check. <answer>3 to 4</answer>"
    assert last_block(text, "answer") == "3 to 4"


def test_tags_tolerate_case_attributes_and_whitespace():
    text = "<THINK >hm</Think> < answer id='1'>\n 5 to 6 \n</ ANSWER >"
    assert split_tags(text).think == "hm"
    assert split_tags(text).answer == "5 to 6"


def test_unclosed_final_block_is_read_to_the_end():
    assert last_block("<think>a</think><answer>12.5 to 1", "answer") == "12.5 to 1"


def test_unclosed_block_stops_at_the_next_opening_of_the_same_tag():
    assert tag_blocks("<answer>a <answer>b</answer>", "answer") == ["a", "b"]


def test_correct_and_correction_are_one_block():
    assert split_tags("<answer>x</answer><correct>NIL</correct>").correction == "NIL"
    assert split_tags("<answer>x</answer><correction>q</correction>").correction == "q"


def test_missing_blocks_are_none():
    tags = split_tags("plain text 3 to 4")
    assert (tags.think, tags.answer, tags.correction) == (None, None, None)
    assert not tags.has_tags


@given(st.text(max_size=200))
def test_parsers_never_crash_on_arbitrary_text(text):
    out = parse_grounding_output(text)
    assert out.relevant == (out.outcome != "refusal")
    assert (out.span is not None) == (out.outcome == "span")
    is_refusal(text)


def test_empty_output_is_not_a_refusal():
    assert not is_refusal("") and not is_refusal("  ")
    assert parse_grounding_output("").outcome == "unparsed"


# --- refusal cues ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The video does not show a dog.",
        "This query is unrelated to the video.",
        "There is no red car in the video.",
        "I cannot determine that from the video.",
        "The question is based on a false premise: no cat appears.",
        "The query seems slightly inconsistent with the video.",
        "This question is unanswerable.",
        "I don't know.",
    ],
)
def test_refusals_are_recognised(text):
    assert is_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        "The man is cutting vegetables in the kitchen.",
        "A woman opens the door and walks in.",
        "The dog is not running; it sits from 3 to 5.",
        "Two people, a man and a woman.",
        "He puts the cup on the table.",
    ],
)
def test_answers_are_not_refusals(text):
    assert not is_refusal(text)


# --- a table of real-looking outputs -----------------------------------------------------------------
# (output, relevant, span). RA-RFT outputs follow its contract (think / answer / correction);
# Time-R1 writes "<think>..</think> <answer>S to E</answer>"; the rest is free text from chat models.

RA_RFT_RELEVANT = (
    "<think>\nThe query asks for the closing ending credits, which are typically found at the end "
    "of a video.\n</think>\n<answer>\n48.12 to 56.12\n</answer>\n<correction>NIL</correction><|im_end|>"
)
RA_RFT_REFUSE = (
    '<think>\nThe query "The man gets the milk into the refrigerator." does not match the actions '
    "shown.\n</think>\n<answer>\nThe video does not contain a relevant segment to the query because "
    "the actions in the video do not match the query.\n</answer>\n<correction>\nThe man takes the "
    "milk out of the refrigerator.\n</correction><|im_end|>"
)

OUTPUTS = [
    (RA_RFT_RELEVANT, True, (48.12, 56.12)),
    (RA_RFT_REFUSE, False, None),
    (
        "<think>\nThe person gets out two bowls.\n</think>\n<answer>\n5.30 to 11.60\n</answer>\n<correction>\nNIL\n</correction>",
        True,
        (5.3, 11.6),
    ),
    (
        "<think>x</think>\n<answer>\n0.00 to 67.10\n</answer>\n<correction>\nNIL\n</correction><|im_end|>",
        True,
        (0.0, 67.1),
    ),
    (
        "<think>The tile is cut.</think>\n<answer>\nThe video does not contain a relevant segment for the query.\n</answer>\n<correction>\nWhere was the tile before you cut it?\n</correction>",
        False,
        None,
    ),
    (
        "<think>no brick is broken</think><answer>This query is clearly unrelated to the video: it asks about a brick, but the footage only shows a tile.</answer><correct>Where was the tile before I cut it?</correct>",
        False,
        None,
    ),
    (
        "<think>The man retrieves bread.</think><answer>6.2 to 16.2</answer><correction>NIL</correction>",
        True,
        (6.2, 16.2),
    ),
    ("<answer>50.0 to 56.1</answer>", True, (50.0, 56.1)),
    (
        "<answer>The query seems to have some inconsistencies with the video: no cup is taken out.</answer>",
        False,
        None,
    ),
    (
        "<think>The event starts around 12 s and lasts about 5 s.</think> <answer>12.54 to 17.83</answer>",
        True,
        (12.54, 17.83),
    ),
    (
        "<think>Looking at frames 0 to 10, the woman dances.</think> <answer>31.20 to 40.00</answer>",
        True,
        (31.2, 40.0),
    ),
    ("<think>...</think>\n<answer>0.0 to 3.6</answer>", True, (0.0, 3.6)),
    ("<think>Hmm.</think><answer>17.8 to 12.5</answer>", True, (12.5, 17.8)),
    ("<think>The clip is short.</think><answer>2.0 to 9.5 seconds</answer>", True, (2.0, 9.5)),
    ("<think>ok</think><answer>from 00:12 to 00:18</answer>", True, (12.0, 18.0)),
    (
        "<think>ok</think><answer>The event occurs between 4.5 and 9.0 seconds.</answer>",
        True,
        (4.5, 9.0),
    ),
    ("<think>ok</think><answer>[3.2, 8.9]</answer>", True, (3.2, 8.9)),
    ("<THINK>ok</THINK><ANSWER>1.5 - 4.5</ANSWER>", True, (1.5, 4.5)),
    ("<think>ok</think><answer>12.5 to", True, None),  # unparsed: relevant, no span
    (
        "<think>The model rambles and runs out of tokens before answering",
        True,
        None,
    ),  # unparsed: relevant, no span
    (
        "<think>first guess 1 to 2</think><answer>3 to 4</answer> <answer>5 to 6</answer>",
        True,
        (5.0, 6.0),
    ),
    (
        "<think>\nThe video shows a person tiling a wall.\n</think>\n<answer>\nNo part of the video shows a brick being broken.\n</answer>\n<correction>\nWhere was the tile after I cut it?\n</correction>",
        False,
        None,
    ),
    (
        "<think>a</think><answer>This query is irrelevant to the video.</answer><correction>A man rides a red bike.</correction>",
        False,
        None,
    ),
    (
        "<think>a</think><answer> 10 to 20 </answer><correction> NIL </correction>",
        True,
        (10.0, 20.0),
    ),
    ("<think>a</think>\n\n<answer>\n\n  0:00 - 0:07  \n\n</answer>", True, (0.0, 7.0)),
    # free text (chat models without tags)
    ("The event happens from 12.5 to 17.8 seconds.", True, (12.5, 17.8)),
    ("The man pours water between 0:12 and 0:18.", True, (12.0, 18.0)),
    ("This happens at 3.0s - 7.5s in the video.", True, (3.0, 7.5)),
    ("Timestamps: 01:05 to 01:20", True, (65.0, 80.0)),
    ("The relevant moment is [10.5, 22.0].", True, (10.5, 22.0)),
    ("The query is not related to the video content.", False, None),
    ("The video does not show anyone playing a violin.", False, None),
    ("There is no segment matching this description.", False, None),
    ("I cannot find this event in the video.", False, None),
    ("Sorry, I can't locate that moment.", False, None),
    ("The described event never appears in the clip.", False, None),
    ("A man is playing guitar on a stage.", True, None),  # unparsed: relevant, no span
    ("The video does not contain this event; the closest is 10 to 20 seconds.", False, None),
    ("It happens from 1:02:03 to 1:02:10.", True, (3723.0, 3730.0)),
    ("Around 5 to 9", True, (5.0, 9.0)),
    (
        "The woman opens the door at 12 seconds and closes it at 15 seconds.",
        True,
        None,
    ),  # unparsed: relevant, no span
    ("The event spans 4.00-8.00s.", True, (4.0, 8.0)),
    ("from 2 s to 6 s", True, (2.0, 6.0)),
]


def test_the_table_has_at_least_40_outputs():
    assert len(OUTPUTS) >= 40


@pytest.mark.parametrize(("text", "relevant", "span"), OUTPUTS)
def test_real_looking_outputs(text, relevant, span):
    out = parse_grounding_output(text)
    assert out.relevant is relevant
    assert out.span == (pytest.approx(span) if span else None)


def test_grounding_output_keeps_the_correction_and_clips_to_duration():
    out = parse_grounding_output(
        "<answer>50 to 120</answer><correction>NIL</correction>", duration=90
    )
    assert out.span == (50.0, 90.0)
    assert out.correction == "NIL"
