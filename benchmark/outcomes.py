"""What an output says, decided as a careful reader would: a span, a refusal, or neither.

A grounding output has three outcomes (`read_grounding`):
- *refusal*: it states, explicitly or implicitly, that the query does not match the video —
  "the query does not match", "there is no dog", "she opens a box, not a bag", "this assumes a
  bench, but the video never shows one" — even when it cites the times of what it did see
  ("There is no dog; a cat is seen from 3 to 5 s");
- *span*: it gives a time range for the query, hedged or not ("I'm not sure, but it is around
  12 to 18 s"), and any negation in it is a side remark ("there's no audio, but he opens the door
  from 3 to 6 s", "the dog is not seen until 12 s");
- *unparsed*: neither (empty, cut off inside `<think>`, garbage, "I'm not sure"). It is not a
  refusal: it scores as a "relevant" prediction without a span, as the RA-RFT evaluator's judge
  does ("irrelevant" only when the response states that the query does not match).

A QA answer is a refusal (`read_qa`) when it declines for lack of evidence ("cannot be
determined", "the video does not show a dog", "this question assumes X, but…", "nothing like that
is in the clip") and an answer otherwise, including answers that contain "no" or "not" ("No, he is
not smiling; he looks serious.").

The reading is sentence by sentence over the answer part (`benchmark.parse.answer_part`): a
sentence refuses when it holds a mismatch statement, an absence, an inability to find, a false
premise or a contrast ("X, not Y") whose rejected side is what the query asks for; negations tied
to a time ("not until 12 s"), to something the query does not mention while a span is given, and
hedges ("not sure", "not exactly") do not refuse.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from benchmark.prefilter import Prefilter
from benchmark.spans import Span, SpanMatch, clean, find_spans, normalize_span, pick_span
from benchmark.words import VERBS, lemmas

Outcome = Literal["span", "refusal", "unparsed", "answer"]

_NEG = r"(?:not|n't|never|no longer)"
_SEE = (
    r"(?:show|shows|showing|shown|contain|contains|feature|features|featured|depict|depicts|"
    r"depicted|include|includes|included|display|displays|displayed|capture|captures|captured|"
    r"present|presents|involve|involves|portray|portrays|mention|mentions|"
    r"appear|appears|appeared|exist|exists|occur|occurs|occurred|happen|happens|"
    r"happened|take place|takes place|took place|see|seen|visible|there|anywhere|found|observed|"
    r"shows? up|turns? up)\b"
)
_MISMATCH = re.compile(
    r"\b(?:un|ir|in)(?:related|relevan\w*|consisten\w*|compatib\w*|answerable)\b|\bmismatch|"
    r"\bmisalign|\bcontradict|\bconflicts?\b|\bno longer (?:match|fit|correspond|align)|"
    r"(?:\bnot|n't)\s+(?:\w+ly\s+)?(?:related|relevant|consistent|compatible|answerable|"
    r"accurate|applicable|correct|true|the case)\b|"
    r"(?:\bnot|n't)\s+(?:\w+\s+){0,4}?(?:in|within|inside|part of)\s+(?:the|this|that)\s+"
    r"(?:video|clip|footage|scene|recording)\b|"
    rf"\b(?:does|do|did|is|are|was|were|would|could|can)\s*{_NEG}\s+(?:\w+ly\s+)?"
    r"(?:match|matches|align|aligns|correspond|corresponds|fit|fits|agree|agrees|apply|applies|"
    r"relate|relates|reflect|reflects|describe|describes|hold|holds|line up|consistent|accurate|"
    r"correct|true|supported|support)\b|\bno (?:match|correspondence|overlap)\b|"
    r"\b(?:at no point|nowhere|no point in|none of the (?:frames|footage|segments|scenes|clips))\b|"
    r"\bno (?:part|portion|segment|moment|interval|section|scene|clip|frame|time|evidence|"
    r"sign|indication|instance|trace|mention|event|action|such|relevant|matching|"
    r"corresponding)s?\b|\bnothing (?:like|in|of|resembling|matching|similar|that)\b|"
    r"\b(?:is|are|was|were)\s+(?:absent|missing|lacking|nonexistent)\b|\babsent\b|"
    r"\blacks?\b|\bwithout any\b|\b(?:not|cannot be|can't be) grounded\b|(?:\bnot|n't)\s+"
    r"(?:\w+ly\s+)?(?:present|shown|visible|depicted|seen|featured|found|observed|included|"
    r"captured|there|performed|done|carried out|happening|occurring|taking place|"
    r"in (?:the|this) (?:video|clip|footage|scene))\b|\b(?:the\s+)?opposite of\b|"
    r"\bin reverse\b|\breversed (?:order|sequence)\b",
    re.I,
)
_ABSENCE = re.compile(
    rf"\b(?:there\s*(?:is|are|was|were|'s|'re)\s*(?:no|not any|nothing|{_NEG} (?:any|an?\b))"
    r"(?!\s+(?:doubt|question|problem)\b)|"
    rf"(?:i|we|you)\s*(?:do|did|can|could|cannot|can't|couldn't)?\s*{_NEG}?\s*(?:see|find|spot|"
    rf"notice|observe)\s+(?:no|any|nothing)|(?:does|do|did|is|are|was|were)\s*{_NEG}\s+"
    rf"(?:\w+\s+){{0,3}}?{_SEE}|never\s+(?:\w+\s+){{0,3}}?{_SEE}|no\s+(?!doubt|problem|later|"
    r"earlier|more|less|sooner|longer|question|one else)"
    r"(?=(?:\w+\s+){1,3}(?:is|are|was|were|appears?|can|"
    r"could|in|on|at|shows?|seen|visible|present|anywhere|exists?|to be))|nothing\s+(?:is|was)"
    r"|\b(?:but|and|yet|with)\s+no\s+(?!doubt|problem|later|earlier|more|less|one else)(?=\w)"
    r"|(?:video|clip|footage|scene|it)\s+(?:has|have|had|contains?|shows?|features?|includes?)"
    r"\s+no\b(?!\s+(?:doubt|problem)))\s*(?P<object>[^.;:!?]{0,60})",
    re.I,
)
_INABILITY = re.compile(
    r"\b(?:cannot|can't|can ?not|could not|couldn't|unable to|impossible to|not possible to|"
    r"(?:not|n't) able to|no way to|fail(?:s|ed)? to|hard to|difficult to)\s+(?:be\s+)?"
    r"(?:\w+ly\s+)?"
    r"(?P<verb>find|found|locate|located|see|seen|spot|spotted|detect|detected|identify|"
    r"identified|ground|grounded|pinpoint|locali[sz]ed?|answer|answered|determine|"
    r"determined|tell|told|say|know|confirm|confirmed|verify|verified|infer|inferred|judge|"
    r"assess|observe|observed|provide|give|match|matched)\b",
    re.I,
)
_PREMISE = re.compile(
    r"\b(?:false|incorrect|mistaken|wrong|faulty|invalid|flawed) (?:premise|assumption)s?\b|"
    r"\b(?:assumes?|assuming|presupposes?|presumes?|premise)\b|\bunanswerable\b|"
    r"\b(?:question|query|description|request|statement|prompt)\s+(?:is|seems|appears)\s+"
    r"(?:to be\s+)?(?:\w+ly\s+)?(?:wrong|incorrect|invalid|mistaken|misleading|flawed|"
    r"erroneous|inaccurate|based on)\b|\b(?:not|no|insufficient|lack of)\s+(?:enough\s+)?"
    r"(?:information|evidence|details?|context|visual (?:evidence|information))\b|"
    r"\bnot enough\b|n't\s+(?:\w+\s+){0,3}enough\b|\binsufficient\b|\btrick question\b|"
    r"\b(?:need|needs|needed|require|requires)\s+more\s+(?:footage|information|context|detail|"
    r"evidence|frames)\b|\bbeyond what\b|"
    r"\b(?:contains?|has|have|with)\s+(?:an?\s+)?(?:error|mistake|inaccuracy)\b|"
    r"\bnot (?:answerable|possible to (?:answer|tell|say))\b",
    re.I,
)
#: "The query mentions X, but / ; however, the video shows Y": read over the whole answer, as the
#: contrast often spans a semicolon.
_QUERY_VERSUS_VIDEO = re.compile(
    r"\b(?:query|question|description|prompt|request)\s+(?:\w+\s+){0,2}?(?:is about|mentions?|"
    r"refers? to|asks? (?:about|for)|describes?|says|talks about|states|specifies|claims|"
    r"implies|involves?)\b[^.]*?(?:\bbut\b|\bwhereas\b|\bwhile\b|\bhowever\b|\byet\b)",
    re.I,
)
_CONTRAST = re.compile(
    r"(?:,|;|—|–| -)\s*(?:and\s+|but\s+)?not\s+(?:a |an |the |any |with )?"
    r"(?P<rejected>[^,.;:!?]{1,50})|"
    r"\b(?:rather than|instead of|in place of|as opposed to)\s+(?P<rejected2>[^,.;:!?]{1,50})|"
    r"\binstead\b|\bwhereas\b|\bnot\s+(?:a |an |the )?(?P<rejected3>\w+(?: \w+)?),?\s+but\b",
    re.I,
)
_TIMED = re.compile(
    rf"{_NEG}\s+(?:\w+\s+){{0,4}}?(?:until|till|before|after|prior to|earlier than)\s+"
    r"(?:the\s+)?(?:about\s+|around\s+)?\d|\bnot (?:yet|immediately|at first)\b",
    re.I,
)
_HEDGE = re.compile(
    r"(?:\bnot|n't)\s+(?:\w+\s+)?(?:sure|certain|exactly|precisely|entirely|perfectly|quite|fully|"
    r"completely|100%|totally|clear(?:ly)?|obvious)\b|\b(?:hard|difficult) to (?:tell|say|"
    r"determine|pinpoint)\b|\buncertain\b|\bexact\b|\bprecise\b",
    re.I,
)
_BUT = re.compile(r"\b(?:but|however|though|although|yet|still|nevertheless|that said)\b", re.I)
_NEGATED = re.compile(rf"\b{_NEG}\b|\bno\b|\bnothing\b|\bnone\b|n't\b", re.I)
_DENIED_WORDS = re.compile(
    r"(?:\bnot\b|n't\b|\bnever\b|\bno\b)\s+(?P<what>(?:[\w-]+\s+){0,3}[\w-]+)", re.I
)
_CLAUSE_END = re.compile(r",|\b(?:but|however|though|although|yet|while)\b", re.I)
_UNTIL = re.compile(r"\b(?:until|till|before|after)\b", re.I)
_PRECISE = re.compile(r"\s*(?:the\s+)?(?:exact|precise|specific)\w*", re.I)
_SUCH = re.compile(r"\s*such\b", re.I)
_KNOWING = {"tell", "told", "say", "determine", "determined", "judge", "assess", "know", "confirm"}
_UNKNOWING = re.compile(
    r"\b(?:i|we)\s*(?:do not|don't|did not|didn't|cannot|can't)\s+(?:really\s+)?know\b|"
    r"\b(?:i'm|i am|i'm)\s+(?:not\s+(?:sure|certain)|unsure|uncertain)\b|\bno idea\b|"
    r"\bunclear\b|\bunknown\b|\btoo\s+(?:\w+\s+){1,2}to\s+(?:tell|see|say|determine|make out|"
    r"answer)\b",
    re.I,
)
_EVENT = re.compile(
    r"\b(?:event|action|activity|moment|query|described|this|it|that|segment|clip|part|"
    r"happens?|occurs?|takes? place|matches|answer|interval|span)\b",
    re.I,
)
_ALTERNATIVE = re.compile(
    r"\b(?:only|instead|rather|closest|nearest|different|similar|another|unlike|whereas|"
    r"but it is|but it's|resembl\w*|something else)\b",
    re.I,
)
_FLAG = re.compile(
    r"[\"']?(?:relevan\w*|match\w*|answerable|present|exists?|is_relevant|grounded|found)[\"']?"
    r"\s*[:=]\s*[\"']?(?:false|no|none|irrelevant|0)\b",
    re.I,
)
_VERDICT_ONLY = re.compile(
    r"^\W*(?:irrelevant|not relevant|unrelated|no|none|null|nil|n/?a|no match|no span|"
    r"no matching (?:segment|moment|span)|not found|not present|refuse[ds]?|cannot answer|"
    r"unanswerable)\W*$",
    re.I,
)
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+|\.(?=[A-Z])")
_STOP = frozenset(
    "a an the of to in on at is are was were it its this that and or with by for from as be "
    "does do did there here video clip footage scene query segment person someone people one "
    "any some their his her they he she them into onto out up down over".split()
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What an output says: its outcome, the span (grounding), and the phrase that decided."""

    outcome: Outcome
    span: Span | None = None
    cue: str | None = None

    @property
    def refused(self) -> bool:
        return self.outcome == "refusal"


