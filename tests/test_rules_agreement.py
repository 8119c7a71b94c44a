"""The rules judge's relevance decisions against the labels implied by model outputs.

Outputs are written in the RA-RFT tag format (think / answer / correction, relevant or refuse
branch) for every synth_hivtg sample, so the label each output implies is known exactly. The rules
judge must agree on all of them. On free-text outputs it is measured and reported, not required
to be perfect.
"""

from __future__ import annotations

import random

from benchmark.records import Response
from benchmark.scorers import RulesJudge
from benchmark.task_loading import load_task

THINK = [
    "<think>The query mentions a {q}. Around <timestep>{a:.2f} to {b:.2f}</timestep> something moves.</think>",
    "<think>\nLooking at the frames from 0 to 3 seconds and then 4 to 8 seconds.\n</think>",
    "<THINK>I compare each event with the query.</THINK>",
]
RELEVANT = [
    "<answer>{a:.2f} to {b:.2f}</answer><correction>NIL</correction>",
    "<answer>\n{a:.2f} to {b:.2f}\n</answer>\n<correction>\nNIL\n</correction><|im_end|>",
    "<answer>The event happens from {a:.1f} to {b:.1f} seconds.</answer><correct>NIL</correct>",
    "<answer>[{a:.1f}, {b:.1f}]</answer><correction>NIL</correction>",
]
REFUSE = [
    "<answer>The video does not contain a segment relevant to the query.</answer><correction>{q}</correction>",
    "<answer>\nNo part of the video matches: there is no such event between 0 and 10 seconds in it? No.\n</answer>",
    "<answer>This query is unrelated to the video; the object in it never appears.</answer><correction>NIL</correction>",
    "<answer>The query seems inconsistent with the video. It is not shown.</answer>",
]
FREE_RELEVANT = [
    "The event happens from {a:.1f} to {b:.1f} seconds.",
    "It occurs between {a:.1f} and {b:.1f}.",
    "Timestamps: {a:.1f}s - {b:.1f}s",
    "You can see it at {a:.1f} to {b:.1f} seconds, when the shape moves.",
]
FREE_REFUSE = [
    "The video does not show this.",
    "This query is not related to the video.",
    "I cannot find this event in the video.",
    "There is no such moment; the closest thing happens around 2 to 3 seconds but it is different.",
]


def outputs(samples, rng, relevant_templates, refuse_templates, think=True):
    for s in samples:
        says_relevant = rng.random() < 0.5
        a = rng.uniform(0, 5)
        b = a + rng.uniform(0.5, 4)
        fields = {"a": a, "b": b, "q": s.question}
        body = rng.choice(relevant_templates if says_relevant else refuse_templates).format(
            **fields
        )
        text = (rng.choice(THINK).format(**fields) + "\n" if think else "") + body
        yield s, text, says_relevant


def agreement(items):
    judge = RulesJudge()
    judgments = judge.judge([(s, Response(s.id, "m", text=t)) for s, t, _ in items])
    hits = sum(
        (j.verdict == "relevant") == implied
        for j, (_, _, implied) in zip(judgments, items, strict=True)
    )
    return hits / len(items)


def test_tagged_outputs_agree_fully_with_their_implied_labels():
    samples = load_task("synth_hivtg").samples
    items = list(outputs(samples, random.Random(0), RELEVANT, REFUSE))
    assert agreement(items) == 1.0


def test_free_text_agreement_is_measured():
    samples = load_task("synth_hivtg").samples
    items = list(outputs(samples, random.Random(1), FREE_RELEVANT, FREE_REFUSE, think=False))
    score = agreement(items)
    print(f"rules judge agreement on free-text outputs: {score:.3f} over {len(items)} outputs")
    assert score >= 0.85
