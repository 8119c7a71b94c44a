"""Reading model outputs: tag blocks, timestamp spans, refusal cues.

Video-LLM outputs come in two shapes. Reasoning models trained with GRPO (Time-R1, VideoChat-R1,
RA-RFT) write tagged blocks::

    <think>...</think> <answer>12.5 to 17.8</answer> <correction>NIL</correction>

Other models answer in free text ("The event happens between 0:12 and 0:18."). The functions here
read both, tolerantly: tag names in any case, with attributes or stray whitespace, an unclosed last
block (generation cut at max tokens), and the timestamp styles models actually print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

Span = tuple[float, float]

# --- tags ---------------------------------------------------------------------------------------

#: Synonyms read as one block: RA-RFT's released data writes `<correct>` where its prompt asks
#: for `<correction>`.
TAG_ALIASES: dict[str, tuple[str, ...]] = {
    "think": ("think",),
    "answer": ("answer",),
    "correction": ("correction", "correct"),
}


def tag_blocks(text: str, tag: str) -> list[str]:
    """All `<tag ...>...</tag>` contents in order, stripped; an unclosed final block counts.

    >>> tag_blocks("<Answer>1 to 2</answer> <answer class='x'> 3 to 4 </ answer>", "answer")
    ['1 to 2', '3 to 4']
    >>> tag_blocks("<think>cut off by max_new_tokens", "think")
    ['cut off by max_new_tokens']
    """
    return [m.group(1).strip() for m in _tag_pattern(tag).finditer(text)]


@cache
def _tag_pattern(tag: str) -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in TAG_ALIASES.get(tag, (tag,)))
    opening = rf"<\s*(?:{names})\b[^>]*>"
    closing = rf"<\s*/\s*(?:{names})\s*>"
    return re.compile(rf"{opening}(.*?)(?:{closing}|(?={opening})|\Z)", re.I | re.S)


def last_block(text: str, tag: str) -> str | None:
    """The last `<tag>` block (the one that counts when a model restates itself), or None."""
    blocks = tag_blocks(text, tag)
    return blocks[-1] if blocks else None


@dataclass(frozen=True, slots=True)
class TaggedOutput:
    """The RA-RFT output contract split into its parts (None where a block is absent)."""

    think: str | None
    answer: str | None
    correction: str | None

    @property
    def has_tags(self) -> bool:
        return self.answer is not None or self.think is not None


def split_tags(text: str) -> TaggedOutput:
    """Read think / answer / correction blocks; the last `<answer>` wins."""
    return TaggedOutput(
        think=last_block(text, "think"),
        answer=last_block(text, "answer"),
        correction=last_block(text, "correction"),
    )


# --- timestamps --------------------------------------------------------------------------------

_CLOCK = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\.\d+)?"  # mm:ss, hh:mm:ss, with optional fraction
_DECIMAL = r"\d+(?:\.\d+)?|\.\d+"
_TIME = rf"(?:{_CLOCK}|{_DECIMAL})"
_UNIT = r"(?:\s*(?:seconds?|secs?|s)\b)?"
_RANGE = re.compile(
    rf"""
    (?<![\w.:])                              # not inside a longer number or word
    (?:(?P<between>between)\s+|from\s+)?
    (?P<start>{_TIME}){_UNIT}
    \s*(?(between)and|(?:to|until|till|through|-|–|—|~))\s*
    (?P<end>{_TIME}){_UNIT}
    (?![\w:]|\.\d)                           # not followed by more digits or a clock part
    """,
    re.I | re.X,
)
_BRACKETED = re.compile(
    rf"\[\s*(?P<start>{_TIME}){_UNIT}\s*,\s*(?P<end>{_TIME}){_UNIT}\s*\]",
    re.I,
)


def to_seconds(token: str) -> float:
    """'12.5' -> 12.5; '01:05' -> 65.0; '1:02:03.5' -> 3723.5.

    >>> to_seconds("2:30"), to_seconds("1:00:00"), to_seconds(".5")
    (150.0, 3600.0, 0.5)
    """
    seconds = 0.0
    for part in token.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def find_spans(text: str) -> list[Span]:
    """Every time range in the text, in reading order, as read (not yet normalised).

    Understands "12.5 to 17.8", "12.5 - 17.8", "from 12.5 to 17.8 seconds", "between 12.5 and
    17.8", "12.5s-17.8s", clock times "01:05 to 01:20" and "[12.5, 17.8]".

    >>> find_spans("from 3 to 7.5 seconds, then between 0:10 and 0:12")
    [(3.0, 7.5), (10.0, 12.0)]
    """
    found: list[tuple[int, Span]] = []
    for pattern in (_RANGE, _BRACKETED):
        for m in pattern.finditer(text):
            found.append((m.start(), (to_seconds(m["start"]), to_seconds(m["end"]))))
    found.sort(key=lambda item: item[0])
    return [span for _, span in found]


def normalize_span(span: Span, duration: float | None = None) -> Span:
    """Swap a reversed span and clip it to [0, duration] when the duration is known.

    >>> normalize_span((17.8, 12.5)), normalize_span((50.0, 120.0), duration=90.0)
    ((12.5, 17.8), (50.0, 90.0))
    """
    start, end = sorted(span)
    if duration is not None:
        start, end = min(max(start, 0.0), duration), min(max(end, 0.0), duration)
    return (start, end)


def parse_span(text: str, *, duration: float | None = None, select: str = "last") -> Span | None:
    """The predicted span of a grounding output, normalised; None when there is none.

    Looks inside the last `<answer>` block when there is one, else in the whole text. Of several
    ranges the last is taken by default, as the Time-R1 and RA-RFT reference parsers do
    (`select="first"` takes the first).

    >>> parse_span("<think>at 3 to 4 maybe</think><answer>12.54 to 17.83</answer>")
    (12.54, 17.83)
    """
    if select not in ("first", "last"):
        raise ValueError(f"select must be 'first' or 'last', got {select!r}")
    answer = last_block(text, "answer")
    spans = find_spans(answer if answer is not None else text)
    if not spans:
        return None
    return normalize_span(spans[-1] if select == "last" else spans[0], duration)


# --- refusals ----------------------------------------------------------------------------------

#: Phrases with which models say a query does not match the video or a question cannot be
#: answered. Matched case-insensitively on word boundaries; kept short and specific so that
#: answers which merely contain "not" are not mistaken for refusals.
REFUSAL_CUES: tuple[str, ...] = (
    r"(?:un|ir|not |isn't |is not )(?:related|relevant)",
    r"(?:does|do|did)\s*(?:not|n't)\s+(?:contain|show|appear|include|feature|depict|match|"
    r"align|correspond|exist|occur|happen|mention|involve|have)",
    r"(?:no|not any)\s+(?:relevant\s+|matching\s+|corresponding\s+|such\s+)?"
    r"(?:segment|moment|part|portion|clip|scene|evidence|interval)",
    r"(?:cannot|can't|can not|could not|couldn't|unable to)\s+(?:be\s+)?"
    r"(?:answer|answered|determine|determined|find|found|locate|located|identify|tell|see)",
    r"not\s+(?:present|shown|visible|depicted|seen|possible|answerable|applicable|mentioned|"
    r"in the video)",
    r"unanswerable",
    r"(?:there is|there are|there's)\s+no\b",
    r"(?:i\s+)?(?:don't|do not)\s+know",
    r"not sure",
    r"(?:inconsistent|mismatch|does not align|misaligned)",
    r"(?:question|query)\s+(?:is|seems|appears)\s+(?:to be\s+)?"
    r"(?:incorrect|invalid|wrong|misleading|flawed|based on a false)",
    r"false premise",
    r"never\s+(?:appears|happens|occurs|shown)",
)
_REFUSAL = re.compile(r"\b(?:" + "|".join(REFUSAL_CUES) + r")", re.I)


def refusal_cue(text: str) -> str | None:
    """The first refusal phrase in the text, or None.

    >>> refusal_cue("The video does not show a dog.")
    'does not show'
    >>> refusal_cue("A man is not running; he walks from 3 to 5.") is None
    True
    """
    m = _REFUSAL.search(text)
    return m.group(0) if m else None


def is_refusal(text: str) -> bool:
    """Whether a free-text answer declines to answer (has a refusal cue, or is empty)."""
    return not text.strip() or refusal_cue(text) is not None


@dataclass(frozen=True, slots=True)
class GroundingOutput:
    """A grounding output read by rule: relevance, span and the parts of the tagged contract."""

    relevant: bool
    span: Span | None
    answer: str | None
    correction: str | None
    think: str | None
    cue: str | None


def parse_grounding_output(text: str, *, duration: float | None = None) -> GroundingOutput:
    """Decide relevance of a grounding output by rule.

    The scope is the last `<answer>` block when there is one (RA-RFT contract), else the whole
    text. Relevant iff the scope holds a time range and no refusal cue: the refuse branch of the
    contract explains the mismatch and gives no range, and a range quoted inside a refusal ("no
    such event between 0 and 10 seconds") does not make it a grounding.
    """
    tags = split_tags(text) if "<" in text else TaggedOutput(None, None, None)
    scope = tags.answer if tags.answer is not None else text
    span = parse_span(scope, duration=duration)
    cue = refusal_cue(scope)
    relevant = span is not None and cue is None
    return GroundingOutput(
        relevant=relevant,
        span=span if relevant else None,
        answer=tags.answer,
        correction=tags.correction,
        think=tags.think,
        cue=cue,
    )
