"""IDK-IT baseline (InBoL): the starting model answers every answerable training question
`n_samples` times; where fewer than `threshold` of its answers match the reference, the item is
relabelled as a refusal ("I don't know"), and the model is fine-tuned on the result (the SFT
recipe's trainer). Unanswerable items keep their reference refusal.

    refusal-bench train idk_it --config baselines/idk_it/config.yaml
    accelerate launch --num_processes 8 baselines/idk_it/train.py \\
        --config baselines/idk_it/config.yaml
"""

from __future__ import annotations

from dataclasses import dataclass

from baselines.common import confidences_of, recipe_cli, sampled_answers, training_samples
from baselines.data import idk_relabel
from baselines.sft.train import SFTRecipeConfig, train


@dataclass
class IDKRecipeConfig(SFTRecipeConfig):
    output_dir: str = "checkpoints/idk_it"
    n_samples: int = 10  # sampled answers per question for the confidence
    temperature: float = 1.0
    threshold: float = 0.5  # confidence below which an answerable item becomes a refusal


CONFIG = IDKRecipeConfig


def main(config: IDKRecipeConfig) -> dict:
    samples, root = training_samples(config)
    confidences = confidences_of(samples, sampled_answers(config, samples))
    examples = idk_relabel(samples, confidences, threshold=config.threshold)
    summary = train(config, examples, root)
    summary["relabelled"] = sum(1 for e in examples if e.get("relabelled"))
    summary["mean_confidence"] = (
        sum(confidences.values()) / len(confidences) if confidences else None
    )
    return summary


if __name__ == "__main__":
    recipe_cli(CONFIG, main, __doc__)
