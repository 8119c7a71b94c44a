"""The `rules` judge: offline, deterministic, free.

Grounding (RA-VTG)
- relevance and span: `benchmark.parse.parse_grounding_output` (a time range in the last
  `<answer>` means relevant; the RA-RFT refuse branch has none; free text with a refusal cue is
  irrelevant);
- refusal categories: keyword rules per category (`CATEGORY_CUES`) over the refusal explanation;
- SBERT score: cosine (clipped to [0, 1]) of the explanation and the reference refusal, when an
  SBERT scorer is given and the sample has a reference refusal;
- no LLM consistency score (that needs the `openai:` judge): `consistency` stays empty.

QA (UVQA)
- a refusal is a response with a refusal cue (`benchmark.parse.is_refusal`);
- an answer is correct when the reference's content words all appear in it (references of up to
  `SHORT_ANSWER_WORDS` content words), else when SBERT cosine ≥ `ANSWER_SIMILARITY` (or, without
  SBERT, token F1 ≥ `ANSWER_TOKEN_F1`);
- a refusal is for the right reason when it mentions the altered element (all its content words
  for one or two words, else at least `ALTERED_COVERAGE` of them) or, with SBERT, its cosine with
  the reference refusal is ≥ `REASON_SIMILARITY`.
"""

from __future__ import annotations

import re

from benchmark.families import GROUNDING, QA
from benchmark.parse import is_refusal, parse_grounding_output, split_tags
from benchmark.records import CATEGORIES, Judgment
from benchmark.scorers.base import Judge
from benchmark.scorers.sbert import SbertScorer
from benchmark.scorers.spec import JudgeSpec

RULES_VERSION = "rules_v1"
SHORT_ANSWER_WORDS = 4
ANSWER_SIMILARITY = 0.6
ANSWER_TOKEN_F1 = 0.5
ALTERED_COVERAGE = 0.6
REASON_SIMILARITY = 0.6

_COLOURS = r"red|green|blue|yellow|purple|white|black|orange|pink|brown|gr[ae]y|silver|gold(en)?"
_NUMBERS = r"one|two|three|four|five|six|seven|eight|nine|ten|single|\d+"
#: Phrases that speak of each mismatch category (regular expressions, matched case-insensitively).
CATEGORY_CUES: dict[str, tuple[str, ...]] = {
    "Object/ObjectExistence": (
        r"there (is|are) no",
        r"no such",
        r"not (present|shown|visible)",
        r"absent",
        r"missing",
        r"instead of",
        r"rather than",
        r"it is the",
        r"only shows?",
        r"(object|item)s? (is|are|does) not",
    ),
    "Object/ObjectMoving": (
        r"direction",
        r"trajector",
        r"to the (left|right)",
        r"leftward",
        r"rightward",
        r"upward",
        r"downward",
        r"moves? (left|right|up|down)",
        r"toward",
        r"away from",
    ),
    "Object/ObjectSpatialRelation": (
        r"\b(above|below|under(neath)?|on top of|beside|next to|left of|right of|behind)\b",
        r"\b(in front of|position)\b",
    ),
    "Object/ObjectPartRelation": (r"\b(part|wheels?|eyes|hat|wearing|attached|accessor(y|ies))\b",),
    "Action/FineGrainedAction": (
        r"\b(action|appears?|disappears?|grows?|shrinks?|opens?|closes?)\b",
        r"\b(picks? up|puts? (down|away))\b",
        r"\bgets? out\b",
        r"does not (appear|disappear|grow|shrink)",
    ),
    "Action/ActionSequence": (
        r"\b(order|sequence|before|after|afterwards|first|then|other way round|reversed)\b",
    ),
    "Attribute/AttributeValue": (rf"\b(colou?r|size|small|large|big|material|{_COLOURS})\b",),
    "Attribute/Counting": (rf"\b(count|number of|how many|{_NUMBERS})\b",),
    "Attribute/Comparison": (
        r"\b(larger|smaller|bigger|taller|shorter|faster|slower|more than|less than|compared)\b",
    ),
    "Scene/SceneExistence": (
        r"\b(scene|setting|background|location|kitchen|room|beach|forest|desert|snow|night)\b",
        r"\b(outdoors|indoors|park|street)\b",
    ),
    "Scene/SceneTransition": (
        r"(scene|background|setting) (changes|cuts|switches)",
        r"transition",
        r"cuts from",
        r"from the \w+ to the \w+",
    ),
}
assert set(CATEGORY_CUES) == set(CATEGORIES)
_CUES = {c: re.compile("|".join(cues), re.I) for c, cues in CATEGORY_CUES.items()}
# The cues are lower-case ASCII, so on ASCII text a case-sensitive search of the lowered text finds
# exactly what the case-insensitive one does, about 3x faster (no case folding per character).
assert all(cue.isascii() and cue == cue.lower() for cues in CATEGORY_CUES.values() for cue in cues)
_ASCII_CUES = {c: re.compile("|".join(cues)) for c, cues in CATEGORY_CUES.items()}
_STOPWORDS = frozenset(
    "a an the of to in on at is are was were it its it's this that and or with by for from as be "
    "does do did there here side".split()
)