def stems(text: str) -> set[str]:
    """The lemmas of a text's content words (`benchmark.words`), for overlap tests."""
    return lemmas(text, stop=_STOP, min_length=3)


@functools.lru_cache(maxsize=1 << 12)  # a task's queries, asked of every answer to them
def query_stems(query: str) -> frozenset[str]:
    return frozenset(stems(query))


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after . ! ? ;, at line breaks and at a period glued
    to the next sentence ("…the video.The query…", as the released refusals write)."""
    out, start = [], 0
    for m in _SENTENCES.finditer(text):
        out.append((start, m.start() + (1 if m.group(0).startswith(".") else 0)))
        start = m.end()
    return [*out, (start, len(text))]


def sentences(text: str) -> list[str]:
    return [s for s in (text[a:b].strip() for a, b in sentence_bounds(text)) if s]


def refusal_cue(
    text: str, query: str = "", *, span_context: str | None = None, qa: bool = False
) -> str | None:
    """The phrase by which the text refuses, or None (see the module docstring).

    `span_context` is the sentence that holds the span a grounding output gives, if any: a
    negation of something the query does not name is a side remark when that sentence attributes
    the span to the query's event. `qa` reads uncertainty ("I don't know") as a refusal, which
    for grounding it is not (it says nothing of the query and the video).
    """
    text = clean(text)
    whole = _VERDICT_ONLY.match(text) or _FLAG.search(text)
    if whole:
        return whole.group(0).strip()
    contrast = _QUERY_VERSUS_VIDEO.search(text)
    candidates = [s for s in sentences(text) if _MAY_REFUSE.may_match(s)]
    if contrast is None and not candidates:
        return None  # most answers that give a span: nothing in them could refuse
    wanted = query_stems(query)
    attributed = span_context is not None and _attributes_span(span_context, wanted)
    if contrast and not attributed:
        return contrast.group(0)
    for sentence in candidates:
        cue = _sentence_cue(sentence, wanted, attributed, span_context is not None, qa)
        if cue:
            return cue
    return None


def _attributes_span(sentence: str, wanted: set[str]) -> bool:
    """Whether the sentence gives its span for the query's event, not for something else seen."""
    if _ALTERNATIVE.search(sentence):
        return False
    return bool(_EVENT.search(sentence) or stems(sentence) & wanted)


