"""The reference behaviours hold under the rules judge on the released task: always-answer and a
gold-span-as-JSON model score as answerers (not as perfect refusers), always-refuse as a refuser,
and empty output no longer ties always-refuse."""

from __future__ import annotations

import json

import pytest
from data_fixtures import SHARED_DATA

from benchmark.families import GROUNDING
from benchmark.metrics import summarize_task
from benchmark.records import Response
from benchmark.scorers import RulesJudge
from benchmark.task_loading import load_task


@pytest.fixture(scope="module")
def hi_tvgbench():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    return load_task("hi_tvgbench", data_root=SHARED_DATA).samples


def scores(samples, write, protocol="default"):
    pairs = [(s, Response(s.id, "m", write(s))) for s in samples]
    judge = RulesJudge(protocol=protocol)
    judgments = judge.judge(pairs)
    return summarize_task(
        samples, judgments, family=GROUNDING, judge=judge.name, n_resamples=0
    ).metrics


def gold_span(sample):
    return sample.gold_spans[0] if sample.gold_spans else (0.0, 1.0)


def test_gold_spans_as_json_score_as_an_answerer_with_perfect_spans(hi_tvgbench):
    m = scores(
        hi_tvgbench, lambda s: json.dumps({"start": gold_span(s)[0], "end": gold_span(s)[1]})
    )
    assert m["f1_rel"] == pytest.approx(2 / 3) and m["f1_irrel"] == 0.0
    assert m["f1_avg"] == pytest.approx(1 / 3)
    assert m["miou"] == pytest.approx(0.5) and m["r@0.7"] == pytest.approx(0.5)
    assert m["unparsed_rate"] == 0.0


@pytest.mark.parametrize(
    "style", ["starts at {0} s and ends at {1} s", "Start: {0}, End: {1}", "({0}, {1})"]
)
def test_gold_spans_in_prose_formats_read_the_same(hi_tvgbench, style):
    m = scores(hi_tvgbench[:200], lambda s: style.format(*gold_span(s)))
    assert m["refusal_recall"] == 0.0 and m["miou_relevant"] == pytest.approx(1.0)


@pytest.mark.parametrize("protocol", ["default", "ra-rft"])
def test_always_answer_and_always_refuse(hi_tvgbench, protocol):
    answer = scores(hi_tvgbench, lambda s: GROUNDING.guess(s.duration, None), protocol)
    assert answer["f1_rel"] == pytest.approx(2 / 3) and answer["f1_avg"] == pytest.approx(1 / 3)
    assert answer["f1_irrel"] == 0.0 and answer["refusal_recall"] == 0.0
    refuse = scores(hi_tvgbench, lambda s: GROUNDING.refusal(s.question), protocol)
    assert refuse["f1_irrel"] == pytest.approx(2 / 3) and refuse["f1_rel"] == 0.0
    assert refuse["miou"] == pytest.approx(0.5) and refuse["refusal_recall"] == 1.0
    assert refuse["miou"] == pytest.approx(0.5) and refuse["refusal_recall"] == 1.0


def test_empty_output_is_unparsed_and_does_not_tie_always_refuse(hi_tvgbench):
    empty = scores(hi_tvgbench, lambda s: "")
    assert empty["unparsed_rate"] == 1.0 and empty["refusal_recall"] == 0.0
    assert empty["miou"] == 0.0 and empty["f1_avg"] == pytest.approx(1 / 3)
