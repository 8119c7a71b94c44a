"""CA-DPO baseline (InBoL): confidence-aware DPO. For each answerable training question the
starting model's confidence c (share of `n_samples` sampled answers matching the reference) weighs
two pairs: answer over refusal with weight c, refusal over a wrong answer with weight 1 − c.

The weights enter as the sampling distribution of the pairs: drawing pair i with probability
w_i / Σw makes the mean DPO loss of a batch an unbiased estimate of Σ w_i·L_i / Σw, the weighted
objective up to a constant, while TRL's DPO loss stays untouched (`baselines.data.weighted_dpo_loss`
is the objective written out).

    refusal-bench train ca_dpo --config baselines/ca_dpo/config.yaml
    accelerate launch --num_processes 8 baselines/ca_dpo/train.py \\
        --config baselines/ca_dpo/config.yaml
"""

from __future__ import annotations

from dataclasses import dataclass

from baselines.common import recipe_cli, sampled_confidences, training_samples
from baselines.data import ca_dpo_pairs
from baselines.dpo.train import DPORecipeConfig, train
from benchmark.errors import UsageError


@dataclass
class CADPORecipeConfig(DPORecipeConfig):
    output_dir: str = "checkpoints/ca_dpo"
    n_samples: int = 10
    temperature: float = 1.0


CONFIG = CADPORecipeConfig


def main(config: CADPORecipeConfig) -> dict:
    samples, root = training_samples(config)
    confidences = sampled_confidences(config, samples)
    pairs = [p for p in ca_dpo_pairs(samples, confidences) if p["weight"] > 0]
    if not pairs:
        raise UsageError(f"no answerable questions with a weight above 0 in {config.tasks}")
    summary = train(config, pairs, root, trainer_class=weighted_trainer())
    summary["mean_confidence"] = sum(confidences.values()) / len(confidences)
    return summary


def weighted_trainer():
    """TRL's DPOTrainer drawing its training pairs with probability proportional to `weight`."""
    import torch
    from trl import DPOTrainer

    class ConfidenceWeightedDPOTrainer(DPOTrainer):
        def _get_train_sampler(self, train_dataset=None):
            dataset = train_dataset if train_dataset is not None else self.train_dataset
            weights = torch.tensor(dataset["weight"], dtype=torch.double)
            generator = torch.Generator().manual_seed(self.args.seed)
            return torch.utils.data.WeightedRandomSampler(
                weights, num_samples=len(weights), replacement=True, generator=generator
            )

    return ConfidenceWeightedDPOTrainer


if __name__ == "__main__":
    recipe_cli(CONFIG, main, __doc__)
