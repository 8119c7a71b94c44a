"""RA-RFT baseline (RA-RFT paper): refusal-aware reinforcement fine-tuning with TRL's GRPOTrainer
and the four rewards of `baselines.rewards` summed (format, refuse-IoU, explain, correction).

Per video one relevant and one refusable query; the irrelevant query is drawn from the video's
pool by a choice seeded with the epoch. A video is visited once per epoch, so every visit (every
step that trains on it) draws its refusable query afresh, reproducibly. The vision
tower is frozen except its merger. The policy sees the video as evaluation does: 2 fps within a
2.8M-pixel budget (the paper's and the authors' setting), as real video inputs with their sampling
rate (`VideoGRPOTrainer`), after the same conversation (`benchmark.models.conversation`).

    refusal-bench train ra_rft --config baselines/ra_rft/config.yaml
    accelerate launch --config_file baselines/configs/zero3.yaml baselines/ra_rft/train.py \\
        --config baselines/ra_rft/config.yaml
"""

from __future__ import annotations

from dataclasses import dataclass

from baselines.common import (
    RecipeConfig,
    chat_prompt,
    finish,
    load_model,
    recipe_cli,
    training_samples,
    video_loader,
)
from baselines.data import grpo_examples
from baselines.rewards import RA_RFT_REWARDS
from benchmark.errors import UsageError
from benchmark.records import VideoRef


@dataclass
class RARFTRecipeConfig(RecipeConfig):
    output_dir: str = "checkpoints/ra_rft"
    tasks: str = "synth_hivtg"
    eval_tasks: str = "synth_hivtg"
    num_generations: int = 8
    max_completion_length: int = 200
    temperature: float = 1.0
    per_device_train_batch_size: int = 8  # completions per device step: a multiple of generations
    gradient_accumulation_steps: int = 1
    num_train_epochs: int = 3
    frames: int = 0  # 0: 2 fps within total_pixels, as the authors train and evaluate
    lr_scheduler_type: str = "linear"
    beta: float = 0.04  # KL penalty against the starting model


CONFIG = RARFTRecipeConfig


def main(config: RARFTRecipeConfig) -> dict:
    trainer, processor, facts = build_trainer(config)
    return finish(trainer, processor, config, **facts)


def build_trainer(config: RARFTRecipeConfig, reward_funcs=RA_RFT_REWARDS):
    """The GRPO trainer on the unrolled epochs' examples, its processor, and the run's facts."""
    import datasets

    samples, root = training_samples(config)
    examples = [
        example | {"epoch": epoch}
        for epoch in range(config.num_train_epochs)
        for example in grpo_examples(samples, step=epoch, seed=config.seed)
    ]
    if not examples:
        raise UsageError(
            f"{config.tasks}: no video has both a relevant and an irrelevant grounding query; "
            "RA-RFT trains on grounding tasks (e.g. synth_hivtg, hi_vtg_train)"
        )
    loader = video_loader(root, config)
    processor, model = load_model(config, padding_side="left")
    from trl import GRPOConfig

    from baselines.ra_rft.video_grpo import VideoGRPOTrainer

    frozen = freeze_vision_tower(model)
    # The epochs are unrolled into the data (each draws new refusable queries): one pass over it.
    args = GRPOConfig(
        **config.training_arguments() | {"num_train_epochs": 1},
        num_generations=config.num_generations,
        max_completion_length=config.max_completion_length,
        temperature=config.temperature,
        beta=config.beta,
    )
    trainer = VideoGRPOTrainer(
        model=model,
        args=args,
        reward_funcs=list(reward_funcs),
        train_dataset=datasets.Dataset.from_list(examples).with_transform(
            WithFrames(loader, processor)
        ),
        processing_class=processor,
    )
    return trainer, processor, {"examples": len(examples), "frozen_parameters": frozen}


def freeze_vision_tower(model) -> int:
    """Freeze the vision encoder except the merger that projects into the language model;
    returns how many parameter tensors were frozen."""
    frozen = 0
    for name, parameter in model.named_parameters():
        if "visual" in name and "merger" not in name:
            parameter.requires_grad_(False)
            frozen += 1
    return frozen


class WithFrames:
    """A dataset transform that decodes each example's frames when the trainer reads it (not up
    front) and writes its prompt as evaluation does (`benchmark.models.conversation`)."""

    def __init__(self, loader, processor) -> None:
        self.loader = loader
        self.processor = processor

    def __call__(self, batch: dict[str, list]) -> dict[str, list]:
        clips = [self.loader.frames(VideoRef(**video)) for video in batch["video"]]
        prompts = [
            chat_prompt(self.processor, {"system": system, "prompt": text}, clip)
            for system, text, clip in zip(batch["system"], batch["prompt"], clips, strict=True)
        ]
        return batch | {"prompt": prompts, "frames": clips}


if __name__ == "__main__":
    recipe_cli(CONFIG, main, __doc__)
