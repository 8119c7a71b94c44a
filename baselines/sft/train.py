"""SFT baseline (UVQA paper): answerable and unanswerable questions mixed 1:1, the model learns to
answer the first and refuse the second with the reference refusal.

    refusal-bench train sft --config baselines/sft/config.yaml      # one process
    accelerate launch --num_processes 8 baselines/sft/train.py --config baselines/sft/config.yaml
    accelerate launch --config_file baselines/configs/zero3.yaml baselines/sft/train.py \\
        --config baselines/sft/config.yaml --set deepspeed=null   # ZeRO from the launcher
"""

from __future__ import annotations

from dataclasses import dataclass

from baselines.common import (
    RecipeConfig,
    chat_prompt,
    finish,
    frames_for,
    load_model,
    recipe_cli,
    training_samples,
    video_loader,
)
from baselines.data import sft_examples
from benchmark.errors import UsageError
from benchmark.models.conversation import video_inputs


@dataclass
class SFTRecipeConfig(RecipeConfig):
    output_dir: str = "checkpoints/sft"


CONFIG = SFTRecipeConfig


def main(config: SFTRecipeConfig) -> dict:
    samples, root = training_samples(config)
    return train(config, sft_examples(samples, seed=config.seed), root)


def train(config: RecipeConfig, examples: list[dict], root) -> dict:
    """Fine-tune `config.model` on prompt/completion examples, save it, evaluate it."""
    import datasets

    if not examples:
        raise UsageError(
            f"{config.tasks}: no training examples (SFT mixes answerable and unanswerable "
            "samples 1:1); add tasks or raise `limit`"
        )
    loader = video_loader(root, config)
    processor, model = load_model(config, padding_side="right")
    from trl import SFTConfig, SFTTrainer

    args = SFTConfig(**config.training_arguments(), dataset_kwargs={"skip_prepare_dataset": True})
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=datasets.Dataset.from_list(examples),
        data_collator=VideoSFTCollator(processor, loader),
        processing_class=processor,
    )
    return finish(trainer, processor, config)


class VideoSFTCollator:
    """Chat text with the video (with its frames' rate: Qwen's temporal positions); only the
    completion's tokens (and the end of turn) are labels."""

    def __init__(self, processor, loader) -> None:
        self.processor = processor
        self.loader = loader

    def __call__(self, examples: list[dict]):
        tokenizer = self.processor.tokenizer
        eos = tokenizer.eos_token or ""
        completions = [example["completion"] + eos for example in examples]
        clips = [frames_for(self.loader, e["video"]) for e in examples]
        texts = [
            chat_prompt(self.processor, e, clip) + c
            for e, clip, c in zip(examples, clips, completions, strict=True)
        ]
        batch = self.processor(
            text=texts,
            padding=True,
            padding_side="right",
            return_tensors="pt",
            **video_inputs(self.processor, clips),
        )
        # The chat template ends the prompt with a newline, so the completion tokenises alone the
        # same as inside the whole text: its length marks where the labels start.
        lengths = [
            len(ids) for ids in tokenizer(completions, add_special_tokens=False)["input_ids"]
        ]
        labels = batch["input_ids"].clone()
        for row, (used, length) in enumerate(
            zip(batch["attention_mask"].sum(1), lengths, strict=True)
        ):
            labels[row, : int(used) - length] = -100
        labels[batch["attention_mask"] == 0] = -100
        batch["labels"] = labels
        return batch


if __name__ == "__main__":
    recipe_cli(CONFIG, main, __doc__)
