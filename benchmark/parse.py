"""Reading model outputs: tag blocks, the answer part, and (via `benchmark.spans` and
`benchmark.outcomes`) spans and refusals.

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

from benchmark import outcomes, spans
from benchmark.spans import Span, normalize_span, to_seconds

__all__ = [
    "GroundingOutput",
    "Span",
    "TaggedOutput",
    "answer_part",
    "is_refusal",
    "last_block",
    "normalize_span",
    "parse_grounding_output",
    "parse_span",
    "split_tags",
    "tag_blocks",
    "to_seconds",
]

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


# --- the answer part -----------------------------------------------------------------------------

_ANY_TAG = re.compile(r"<\s*/?\s*[a-z_|][\w|]*[^<>]{0,40}>|<\|[^<>|]{1,30}\|>", re.I)


def answer_part(text: str, *, select: str = "last") -> str:
    """The part of an output that says what the model answers; `<think>` never decides.

    The last `<answer>` block when there is one (`select="first"`: the first), else the text
    with its `<think>` and `<correction>` blocks removed (a block cut off by max_new_tokens runs
    to the end, so an output cut off while thinking has an empty answer part). Leftover tags
    (`<|im_end|>`, `<timestep>`) are dropped.

    >>> answer_part("<think>3 to 4?</think> It is 12 to 18 s.<|im_end|>")
    'It is 12 to 18 s.'
    >>> answer_part("<think>there is no dog, so 1 to 2")
    ''
    """
    if select not in ("first", "last"):
        raise ValueError(f"select must be 'first' or 'last', got {select!r}")
    if "<" not in text:
        return text.strip()
    answers = tag_blocks(text, "answer")
    if answers:
        scope = answers[-1] if select == "last" else answers[0]
    else:
        scope = text
        for tag in ("think", "correction"):
            scope = _tag_pattern(tag).sub(" ", scope)
    return _ANY_TAG.sub(" ", scope).strip()


# --- spans and refusals of whole outputs (the reading itself: benchmark.spans, benchmark.outcomes)


def parse_span(text: str, *, duration: float | None = None, select: str = "last") -> Span | None:
    """The span an output's answer part gives, normalised; None when there is none.

    Of several spans the one `benchmark.spans.pick_span` picks (`select="first"` takes the
    first). No refusal reading: the training rewards score the span a completion writes.

    >>> parse_span("<think>at 3 to 4 maybe</think><answer>12.54 to 17.83</answer>")
    (12.54, 17.83)
    """
    if select not in ("first", "last"):
        raise ValueError(f"select must be 'first' or 'last', got {select!r}")
    found = spans.find_spans(answer_part(text), duration=duration)
    if not found:
        return None
    chosen = spans.pick_span(found) if select == "last" else found[0]
    return spans.normalize_span(chosen.span, duration)  # type: ignore[union-attr]


def is_refusal(text: str, question: str = "") -> bool:
    """Whether a QA answer declines to answer (empty is not a refusal: it answers nothing)."""
    return outcomes.read_qa(answer_part(text), question).refused


@dataclass(frozen=True, slots=True)
class GroundingOutput:
    """A grounding output read by rule: its outcome, span and the parts of the tagged contract.

    `relevant` is the scored prediction: a span and an unparsed output both predict "relevant"
    (unparsed without a span, so RA-IoU 0), only a refusal predicts "irrelevant"."""

    outcome: outcomes.Outcome
    span: Span | None
    answer: str  # the answer part that was read
    correction: str | None
    think: str | None
    cue: str | None

    @property
    def relevant(self) -> bool:
        return self.outcome != "refusal"


def parse_grounding_output(
    text: str, query: str = "", *, duration: float | None = None, select: str = "last"
) -> GroundingOutput:
    """Read a grounding output: span, refusal or unparsed (see `benchmark.outcomes`)."""
    tags = split_tags(text) if "<" in text else TaggedOutput(None, None, None)
    answer = answer_part(text, select=select)
    reading = outcomes.read_grounding(answer, query, duration=duration)
    return GroundingOutput(
        outcome=reading.outcome,
        span=reading.span,
        answer=answer,
        correction=tags.correction,
        think=tags.think,
        cue=reading.cue,
    )
