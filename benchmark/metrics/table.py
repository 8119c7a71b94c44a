"""The metric table: one entry per metric key of results.json, the single place a metric is defined.

An entry names its family, display name, one-line definition (formula), source, direction, range,
whether it is a headline metric (the printed run table, the leaderboard columns) and what to say
when it is null, and holds its `statistic`: a function of the column sums of a task's items (see
`grounding_task` / `qa_task`) that calls the documented count-level functions of
`grounding`, `qa` and `inbol`. results.json, the bootstrap intervals, `compare`, the lm-eval
bridge, the task YAMLs' `metric_list` and the leaderboard all read this table; a test checks that
none of them names a metric it lacks.

Keys are unique within a family (both families have an `over_refusal`). Order matters: it is the
order of the keys in results.json.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from benchmark.metrics import grounding, inbol, qa
from benchmark.metrics.bootstrap import Statistic
from benchmark.records import FAMILY_NAMES

GROUNDING, QA = FAMILY_NAMES

RA_RFT = "RA-RFT (Lee et al., arXiv:2511.23151), appendix A, and its released evaluator"
UVQA = "UVQA (Yoon et al., ICLR 2025), reconstructed from the paper's text"
INBOL = "InBoL (Wang et al., 'Drawing the Line'), section 3"
DERIVED = "refusal-bench: a single-run rate behind the papers' scores"


@dataclass(frozen=True)
class Metric:
    """One metric of results.json."""

    key: str  # the key in results.json
    family: str  # the task family it is computed for
    name: str  # display name
    definition: str  # one line with the formula
    source: str
    statistic: Statistic  # column sums -> value (floats, or arrays of bootstrap resamples)
    higher_is_better: bool = True
    range: tuple[float, float] = (0.0, 1.0)  # rates are fractions, never percentages
    headline: bool = False  # shown in the run table and as a leaderboard column
    null_reason: str = "no scored items"  # when the statistic is undefined (0/0)
    paired: bool = False  # computed by `compare` from an aligned run and its base run
    needs: str | None = None  # "llm" / "sbert": only judges that score with one have a value

    def applies_to(self, judge) -> bool:
        """Whether a judge (`JudgeSpec`) produces this metric: LLM scores need an LLM judge,
        SBERT scores a judge with SBERT."""
        if self.needs == "llm":
            return judge.kind != "rules"
        if self.needs == "sbert":
            return judge.sbert != "none"
        return True


class MetricTable:
    """The metrics in results.json order, looked up by family and key."""

    def __init__(self, metrics: list[Metric]) -> None:
        self._all = tuple(metrics)
        self._by_key = {(m.family, m.key): m for m in metrics}
        if len(self._by_key) != len(self._all):
            raise ValueError("a metric key is defined twice for one family")

    def __iter__(self) -> Iterator[Metric]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def get(self, family: str, key: str) -> Metric:
        try:
            return self._by_key[(family, key)]
        except KeyError:
            raise KeyError(f"no metric {key!r} for the {family} family") from None

    def of(self, family: str, *, paired: bool = False) -> dict[str, Metric]:
        """The single-run metrics of a family (or, with `paired`, its paired ones) by key."""
        return {m.key: m for m in self._all if m.family == family and m.paired == paired}

    def headline(self, family: str) -> tuple[str, ...]:
        return tuple(k for k, m in self.of(family).items() if m.headline)

    def statistics(self, family: str, *, paired: bool = False) -> dict[str, Statistic]:
        return {k: m.statistic for k, m in self.of(family, paired=paired).items()}


def _confusion(s: Mapping) -> grounding.Confusion:
    return grounding.Confusion(tp=s["tp"], fn=s["fn"], fp=s["fp"], tn=s["tn"])


def _gold_irrelevant(s: Mapping):
    return s["n"] - s["gold_relevant"]


def _unanswerable(s: Mapping):
    return s["n"] - s["answerable"]


def _acc(s: Mapping):
    return inbol.accuracy(s["inbol_correct"], s["n"])


def _refr(s: Mapping):
    return inbol.refusal_rate(s["inbol_refused"], s["n"])


def _recall_at(m: float) -> Metric:
    return Metric(
        f"r@{m}", GROUNDING, f"R@{m}", f"share of items with RA-IoU ≥ {m}", RA_RFT,
        lambda s: grounding.recall_at(s[f"ra_iou>={m}"], s["n"]),
        headline=m == 0.5,
    )  # fmt: skip


_GROUNDING_METRICS = [
    Metric(
        "f1_rel", GROUNDING, "F1 relevant",
        "F1 with relevant as positive: P = TP/(TP+FP), R = TP/(TP+FN)", RA_RFT,
        lambda s: grounding.f1_relevant(_confusion(s)),
        headline=True, null_reason="no gold-relevant items and no relevant predictions",
    ),
    Metric(
        "f1_irrel", GROUNDING, "F1 irrelevant",
        "F1 with irrelevant as positive: P = TN/(TN+FN), R = TN/(TN+FP)", RA_RFT,
        lambda s: grounding.f1_irrelevant(_confusion(s)),
        headline=True, null_reason="no gold-irrelevant items and no refusals",
    ),
    Metric(
        "f1_avg", GROUNDING, "F1 average", "(F1_rel + F1_irrel) / 2", RA_RFT,
        lambda s: grounding.f1_average(_confusion(s)),
        headline=True, null_reason="one of F1_rel / F1_irrel is undefined",
    ),
    Metric(
        "miou", GROUNDING, "mIoU",
        "mean RA-IoU over all items (0 wrong relevance, 1 correct refusal, else temporal IoU)",
        RA_RFT, lambda s: grounding.mean_ra_iou(s["ra_iou"], s["n"]), headline=True,
    ),
    *(_recall_at(m) for m in grounding.RECALL_THRESHOLDS),
    Metric(
        "miou_relevant", GROUNDING, "mIoU (relevant)", "mean RA-IoU over gold-relevant items",
        DERIVED, lambda s: grounding.miou_relevant(s["ra_iou_relevant"], s["gold_relevant"]),
        null_reason="no gold-relevant items",
    ),
    Metric(
        "refusal_recall", GROUNDING, "Refusal recall",
        "share of gold-irrelevant queries refused: TN / (TN + FP)", DERIVED,
        lambda s: grounding.refusal_recall(s["tn"], _gold_irrelevant(s)),
        headline=True, null_reason="no gold-irrelevant items",
    ),
    Metric(
        "over_refusal", GROUNDING, "Over-refusal",
        "share of relevant queries refused: FN / (TP + FN)", DERIVED,
        lambda s: grounding.over_refusal_rate(s["fn"], s["gold_relevant"]),
        higher_is_better=False, null_reason="no gold-relevant / answerable items",
    ),
    Metric(
        "unparsed_rate", GROUNDING, "Unparsed",
        "share of outputs with neither a span nor a refusal (scored as relevant, no span)",
        DERIVED, lambda s: grounding.unparsed_rate(s["unparsed"], s["n"]),
        higher_is_better=False, headline=True,
    ),
    Metric(
        "rt_iou", GROUNDING, "RT-IoU",
        "mean Jaccard of predicted and gold mismatch categories over gold-irrelevant items",
        RA_RFT, lambda s: grounding.rt_iou(s["jaccard"], _gold_irrelevant(s)),
        headline=True, null_reason="no gold-irrelevant items",
    ),
    Metric(
        "sbert", GROUNDING, "SBERT score",
        "sum of SBERT similarity to the reference refusal over TN / gold-irrelevant items",
        RA_RFT, lambda s: grounding.explanation_score(s["sbert_tn"], _gold_irrelevant(s)),
        headline=True, null_reason="no gold-irrelevant items", needs="sbert",
    ),
    Metric(
        "sbert_tn", GROUNDING, "SBERT score (refusals)",
        "mean SBERT similarity to the reference refusal over correct refusals (TN)", DERIVED,
        lambda s: grounding.explanation_score_tn(s["sbert_tn"], s["tn"]),
        null_reason="no true negatives (no correct refusals)", needs="sbert",
    ),
    Metric(
        "llm_score", GROUNDING, "LLM score",
        "sum of the judge's 0-5 consistency with the reference over TN / gold-irrelevant items",
        RA_RFT, lambda s: grounding.explanation_score(s["llm_tn"], _gold_irrelevant(s)),
        range=(0.0, 5.0), headline=True, null_reason="no gold-irrelevant items", needs="llm",
    ),
    Metric(
        "llm_score_tn", GROUNDING, "LLM score (refusals)",
        "mean 0-5 consistency with the reference over correct refusals (TN)", DERIVED,
        lambda s: grounding.explanation_score_tn(s["llm_tn"], s["tn"]),
        range=(0.0, 5.0), null_reason="no true negatives (no correct refusals)", needs="llm",
    ),
]  # fmt: skip

_QA_METRICS = [
    Metric(
        "s_acc", QA, "S_acc",
        "mean of s: 1 for a correct answer or a refusal for the right reason, else 0", UVQA,
        lambda s: qa.s_acc(s["correct"] + s["refused_right_reason"], s["n"]), headline=True,
    ),
    Metric(
        "answer_acc", QA, "Answer accuracy", "correct / answerable questions", DERIVED,
        lambda s: qa.answer_accuracy(s["correct"], s["answerable"]),
        headline=True, null_reason="no answerable items",
    ),
    Metric(
        "over_refusal", QA, "Over-refusal", "refused / answerable questions", DERIVED,
        lambda s: qa.over_refusal_rate(s["refused"], s["answerable"]),
        higher_is_better=False, headline=True, null_reason="no gold-relevant / answerable items",
    ),
    Metric(
        "refusal_rate", QA, "Refusal rate", "refused (any reason) / unanswerable questions",
        DERIVED,
        lambda s: qa.refusal_rate(
            s["refused_right_reason"] + s["refused_wrong_reason"], _unanswerable(s)
        ),
        headline=True, null_reason="no unanswerable items",
    ),
    Metric(
        "right_reason_refusal", QA, "Right-reason refusal",
        "refused naming the altered element / unanswerable questions", DERIVED,
        lambda s: qa.right_reason_refusal_rate(s["refused_right_reason"], _unanswerable(s)),
        headline=True, null_reason="no unanswerable items",
    ),
    Metric(
        "acc", QA, "Acc (InBoL)", "N_correct / N (right-reason refusals count as correct)",
        INBOL, _acc, headline=True,
    ),
    Metric(
        "refr", QA, "RefR (InBoL)", "N_refused / N (wrong-reason refusals count as refusals)",
        INBOL, _refr, headline=True,
    ),
    Metric(
        "s_trust", QA, "S_trust (InBoL)", "2·Acc + RefR − 1 (+1 correct, 0 refusal, −1 wrong)",
        INBOL, lambda s: inbol.trust_score(_acc(s), _refr(s)),
        range=(-1.0, 1.0), headline=True,
    ),
    Metric(
        "s_ex_ref", QA, "S_ex-ref",
        "|f0 correct ∧ f1 refused| / |f0 correct| over answerable questions", UVQA,
        lambda s: qa.s_ex_ref(s["f0_correct_f1_refused"], s["f0_correct"]),
        higher_is_better=False, paired=True,
        null_reason="the base run answered no answerable question correctly",
    ),
    Metric(
        "s_permis", QA, "S_permis",
        "|f0 refused ∧ f1 correct| / |f0 refused| over answerable questions", UVQA,
        lambda s: qa.s_permis(s["f0_refused_f1_correct"], s["f0_refused"]),
        paired=True, null_reason="the base run refused no answerable question",
    ),
    Metric(
        "s_disc", QA, "S_disc",
        "|f0 not refused-right ∧ f1 refused-right| / |f0 not refused-right| over unanswerable",
        UVQA, lambda s: qa.s_disc(s["f0_not_right_f1_right"], s["f0_not_right"]),
        paired=True, null_reason="the base run refused every unanswerable question rightly",
    ),
]  # fmt: skip

METRICS = MetricTable(_GROUNDING_METRICS + _QA_METRICS)
