"""The four RA-RFT rewards (RA-RFT paper, refusal-aware reinforcement fine-tuning), summed
by the `ra_rft` recipe. Plain TRL reward functions: `(completions, **columns) -> list[float]`,
where `completions` are strings or chat messages and the columns come from the training dataset.

- format: 1 when the whole output is <think>…</think> <answer>…</answer> <correction>…</correction>;
- refuse-IoU: a relevant query answered with a span earns IoU × (1 − |Δstart|/D) × (1 − |Δend|/D);
  an irrelevant query answered without a span earns 1; anything else 0, and a completion
  without an `<answer>` block always 0 (the authors' `refuse_iou_reward`);
- explain (paper eq. 6; the authors' `explain_correction_reward`): every completion with an
  `<answer>` block, â its content: relevant, s(â, a_time) − s(â, a_refusal); irrelevant,
  s(â, a_refusal) − s(â, a_time), where a_time is the video's relevant answer ("12.4 to 47.9")
  and a_refusal its irrelevant query's reference refusal, s = (cos + 1) / 2 on MiniLM (the
  RA-RFT training setting); 0 without an answer block;
- correction: a relevant query earns 1 when its correction is "NIL"; an irrelevant one earns
  s(correction, the original relevant query).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from functools import cache

from benchmark.metrics.grounding import temporal_iou
from benchmark.parse import parse_span, split_tags

Similarity = Callable[[list[str], list[str]], list[float]]

_FORMAT = re.compile(
    r"^\s*<think>.*?</think>\s*<answer>.*?</answer>\s*<correction>.*?</correction>\s*$", re.S
)


def format_reward(completions: Sequence, **_) -> list[float]:
    """1.0 for the think → answer → correction layout over the whole output, else 0.0.

    >>> good = "<think>a</think><answer>1 to 2</answer><correction>NIL</correction>"
    >>> format_reward([good, "1 to 2"])
    [1.0, 0.0]
    """
    return [1.0 if _FORMAT.match(_text(c)) else 0.0 for c in completions]


def refuse_iou_reward(
    completions: Sequence, relevant: Sequence[bool], span: Sequence, duration: Sequence[float], **_
) -> list[float]:
    """Grounding reward that pays for refusing irrelevant queries (0 without an answer block).

    >>> refuse_iou_reward(["<answer>0 to 5</answer>", "<answer>no such event</answer>", ""],
    ...                   relevant=[True, False, False], span=[[0, 10], None, None],
    ...                   duration=[20, 20, 20])
    [0.375, 1.0, 0.0]
    """
    rewards = []
    for completion, is_relevant, gold, length in zip(
        completions, relevant, span, duration, strict=True
    ):
        answer = split_tags(_text(completion)).answer
        if answer is None:
            rewards.append(0.0)
            continue
        predicted = parse_span(f"<answer>{answer}</answer>", duration=length)
        if is_relevant and predicted is not None and gold is not None:
            d = float(length) if length else max(gold[1], predicted[1], 1e-9)
            iou = temporal_iou(predicted, tuple(gold))
            rewards.append(
                iou * (1 - abs(predicted[0] - gold[0]) / d) * (1 - abs(predicted[1] - gold[1]) / d)
            )
        elif not is_relevant and predicted is None:
            rewards.append(1.0)
        else:
            rewards.append(0.0)
    return rewards


def explain_reward(
    completions: Sequence,
    relevant: Sequence[bool],
    answer_time: Sequence[str | None],
    answer_refusal: Sequence[str | None],
    similarity: Similarity | None = None,
    **_,
) -> list[float]:
    """RA-RFT eq. 6: s(â, own reference) − s(â, the other one) for every completion with an
    answer block (see the module docstring), 0 without one or without both references.

    >>> same = lambda a, b: [1.0 if x == y else 0.5 for x, y in zip(a, b)]
    >>> outputs = ["<answer>no red car</answer>", "<answer>1 to 2</answer>", "no tags"]
    >>> explain_reward(outputs, relevant=[False, True, False], answer_time=["1 to 2"] * 3,
    ...                answer_refusal=["no red car"] * 3, similarity=same)
    [0.5, 0.5, 0.0]
    """
    similarity = similarity or minilm_similarity
    answers = [split_tags(_text(c)).answer for c in completions]
    wanted = [
        k
        for k, answer in enumerate(answers)
        if answer is not None and answer_time[k] and answer_refusal[k]
    ]
    own = [answer_time[k] if relevant[k] else answer_refusal[k] for k in wanted]
    other = [answer_refusal[k] if relevant[k] else answer_time[k] for k in wanted]
    texts = [answers[k] for k in wanted]
    to_own = similarity(texts, own) if wanted else []
    to_other = similarity(texts, other) if wanted else []
    rewards = [0.0] * len(completions)
    for k, a, b in zip(wanted, to_own, to_other, strict=True):
        rewards[k] = float(a) - float(b)
    return rewards


def correction_reward(
    completions: Sequence,
    relevant: Sequence[bool],
    original_query: Sequence[str | None],
    similarity: Similarity | None = None,
    **_,
) -> list[float]:
    """Relevant: 1 if the correction is NIL. Irrelevant: s(correction, original relevant query).

    >>> same = lambda a, b: [1.0 if x == y else 0.5 for x, y in zip(a, b)]
    >>> outputs = ["<correction>NIL</correction>", "<correction>a man runs</correction>"]
    >>> correction_reward(outputs, relevant=[True, False], original_query=[None, "a man runs"],
    ...                   similarity=same)
    [1.0, 1.0]
    """
    similarity = similarity or minilm_similarity
    corrections = [split_tags(_text(c)).correction or "" for c in completions]
    rewards = [0.0] * len(completions)
    wanted = []
    for k, (correction, is_relevant, original) in enumerate(
        zip(corrections, relevant, original_query, strict=True)
    ):
        if is_relevant:
            rewards[k] = 1.0 if correction.strip().upper() == "NIL" else 0.0
        elif original and correction.strip() and correction.strip().upper() != "NIL":
            wanted.append(k)
    scores = (
        similarity([corrections[k] for k in wanted], [original_query[k] for k in wanted])
        if wanted
        else []
    )
    for k, score in zip(wanted, scores, strict=True):
        rewards[k] = float(score)
    return rewards


RA_RFT_REWARDS = (format_reward, refuse_iou_reward, explain_reward, correction_reward)


def minilm_similarity(a: list[str], b: list[str]) -> list[float]:
    """(cos + 1) / 2 on all-MiniLM-L6-v2, the RA-RFT training reward's similarity."""
    return [float((value + 1) / 2) for value in _minilm().cosine(a, b)]


