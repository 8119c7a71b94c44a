"""Span extraction: every format models print, read back exactly."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.parse import parse_span
from benchmark.spans import find_spans, normalize_span, pick_span, to_seconds


def spans(text, **kw):
    return [m.span for m in find_spans(text, **kw)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5 to 17.8", (12.5, 17.8)),
        ("12.5 - 17.8", (12.5, 17.8)),
        ("12.5–17.8", (12.5, 17.8)),
        ("from 12.5 to 17.8", (12.5, 17.8)),
        ("between 12.5 and 17.8 seconds", (12.5, 17.8)),
        ("12.5 s - 17.8 s", (12.5, 17.8)),
        ("12.5s-17.8s", (12.5, 17.8)),
        ("[12.5, 17.8]", (12.5, 17.8)),
        ("(12.5, 17.8)", (12.5, 17.8)),
        ("00:12 to 00:18", (12.0, 18.0)),
        ("01:02:03.5 - 01:02:10", (3723.5, 3730.0)),
        ("00:00:12,500 --> 00:00:17,800", (12.5, 17.8)),
        ('{"start": 12.5, "end": 17.8}', (12.5, 17.8)),
        ('{"end": 17.8, "start": 12.5}', (12.5, 17.8)),
        ("{'start_time': '12.5', 'end_time': '17.8'}", (12.5, 17.8)),
        ('{"timestamps": [12.5, 17.8]}', (12.5, 17.8)),
        ('{"span": [[12.5, 17.8]]}', (12.5, 17.8)),
        ('```json\n{"answer": "12.5 to 17.8"}\n```', (12.5, 17.8)),
        ("The event starts at 12.5 s and ends at 17.8 s.", (12.5, 17.8)),
        ("It happens at around 12.5 seconds and ends at approximately 17.8 seconds.", (12.5, 17.8)),
        ("Start: 12.5, End: 17.8", (12.5, 17.8)),
        ("**Start:** 12.5  **End:** 17.8", (12.5, 17.8)),
        ("Start time - 12.5 s, end time - 17.8 s", (12.5, 17.8)),
        ("12,5 to 17,8", (12.5, 17.8)),
        ("the 12-second mark to the 18-second mark", (12.0, 18.0)),
        ("1 to 2 minutes", (60.0, 120.0)),
        ("1m05s to 1m10s", (65.0, 70.0)),
        ("500 ms to 1500 ms", (0.5, 1.5)),
        ("12.5 → 17.8", (12.5, 17.8)),
        ("12 – 18", (12.0, 18.0)),
        ("12.5 sec - 17.8 sec", (12.5, 17.8)),
        ("between 0:05 and 1:02:03", (5.0, 3723.0)),
    ],
)
def test_every_format_is_read(text, expected):
    assert spans(text) == [expected]


@pytest.mark.parametrize(
    "text",
    ["the 2 dogs and 3 cats", "at 12.5 seconds", "version 1.2.3 to 4", "1080p to 720p",
     "between 2 and 3 people", "2 and 3"],
)  # fmt: skip
def test_non_spans_are_not_read(text):
    assert spans(text) == []


def test_frames_and_percent_need_the_rate_or_the_duration():
    assert spans("from frame 30 to frame 90") == []
    assert spans("from frame 30 to frame 90", fps=30) == [(1.0, 3.0)]
    assert spans("20% to 40% of the video") == []
    assert spans("20% to 40% of the video", duration=50) == [(10.0, 20.0)]


def test_a_structured_span_wins_over_prose_and_the_last_wins_among_equals():
    text = 'The man walks in at 1 to 2 s. {"start": 5, "end": 9} Later, 20 to 25 s.'
    assert pick_span(find_spans(text)).span == (5.0, 9.0)
    assert pick_span(find_spans("first 1 to 2, then 3 to 4")).span == (3.0, 4.0)


def test_think_never_decides():
    assert parse_span("<think>it is 1 to 2</think> It happens 5 to 6 s.") == (5.0, 6.0)
    assert parse_span("<think>it is 1 to 2, I think") is None


_time = st.floats(min_value=0, max_value=5000, allow_nan=False).map(lambda x: round(x, 2))


def _clock(x: float) -> str:
    minutes, seconds = divmod(x, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:05.2f}"


FORMATS = [
    "{a} to {b}", "{a} - {b}", "{a}–{b}", "from {a} to {b} seconds", "between {a} and {b}",
    "{a} s - {b} s", "{a}s-{b}s", "[{a}, {b}]", "({a}, {b})", "Start: {a}, End: {b}",
    "starts at {a} s and ends at {b} s", "{ca} --> {cb}", "{ca} to {cb}", "JSON", "JSONLIST",
    "{da} to {db}",
]  # fmt: skip


@given(a=_time, b=_time, style=st.sampled_from(FORMATS), prose=st.sampled_from(["", "It is "]))
def test_any_span_in_any_format_reads_back_exactly(a, b, style, prose):
    if style == "JSON":
        body = json.dumps({"start": a, "end": b})
    elif style == "JSONLIST":
        body = json.dumps({"timestamps": [a, b]})
    else:
        body = style.format(
            a=a, b=b, ca=_clock(a), cb=_clock(b),
            da=str(a).replace(".", ","), db=str(b).replace(".", ","),
        )  # fmt: skip
    found = spans(f"{prose}{body}.")
    assert len(found) == 1
    assert found[0] == pytest.approx((a, b), abs=1e-6)


# --- clock times, normalising, whole outputs ------------------------------------------------


_number = st.floats(min_value=0, max_value=10_000, allow_nan=False).map(lambda x: round(x, 2))


def test_to_seconds_reads_clock_times():
    assert to_seconds("00:00") == 0.0
    assert to_seconds("10:00.5") == 600.5


def test_normalize_swaps_and_clips():
    assert normalize_span((20.0, 10.0)) == (10.0, 20.0)
    assert normalize_span((80.0, 120.0), duration=100.0) == (80.0, 100.0)
    assert normalize_span((150.0, 160.0), duration=100.0) == (100.0, 100.0)


def test_parse_span_prefers_the_answer_block_and_the_last_range():
    text = "<think>maybe 1 to 2</think><answer>3 to 4, or rather 5 to 6</answer>"
    assert parse_span(text) == (5.0, 6.0)
    assert parse_span(text, select="first") == (3.0, 4.0)
    with pytest.raises(ValueError, match="select"):
        parse_span(text, select="middle")


_number = st.floats(min_value=0, max_value=10_000, allow_nan=False).map(lambda x: round(x, 2))


@given(start=st.integers(0, 5999), end=st.integers(0, 5999))
def test_clock_spans_round_trip(start, end):
    def clock(seconds):
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    assert spans(f"{clock(start)} to {clock(end)}") == [(float(start), float(end))]


@given(
    span=st.tuples(_number, _number),
    duration=st.none() | st.floats(min_value=0.1, max_value=5000, allow_nan=False),
)
def test_normalized_span_is_ordered_and_within_the_video(span, duration):
    start, end = normalize_span(span, duration)
    assert start <= end
    if duration is not None:
        assert 0 <= start <= end <= duration
