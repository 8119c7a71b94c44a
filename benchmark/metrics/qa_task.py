"""What a QA (UVQA / InBoL) task's items contribute to its metrics: per-item columns, the
per-kind, per-category and verdict breakdowns, and the paired columns of an aligned run against
its base run on the same questions.

Every metric of results.json is a statistic over column sums (`benchmark.metrics.table`). A
scored item is a (sample, judgment) pair whose judgment is ok.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from benchmark.metrics import inbol, qa
from benchmark.metrics._util import finite
from benchmark.records import ANSWERABLE_VERDICTS, UNANSWERABLE_VERDICTS, Judgment, Sample

Scored = Sequence[tuple[Sample, Judgment]]
Columns = dict[str, list[float]]

#: The columns of a paired comparison (f0 = the base run, f1 = the aligned run).
PAIRED_COLUMNS = (
    "f0_correct",
    "f0_correct_f1_refused",
    "f0_refused",
    "f0_refused_f1_correct",
    "f0_not_right",
    "f0_not_right_f1_right",
)


def columns(scored: Scored) -> Columns:
    """Per-item columns: one 0/1 column per verdict, whether the question is answerable, and the
    InBoL outcome (correct / refused)."""
    names = ["n", "answerable", *ANSWERABLE_VERDICTS, *UNANSWERABLE_VERDICTS]
    cols: dict[str, list] = {name: [] for name in [*names, "inbol_correct", "inbol_refused"]}
    for sample, judgment in scored:
        verdict = judgment.verdict
        cols["n"].append(1)
        cols["answerable"].append(sample.gold_relevant)
        for v in ANSWERABLE_VERDICTS + UNANSWERABLE_VERDICTS:
            cols[v].append(verdict == v)
        outcome = inbol.outcome(verdict)
        cols["inbol_correct"].append(outcome == "correct")
        cols["inbol_refused"].append(outcome == "refused")
    return {k: [float(x) for x in v] for k, v in cols.items()}


def undefined(scored: Scored) -> dict[str, str]:
    """No QA metric is undefined beyond what its counts say."""
    return {}


def breakdowns(scored: Scored, item_columns: Columns | None = None) -> dict[str, Any]:
    """S_acc per kind and per UVQA category, and the count of each verdict (`item_columns`, as
    grounding's take them, are not needed)."""
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_category: dict[str, Counter] = defaultdict(Counter)
    for sample, judgment in scored:
        success = qa.item_success(sample.kind, judgment.verdict)
        by_kind[sample.kind].update(n=1, success=success)
        for category in sample.categories:
            by_category[category].update(n=1, success=success)

    def table(groups):
        return {
            key: {"n": c["n"], "s_acc": finite(qa.s_acc(c["success"], c["n"]))}
            for key, c in sorted(groups.items())
        }

    verdicts = Counter(j.verdict for _, j in scored)
    return {
        "kind": table(by_kind),
        "category": table(by_category),
        "verdicts": dict(sorted(verdicts.items())),
    }


def paired_columns(paired: Sequence[tuple[Sample, Judgment, Judgment]]) -> Columns:
    """Per-question columns of (sample, base judgment f0, aligned judgment f1) triples: what
    S_ex-ref and S_permis count over answerable questions and S_disc over unanswerable ones."""
    cols: dict[str, list] = {name: [] for name in PAIRED_COLUMNS}
    for sample, j0, j1 in paired:
        answerable = sample.gold_relevant
        f0_correct, f1_correct = j0.verdict == "correct", j1.verdict == "correct"
        f0_refused, f1_refused = j0.verdict in qa.REFUSED, j1.verdict in qa.REFUSED
        f0_right = j0.verdict == "refused_right_reason"
        f1_right = j1.verdict == "refused_right_reason"
        cols["f0_correct"].append(answerable and f0_correct)
        cols["f0_correct_f1_refused"].append(answerable and f0_correct and f1_refused)
        cols["f0_refused"].append(answerable and f0_refused)
        cols["f0_refused_f1_correct"].append(answerable and f0_refused and f1_correct)
        cols["f0_not_right"].append(not answerable and not f0_right)
        cols["f0_not_right_f1_right"].append(not answerable and not f0_right and f1_right)
    return {k: [float(x) for x in v] for k, v in cols.items()}
