"""The two scoring protocols, one item per difference, with values computed by hand.

`default` keeps the project's choices, `ra-rft` the RA-RFT evaluator's (benchmark/protocols.py,
docs/protocols.md). Every case is scored through the rules judge and `summarize_task`, as a run
scores it; the SBERT cases use the packaged MiniLM for both protocols (--sbert override).
"""

from __future__ import annotations

import pytest
from openai_server import FakeOpenAI

from benchmark.errors import UsageError
from benchmark.families import GROUNDING
from benchmark.metrics import summarize_task
from benchmark.protocols import (
    evaluator_answer_text,
    get_protocol,
    protocol_of,
    reasoning_text,
    released_reference,
)
from benchmark.records import Response, Sample, VideoRef
from benchmark.scorers import JudgeSpec, RulesJudge, SbertScorer, load_judge
from benchmark.scorers.openai_judge import OpenAIJudge

PROTOCOLS = ("default", "ra-rft")


def relevant(span=(2.0, 8.0), duration=10.0, question="A man opens a door.", **meta):
    return Sample(id="r", task="t", video=VideoRef("v.mp4"), question=question,
                  kind="relevant", span=span, duration=duration, difficulty="original",
                  meta=meta)  # fmt: skip


def irrelevant(i=0, refusal="There is no door; the man opens a window.", **fields):
    fields.setdefault("categories", ("Object/ObjectExistence",))
    fields.setdefault("question", "A man opens a door.")
    return Sample(id=f"i{i}", task="t", video=VideoRef(f"v{i}.mp4"), kind="irrelevant",
                  duration=10.0, refusal=refusal, difficulty="strong", **fields)  # fmt: skip


def scored(samples, outputs, protocol, sbert=None):
    judge = RulesJudge(sbert, protocol=protocol)
    judgments = judge.judge(
        [(s, Response(s.id, "m", o)) for s, o in zip(samples, outputs, strict=True)]
    )
    result = summarize_task(samples, judgments, family=GROUNDING, judge=judge.name, n_resamples=0)
    return result, judgments


def miou(sample, output, protocol) -> float:
    return scored([sample], [output], protocol)[0].metrics["miou"]


# --- one item per difference: (default, ra-rft) -------------------------------------------------

