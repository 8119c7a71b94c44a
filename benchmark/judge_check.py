"""`judge-check`: how often a judge reads outputs as a careful human does.

The calibration set (`benchmark/calibration/outputs.jsonl`, written by
`scripts/make_calibration_set.py`) holds realistic model outputs in many styles, each attached to a
real sample of a released task or of the synthetic split and labelled with its correct outcome:
grounding `span` (with the span), `refusal` or `unparsed`; QA `refusal` or `answer` (and for a
refusal of an unanswerable question, whether its reason is right). A judge's judgments are mapped
to the same outcomes (`outcome_of`) and compared: accuracy, Cohen's κ and the confusion table per
family and per style, span agreement (IoU ≥ 0.9) where both say span, reason agreement.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from benchmark.errors import BenchmarkError, RecordError, UsageError
from benchmark.metrics.grounding import temporal_iou
from benchmark.records import Judgment, Response, Sample
from benchmark.scorers.base import Judge
from benchmark.task_loading import load_task

CALIBRATION_SET = Path(str(files("benchmark") / "calibration" / "outputs.jsonl"))
SPAN_IOU = 0.9
OUTCOMES = {"grounding": ("span", "refusal", "unparsed"), "qa": ("answer", "refusal")}


@dataclass(frozen=True)
class Item:
    """One labelled output of the calibration set."""

    id: str
    task: str
    sample_id: str
    family: str
    style: str
    text: str
    outcome: str
    span: tuple[float, float] | None = None
    reason: str | None = None  # "right" / "wrong": a refusal of an unanswerable question


def load_items(path: str | Path = CALIBRATION_SET) -> list[Item]:
    """The labelled outputs of a calibration file (JSONL, one `Item` per line)."""
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such calibration file")
    items = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            try:
                row = json.loads(line)
                span = tuple(row["span"]) if row.get("span") else None
                item = Item(**{**row, "span": span})
            except (ValueError, TypeError, KeyError) as exc:
                raise RecordError(f"{path}:{line_no}: not a calibration item ({exc})") from None
            if item.outcome not in OUTCOMES.get(item.family, ()):
                raise RecordError(f"{path}:{line_no}: outcome {item.outcome!r} of {item.family}")
            items.append(item)
    return items


def outcome_of(judgment: Judgment, family: str) -> str:
    """The outcome a judgment says: a refusal, a span (grounding) or an answer; "unparsed" for a
    grounding judgment that predicts relevant without a span."""
    if judgment.status != "ok":
        return "failed"
    if family == "grounding":
        if judgment.verdict == "irrelevant":
            return "refusal"
        return "span" if judgment.span is not None else "unparsed"
    return "refusal" if (judgment.verdict or "").startswith("refused") else "answer"


def cohen_kappa(labels: list[str], judged: list[str]) -> float | None:
    """Cohen's κ = (p_o − p_e) / (1 − p_e); None when chance agreement is 1 (one label only)."""
    n = len(labels)
    if not n:
        return None
    observed = sum(a == b for a, b in zip(labels, judged, strict=True)) / n
    gold, pred = Counter(labels), Counter(judged)
    expected = sum(gold[c] * pred[c] for c in gold) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def samples_for(items: Iterable[Item], data_root: str | None) -> tuple[dict, dict[str, str]]:
    """The samples the items are attached to, and why the tasks that could not load were skipped."""
    found: dict[tuple[str, str], Sample] = {}
    skipped: dict[str, str] = {}
    for task in sorted({i.task for i in items}):
        try:
            loaded = load_task(task, data_root=data_root)
        except BenchmarkError as exc:
            skipped[task] = str(exc).splitlines()[0]
            continue
        found.update({(task, s.id): s for s in loaded.samples})
    return found, skipped