def _sentence_cue(
    sentence: str, wanted: set[str], attributed: bool, has_span: bool, qa: bool
) -> str | None:
    timed = bool(_TIMED.search(sentence))
    but = _BUT.search(sentence)
    claim_after_but = bool(but and not _NEGATED.search(sentence[but.end() :]))

    def hedged(m: re.Match) -> bool:
        """An uncertain or "not exactly" phrase, followed by a claim or a span: not a refusal."""
        return bool(_HEDGE.search(m.group(0))) and (
            has_span or (claim_after_but and but is not None and but.start() >= m.start())
        )

    def side_remark(obj: str) -> bool:
        """A negation of something else, beside a span given for the query's event."""
        if timed and has_span:
            return True
        obj = _CLAUSE_END.split(obj, maxsplit=1)[0]
        if _SUCH.match(obj) or find_spans(obj):
            return False  # "no such event", "nothing between 0 and 10 s": the span is denied
        named = bool(wanted and stems(obj) & wanted)
        return attributed and not named

    premise = _PREMISE.search(sentence)
    if premise and not hedged(premise):
        return premise.group(0)
    for m in _INABILITY.finditer(sentence):
        if hedged(m) or (_PRECISE.match(sentence, m.end()) and has_span):
            continue
        if m["verb"].lower() in _KNOWING and not qa and has_span:
            continue
        if not side_remark(sentence[m.end() :]):
            return m.group(0)
    for m in _ABSENCE.finditer(sentence):
        if timed and _UNTIL.search(sentence, m.start()):
            continue
        if _looks_rather_than_is(sentence, m):
            continue  # "doesn't appear angry": how something looks, not whether it is there
        if not side_remark(m["object"] or ""):
            return m.group(0)[:60].strip()
    for m in _MISMATCH.finditer(sentence):
        if hedged(m) or (timed and has_span) or side_remark(sentence[m.end() :]):
            continue
        return m.group(0)
    for m in _CONTRAST.finditer(sentence):
        rejected = m["rejected"] or m["rejected2"] or m["rejected3"]
        if rejected is None:  # "instead", "whereas": what was seen stands against the query
            if not attributed:
                return m.group(0)
            continue
        if wanted and stems(rejected) & wanted and not find_spans(rejected):
            return m.group(0).strip(" ,;")
    # the query's own action denied ("she never pours anything"); in QA also the thing asked
    # about ("she does not carry an umbrella" to "what colour is her umbrella?")
    asked = wanted if qa else wanted & VERBS
    for m in _DENIED_WORDS.finditer(sentence):
        denied = asked & lemmas(m["what"]) and not (timed and has_span) and not hedged(m)
        if denied and (qa or not side_remark(m["what"])):
            return m.group(0)
    unknowing = _UNKNOWING.search(sentence) if qa else None  # with a claim beside it, a hedge
    return unknowing.group(0) if unknowing and but is None else None


