"""judge-check: the calibration set, the agreement report, the bars the rules judge must meet."""

from __future__ import annotations

import dataclasses
import json

import pytest
from data_fixtures import SHARED_DATA

from benchmark import judge_check
from benchmark.cli import main
from benchmark.records import Judgment
from benchmark.scorers import RulesJudge, SbertScorer
from benchmark.scorers.rules import CALIBRATION


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    return str(SHARED_DATA)


def test_kappa_by_hand():
    # 4 items: labels a a b b, judged a b b b -> p_o = 3/4, p_e = (2*1 + 2*3)/16 = 1/2, κ = 1/2
    assert judge_check.cohen_kappa(list("aabb"), list("abbb")) == pytest.approx(0.5)
    assert judge_check.cohen_kappa(list("aa"), list("aa")) is None


def test_judgments_map_to_outcomes():
    ok = {"sample_id": "s", "judge": "j"}
    assert judge_check.outcome_of(Judgment(**ok, verdict="irrelevant"), "grounding") == "refusal"
    assert judge_check.outcome_of(Judgment(**ok, verdict="relevant"), "grounding") == "unparsed"
    span = Judgment(**ok, verdict="relevant", span=(1.0, 2.0))
    assert judge_check.outcome_of(span, "grounding") == "span"
    assert judge_check.outcome_of(Judgment(**ok, verdict="refused"), "qa") == "refusal"
    assert judge_check.outcome_of(Judgment(**ok, verdict="wrong"), "qa") == "answer"


def test_the_set_is_large_and_labelled():
    items = judge_check.load_items()
    assert len(items) >= 600
    assert {i.family for i in items} == {"grounding", "qa"}
    assert len({i.style for i in items}) >= 15
    assert all(i.span for i in items if i.outcome == "span")


def test_rules_judge_meets_the_bars_on_the_synthetic_part():
    report = judge_check.check(RulesJudge(), data_root="/nonexistent")
    assert set(report["skipped_tasks"]) >= {"hi_charades", "uvqa_object"}
    for family in report["families"].values():
        assert family["accuracy"] >= 0.97


@pytest.mark.parametrize("sbert", ["none", "all-MiniLM-L6-v2"])
def test_recorded_figures_are_those_judge_check_measures(shared_data, sbert):
    judge = RulesJudge(None if sbert == "none" else SbertScorer(sbert))
    report = judge_check.check(judge, data_root=shared_data)
    assert not report["skipped_tasks"]
    grounding, qa = report["families"]["grounding"], report["families"]["qa"]
    assert grounding["accuracy"] >= 0.98 and qa["accuracy"] >= 0.97
    assert grounding["span_agreement"]["iou>=0.9"] >= 0.95
    assert CALIBRATION["items"] == report["calibration_set"]["items"]
    assert CALIBRATION["grounding_outcome_agreement"] == round(grounding["accuracy"], 3)
    assert CALIBRATION["qa_refusal_agreement"] == round(qa["accuracy"], 3)
    reason = round(qa["reason_agreement"]["accuracy"], 3)
    assert CALIBRATION["qa_reason_agreement"][sbert] == reason
    assert judge.describe()["calibration"] == CALIBRATION


def test_recorded_figures_under_the_ra_rft_protocol(shared_data):
    report = judge_check.check(RulesJudge(protocol="ra-rft"), data_root=shared_data)
    grounding, qa = report["families"]["grounding"], report["families"]["qa"]
    recorded = CALIBRATION["protocols"]["ra-rft"]
    assert recorded["grounding_outcome_agreement"] == round(grounding["accuracy"], 3)
    assert recorded["grounding_span_agreement_iou_0.9"] == grounding["span_agreement"]["iou>=0.9"]
    assert recorded["qa_refusal_agreement"] == round(qa["accuracy"], 3)
    # every disagreement is an output cut off while thinking, labelled unparsed by the default
    # reading, that the evaluator's extraction hands to its judge as the answer
    grounding_rows = [r for r in report["disagreements"] if r["family"] == "grounding"]
    assert grounding_rows and all(
        r["label"] == "unparsed" and "<think>" in r["text"] and "</think>" not in r["text"]
        for r in grounding_rows
    )


def test_cli_prints_tables_and_writes_json(tmp_path, capsys):
    out = tmp_path / "check.json"
    assert main(["judge-check", "--sbert", "none", "--data-root", "/nonexistent",
                 "--out", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "label \\ judged" in printed and "grounding:" in printed and "qa:" in printed
    report = json.loads(out.read_text())
    for family, figures in report["families"].items():  # the table prints what the JSON holds
        assert f"{family}: n={figures['n']}  agreement {figures['accuracy']:.1%}" in printed
        assert sum(sum(row.values()) for row in figures["confusion"].values()) == figures["n"]


def test_a_missing_or_bad_calibration_file_is_one_line(tmp_path, capsys):
    assert main(["judge-check", "--sbert", "none", "--calibration", str(tmp_path / "no")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    assert main(["judge-check", "--sbert", "none", "--calibration", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "no such calibration file" in err and f"{bad}:1: not a calibration item" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("task", ["hi_charades", "hi_tvgbench", "synth_hivtg"])
def test_categories_of_the_gold_refusals(task):
    """Mean Jaccard of the categories read from each gold refusal (with its query) against its own
    gold categories: the recorded figure, and at least the verdicts issue's 0.70."""
    from benchmark.metrics.grounding import category_jaccard
    from benchmark.scorers.categories import refusal_categories
    from benchmark.task_loading import load_task

    if task.startswith("hi_") and not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    items = [s for s in load_task(task, data_root=SHARED_DATA).samples
             if s.kind == "irrelevant" and s.refusal]  # fmt: skip
    scores = [category_jaccard(refusal_categories(s.refusal, s.question), s.categories)
              for s in items]  # fmt: skip
    mean = sum(scores) / len(scores)
    assert round(mean, 3) == CALIBRATION["category_jaccard"][task] and mean >= 0.70


def test_the_openai_judge_is_checked_the_same_way(tmp_path):
    """judge-check of an `openai:` judge against the local chat-completions server: the same
    report; a request that keeps failing counts as a "failed" outcome, never as agreement."""
    from openai_server import FakeOpenAI

    from benchmark.scorers.openai_judge import OpenAIJudge

    items = [i for i in judge_check.load_items() if i.task.startswith("synth_")]
    picked = [i for i in items if i.family == "grounding"][:12] + [
        i for i in items if i.family == "qa"
    ][:8]
    subset = tmp_path / "subset.jsonl"
    rows = [dataclasses.asdict(i) for i in picked]
    rows[0]["text"] += " [[garbage]]"  # the server answers this one with an HTML page
    subset.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with FakeOpenAI() as server:
        judge = OpenAIJudge(
            "judge-model", base_url=server.base_url, api_key="test-key", cache="none",
            timeout=0.5, backoff=0.01, max_retries=1,
        )  # fmt: skip
        report = judge_check.check(judge, data_root="/nonexistent", path=subset)
    assert report["judge"]["name"].startswith("openai:judge-model")
    grounding, qa = report["families"]["grounding"], report["families"]["qa"]
    assert (grounding["n"], qa["n"]) == (12, 8)
    failed = [d for d in report["disagreements"] if d["judged"] == "failed"]
    assert [d["id"] for d in failed] == [rows[0]["id"]]
    assert grounding["confusion"][rows[0]["outcome"]]["failed"] == 1
    assert 0 < grounding["accuracy"] < 1
