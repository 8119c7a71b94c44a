"""Training data for the baseline recipes, built from any task of the suite with its own loaders.

Every example keeps the sample's video reference (and the recipe's frame settings go with the
recipe), so training sees the videos the benchmark evaluates on, the synthetic split included.

- `sft_examples`: prompt → reference answer (answerable / relevant) or reference refusal
  (unanswerable / irrelevant), answerable and unanswerable mixed 1:1 (UVQA recipe);
- `dpo_pairs`: chosen = the reference; rejected = a hallucinated answer for unanswerable items
  (from a negatives file when given) and an unwarranted refusal for answerable ones;
- `grpo_examples`: per video one relevant and one refusable query, the irrelevant one drawn from
  its pool by a step-seeded choice (RA-RFT);
- `confidence`, `idk_relabel`, `ca_dpo_pairs`: InBoL's confidence from N sampled answers,
  IDK-IT's relabelling of low-confidence items as refusals, CA-DPO's pairs by confidence band
  (known / mixed / unknown) with the model's own wrong answers as the rejected ones.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from benchmark.families import GENERIC_REFUSAL, GROUNDING, HALLUCINATION, family_of
from benchmark.prompts import render_prompt
from benchmark.records import Sample, to_dict
from benchmark.scorers.rules import answer_matches

__all__ = ["GENERIC_REFUSAL", "HALLUCINATION"]  # re-exported: what the InBoL recipes write


def target(sample: Sample) -> str:
    """What a well-aligned model should say for a sample (its family's training target)."""
    return family_of(sample).target(sample)


#: How the recipes name a sample: ids are unique within a task only (synth_qa and synth_uvqa
#: share theirs), and training mixes tasks.
SampleKey = tuple[str, str]


def key(sample: Sample) -> SampleKey:
    return (sample.task, sample.id)


def prompt(sample: Sample) -> dict[str, Any]:
    """The sample's prompt (its family's) with the video reference, as training sees it."""
    rendered = render_prompt(sample.question, family_of(sample).prompt)
    return {
        "system": rendered.system,
        "prompt": rendered.text,
        "prompt_version": rendered.version,
        "video": to_dict(sample.video),
        "task": sample.task,
        "sample_id": sample.id,
    }


def balanced(samples: Sequence[Sample], *, seed: int = 0) -> list[Sample]:
    """Answerable (or relevant) samples and the rest in equal numbers, shuffled."""
    positive = [s for s in samples if s.gold_relevant]
    negative = [s for s in samples if not s.gold_relevant]
    n = min(len(positive), len(negative))
    rng = random.Random(seed)
    chosen = rng.sample(positive, n) + rng.sample(negative, n)
    rng.shuffle(chosen)
    return chosen


def sft_examples(samples: Sequence[Sample], *, seed: int = 0) -> list[dict[str, Any]]:
    """Prompt/completion examples, answerable (or relevant) and the rest mixed 1:1."""
    return [prompt(s) | {"completion": target(s)} for s in balanced(samples, seed=seed)]


def dpo_pairs(
    samples: Sequence[Sample], *, negatives: dict[SampleKey, str] | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    """Preference pairs: the reference over a hallucination (unanswerable; `negatives` by
    (task, sample id) when given) or over a refusal (answerable), mixed 1:1."""
    pairs = []
    for sample in balanced(samples, seed=seed):
        rejected = family_of(sample).opposite(sample)
        if not sample.gold_relevant:
            rejected = (negatives or {}).get(key(sample)) or rejected
        pairs.append(prompt(sample) | {"chosen": target(sample), "rejected": rejected})
    return pairs


def grpo_examples(
    samples: Sequence[Sample], *, step: int = 0, seed: int = 0
) -> list[dict[str, Any]]:
    """Per video one relevant query and one irrelevant one, drawn from its pool seeded by `step`
    (RA-RFT trains grounding: QA samples are left out)."""
    by_video: dict[str, dict[str, list[Sample]]] = defaultdict(
        lambda: {"relevant": [], "irrelevant": []}
    )
    for sample in samples:
        if family_of(sample) is GROUNDING:
            by_video[sample.video.path][sample.kind].append(sample)
    rng = random.Random(f"{seed}:{step}")
    examples = []
    for video in sorted(by_video):
        pools = by_video[video]
        if not pools["relevant"] or not pools["irrelevant"]:
            continue
        relevant = pools["relevant"][rng.randrange(len(pools["relevant"]))]
        irrelevant = pools["irrelevant"][rng.randrange(len(pools["irrelevant"]))]
        for sample in (relevant, irrelevant):
            examples.append(
                prompt(sample)
                | {
                    "relevant": sample.kind == "relevant",
                    "span": list(sample.span) if sample.span else None,
                    "duration": sample.duration,
                    "refusal": sample.refusal,
                    # explain reward (eq. 6): the video's two references, a_time and a_refusal
                    "answer_time": f"{relevant.span[0]:g} to {relevant.span[1]:g}"
                    if relevant.span
                    else None,
                    "answer_refusal": irrelevant.refusal,
                    "original_query": sample.meta.get("correction", relevant.question)
                    if sample is irrelevant
                    else None,
                }
            )
    return examples


def confidence(sampled_answers: Sequence[str], reference: str) -> float:
    """InBoL: the share of N sampled answers that give the reference answer.

    >>> confidence(["It is red.", "Red.", "blue"], "red")
    0.6666666666666666
    """
    if not sampled_answers:
        return 0.0
    return sum(answer_matches(a, reference) for a in sampled_answers) / len(sampled_answers)


def idk_relabel(
    samples: Sequence[Sample], confidences: dict[SampleKey, float], *, threshold: float = 0.5
) -> list[dict]:
    """IDK-IT: answerable items the model answers with confidence below `threshold` are relabelled
    as refusals ("I don't know"); the rest keep their reference."""
    out = []
    for sample in samples:
        example = prompt(sample) | {"completion": target(sample)}
        if sample.kind == "answerable" and confidences.get(key(sample), 1.0) < threshold:
            example["completion"] = GENERIC_REFUSAL
            example["relabelled"] = True
        out.append(example)
    return out


def wrong_answers(sampled_answers: Sequence[str], reference: str) -> list[str]:
    """The model's own sampled answers that miss the reference and are not refusals, most
    frequent first (ties by first appearance): CA-DPO's "incorrect" responses.

    >>> wrong_answers(["blue", "Red.", "green", "blue", "I cannot tell."], "red")
    ['blue', 'green']
    """
    from benchmark.parse import is_refusal

    wrong = [a.strip() for a in sampled_answers if a.strip() and not answer_matches(a, reference)]
    wrong = [a for a in wrong if not is_refusal(a)]
    counts = {a: wrong.count(a) for a in dict.fromkeys(wrong)}
    return sorted(counts, key=lambda a: -counts[a])


def ca_dpo_pairs(
    samples: Sequence[Sample],
    answers: dict[SampleKey, list[str]],
    *,
    known: float = 1.0,
    unknown: float = 0.0,
) -> list[dict]:
    """CA-DPO's pairs (InBoL), from each answerable question's N sampled answers, confidence
    c = the share that match the reference:

    - known (c ≥ `known`): correct ≻ refusal;
    - mixed: correct ≻ incorrect and refusal ≻ incorrect;
    - unknown (c ≤ `unknown`): refusal ≻ incorrect;

    "incorrect" is the model's own most frequent wrong answer (a fixed hallucination only when
    it gave none). Every pair carries its weight in L = −E[c·f(x, p₁) + (1 − c)·f(x, p₂)]: c for
    a pair preferring the answer, 1 − c for one preferring the refusal (both 1 outside "mixed").

    >>> from benchmark.records import VideoRef
    >>> s = Sample(id="q", task="t", video=VideoRef("v.mp4"), question="What colour?",
    ...            kind="answerable", answer="red")
    >>> answers = {("t", "q"): ["red", "red", "red", "blue"]}
    >>> [(p["chosen"], p["rejected"], p["weight"]) for p in ca_dpo_pairs([s], answers)]
    [('red', 'blue', 0.75), ('The question cannot be answered from the video.', 'blue', 0.25)]
    """
    pairs = []
    for sample in samples:
        if sample.kind != "answerable":
            continue
        sampled = answers.get(key(sample), [])
        reference = sample.answer or ""
        c = confidence(sampled, reference)
        incorrect = (wrong_answers(sampled, reference) or [HALLUCINATION])[0]
        base = prompt(sample) | {"confidence": c, "band": _band(c, known, unknown)}
        if c >= known:
            chosen = [(reference, GENERIC_REFUSAL, 1.0)]
        elif c <= unknown:
            chosen = [(GENERIC_REFUSAL, incorrect, 1.0)]
        else:
            chosen = [(reference, incorrect, c), (GENERIC_REFUSAL, incorrect, 1 - c)]
        pairs += [base | {"chosen": a, "rejected": b, "weight": w} for a, b, w in chosen]
    return pairs


def _band(c: float, known: float, unknown: float) -> str:
    return "known" if c >= known else "unknown" if c <= unknown else "mixed"


def weighted_dpo_loss(
    policy_chosen, policy_rejected, reference_chosen, reference_rejected, weights, *, beta=0.1
):
    """CA-DPO loss: mean_i w_i · −log σ(β · [(π_c − ref_c) − (π_r − ref_r)]) over log-probabilities.

    >>> round(weighted_dpo_loss([0.0], [0.0], [0.0], [0.0], [1.0]), 6)  # no preference yet: log 2
    0.693147
    """
    import numpy as np

    margin = beta * (
        (np.asarray(policy_chosen) - reference_chosen)
        - (np.asarray(policy_rejected) - reference_rejected)
    )
    losses = np.logaddexp(0.0, -margin)  # −log σ(margin)
    return float(np.mean(np.asarray(weights) * losses))
