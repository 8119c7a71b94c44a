"""The `rules` judge: offline, deterministic, free.

Grounding (RA-VTG)
- outcome and span: `benchmark.outcomes.read_grounding` over the answer part
  (`Protocol.answer_text`; default `benchmark.parse.answer_part`: `<think>` never decides):
  *span* (any format of `benchmark.spans`), *refusal* (a stated mismatch, explicit or implicit)
  or *unparsed* (neither: verdict "relevant" with no span, RA-IoU 0, counted by `unparsed_rate`);
- refusal categories: what the refusal contrasts with the query (`benchmark.scorers.categories`);
- SBERT score: cosine (clipped to [0, 1]; 0 for an empty explanation) of the explanation and
  the reference refusal, when an SBERT scorer is given and the sample has a reference refusal;
- no LLM consistency score (that needs the `openai:` judge): `consistency` stays empty.

QA (UVQA)
- a refusal is an answer that declines for lack of evidence (`benchmark.outcomes.read_qa`);
  with SBERT, also an answer whose cosine with a refusal prototype (`REFUSAL_PROTOTYPES`) is
  ≥ `REFUSAL_PROTOTYPE_SIMILARITY` (a second signal for phrasings the rules miss); empty output
  is not a refusal;
- an answer is correct when the reference's content words all appear in it (references of up to
  `SHORT_ANSWER_WORDS` content words), else when SBERT cosine ≥ `ANSWER_SIMILARITY` (or, without
  SBERT, token F1 ≥ `ANSWER_TOKEN_F1`);
- a refusal is for the right reason when it names the altered element or the one actually shown
  (all its content words for one or two words, else at least `ALTERED_COVERAGE` of them) or, with
  SBERT, its cosine with the reference refusal is ≥ `REASON_SIMILARITY`.

Under a scoring protocol other than the default (`benchmark.protocols`; `ra-rft`) the judge
reads what that protocol says: the answer text it names, spans as written and the one tied to
the query, the reasoning text and the released reference for SBERT and categories.

`CALIBRATION` records the judge's agreement with the shipped calibration set (`judge-check`,
default protocol).
"""

from __future__ import annotations

import functools

from benchmark import outcomes
from benchmark.families import GROUNDING, QA
from benchmark.outcomes import stems
from benchmark.parse import answer_part
from benchmark.protocols import Protocol, get_protocol
from benchmark.records import Judgment, Sample
from benchmark.scorers import categories
from benchmark.scorers.base import Judge
from benchmark.scorers.sbert import SbertScorer
from benchmark.scorers.spec import JudgeSpec
from benchmark.words import words

RULES_VERSION = "rules_v2"
#: The same texts come back (templated refusals, short QA answers, a run validated after it was
#: scored): each reading is a pure function of its inputs, worked out once per process.
read_grounding = functools.lru_cache(maxsize=1 << 15)(outcomes.read_grounding)
read_qa = functools.lru_cache(maxsize=1 << 15)(outcomes.read_qa)
refusal_categories = functools.lru_cache(maxsize=1 << 15)(categories.refusal_categories)
#: The rules' agreement with the shipped calibration set (`refusal-bench judge-check` on
#: ../shared/data, every task present; reasons with and without SBERT) and the mean Jaccard of the
#: categories read from the released gold refusals, carried into run.json and the site by
#: `describe()`. tests/test_judge_check.py fails when these figures go stale. The styles written
#: after the rules agreed less before the rules were extended to them: "holdout" 88.1% (grounding,
#: 84) / 77.8% (QA, 72), "holdout-2" 91.8% (98) / 80.8% (78): expect that on unseen phrasings.
CALIBRATION = {
    "set": "benchmark/calibration/outputs.jsonl",
    "items": 982,
    "grounding_outcome_agreement": 1.0,
    "grounding_span_agreement_iou_0.9": 1.0,
    "qa_refusal_agreement": 1.0,
    "qa_reason_agreement": {"none": 0.944, "all-MiniLM-L6-v2": 0.994},
    "category_jaccard": {"hi_charades": 0.758, "hi_tvgbench": 0.703, "synth_hivtg": 0.853},
    "first_look": {
        "holdout": {"grounding": 0.881, "qa": 0.778},
        "holdout-2": {"grounding": 0.918, "qa": 0.808},
    },
    #: under `--protocol ra-rft` the labels (the default reading) and the evaluator's reading
    #: part on outputs cut off while thinking: labelled unparsed, read as its judge reads them
    "protocols": {
        "ra-rft": {
            "grounding_outcome_agreement": 0.981,
            "grounding_span_agreement_iou_0.9": 1.0,
            "qa_refusal_agreement": 1.0,
        }
    },
}
SHORT_ANSWER_WORDS = 4
ANSWER_SIMILARITY = 0.6
ANSWER_TOKEN_F1 = 0.5
ALTERED_COVERAGE = 0.6
REASON_SIMILARITY = 0.6
#: The second signal for QA refusals (with SBERT): an answer the rules read as an answer is a
#: refusal when its cosine with one of these prototypes is ≥ `REFUSAL_PROTOTYPE_SIMILARITY`.
#: On the calibration set (MiniLM) no labelled answer scores above 0.454; refusals have a median
#: of 0.52, so the threshold adds refusals without taking answers.
REFUSAL_PROTOTYPES = (
    "I cannot answer this question from the video.",
    "The video does not show this.",
    "There is no such thing in the video.",
    "This question is based on a false premise.",
    "It is impossible to tell from the video.",
    "I don't know.",
    "The question cannot be answered because what it asks about is not in the video.",
    "Nothing like that appears in the clip.",
    "The video does not contain enough information to answer.",
    "That object is not present in the video.",
)
REFUSAL_PROTOTYPE_SIMILARITY = 0.55