class RulesJudge(Judge):
    name = "rules"
    prompt_version = RULES_VERSION

    def __init__(self, sbert: SbertScorer | None = None) -> None:
        self.sbert = sbert
        self.name = JudgeSpec("rules", sbert=sbert.model_name if sbert else "none").id

    @property
    def rules(self):
        return {GROUNDING.name: self._grounding, QA.name: self._qa}

    def describe(self) -> dict:
        return {
            "name": self.name,
            "prompt_version": self.prompt_version,
            "sbert": self.sbert.describe() if self.sbert else None,
            "thresholds": {
                "short_answer_words": SHORT_ANSWER_WORDS,
                "answer_similarity": ANSWER_SIMILARITY,
                "answer_token_f1": ANSWER_TOKEN_F1,
                "altered_coverage": ALTERED_COVERAGE,
                "reason_similarity": REASON_SIMILARITY,
            },
        }

    # --- grounding ------------------------------------------------------------------------------

    def _grounding(self, items):
        parsed = [parse_grounding_output(r.text, duration=s.duration) for s, r in items]
        explanations = [
            (p.answer if p.answer is not None else r.text)
            for p, (_, r) in zip(parsed, items, strict=True)
        ]
        want_sbert = [
            self.sbert is not None and not p.relevant and bool(s.refusal)
            for p, (s, _) in zip(parsed, items, strict=True)
        ]
        scores = self._similarities(
            [e for e, w in zip(explanations, want_sbert, strict=True) if w],
            [s.refusal for (s, _), w in zip(items, want_sbert, strict=True) if w],
            clipped=True,
        )
        out = []
        for p, explanation, want, (sample, _) in zip(
            parsed, explanations, want_sbert, items, strict=True
        ):
            out.append(
                Judgment(
                    sample_id=sample.id,
                    judge=self.name,
                    verdict="relevant" if p.relevant else "irrelevant",
                    span=p.span,
                    categories=() if p.relevant else refusal_categories(explanation),
                    sbert=float(scores.pop(0)) if want else None,
                    prompt_version=self.prompt_version,
                )
            )
        return out

    # --- QA -------------------------------------------------------------------------------------

    def _qa(self, items):
        texts = [_answer_text(r.text) for _, r in items]
        refused = [is_refusal(t) for t in texts]
        # SBERT comparisons needed: long answerable references, and refusals for the reason check
        pairs, where = [], []
        for k, ((sample, _), text, ref) in enumerate(zip(items, texts, refused, strict=True)):
            if self.sbert is None:
                continue
            if (
                sample.kind == "answerable"
                and not ref
                and sample.answer
                and not _is_short(sample.answer)
            ):
                pairs.append((text, sample.answer)), where.append(k)
            elif sample.kind == "unanswerable" and ref and sample.refusal:
                pairs.append((text, sample.refusal)), where.append(k)
        sims = dict(
            zip(
                where, self._similarities([a for a, _ in pairs], [b for _, b in pairs]), strict=True
            )
        )
        out = []
        for k, ((sample, _), text, ref) in enumerate(zip(items, texts, refused, strict=True)):
            if sample.kind == "answerable":
                if ref:
                    verdict = "refused"
                else:
                    verdict = (
                        "correct"
                        if answer_matches(text, sample.answer or "", sims.get(k))
                        else "wrong"
                    )
            elif not ref:
                verdict = "answered"
            else:
                right = mentions(text, sample.altered) or (
                    sims.get(k) is not None and sims[k] >= REASON_SIMILARITY
                )
                verdict = "refused_right_reason" if right else "refused_wrong_reason"
            out.append(
                Judgment(
                    sample_id=sample.id,
                    judge=self.name,
                    verdict=verdict,
                    sbert=float(sims[k]) if k in sims else None,
                    prompt_version=self.prompt_version,
                )
            )
        return out

    def _similarities(self, a: list[str], b: list[str], *, clipped: bool = False) -> list[float]:
        if not a or self.sbert is None:
            return []
        values = self.sbert.clipped(a, b) if clipped else self.sbert.cosine(a, b)
        return [float(v) for v in values]


def refusal_categories(explanation: str) -> tuple[str, ...]:
    """The mismatch categories an explanation speaks of, by keyword rules (in CATEGORIES order)."""
    if explanation.isascii():
        lowered = explanation.lower()
        return tuple(c for c in CATEGORIES if _ASCII_CUES[c].search(lowered))
    return tuple(c for c in CATEGORIES if _CUES[c].search(explanation))


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS]


def answer_matches(answer: str, reference: str, similarity: float | None = None) -> bool:
    """Whether a free-text answer gives the reference answer (see the module docstring)."""
    ref_words = content_words(reference)
    words = set(content_words(answer))
    if not ref_words:
        return False
    if _is_short(reference):
        return all(w in words for w in ref_words)
    if similarity is not None:
        return similarity >= ANSWER_SIMILARITY
    common = sum(1 for w in set(ref_words) if w in words)
    if not common:
        return False
    precision, recall = common / max(len(words), 1), common / len(set(ref_words))
    return 2 * precision * recall / (precision + recall) >= ANSWER_TOKEN_F1


def mentions(text: str, element: str | None) -> bool:
    """Whether a refusal names the altered element (its content words, see the module docstring)."""
    if not element:
        return False
    wanted = content_words(element)
    if not wanted:
        return False
    words = set(content_words(text))
    found = sum(1 for w in wanted if w in words)
    return found == len(wanted) if len(wanted) <= 2 else found / len(wanted) >= ALTERED_COVERAGE


def _is_short(reference: str) -> bool:
    return len(content_words(reference)) <= SHORT_ANSWER_WORDS


def _answer_text(text: str) -> str:
    """The answer part of a response: the last <answer> block when tagged, else the whole text."""
    answer = split_tags(text).answer
    return answer if answer is not None else text
