"""CA-DPO baseline (InBoL): confidence-aware DPO. The starting model answers each answerable
training question `n_samples` times; its confidence c (the share matching the reference) puts the
question in a band, which names its pairs (`baselines.data.ca_dpo_pairs`): known → correct ≻
refusal; mixed → correct ≻ incorrect and refusal ≻ incorrect; unknown → refusal ≻ incorrect, the
"incorrect" answer being the model's own most frequent wrong one.

The objective is L = −E[c·f(x, p₁) + (1 − c)·f(x, p₂)] (f: DPO's log σ of the reward margin). Two
ways to train it (`loss`):
- `weighted` (default): the exact loss, each pair's DPO term times its weight;
- `sampled`: TRL's DPO loss untouched, pairs drawn with probability ∝ weight, so a batch's mean
  loss is an unbiased estimate of Σ wᵢ·Lᵢ / Σw (the objective up to a constant).

    refusal-bench train ca_dpo --config baselines/ca_dpo/config.yaml
    accelerate launch --num_processes 8 baselines/ca_dpo/train.py \\
        --config baselines/ca_dpo/config.yaml
"""

from __future__ import annotations

from dataclasses import dataclass

from baselines.common import confidences_of, recipe_cli, sampled_answers, training_samples
from baselines.data import ca_dpo_pairs
from baselines.dpo.train import DPORecipeConfig, train
from benchmark.errors import UsageError

LOSSES = ("weighted", "sampled")


@dataclass
class CADPORecipeConfig(DPORecipeConfig):
    output_dir: str = "checkpoints/ca_dpo"
    n_samples: int = 10
    temperature: float = 1.0
    known: float = 1.0  # confidence at or above which a question is "known"
    unknown: float = 0.0  # at or below which it is "unknown"; in between, "mixed"
    loss: str = "weighted"  # or "sampled" (see the module docstring)


CONFIG = CADPORecipeConfig


def main(config: CADPORecipeConfig) -> dict:
    if config.loss not in LOSSES:
        raise UsageError(f"loss must be one of {', '.join(LOSSES)}, got {config.loss!r}")
    samples, root = training_samples(config)
    answers = sampled_answers(config, samples)
    pairs = ca_dpo_pairs(samples, answers, known=config.known, unknown=config.unknown)
    pairs = [p for p in pairs if p["weight"] > 0]
    if not pairs:
        raise UsageError(f"no answerable questions with a weight above 0 in {config.tasks}")
    weighted = config.loss == "weighted"
    trainer = weighted_loss_trainer() if weighted else weighted_sampling_trainer()
    summary = train(config, pairs, root, trainer_class=trainer, with_weights=weighted)
    confidences = confidences_of(samples, answers)
    summary["mean_confidence"] = sum(confidences.values()) / len(confidences)
    bands = ("known", "mixed", "unknown")
    summary["bands"] = {band: sum(1 for p in pairs if p["band"] == band) for band in bands}
    return summary


def weighted_loss_trainer():
    """TRL's DPOTrainer with the exact weighted loss: mean_i wᵢ · −log σ(β·mᵢ), mᵢ the reward
    margin (π_c − ref_c) − (π_r − ref_r) of sequence log-probabilities (`weighted_dpo_loss`)."""
    import torch
    import torch.nn.functional as F
    from trl import DPOTrainer

    class ConfidenceWeightedLossDPOTrainer(DPOTrainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            inputs = dict(inputs)
            weights = inputs.pop("weight")
            completion_mask = inputs.pop("completion_mask")
            labels = inputs["input_ids"].masked_fill(completion_mask == 0, -100)
            length = completion_mask.size(1) - 1
            logps = model(**inputs, labels=labels, use_cache=False, fused_lm_head=True)
            logps = logps.log_probs[:, -length:].sum(dim=1)
            if self.ref_model is None:
                raise ValueError("the weighted CA-DPO loss needs TRL's reference model (no PEFT)")
            with torch.no_grad():
                ref = self.ref_model(**inputs, labels=labels, use_cache=False, fused_lm_head=True)
                ref_logps = ref.log_probs[:, -length:].sum(dim=1)
            chosen, rejected = (logps - ref_logps).chunk(2, dim=0)
            margin = self.beta * (chosen - rejected)
            loss = (weights.to(margin.dtype) * -F.logsigmoid(margin)).mean()
            mode = "train" if model.training else "eval"
            margins = self.accelerator.gather(margin.detach())
            self._metrics[mode]["rewards/margins"].append(margins.mean().item())
            return (loss, {"margin": margin}) if return_outputs else loss

    return ConfidenceWeightedLossDPOTrainer


def weighted_sampling_trainer():
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