#: The patterns whose matches `_sentence_cue` returns as a refusal's cue (its other patterns only
#: qualify them). A sentence none of them can match cannot refuse: `_MAY_REFUSE` passes over most
#: sentences of answers that give a span without reading them further.
_CUE_PATTERNS = (_PREMISE, _INABILITY, _ABSENCE, _MISMATCH, _CONTRAST, _DENIED_WORDS, _UNKNOWING)
_MAY_REFUSE = Prefilter(list(_CUE_PATTERNS))


_APPEAR = re.compile(r"\b(?:appear(?:s|ed)?|seem(?:s|ed)?)\s*$", re.I)
_BEING_THERE = re.compile(
    r"\s*(?:$|[.,;:!?]|(?:in|at|on|anywhere|there|during|throughout|ever|again|here|"
    r"to be (?:in|at|on|there|present|visible|shown|seen|any|an?\b)|to (?:contain|show|include|"
    r"feature|have|exist|occur|happen)))",
    re.I,
)


def _looks_rather_than_is(sentence: str, m: re.Match) -> bool:
    """Whether a negated "appear"/"seem" speaks of how a thing looks ("doesn't appear angry")
    rather than of whether it is there ("doesn't appear in the video", "doesn't appear")."""
    head = m.group(0)[: len(m.group(0)) - len(m["object"] or "")].rstrip()
    return bool(_APPEAR.search(head)) and not _BEING_THERE.match(sentence, m.start("object"))


