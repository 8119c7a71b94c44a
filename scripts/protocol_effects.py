"""Measure what each difference between the `default` and `ra-rft` protocols does to the scores.

    python scripts/protocol_effects.py --data-root ../shared/data [--mpnet DIR]

Every sample of each released RA-VTG test set gets one output in the styles RA-RFT-like models
write (`crafted_output`: think / answer / correction, spans near the gold with noise, spans past
the end, reversed spans, two answer blocks, two spans in prose, refusals that copy the gold
explanation or stay generic, unparsed and empty outputs), judged by the rules judge. The table
gives the headline metrics under `default`, with each `ra-rft` choice switched on alone, and
under `ra-rft` (all of them). SBERT uses the packaged MiniLM for every row unless `--mpnet`
names a local all-mpnet-base-v2 folder, which adds the `ra-rft` row with the evaluator's model.
docs/protocols.md quotes its output; tests/test_ra_rft_evaluator.py replays the same outputs.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib

from benchmark.families import GROUNDING
from benchmark.metrics import summarize_task
from benchmark.protocols import PROTOCOLS, Protocol
from benchmark.records import Response
from benchmark.scorers import RulesJudge, SbertScorer
from benchmark.task_loading import load_task

TASKS = ("hi_tvgbench", "hi_charades", "ss_charades", "ss_qvhighlights")
METRICS = ("f1_avg", "f1_irrel", "miou", "r@0.7", "refusal_recall", "rt_iou", "sbert")
#: each `ra-rft` choice alone, switched on over `default`
CHOICES = {
    "gold spans as annotated": {"gold_as_annotated": True},
    "predicted spans as written": {"spans_as_written": True},
    "best span for the query": {"best_span_for_query": True},
    "first answer block": {"first_answer": True},
    "reasoning text vs released answer": {
        "reasoning_explanation": True,
        "released_reference": True,
    },
}


def unit(sample_id: str, salt: str = "") -> float:
    digest = hashlib.sha256(f"{salt}{sample_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def crafted_output(sample) -> str:
    """One output per sample, its style chosen by a hash of the id (see the module docstring)."""
    u, v = unit(sample.id), unit(sample.id, "noise")
    end_of_video = sample.duration or 40.0
    think = f"<think>The video shows a person indoors. <timestep>0.00 to {end_of_video:.2f}"
    think += "</timestep> I check whether the query happens.</think>\n"
    gold = sample.gold_spans[0] if sample.gold_spans else (2.0, 8.0)
    start, end = max(0.0, gold[0] + 4 * v - 2), gold[1] + 3 * v - 1
    explanation = (
        sample.refusal
        if sample.refusal and v < 0.5
        else "The video does not contain a relevant segment: the query mentions something "
        "that never appears, and the person only tidies the room."
    )
    refusal = f"<answer>{explanation}</answer>\n<correction>{sample.question}</correction>"
    if u < 0.40:
        return f"{think}<answer>{start:.2f} to {end:.2f}</answer>\n<correction>NIL</correction>"
    if u < 0.48:  # past the end of the video
        return f"{think}<answer>{start:.2f} to {end_of_video + 6:.2f}</answer>"
    if u < 0.54:  # reversed
        return f"{think}<answer>{end:.2f} to {start:.2f}</answer>"
    if u < 0.62:  # two answer blocks: the evaluator reads the first
        return f"{think}<answer>{start:.2f} to {end:.2f}</answer> <answer>0.00 to 1.00</answer>"
    if u < 0.70:  # two spans in prose: the one tied to the query is the answer
        return (
            f"<answer>{sample.question.rstrip('.')} from {start:.1f} to {end:.1f} seconds, and "
            f"then someone walks to the window from {end + 1:.1f} to {end + 4:.1f} seconds."
            "</answer>"
        )
    if u < 0.90:
        return think + refusal
    if u < 0.95:
        return "I am not sure what happens in this video."
    return ""


def metrics(samples, outputs, protocol: Protocol, sbert: SbertScorer | None) -> dict:
    """Headline metrics of the outputs judged and scored under `protocol` (any mix of choices)."""
    judge = RulesJudge(sbert, protocol=dataclasses.replace(protocol, name="default"))
    pairs = [(s, Response(s.id, "m", o)) for s, o in zip(samples, outputs, strict=True)]
    viewed = [protocol.view(s) for s in samples]
    result = summarize_task(
        viewed, judge.judge(pairs), family=GROUNDING, judge=judge.name, n_resamples=0
    )
    return {k: result.metrics[k] for k in METRICS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-root", required=True)
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--mpnet", help="a local all-mpnet-base-v2 folder (the evaluator's model)")
    args = parser.parse_args()
    minilm = SbertScorer()
    mpnet = SbertScorer(args.mpnet) if args.mpnet else None
    default, rarft = PROTOCOLS["default"], PROTOCOLS["ra-rft"]
    print("| task | protocol | " + " | ".join(METRICS) + " |")
    print("|---" * (len(METRICS) + 2) + "|")
    for task in args.tasks.split(","):
        samples = load_task(task, data_root=args.data_root).samples
        outputs = [crafted_output(s) for s in samples]
        base = metrics(samples, outputs, default, minilm)
        rows = {"default": base}
        for name, choice in CHOICES.items():
            rows[f"+ {name}"] = metrics(samples, outputs, dataclasses.replace(default, **choice),
                                        minilm)  # fmt: skip
        rows["ra-rft (MiniLM)"] = metrics(samples, outputs, rarft, minilm)
        if mpnet is not None:
            rows["ra-rft (mpnet)"] = metrics(samples, outputs, rarft, mpnet)
        for name, row in rows.items():
            cells = []
            for key in METRICS:
                value = row[key]
                if value is None:
                    cells.append("—")
                elif name == "default":
                    cells.append(f"{100 * value:.1f}")
                else:
                    delta = 100 * (value - base[key]) if base[key] is not None else None
                    cells.append(f"{100 * value:.1f}" + (f" ({delta:+.1f})" if delta else ""))
            print(f"| {task} | {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