CASES = {
    # gold (2, 10) clipped from the annotated (2, 12): (4,10)/(2,10) = 6/8; (4,12)/(2,12) = 8/10
    "gold span as annotated": (
        relevant(span=(2.0, 10.0), annotated_span=[2.0, 12.0]), "<answer>4 to 12</answer>",
        0.75, 0.8,
    ),
    # a reversed span: swapped (IoU 1) or scored as written (0, as the evaluator and Time-R1)
    "reversed predicted span": (relevant(), "<answer>8.0 to 2.0</answer>", 1.0, 0.0),
    # a span past the end: clipped to (2, 10) -> 6/8, or as written (2, 14) -> 6/12
    "predicted span past the end": (relevant(), "<answer>2 to 14</answer>", 0.75, 0.5),
    # two answer blocks: the last (6, 8) -> 0 or the first (2, 4) -> 1 against gold (2, 4)
    "first or last answer block": (
        relevant(span=(2.0, 4.0)),
        "<think>Let me look.</think><answer>2 to 4</answer> <answer>6 to 8</answer>", 0.0, 1.0,
    ),
    # two spans in one answer: the last (5, 9) -> 0, or the one tied to the query (2, 4) -> 1
    "several spans in one answer": (
        relevant(span=(2.0, 4.0)),
        "<answer>The man opens the door from 2 to 4 seconds, then he sits on the bed from 5 to "
        "9 seconds.</answer>", 0.0, 1.0,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_each_difference_scores_as_computed_by_hand(case, protocol):
    sample, output, default_value, rarft_value = CASES[case]
    expected = default_value if protocol == "default" else rarft_value
    assert miou(sample, output, protocol) == pytest.approx(expected)


@pytest.mark.parametrize("protocol, refused", [("default", False), ("ra-rft", True)])
def test_an_output_cut_off_while_thinking_is_read_only_by_ra_rft(protocol, refused):
    # the evaluator removes closed <think> blocks only: its judge reads an unclosed one
    output = "<think>The video shows a woman cooking. There is no man and no door in it."
    result, (judgment,) = scored([irrelevant()], [output], protocol)
    assert (judgment.verdict == "irrelevant") is refused
    assert result.metrics["refusal_recall"] == (1.0 if refused else 0.0)


def test_sbert_compares_different_texts_under_each_protocol():
    sbert = SbertScorer()
    sample = irrelevant(
        refusal="The car is blue, not red.",
        meta={
            "released_answer": "<answer>The car is blue, not red. red A blue car stops.</answer>"
        },
        categories=("Attribute/AttributeValue",),
        question="A red car stops at the light.",
    )
    output = ("<think>I look for a red car.</think><answer>The car in the video is blue, not red."
              "</answer><correction>A blue car stops.</correction>")  # fmt: skip
    by_protocol = {}
    for protocol in PROTOCOLS:
        result, (judgment,) = scored([sample], [output], protocol, sbert=sbert)
        assert judgment.verdict == "irrelevant"
        by_protocol[protocol] = judgment.sbert
        assert result.metrics["sbert"] == pytest.approx(judgment.sbert)
    # default: the answer block vs the cleaned reference (keyword tail removed)
    assert by_protocol["default"] == pytest.approx(
        float(sbert.clipped(["The car in the video is blue, not red."],
                            ["The car is blue, not red."])[0]))  # fmt: skip
    # ra-rft: think + answer (correction dropped) vs the released answer, tags stripped
    assert by_protocol["ra-rft"] == pytest.approx(
        float(sbert.clipped(["I look for a red car.The car in the video is blue, not red."],
                            ["The car is blue, not red. red A blue car stops."])[0]))  # fmt: skip
    assert by_protocol["default"] != pytest.approx(by_protocol["ra-rft"])


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_empty_explanations_score_zero(protocol):
    sbert = SbertScorer()
    assert list(sbert.clipped(["", "  ", "There is no door."], ["ref", "ref", ""])) == [0, 0, 0]
    # ra-rft scores every gold-irrelevant output's explanation: an empty one scores 0
    result, (judgment,) = scored([irrelevant()], [""], protocol, sbert=sbert)
    assert judgment.verdict == "relevant"  # empty output: unparsed, not a refusal
    assert judgment.sbert == (None if protocol == "default" else 0.0)
    assert result.metrics["sbert"] == 0.0  # a missed refusal counts 0 in both


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_simply_shuffled_sets_have_no_rt_iou_and_no_score_without_references(protocol):
    # SS-Charades: no gold categories and no reference refusals. The evaluator crashes there,
    # and its RT-IoU scores every missed refusal Jaccard(∅, ∅) = 1.
    samples = [irrelevant(i, refusal=None, categories=()) for i in range(2)]
    outputs = ["<answer>The video does not show a door.</answer>", "<answer>2 to 4</answer>"]
    result, _ = scored(samples, outputs, protocol, sbert=SbertScorer())
    assert result.metrics["rt_iou"] is None and result.metrics["sbert"] is None
    reasons = result.breakdowns["null_reasons"]
    assert "no gold mismatch categories" in reasons["rt_iou"]
    assert "no reference refusals" in reasons["sbert"]
    assert result.metrics["refusal_recall"] == 0.5


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_always_answer_and_always_refuse_sanity_values(protocol):
    samples = [relevant(span=(2.0, 8.0)), irrelevant(0), irrelevant(1)]
    samples[0].id = "r0"
    answer, _ = scored(samples, [GROUNDING.guess(10.0, None)] * 3, protocol)
    m = answer.metrics
    # TP 1, FP 2: F1_rel = 2/(2+2) = 0.5, F1_irrel = 0; the middle-third guess (3.33, 6.67)
    # vs gold (2, 8): IoU 3.34 / 6, irrelevant items 0
    assert (m["f1_rel"], m["f1_irrel"], m["refusal_recall"]) == (0.5, 0.0, 0.0)
    assert m["miou"] == pytest.approx(3.34 / 6 / 3)
    refuse, _ = scored(samples, [GROUNDING.refusal(s.question) for s in samples], protocol)
    m = refuse.metrics
    # FN 1, TN 2: F1_irrel = 4/(4+1) = 0.8, mIoU = 2/3 (refusals score 1, the relevant item 0)
    assert (m["f1_rel"], m["refusal_recall"]) == (0.0, 1.0)
    assert m["f1_irrel"] == pytest.approx(0.8) and m["miou"] == pytest.approx(2 / 3)


# --- texts and ids ------------------------------------------------------------------------------


def test_the_evaluators_text_extraction():
    out = "<think>no</think>\n<answer>\nNIL\n2 to 4</answer><answer>6 to 8</answer>"
    assert evaluator_answer_text(out) == "2 to 4"
    assert evaluator_answer_text("<think>a</think> It is 3 to 5 s.") == "It is 3 to 5 s."
    assert evaluator_answer_text("<answer>1 to 2") == "<answer>1 to 2"  # unclosed: whole text
    assert get_protocol("ra-rft").answer_text("<answer>1 to 2") == "1 to 2"  # tag marks dropped
    assert (
        reasoning_text("<think>A.</think><answer>B.</answer><correction>C.</correction>") == "A.B."
    )
    assert reasoning_text("<answer>B.</answer><correction>unclosed") == "B.unclosed"
    assert released_reference("<answer>X</answer><correct>Y</correct>") == "X<correct>Y</correct>"


def test_the_protocol_is_part_of_the_judge_id():
    assert JudgeSpec.parse("rules", protocol="ra-rft").id == "rules[protocol=ra-rft]"
    assert JudgeSpec.parse("rules", protocol="ra-rft").sbert == "all-mpnet-base-v2"
    assert JudgeSpec.parse("rules[protocol=ra-rft,sbert=none]").id == (
        "rules[protocol=ra-rft,sbert=none]"
    )
    assert JudgeSpec.parse("rules[protocol=ra-rft]", protocol="default").protocol == "ra-rft"
    assert JudgeSpec.parse("rules", sbert="all-MiniLM-L6-v2", protocol="ra-rft").id == (
        "rules[protocol=ra-rft,sbert=all-MiniLM-L6-v2]"
    )
    assert protocol_of("openai:m[protocol=ra-rft,sbert=none]").name == "ra-rft"
    assert protocol_of("rules[sbert=none]").name == "default"
    assert load_judge("rules[protocol=ra-rft,sbert=none]").describe()["protocol"] == "ra-rft"
    with pytest.raises(UsageError, match="unknown scoring protocol 'paper'"):
        JudgeSpec.parse("rules[protocol=paper]")
    with pytest.raises(UsageError, match="options in brackets"):
        JudgeSpec.parse("rules[temperature=0]")


# --- the openai: judge in ra-rft mode ------------------------------------------------------------


def test_the_openai_judge_asks_the_evaluators_steps_on_its_texts(tmp_path):
    with FakeOpenAI() as server:
        judge = OpenAIJudge("judge-model", base_url=server.base_url, api_key="test-key",
                            cache=str(tmp_path / "c.sqlite"), protocol="ra-rft")  # fmt: skip
        rel = relevant()
        refused = irrelevant(0, meta={"released_answer": "<answer>No door. door A man.</answer>"})
        missed = irrelevant(1, meta={"released_answer": "<answer>No door here.</answer>"})
        empty = irrelevant(2)
        pairs = [
            (rel, "<think>hmm</think><answer>8 to 2</answer><answer>1 to 9</answer>"),
            (refused, "<think>I see a window.</think><answer>The video does not show a door."
                      "</answer><correction>A man opens a window.</correction>"),
            (missed, "<answer>3 to 6</answer>"),
            (empty, ""),
        ]  # fmt: skip
        j = judge.judge([(s, Response(s.id, "m", t)) for s, t in pairs])
        bodies = [r["body"]["messages"] for r in server.requests if "chat" in r["path"]]
    assert judge.name == "openai:judge-model[protocol=ra-rft,sbert=none]"
    assert all(x.ok and x.prompt_version == "openai_judge_rarft_v1" for x in j)
    assert (j[0].verdict, j[0].span) == ("relevant", (8.0, 2.0))  # first block, as written
    assert (j[1].verdict, j[1].categories, j[1].consistency) == (
        "irrelevant", ("Object/ObjectExistence",), 4.0,
    )  # fmt: skip
    assert (j[2].verdict, j[2].categories, j[2].consistency) == ("relevant", (), 4.0)
    assert j[3].consistency == 0.0  # nothing to compare: 0 without asking
    users = [m[-1]["content"] for m in bodies]
    steps = [m[0]["content"].split(".")[0] for m in bodies]
    assert sum("first step" in m[0]["content"] for m in bodies) == 4  # relevance of all four
    assert sum("second step" in m[0]["content"] for m in bodies) == 1  # categories: the refusal
    assert sum("third step" in m[0]["content"] for m in bodies) == 2  # consistency: both
    assert any(u.endswith("8 to 2") for u in users)  # step 1 saw the first block, no think
    consistency = [u for u, m in zip(users, bodies, strict=True) if "third step" in m[0]["content"]]
    assert any("I see a window.The video does not show a door." in u and "No door. door A man."
               in u and "window." in u and "opens a window" not in u for u in consistency)  # fmt: skip
    assert len(steps) == 7
