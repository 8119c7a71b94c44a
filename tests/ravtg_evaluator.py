"""An independent statement of the RA-RFT evaluator's aggregation, for checking ours against.

Written here from reading JINSUBY/RA-RFT `src/llm_eval/processor.py`, `llm_evaluator.py` and
`utils.py` (commit 8843cbb): it takes the evaluator's per-item inputs (gold as in the released
file, the judge's decisions) and returns its figures, with the bugs `--protocol ra-rft` fixes
fixed the same way: levels are read from `difficulty` (the evaluator reads `hardness_level`),
RT-IoU is undefined when no item has gold categories (it scores every missed refusal 1), and an
item without a reference has no explanation scores (it crashes). Undefined figures are None
(the evaluator writes 0.0). Rates are fractions (it prints R@m in percent).

It shares no code with `benchmark`: the test replays the same decisions through both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("original", "weak", "moderate", "strong")


@dataclass
class Item:
    gt_relevant: bool
    gt_timestamp: list | None  # as released: [start, end] for relevant items
    gt_categories: list[str]
    gt_output: str  # the released `a`
    difficulty: str  # as our loader names levels: original / strong / moderate / weak
    pred_relevant: bool
    pred_span: list | None
    pred_categories: list[str] = field(default_factory=list)
    score: float | None = None  # 0-5 consistency (every gold-irrelevant item)
    sbert: float | None = None  # SBERT similarity (every gold-irrelevant item)


def interval_iou(a, b) -> float:
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(0.0, (a[1] - a[0]) + (b[1] - b[0]) - inter)
    return 0.0 if union == 0.0 else inter / union


def item_iou(item: Item) -> float:
    if item.gt_relevant != item.pred_relevant:
        return 0.0
    if not item.gt_relevant:
        return 1.0
    gold = item.gt_timestamp
    if not (isinstance(gold, list) and len(gold) == 2 and isinstance(gold[0], int | float)):
        return 0.0
    if not (isinstance(item.pred_span, list | tuple) and len(item.pred_span) == 2):
        return 0.0
    return interval_iou([float(x) for x in gold], list(item.pred_span))


def jaccard(pred, gold) -> float:
    p, g = set(pred), set(gold)
    return 1.0 if not p | g else len(p & g) / len(p | g)


def _div(a, b):
    return a / b if b else None


def _f1(tp, fp, fn):
    """The evaluator's F1 (0 for a zero division), None when there is nothing to score."""
    if tp + fp + fn == 0:
        return None
    p, r = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def figures(items: list[Item]) -> dict:
    """The evaluator's summary over these items (one split: no merge)."""
    tp = sum(i.gt_relevant and i.pred_relevant for i in items)
    fn = sum(i.gt_relevant and not i.pred_relevant for i in items)
    fp = sum(not i.gt_relevant and i.pred_relevant for i in items)
    tn = sum(not i.gt_relevant and not i.pred_relevant for i in items)
    n = len(items)
    ious = [item_iou(i) for i in items]
    irrelevant = [i for i in items if not i.gt_relevant]
    has_categories = any(i.gt_categories for i in irrelevant)
    jaccards = [jaccard(i.pred_categories if not i.pred_relevant else [], i.gt_categories)
                for i in irrelevant]  # fmt: skip
    out = {
        "confusion": {"tp": tp, "fn": fn, "fp": fp, "tn": tn},
        "accuracy": _div(tp + tn, n),
        "precision_rel": _div(tp, tp + fp),
        "recall_rel": _div(tp, tp + fn),
        "precision_irrel": _div(tn, tn + fn),
        "recall_irrel": _div(tn, tn + fp),
        "miou": _div(sum(ious), n),
        **{f"r@{m}": _div(sum(v >= m for v in ious), n) for m in (0.3, 0.5, 0.7)},
        "rt_iou": _div(sum(jaccards), len(jaccards)) if has_categories else None,
    }
    out["f1_rel"], out["f1_irrel"] = _f1(tp, fp, fn), _f1(tn, fn, fp)
    out["f1_avg"] = (
        None if None in (out["f1_rel"], out["f1_irrel"]) else (out["f1_rel"] + out["f1_irrel"]) / 2
    )
    for key, attr in (("sbert", "sbert"), ("llm_score", "score")):
        scored = [i for i in irrelevant if getattr(i, attr) is not None]
        tn_sum = sum(getattr(i, attr) for i in scored if not i.pred_relevant)
        complete = bool(irrelevant) and len(scored) == len(irrelevant)
        out[key] = _div(tn_sum, len(scored)) if complete else None
        out[f"{key}_tn"] = _div(tn_sum, tn) if complete else None
    return out


def by_level(items: list[Item]) -> dict:
    """Per difficulty level: the level's class as positive (relevant for original)."""
    out = {}
    for level in sorted({i.difficulty for i in items} & set(LEVELS)):
        members = [i for i in items if i.difficulty == level]
        f = figures(members)
        side = "rel" if level == "original" else "irrel"
        out[level] = {
            "n": len(members),
            "precision": f[f"precision_{side}"],
            "recall": f[f"recall_{side}"],
            "f1": f[f"f1_{side}"],
            "accuracy": f["accuracy"],
            "miou": f["miou"],
            **{f"r@{m}": f[f"r@{m}"] for m in (0.3, 0.5, 0.7)},
            "rt_iou": f["rt_iou"],
            "sbert": f["sbert"],
            "llm_score": f["llm_score"],
        }
    return out


def by_category(items: list[Item]) -> dict:
    """Per gold category: refusal accuracy (unweighted) and the 1/k-weighted score means over
    correct refusals and over all items (a missed refusal's own score included)."""
    out: dict[str, dict] = {}
    for label in sorted({c for i in items if not i.gt_relevant for c in i.gt_categories}):
        members = [i for i in items if not i.gt_relevant and label in i.gt_categories]
        row = {"n": len(members),
               "accuracy": sum(not i.pred_relevant for i in members) / len(members)}  # fmt: skip
        for key, attr in (("sbert", "sbert"), ("llm_score", "score")):
            weighted = [(1 / len(i.gt_categories), getattr(i, attr), i.pred_relevant)
                        for i in members]  # fmt: skip
            tn = [(w, s) for w, s, missed in weighted if not missed]
            row[f"{key}_tn"] = _div(sum(w * s for w, s in tn), sum(w for w, _ in tn))
            row[f"{key}_all"] = _div(sum(w * s for w, s, _ in weighted),
                                     sum(w for w, _, _ in weighted))  # fmt: skip
        out[label] = row
    return out