_CLAUSE_BREAK = re.compile(r"[.!?;]\s+|\n+|,\s+|\s+(?:and then|then|while|whereas|but)\s+", re.I)
_TIME_WORDS = frozenset("second sec minute min mark time timestamp start end".split())


def best_span(matches: list[SpanMatch], text: str, query: str) -> SpanMatch | None:
    """The span that best answers the query, the way the RA-RFT evaluator asks its judge to pick
    one ("strongest evidence, highest specificity, clear linkage to the query"): structured
    over prose, then the one whose clause shares the most content words with the query (the
    next clause when its own says only when: "at 2 to 4 s, he opens the door"), then the last.
    `text` is the text the matches were found in.

    >>> text = "He opens the door from 2 to 4 s, then he sits on the bed from 5 to 9 s."
    >>> best_span(find_spans(text), text, "a man opens a door").span
    (2.0, 4.0)
    """
    if not matches:
        return None
    wanted = query_stems(query)
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    clauses = [(a, b) for a, b in pairwise(cuts) if b > a]

    def linkage(m: SpanMatch) -> int:
        k = next((k for k, (_, b) in enumerate(clauses) if m.start < b), len(clauses) - 1)
        a, b = clauses[k]
        own = text[a : m.start] + text[m.end : b]
        if not stems(own) - _TIME_WORDS and k + 1 < len(clauses):
            a, b = clauses[k + 1]
            own = text[a:b]
        return len(wanted & stems(own))

    return max(reversed(matches), key=lambda m: (m.structured, linkage(m)))