_STOPWORDS = frozenset(
    "a an the of to in on at is are was were it its it's this that and or with by for from as be "
    "does do did there here side".split()
)


class RulesJudge(Judge):
    name = "rules"
    prompt_version = RULES_VERSION

    def __init__(
        self, sbert: SbertScorer | None = None, *, protocol: str | Protocol | None = None
    ) -> None:
        self.sbert = sbert
        self.protocol = get_protocol(protocol)
        self.name = JudgeSpec(
            "rules", sbert=sbert.model_name if sbert else "none", protocol=self.protocol.name
        ).id

    @property
    def rules(self):
        return {GROUNDING.name: self._grounding, QA.name: self._qa}

    def describe(self) -> dict:
        return {
            "name": self.name,
            "prompt_version": self.prompt_version,
            "protocol": self.protocol.name,
            "sbert": self.sbert.describe() if self.sbert else None,
            "calibration": CALIBRATION,
            "thresholds": {
                "short_answer_words": SHORT_ANSWER_WORDS,
                "answer_similarity": ANSWER_SIMILARITY,
                "answer_token_f1": ANSWER_TOKEN_F1,
                "altered_coverage": ALTERED_COVERAGE,
                "reason_similarity": REASON_SIMILARITY,
                "refusal_prototype_similarity": REFUSAL_PROTOTYPE_SIMILARITY,
            },
        }

    # --- grounding ------------------------------------------------------------------------------

    def _grounding(self, items):
        protocol = self.protocol
        readings, explanations, references = [], [], []
        for sample, response in items:
            answer = protocol.answer_text(response.text)
            readings.append(
                read_grounding(
                    answer,
                    sample.question,
                    duration=sample.duration,
                    as_written=protocol.spans_as_written,
                    best_for_query=protocol.best_span_for_query,
                )
            )
            explanations.append(protocol.explanation_text(response.text, answer))
            references.append(protocol.reference(sample))
        # SBERT: every refusal with a reference; under `ra-rft` every gold-irrelevant output
        want = [
            self.sbert is not None
            and reference is not None
            and protocol.scores_explanation(s, reading.refused)
            for reading, reference, (s, _) in zip(readings, references, items, strict=True)
        ]
        scores = iter(
            self._similarities(
                [e for e, w in zip(explanations, want, strict=True) if w],
                [r for r, w in zip(references, want, strict=True) if w],
                clipped=True,
            )
        )
        return [
            Judgment(
                sample_id=sample.id,
                judge=self.name,
                verdict="irrelevant" if reading.refused else "relevant",
                span=reading.span,
                categories=refusal_categories(explanation, sample.question)
                if reading.refused
                else (),
                sbert=next(scores) if wanted else None,
                prompt_version=self.prompt_version,
            )
            for reading, explanation, wanted, (sample, _) in zip(
                readings, explanations, want, items, strict=True
            )
        ]

    # --- QA -------------------------------------------------------------------------------------

    def _qa(self, items):
        texts = [answer_part(r.text) for _, r in items]
        refused = [read_qa(t, s.question).refused for (s, _), t in zip(items, texts, strict=True)]
        refused = self._like_a_refusal(texts, refused)
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
                right = names_altered(text, sample) or (
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

    def _like_a_refusal(self, texts: list[str], refused: list[bool]) -> list[bool]:
        """With SBERT, also a refusal: an answer close to a refusal prototype (see above)."""
        todo = [k for k, (text, ref) in enumerate(zip(texts, refused, strict=True))
                if not ref and text.strip()]  # fmt: skip
        if self.sbert is None or not todo:
            return refused
        closest = (
            self.sbert.embed([texts[k] for k in todo]) @ self.sbert.embed(REFUSAL_PROTOTYPES).T
        ).max(axis=1)
        out = list(refused)
        for k, similarity in zip(todo, closest, strict=True):
            out[k] = bool(similarity >= REFUSAL_PROTOTYPE_SIMILARITY)
        return out

    def _similarities(self, a: list[str], b: list[str], *, clipped: bool = False) -> list[float]:
        if not a or self.sbert is None:
            return []
        values = self.sbert.clipped(a, b) if clipped else self.sbert.cosine(a, b)
        return [float(v) for v in values]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in _STOPWORDS]


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
    """Whether a refusal names an element: all its content words for one or two words, else at
    least `ALTERED_COVERAGE` of them (crudely stemmed: "chairs" names "chair")."""
    if not element:
        return False
    wanted = stems(element)
    if not wanted:
        return False
    found = len(wanted & stems(text))
    return found == len(wanted) if len(wanted) <= 2 else found / len(wanted) >= ALTERED_COVERAGE


def names_altered(text: str, sample: Sample) -> bool:
    """Whether a refusal names the altered element of the question or the one actually in the
    video (UVQA attribute items record it as `orig_attribute`)."""
    present = sample.meta.get("orig_attribute")
    return mentions(text, sample.altered) or (isinstance(present, str) and mentions(text, present))


def _is_short(reference: str) -> bool:
    return len(content_words(reference)) <= SHORT_ANSWER_WORDS
