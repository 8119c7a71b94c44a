"""Reading time spans from the answer part of a model output, in every format models print.

Prose ranges ("12.5 to 17.8", "12.5 - 17.8 s", "from 0:12 to 0:18", "between 12 and 18 seconds",
"the 12-second mark to the 18-second mark", SRT arrows "00:00:12,500 --> 00:00:17,800"),
bracketed pairs ("[12.5, 17.8]", "(12.5, 17.8)"), labelled fields ("Start: 12.5, End: 17.8",
"starts at 12.5 s and ends at 17.8 s", "start time = 12.5; end time = 17.8") and JSON objects or
lists (`{"start": 12.5, "end": 17.8}`, `{"timestamps": [12.5, 17.8]}`, `{"span": [[12.5, 17.8]]}`)
are all read. Times may be plain or decimal-comma numbers ("12,5 to 17,8"), clock times
(mm:ss, hh:mm:ss with a fraction), "1m05s", and carry units: seconds (the default), minutes,
milliseconds, hours, frames (converted only when the frame rate is known) and percent of the
video (only when its duration is known); a unit written once applies to both ends ("12 to 18
seconds", "1 to 2 minutes").

Which span wins when several appear (`pick_span`): a structured one (JSON or labelled
start/end fields) over prose, because a model that writes fields is stating its answer while
prose often narrates evidence first; among equals the last, because outputs that reason in the
answer conclude at the end and restated answers correct earlier ones (the Time-R1 and RA-RFT
reward parsers also read the last). The `ra-rft` protocol picks with `outcomes.best_span`
instead: the one that best answers the query, as the RA-RFT evaluator's judge is asked to.
Spans are returned as written; `normalize_span` orders and clips them for the default protocol.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

Span = tuple[float, float]

# --- one time value ------------------------------------------------------------------------------

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"  # mm:ss, hh:mm:ss, optional fraction (SRT: ,ms)
_MIN_SEC = r"\d+\s*m(?:in)?\s*\d+(?:\.\d+)?\s*s(?:ec)?"  # 1m05s, 1 min 5 s
_NUMBER = r"\d+(?:[.,]\d+)?|\.\d+"  # 12, 12.5, 12,5 (decimal comma), .5
_UNIT = (
    r"(?P<unit>(?:-|\s*)(?:seconds?|secs?|s|minutes?|mins?|m|milliseconds?|ms|hours?|hrs?|h|"
    r"frames?|f|%)(?![a-z]))?(?:\s*mark)?"
)
_PREFIX = r"(?P<prefix>(?:second|sec|frame|minute|t)\s*=?\s*)?"
_TIME = re.compile(
    rf"(?<![\w.:,])(?<!\d[.,]){_PREFIX}(?P<value>{_MIN_SEC}|{_CLOCK}|{_NUMBER})(?![\d:]|[.,]\d){_UNIT}(?![a-z])",
    re.I,
)
_SECONDS_PER = {"s": 1.0, "m": 60.0, "h": 3600.0, "ms": 0.001}


@dataclass(frozen=True, slots=True)
class TimeToken:
    """One time value as written: where it is, its number and its unit (None when unstated)."""

    start: int
    end: int
    value: float  # seconds for clock times, else the number in `unit`
    unit: str | None  # "s", "m", "h", "ms", "frame", "%" or None
    clock: bool


_MIN_SEC_VALUE = re.compile(r"(\d+)\s*m(?:in)?\s*(\d+(?:\.\d+)?)\s*s(?:ec)?", re.I)
_MARK = re.compile(r"\s*mark$")


def to_seconds(token: str) -> float:
    """'12.5' -> 12.5; '12,5' -> 12.5; '01:05' -> 65.0; '1:02:03.5' -> 3723.5; '1m05s' -> 65.0.

    >>> to_seconds("2:30"), to_seconds("1:00:00"), to_seconds(".5"), to_seconds("00:00:12,500")
    (150.0, 3600.0, 0.5, 12.5)
    """
    token = token.strip().replace(",", ".")
    minutes = _MIN_SEC_VALUE.fullmatch(token)
    if minutes:
        return float(minutes[1]) * 60 + float(minutes[2])
    seconds = 0.0
    for part in token.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _unit_of(raw: str | None, prefix: str | None) -> str | None:
    word = (raw or prefix or "").strip(" -=").lower()
    word = _MARK.sub("", word)
    if not word:
        return None
    if word in ("%",):
        return "%"
    if word.startswith("f"):
        return "frame"
    if word in ("ms", "millisecond", "milliseconds"):
        return "ms"
    if word.startswith("m"):
        return "m"
    if word.startswith("h"):
        return "h"
    if word == "t":
        return None
    return "s"


_MINUTES = re.compile(r"\d\s*m", re.I)
_DIGIT = re.compile(r"\d")


def time_tokens(text: str) -> list[TimeToken]:
    """Every time value in the text, in reading order."""
    if not _DIGIT.search(text):
        return []  # every time value has a digit; most refusals have none
    out = []
    for m in _TIME.finditer(text):
        value = m["value"]
        clock = ":" in value or bool(_MINUTES.search(value))
        unit = None if clock else _unit_of(m["unit"], m["prefix"])
        out.append(TimeToken(m.start(), m.end(), to_seconds(value), unit, clock))
    return out


# --- pairs of times -------------------------------------------------------------------------------

_APPROX = r"(?:(?:about|around|roughly|approximately|approx\.?|circa|ca\.|~|≈)\s*)?"
_CONNECTOR = re.compile(
    rf"\s*(?:-->|->|=>|→|-|–|—|~|to|till|until|through|thru)\s*(?:the\s+)?{_APPROX}\s*$", re.I
)
_AND = re.compile(rf"\s*and\s*(?:the\s+)?{_APPROX}$", re.I)
_BETWEEN = re.compile(r"\b(?:between|from)\s+(?:the\s+)?" + _APPROX + r"$", re.I)
_OPEN = re.compile(r"[\[({]\s*$")
_CLOSE = re.compile(r"^\s*[\])}]")
_LIST_SEP = re.compile(r"\s*[,;]\s*$")
_START_LABEL = re.compile(
    r"\b(?:start(?:s|ing|ed)?(?:[ _-]?(?:time|timestamp|point|sec(?:ond)?s?))?|begin(?:s|ning)?"
    r"(?:[ _-]?time)?|onset)\b[\"']?\s*(?:[:=\-–]|is|at|around|about|of|:\s*at)?\s*"
    + _APPROX
    + r"[\"']?\s*$",
    re.I,
)
_END_GAP = re.compile(
    r"^[\"']?\s*(?:,|;|\.|and|/|\||,\s*and)?\s*(?:it\s+|then\s+|the\s+)?[\"']?"
    r"(?:end(?:s|ing|ed)?(?:[ _-]?(?:time|timestamp|point|sec(?:ond)?s?))?|finish(?:es|ing|ed)?|"
    r"stop(?:s|ping|ped)?|conclud(?:es|ing|ed)|lasts?\s+until|until|to|offset)\b[\"']?\s*"
    r"(?:[:=\-–]|is|at|around|about|by|of)?\s*" + _APPROX + r"[\"']?\s*$",
    re.I,
)


_SENTENCE_BREAK = re.compile(r"[.;!?]\s")
_START_WORD = re.compile(r"\b(?:start\w*|begin\w*|onset)\b", re.I)
_END_WORD = re.compile(r"\b(?:end|ends|ending|ended|finish\w*|stop\w*|conclud\w*|lasts)\b", re.I)


@dataclass(frozen=True, slots=True)
class SpanMatch:
    """One span found in a text: its values as written (seconds), its place, how it was written."""

    span: Span
    start: int
    end: int
    structured: bool  # labelled start/end fields or JSON, rather than prose


def _seconds(token: TimeToken, unit: str | None, fps: float | None, duration: float | None):
    if token.clock or unit is None or unit in _SECONDS_PER:
        return token.value * _SECONDS_PER.get(unit or "s", 1.0)
    if unit == "frame":
        return token.value / fps if fps else None
    return token.value * duration / 100 if duration else None  # percent of the video


def _pair(a: TimeToken, b: TimeToken, fps, duration) -> Span | None:
    unit_a, unit_b = a.unit or b.unit, b.unit or a.unit
    start, end = _seconds(a, unit_a, fps, duration), _seconds(b, unit_b, fps, duration)
    return None if start is None or end is None else (start, end)


def _prose_and_labelled(text: str, fps, duration) -> list[SpanMatch]:
    tokens = time_tokens(text)
    out, k = [], 0
    while k + 1 < len(tokens):
        a, b = tokens[k], tokens[k + 1]
        gap, before = text[a.end : b.start], text[max(0, a.start - 40) : a.start]
        labelled_end = bool(_END_GAP.match(gap)) and bool(_END_WORD.search(gap))
        structured = bool(_START_LABEL.search(before) and _END_GAP.match(gap))
        # "at 3 s the person starts, and at 8 s they finish": a start word by the first time,
        # an end word by the second, within one sentence
        narrated = bool(
            _START_WORD.search(before[-25:] + text[a.end : a.end + 30])
            and _END_WORD.search(gap + text[b.end : b.end + 25])
            and not _SENTENCE_BREAK.search(gap)
        )
        if len(gap) > 60:
            matched = False
        elif structured or labelled_end or narrated or _CONNECTOR.match(gap):
            matched = True
        elif _AND.match(gap):
            matched = bool(_BETWEEN.search(before))
        else:  # a bracketed pair "[S, E]" / "(S, E)"
            matched = bool(
                _LIST_SEP.match(gap) and _OPEN.search(before) and _CLOSE.match(text[b.end :])
            )
        if matched and b.unit is None and not b.clock and _COUNTED.match(text[b.end :]):
            matched = False
        span = _pair(a, b, fps, duration) if matched else None
        if span is not None:
            out.append(SpanMatch(span, a.start, b.end, structured))
            k += 2
        else:
            k += 1
    return out


# --- JSON -----------------------------------------------------------------------------------------

_START_KEYS = ("start", "start_time", "starttime", "begin", "start_sec", "start_s", "from", "onset")
_END_KEYS = ("end", "end_time", "endtime", "finish", "end_sec", "end_s", "to", "stop", "offset")


_OPENING = re.compile(r"[{\[(]")
_JSON = json.JSONDecoder()


def _json_values(text: str) -> list[tuple[int, int, object]]:
    """Every JSON (or Python literal) object or list in the text, outermost first."""
    out, k = [], 0
    while (opening := _OPENING.search(text, k)) is not None:
        k = opening.start()
        value, stop = _decode_at(text, k)
        if stop is None:
            k += 1
            continue
        if isinstance(value, dict | list | tuple):
            out.append((k, stop, value))
        k = stop
    return out


def _decode_at(text: str, k: int):
    try:
        value, stop = _JSON.raw_decode(text, k)
        return value, stop
    except ValueError:
        pass
    closing = {"{": "}", "[": "]", "(": ")"}[text[k]]
    depth = 0
    for j in range(k, min(len(text), k + 2000)):
        depth += text[j] == text[k]
        depth -= text[j] == closing
        if depth == 0:
            try:
                return ast.literal_eval(text[k : j + 1]), j + 1
            except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
                return None, None
    return None, None


def _number(value, fps, duration) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        tokens = time_tokens(value)
        if len(tokens) == 1:
            return _seconds(tokens[0], tokens[0].unit, fps, duration)
    return None


def _spans_in_value(value, fps, duration) -> list[Span]:
    """Spans in a decoded JSON value: start/end keys, lists of two times, strings with ranges."""
    if isinstance(value, dict):
        keys = {str(k).lower().strip(): v for k, v in value.items()}
        start = next((keys[k] for k in _START_KEYS if k in keys), None)
        end = next((keys[k] for k in _END_KEYS if k in keys), None)
        pair = (_number(start, fps, duration), _number(end, fps, duration))
        if pair[0] is not None and pair[1] is not None:
            return [pair]  # type: ignore[list-item]
        return [s for v in value.values() for s in _spans_in_value(v, fps, duration)]
    if isinstance(value, list | tuple):
        if len(value) == 2 and not any(isinstance(v, dict | list | tuple) for v in value):
            pair = (_number(value[0], fps, duration), _number(value[1], fps, duration))
            if pair[0] is not None and pair[1] is not None:
                return [pair]  # type: ignore[list-item]
        return [s for v in value for s in _spans_in_value(v, fps, duration)]
    if isinstance(value, str):
        return [m.span for m in find_spans(value, fps=fps, duration=duration)]
    return []


def _json_spans(text: str, fps, duration) -> list[SpanMatch]:
    out = []
    for start, stop, value in _json_values(text):
        structured = isinstance(value, dict)
        out += [
            SpanMatch(s, start, stop, structured) for s in _spans_in_value(value, fps, duration)
        ]
    return out


# --- all spans of a text --------------------------------------------------------------------------

_MARKUP = str.maketrans({"*": " ", "`": " ", "\u2009": " ", "\xa0": " ", "\u202f": " "})
#: A count, not a time: "between 2 and 3 people".
_COUNTED = re.compile(
    r"^\s*(?:people|persons|men|women|children|kids|times|players|cars|animals)\b"
)


def clean(text: str) -> str:
    """Markdown emphasis and odd spaces to plain spaces; same length, so positions still hold."""
    return text.translate(_MARKUP)


def find_spans(
    text: str, *, fps: float | None = None, duration: float | None = None
) -> list[SpanMatch]:
    """Every span in the text in reading order, as written (see the module docstring).

    A span inside a JSON value is reported once, from the JSON reading.

    >>> [m.span for m in find_spans("from 3 to 7.5 seconds, then between 0:10 and 0:12")]
    [(3.0, 7.5), (10.0, 12.0)]
    >>> [m.span for m in find_spans('{"start": 12.5, "end": 17.8} or 12,5 to 17,8')]
    [(12.5, 17.8), (12.5, 17.8)]
    """
    text = clean(text)
    found = _json_spans(text, fps, duration)
    covered = [(m.start, m.end) for m in found]
    for m in _prose_and_labelled(text, fps, duration):
        if not any(a <= m.start < b for a, b in covered):
            found.append(m)
    return sorted(found, key=lambda m: (m.start, m.end))


def pick_span(matches: list[SpanMatch]) -> SpanMatch | None:
    """The span that answers: the last structured one, else the last (see the module docstring)."""
    if not matches:
        return None
    structured = [m for m in matches if m.structured]
    return (structured or matches)[-1]


def normalize_span(span: Span, duration: float | None = None) -> Span:
    """Swap a reversed span and clip it to [0, duration] when the duration is known.

    >>> normalize_span((17.8, 12.5)), normalize_span((50.0, 120.0), duration=90.0)
    ((12.5, 17.8), (50.0, 90.0))
    """
    start, end = sorted(span)
    if duration is not None:
        start, end = min(max(start, 0.0), duration), min(max(end, 0.0), duration)
    return (start, end)