def check(
    judge: Judge, *, data_root: str | None = None, path: str | Path = CALIBRATION_SET
) -> dict:
    """Judge every calibration output whose task data are present and report the agreement."""
    items = load_items(path)
    samples, skipped = samples_for(items, data_root)
    missing = [
        i.id for i in items if i.task not in skipped and (i.task, i.sample_id) not in samples
    ]
    if missing:
        raise UsageError(
            f"{len(missing)} calibration outputs name samples the tasks lack "
            f"(first: {missing[0]}); "
            "the data differ from the release the set was written for"
        )
    checked = [i for i in items if i.task not in skipped]
    if not checked:
        raise UsageError("no calibration output can be checked: no task data (give --data-root)")
    pairs = [
        (samples[(i.task, i.sample_id)], Response(i.sample_id, "calibration", i.text))
        for i in checked
    ]
    judgments = judge.judge(pairs)
    report = {
        "judge": judge.describe(),
        "calibration_set": {"file": str(path), "items": len(items), "checked": len(checked)},
        "skipped_tasks": skipped,
        "families": {},
        "disagreements": [],
    }
    by_family: dict[str, list] = defaultdict(list)
    for item, judgment in zip(checked, judgments, strict=True):
        by_family[item.family].append((item, judgment))
    for family, rows in sorted(by_family.items()):
        report["families"][family] = _family_report(family, rows)
        for item, judgment in rows:
            said = outcome_of(judgment, family)
            if said != item.outcome:
                report["disagreements"].append(
                    {
                        "id": item.id,
                        "family": family,
                        "style": item.style,
                        "label": item.outcome,
                        "judged": said,
                        "text": item.text,
                    }
                )
    return report


def _agreement(rows) -> dict:
    labels = [item.outcome for item, _ in rows]
    judged = [outcome_of(j, item.family) for item, j in rows]
    n = len(rows)
    return {
        "n": n,
        "accuracy": sum(a == b for a, b in zip(labels, judged, strict=True)) / n if n else None,
        "kappa": cohen_kappa(labels, judged),
    }


def _family_report(family: str, rows) -> dict:
    out = _agreement(rows)
    confusion: dict[str, Counter] = defaultdict(Counter)
    for item, judgment in rows:
        confusion[item.outcome][outcome_of(judgment, family)] += 1
    out["confusion"] = {label: dict(c) for label, c in sorted(confusion.items())}
    styles: dict[str, list] = defaultdict(list)
    for row in rows:
        styles[row[0].style].append(row)
    out["styles"] = {style: _agreement(r) for style, r in sorted(styles.items())}
    both = [(i, j) for i, j in rows if i.outcome == "span" and j.span is not None and i.span]
    if both:
        close = sum(temporal_iou(j.span, i.span) >= SPAN_IOU for i, j in both)
        out["span_agreement"] = {"n": len(both), f"iou>={SPAN_IOU}": close / len(both)}
    reasons = [(i, j) for i, j in rows if i.reason and outcome_of(j, family) == "refusal"]
    if reasons:
        right = sum(
            (j.verdict == "refused_right_reason") == (i.reason == "right") for i, j in reasons
        )
        out["reason_agreement"] = {"n": len(reasons), "accuracy": right / len(reasons)}
    return out


def format_report(report: dict) -> str:
    """The report as the tables `judge-check` prints."""
    lines = [f"judge: {report['judge']['name']}   checked {report['calibration_set']['checked']} "
             f"of {report['calibration_set']['items']} calibration outputs"]  # fmt: skip
    for task, why in report["skipped_tasks"].items():
        lines.append(f"  skipped {task}: {why}")
    for family, fam in report["families"].items():
        kappa = "—" if fam["kappa"] is None else f"{fam['kappa']:.3f}"
        lines += ["", f"{family}: n={fam['n']}  agreement {fam['accuracy']:.1%}  κ {kappa}"]
        if "span_agreement" in fam:
            span = fam["span_agreement"]
            lines.append(f"  span IoU≥{SPAN_IOU}: {span[f'iou>={SPAN_IOU}']:.1%} of {span['n']}")
        if "reason_agreement" in fam:
            r = fam["reason_agreement"]
            lines.append(f"  right/wrong reason: {r['accuracy']:.1%} of {r['n']}")
        labels = OUTCOMES[family]
        said = (
            [*labels, "failed"] if any("failed" in c for c in fam["confusion"].values()) else labels
        )
        lines.append("  label \\ judged  " + "".join(f"{s:>10}" for s in said))
        for label in labels:
            row = fam["confusion"].get(label, {})
            lines.append(f"  {label:<15} " + "".join(f"{row.get(s, 0):>10}" for s in said))
        lines.append("  style                   n  agreement")
        for style, s in fam["styles"].items():
            lines.append(f"  {style:<20} {s['n']:>4}  {s['accuracy']:>8.1%}")
    return "\n".join(lines)
