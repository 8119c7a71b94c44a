"""Task families: everything that differs between refusal-aware grounding and (un)answerable QA.

A family owns its sample kinds and the verdicts a judge may give each, its default prompt, how its
items become metric columns and breakdowns (`benchmark.metrics.<family>_task`; the metrics
themselves are its part of `benchmark.metrics.METRICS`), its headline and primary metrics, its
Pareto views, and its output contract: what a reference model says and what a training target
looks like. Code elsewhere asks the family (`family_of(sample)`, `FAMILIES[name]`) instead of
testing a family name. Adding a family: one object here, its metric module and table entries,
its prompt template, and its rules in each judge (see docs/extending.md).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from benchmark.metrics import METRICS, grounding_task, qa_task
from benchmark.records import (
    FAMILY_NAMES,
    FAMILY_OF_KIND,
    GROUNDING_KINDS,
    QA_KINDS,
    VERDICTS_OF_KIND,
    RecordError,
    Sample,
)

Span = tuple[float, float]
DEFAULT_DURATION = 30.0  # seconds assumed for a video of unknown duration


@dataclass(frozen=True)
class ParetoView:
    """A scatter of two metrics of the same board, with its front of non-dominated runs."""

    x: str
    y: str


@dataclass(frozen=True, eq=False)
class Family:
    """One task family (see the module docstring)."""

    name: str
    title: str
    kinds: tuple[str, str]  # (positive, negative): answerable/unanswerable, relevant/irrelevant
    prompt: str  # the default prompt template of its tasks, e.g. "ravtg_v1"
    primary: str  # the metric a board is sorted by first
    scoring: ModuleType  # its metric_task module: columns, breakdowns, undefined (scored items)
    # the output contract of its prompt
    guess: Callable[[float | None, random.Random | None], str] = field(repr=False)
    """(duration, rng or None) -> an answer made without looking at the video"""
    refusal: Callable[[str], str] = field(repr=False)  # question -> a refusal
    reference: Callable[[Sample], str] = field(repr=False)  # the gold output, short
    target: Callable[[Sample], str] = field(repr=False)  # what an aligned model says (training)
    opposite: Callable[[Sample], str] = field(repr=False)  # the wrong decision (DPO rejected)
    pareto: tuple[ParetoView, ...] = ()
    paired_pareto: ParetoView | None = None  # of the paired metrics, against a base run
    negative_about: str = ""  # what a negative item (irrelevant query, unanswerable question) is

    def verdicts_for(self, kind: str) -> tuple[str, ...]:
        return VERDICTS_OF_KIND[kind]

    def columns(self, scored):
        return self.scoring.columns(scored)

    def breakdowns(self, scored, item_columns=None):
        return self.scoring.breakdowns(scored, item_columns)

    def undefined(self, scored):
        return self.scoring.undefined(scored)

    def paired_columns(self, paired):
        return self.scoring.paired_columns(paired)

    @property
    def metrics(self) -> tuple[str, ...]:
        """Every metric key of its results.json entry, in order."""
        return tuple(METRICS.of(self.name))

    @property
    def paired_metrics(self) -> tuple[str, ...]:
        return tuple(METRICS.of(self.name, paired=True))

    @property
    def headline(self) -> tuple[str, ...]:
        return METRICS.headline(self.name)

    def __repr__(self) -> str:
        return f"Family({self.name!r})"

    def __reduce__(self):
        """Families are singletons: one pickles (to a worker process) as its name."""
        return family_named, (self.name,)


# --- the grounding output contract (RA-RFT: think / answer "S to E" / correction) -------------


def tagged(think: str, answer: str, correction: str = "NIL") -> str:
    """An output in the RA-RFT contract."""
    return f"<think>{think}</think><answer>{answer}</answer><correction>{correction}</correction>"


def _span_text(span: Span) -> str:
    return f"{span[0]:.2f} to {span[1]:.2f}"


def _grounding_guess(duration: float | None, rng: random.Random | None) -> str:
    d = duration or DEFAULT_DURATION
    span = sorted((rng.uniform(0, d), rng.uniform(0, d))) if rng else (d / 3, 2 * d / 3)
    return tagged("The query describes an event that happens in the video.", _span_text(span))


def _grounding_refusal(question: str) -> str:
    return tagged(
        "Nothing in the video matches the query.",
        "The video does not contain a segment relevant to the query; "
        f'what "{question}" describes does not happen in it.',
    )


def _grounding_reference(sample: Sample) -> str:
    if sample.gold_relevant and sample.span:
        return _span_text(sample.span)
    return "" if sample.gold_relevant else sample.refusal or ""


def _grounding_target(sample: Sample) -> str:
    if sample.gold_relevant:
        if sample.span is None:
            return ""
        return tagged("The query matches an event in the video.", _span_text(sample.span))
    refusal = sample.refusal or "The video does not contain a segment relevant to the query."
    return tagged(
        "The query does not match the video.", refusal, sample.meta.get("correction", "NIL")
    )


def _grounding_opposite(sample: Sample) -> str:
    if sample.gold_relevant:
        return tagged("Nothing matches.", "The video does not contain a relevant segment.")
    d = sample.duration or DEFAULT_DURATION
    return tagged("The query matches.", _span_text((d / 3, 2 * d / 3)))


# --- the QA output contract (a short answer, or a refusal naming the mismatch) ----------------

QA_GUESS = "Based on the video, the answer is yes."
QA_REFUSAL = (
    "The question cannot be answered from the video: what it asks about does not appear in it."
)
GENERIC_REFUSAL = "The question cannot be answered from the video."
HALLUCINATION = "Yes, it is clearly shown in the video."


def _qa_reference(sample: Sample) -> str:
    return (sample.answer if sample.gold_relevant else sample.refusal) or ""


def _qa_target(sample: Sample) -> str:
    return (sample.answer or "") if sample.gold_relevant else sample.refusal or GENERIC_REFUSAL


def _qa_opposite(sample: Sample) -> str:
    return GENERIC_REFUSAL if sample.gold_relevant else HALLUCINATION


GROUNDING_NAME, QA_NAME = FAMILY_NAMES

GROUNDING = Family(
    name=GROUNDING_NAME,
    title="Refusal-aware temporal grounding",
    kinds=GROUNDING_KINDS,
    prompt="ravtg_v1",
    primary="f1_avg",
    scoring=grounding_task,
    pareto=(ParetoView("f1_irrel", "f1_rel"), ParetoView("refusal_recall", "miou_relevant")),
    negative_about=(
        "An irrelevant query describes an event that does not happen in the video, mostly a "
        "relevant query with one detail changed (an object, attribute, action or relation): "
        "the model should refuse to ground it and say what the video shows instead."
    ),
    guess=_grounding_guess,
    refusal=_grounding_refusal,
    reference=_grounding_reference,
    target=_grounding_target,
    opposite=_grounding_opposite,
)

QA = Family(
    name=QA_NAME,
    title="Unanswerable video QA",
    kinds=QA_KINDS,
    prompt="qa_v1",
    primary="s_acc",
    scoring=qa_task,
    pareto=(ParetoView("over_refusal", "answer_acc"), ParetoView("refr", "acc")),
    paired_pareto=ParetoView("s_ex_ref", "s_disc"),
    negative_about=(
        "An unanswerable question asks about an object, relation or attribute the video does not "
        "show: the model should say it cannot be answered, and why, instead of guessing."
    ),
    guess=lambda duration, rng: QA_GUESS,
    refusal=lambda question: QA_REFUSAL,
    reference=_qa_reference,
    target=_qa_target,
    opposite=_qa_opposite,
)

#: Every family by name, in display order.
FAMILIES: Mapping[str, Family] = {f.name: f for f in (GROUNDING, QA)}
assert set(FAMILIES) == set(FAMILY_NAMES) == set(FAMILY_OF_KIND.values())


def family_named(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise RecordError(f"unknown task family {name!r}; known: {', '.join(FAMILIES)}") from None


def family_of(sample: Sample) -> Family:
    """The family a sample's kind belongs to."""
    return FAMILIES[FAMILY_OF_KIND[sample.kind]]


def family_of_samples(samples: Iterable[Sample], default: Family | None = None) -> Family:
    """The one family of a task's samples; an error naming a sample when they mix families."""
    found: Family | None = None
    for sample in samples:
        family = family_of(sample)
        if found is not None and family is not found:
            raise RecordError(
                f"a task mixes {found.name} ({', '.join(found.kinds)}) and {family.name} "
                f"({', '.join(family.kinds)}) samples, e.g. {sample.id!r}: split them into two "
                "tasks"
            )
        found = family
    if found is None and default is None:
        raise RecordError("a task without samples has no family: name it")
    return found or default
