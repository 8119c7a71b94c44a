"""Under `--protocol ra-rft`, given the same decisions, every RA-VTG figure of the RA-RFT
evaluator equals ours on the four released test sets.

Crafted outputs in the styles RA-RFT-like models write (`scripts/protocol_effects.py`: think /
answer / correction, spans past the end, reversed spans, two answer blocks, two spans in prose,
refusals, unparsed and empty outputs) are judged once by the rules judge under `ra-rft`; its decisions, with explanation
scores filled in for every gold-irrelevant item, go through our metrics and through
`ravtg_evaluator` (the evaluator's aggregation, gold read straight from the released file).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
import ravtg_evaluator as ev
from data_fixtures import SHARED_DATA

from benchmark.families import GROUNDING
from benchmark.metrics import summarize_task
from benchmark.records import Response
from benchmark.scorers import RulesJudge
from benchmark.task_loading import load_task

TASKS = {
    "hi_tvgbench": "hi_vtg_tvgbench.json",
    "hi_charades": "hi_vtg_charades.json",
    "ss_charades": "ss_vtg_charades.json",
    "ss_qvhighlights": "ss_vtg_qvhighlight.json",
}
#: the release's labels to the evaluator's level names (its `hardness_level` bug fixed)
LEVEL = {"original": "original", "hard": "strong", "medium": "moderate", "easy": "weak"}
JUDGE = "rules[protocol=ra-rft,sbert=none]"
_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "protocol_effects.py"
_spec = importlib.util.spec_from_file_location("protocol_effects", _SCRIPT)
protocol_effects = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(protocol_effects)
crafted_output = protocol_effects.crafted_output  # the outputs docs/protocols.md measures


def unit(sample_id: str, salt: str = "") -> float:
    digest = hashlib.sha256(f"{salt}{sample_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def released_items(task: str):
    groups = json.loads((SHARED_DATA / "RA-RFT" / "dataset" / "anno" / TASKS[task]).read_text())
    return groups


@pytest.fixture(scope="module", params=list(TASKS))
def replayed(request):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    task = request.param
    samples = load_task(task, data_root=SHARED_DATA).samples
    pairs = [(s, Response(s.id, "m", crafted_output(s))) for s in samples]
    judgments = RulesJudge(protocol="ra-rft").judge(pairs)
    groups = released_items(task)
    items = []
    for sample, judgment in zip(samples, judgments, strict=True):
        raw_group = groups[sample.meta["entry"]]
        raw = raw_group["GRPO"][sample.meta["query"]]
        has_reference = bool((raw.get("a") or "").strip())
        if not raw["r"] and has_reference:  # the evaluator scores every gold-irrelevant item
            judgment.sbert = round(unit(sample.id, "sbert"), 3)
            judgment.consistency = round(5 * unit(sample.id, "llm"), 1)
        items.append(
            ev.Item(
                gt_relevant=raw["r"],
                gt_timestamp=raw_group["timestamp"] if raw["r"] else None,
                gt_categories=raw.get("c", []) or [],
                gt_output=raw.get("a", ""),
                difficulty=LEVEL.get(raw.get("difficulty"), ""),
                pred_relevant=judgment.verdict == "relevant",
                pred_span=list(judgment.span) if judgment.span else None,
                pred_categories=list(judgment.categories),
                score=judgment.consistency,
                sbert=judgment.sbert,
            )
        )
    ours = summarize_task(samples, judgments, family=GROUNDING, judge=JUDGE, n_resamples=0)
    return task, ours, items


def close(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def test_headline_figures_equal_the_evaluators(replayed):
    task, ours, items = replayed
    theirs = ev.figures(items)
    m, relevance = ours.metrics, ours.breakdowns["relevance"]
    assert ours.breakdowns["confusion"] == theirs["confusion"]
    pairs = {
        "f1_rel": m["f1_rel"], "f1_irrel": m["f1_irrel"], "f1_avg": m["f1_avg"],
        "miou": m["miou"], "r@0.3": m["r@0.3"], "r@0.5": m["r@0.5"], "r@0.7": m["r@0.7"],
        "rt_iou": m["rt_iou"], "sbert": m["sbert"], "sbert_tn": m["sbert_tn"],
        "llm_score": m["llm_score"], "llm_score_tn": m["llm_score_tn"],
        "recall_irrel": m["refusal_recall"], "accuracy": relevance["accuracy"],
        "precision_rel": relevance["relevant"]["precision"],
        "recall_rel": relevance["relevant"]["recall"],
        "precision_irrel": relevance["irrelevant"]["precision"],
    }  # fmt: skip
    wrong = {k: (v, theirs[k]) for k, v in pairs.items() if not close(v, theirs[k])}
    assert not wrong, f"{task}: ours vs the evaluator's: {wrong}"
    # the crafted outputs exercise what differs from the default protocol
    assert theirs["confusion"]["fp"] > 0 and theirs["confusion"]["tn"] > 0
    assert any(i.pred_span and i.pred_span[0] > i.pred_span[1] for i in items)
    if task.startswith("ss_"):
        assert m["rt_iou"] is None  # the evaluator would score every missed refusal 1


def test_per_difficulty_figures_equal_the_evaluators(replayed):
    task, ours, items = replayed
    theirs = ev.by_level(items)
    levels = ours.breakdowns["difficulty"]
    if task.startswith("ss_"):  # Simply-Shuffled irrelevant queries: released as "easy"
        levels = {("weak" if k == "shuffled" else k): v for k, v in levels.items()}
    assert set(levels) == set(theirs)
    for level, row in theirs.items():
        wrong = {k: (levels[level][k], v) for k, v in row.items() if not close(levels[level][k], v)}
        assert not wrong, f"{task}, {level}: ours vs the evaluator's: {wrong}"


def test_per_category_figures_equal_the_evaluators(replayed):
    task, ours, items = replayed
    theirs = ev.by_category(items)
    ours_by = ours.breakdowns["category"]
    assert set(ours_by) == set(theirs)
    for label, row in theirs.items():
        got = ours_by[label]
        wrong = {k: (got.get(k), v) for k, v in row.items() if not close(got.get(k), v)}
        assert not wrong, f"{task}, {label}: ours vs the evaluator's: {wrong}"
