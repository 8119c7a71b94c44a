"""SFT baseline (UVQA paper): answerable and unanswerable questions mixed 1:1, the model learns to
answer the first and refuse the second with the reference refusal.

    refusal-bench train sft --config baselines/sft/config.yaml      # one process
    accelerate launch --num_processes 8 baselines/sft/train.py --config baselines/sft/config.yaml
    accelerate launch --config_file baselines/configs/zero3.yaml baselines/sft/train.py \\
        --config baselines/sft/config.yaml --set deepspeed=null   # ZeRO from the launcher
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from baselines.common import (
    chat_prompt,
    evaluate,
    frames_for,
    recipe_cli,
    single_process_distributed_env,
    training_samples,
    video_loader,
    zero_stage,
)
from baselines.data import sft_examples


@dataclass
class SFTRecipeConfig:
    model: str  # checkpoint to start from (hub id or folder)
    output_dir: str = "checkpoints/sft"
    tasks: str = "synth_qa,synth_uvqa"  # training tasks (train split for the synthetic ones)
    eval_tasks: str = "synth_qa,synth_uvqa"  # evaluated through the runner at the end ("" to skip)
    data_root: str | None = None
    video_root: str | None = None
    frames: int = 8
    learning_rate: float = 1e-6
    per_device_train_batch_size: int = 4
    gradient_accumulation_steps: int = 32  # x 4 per device = 128 per GPU step on one GPU
    num_train_epochs: float = 1.0
    max_steps: int = -1
    lr_scheduler_type: str = "constant"
    bf16: bool = True
    use_cpu: bool = False
    deepspeed: str | None = None  # e.g. baselines/configs/ds_zero2.json
    seed: int = 0
    limit: int | None = None  # samples per task, for smoke tests
    eval_limit: int | None = None


CONFIG = SFTRecipeConfig


def main(config: SFTRecipeConfig) -> dict:
    samples, root = training_samples(
        config.tasks,
        split="train",
        data_root=config.data_root,
        seed=config.seed,
        limit=config.limit,
    )
    return train(config, sft_examples(samples, seed=config.seed), root)


def train(config, examples: list[dict], root) -> dict:
    """Fine-tune `config.model` on prompt/completion examples, save it, evaluate it."""
    import datasets
    import torch
    from transformers import AutoModelForImageTextToText, AutoProcessor

    if config.deepspeed:
        single_process_distributed_env()
    from trl import SFTConfig, SFTTrainer

    loader = video_loader(config.video_root or root, config.frames)
    processor = AutoProcessor.from_pretrained(config.model)
    processor.tokenizer.padding_side = "right"
    model = AutoModelForImageTextToText.from_pretrained(
        config.model, dtype=torch.bfloat16 if config.bf16 else torch.float32
    )
    args = SFTConfig(
        output_dir=config.output_dir,
        learning_rate=config.learning_rate,
        per_device_train_batch_size=config.per_device_train_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        num_train_epochs=config.num_train_epochs,
        max_steps=config.max_steps,
        lr_scheduler_type=config.lr_scheduler_type,
        bf16=config.bf16,
        use_cpu=config.use_cpu,
        deepspeed=config.deepspeed,
        seed=config.seed,
        report_to="none",
        logging_steps=1,
        save_strategy="no",
        remove_unused_columns=False,
        dataset_kwargs={"skip_prepare_dataset": True},
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=datasets.Dataset.from_list(examples),
        data_collator=VideoSFTCollator(processor, loader),
        processing_class=processor,
    )
    result = trainer.train()
    trainer.save_model(config.output_dir)
    processor.save_pretrained(config.output_dir)
    summary = {
        "train_loss": result.training_loss,
        "steps": result.global_step,
        "zero_stage": zero_stage(trainer),
        "config": asdict(config),
    }
    if config.eval_tasks:
        summary["eval"] = evaluate(config)
    return summary


class VideoSFTCollator:
    """Chat text with the video, the prompt tokens masked out of the labels."""

    def __init__(self, processor, loader) -> None:
        self.processor = processor
        self.loader = loader

    def __call__(self, examples: list[dict]):
        prompts, fulls, videos = [], [], []
        eos = self.processor.tokenizer.eos_token or ""
        for example in examples:
            prompt = chat_prompt(self.processor, example)
            prompts.append(prompt)
            fulls.append(prompt + example["completion"] + eos)
            videos.append(frames_for(self.loader, example["video"]))
        batch = self.processor(text=fulls, videos=videos, padding=True, return_tensors="pt")
        prompt_lengths = [
            len(self.processor(text=[p], videos=[v], return_tensors="pt")["input_ids"][0])
            for p, v in zip(prompts, videos, strict=True)
        ]
        labels = batch["input_ids"].clone()
        for row, length in enumerate(prompt_lengths):
            labels[row, :length] = -100
        labels[batch["attention_mask"] == 0] = -100
        batch["labels"] = labels
        return batch


if __name__ == "__main__":
    recipe_cli(CONFIG, main, __doc__)