def read_grounding(
    answer: str,
    query: str = "",
    *,
    duration: float | None = None,
    fps: float | None = None,
    as_written: bool = False,
    best_for_query: bool = False,
) -> Reading:
    """The outcome of a grounding output's answer part (see the module docstring); the span is
    ordered and clipped to the duration unless `as_written`. `fps` converts spans written in
    frames. Of several spans `pick_span` chooses, or with `best_for_query` `best_span`."""
    answer = clean(answer)
    if not answer.strip():
        return Reading("unparsed")
    found = find_spans(answer, fps=fps, duration=duration)
    best = best_span(found, answer, query) if best_for_query else pick_span(found)
    context = None
    if best is not None:  # the sentence that gives the span
        context = next(answer[a:b] for a, b in sentence_bounds(answer) if best.start < b)
    cue = refusal_cue(answer, query, span_context=context)
    if cue is not None:
        return Reading("refusal", None, cue)
    if best is None:
        return Reading("unparsed")
    return Reading("span", best.span if as_written else normalize_span(best.span, duration))


_YES_OR_NO = re.compile(r"^\W*(?:yes|no)\b", re.I)
_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|does|do|did|can|could|has|have|had|will|would|should)\b", re.I
)
_EXISTENCE_QUESTION = re.compile(
    r"^\s*(?:is|are|was|were)\s+there\b|\b(?:does|do|did)\s+(?:the\s+)?(?:video|clip|footage)\s+"
    r"(?:show|contain|feature|include|have|depict)\b|\bcan (?:you|we) see\b",
    re.I,
)
_STRONG_QA = re.compile(
    r"\b(?:cannot|can't|can ?not|unable to|impossible to|not possible to)\s+(?:be\s+)?"
    r"(?:answer|determine|tell|say|know|confirm)|\bunanswerable\b|\bno such\b|\bat all\b|"
    r"\bpremise\b|\bassum|\bnot enough\b|\binsufficient\b",
    re.I,
)


def read_qa(answer: str, question: str = "") -> Reading:
    """Whether a free-text QA answer refuses (see the module docstring); empty is not a refusal."""
    answer = clean(answer)
    if not answer.strip():
        return Reading("unparsed")
    yes_no_reply = _YES_NO.match(question) and _YES_OR_NO.match(answer)
    if yes_no_reply or _EXISTENCE_QUESTION.search(question):
        strong = _STRONG_QA.search(answer)
        return Reading("refusal", None, strong.group(0)) if strong else Reading("answer")
    cue = refusal_cue(answer, question, qa=True) or _denies_by_what_it_saw(answer, question)
    return Reading("refusal", None, cue) if cue else Reading("answer")


_RHETORICAL = re.compile(r"^\W*(?:what|which)\s+\w+(?:\s+\w+)?\s*\?", re.I)
_ONLY_SAW = re.compile(
    r"\b(?:only\s+(?:saw|see|sees|seen|shows?|showed|features?|depicts?|contains?)|"
    r"(?:saw|see|sees|shows?|showed|features?|depicts?|contains?)\s+only)\b",
    re.I,
)


def _denies_by_what_it_saw(answer: str, question: str) -> str | None:
    """An implicit refusal: "What dog? …", or "I only saw a cat" naming nothing the question
    asks about."""
    rhetorical = _RHETORICAL.match(answer)
    if rhetorical:
        return rhetorical.group(0).strip()
    only = _ONLY_SAW.search(answer)
    if only and not stems(answer) & stems(question):
        return only.group(0)
    return None