@cache
def _minilm():
    """MiniLM on this rank's device, loaded whole even under ZeRO-3 (see `outside_zero3`)."""
    from benchmark.scorers import SbertScorer
    from benchmark.sharding import rank_device

    with outside_zero3():
        # memory only: every step brings new completions, and ranks on a shared disk would
        # contend for one file; the model is loaded now, inside the guard (not at a first miss)
        scorer = SbertScorer(device=rank_device(), disk_cache=False)
        scorer.model  # noqa: B018
        return scorer


@contextmanager
def outside_zero3():
    """Build models whole while a ZeRO-3 run is live. transformers partitions every model it
    loads while a ZeRO-3 config is registered (`is_deepspeed_zero3_enabled()`), so a reward
    model loaded lazily mid-training would hold empty shards ("'weight' must be 2-D" at the
    first SBERT reward). The authors load theirs under `deepspeed.zero.Init(enabled=False)`,
    which transformers 5.x ignores (`from_pretrained` enters its own `zero.Init` whenever the
    config is registered: checked, the same error); so the registered config is set aside while
    the model loads, and put back after."""
    try:
        from transformers.integrations import deepspeed as hf_deepspeed
    except ImportError:
        yield
        return
    registered = hf_deepspeed._hf_deepspeed_config_weak_ref
    config = registered() if registered is not None else None
    hf_deepspeed.unset_hf_deepspeed_config()
    try:
        yield
    finally:
        if config is not None:
            hf_deepspeed.set_hf_deepspeed_config(config)


def _text(completion) -> str:
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):  # chat format: [{"role": "assistant", "content": ...}]
        return "".join(str(m.get("content", "")) for m in completion if isinstance(m, dict))
    return str(completion)
