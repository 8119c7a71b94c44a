"""DPO baseline (UVQA paper): chosen = the reference answer or refusal; rejected = a hallucinated
answer for unanswerable items and an unwarranted refusal for answerable ones.

The hallucinations come from a negatives run when given (`negatives: RUN_DIR`, any
`refusal-bench run` output over the training tasks), else the base model generates them through
the runner on the train split first (a resumable run under `output_dir/negatives`); items the base
model refused fall back to a fixed hallucination.

    refusal-bench train dpo --config baselines/dpo/config.yaml      # one process
    accelerate launch --num_processes 8 baselines/dpo/train.py --config baselines/dpo/config.yaml
    accelerate launch --config_file baselines/configs/zero3.yaml baselines/dpo/train.py \\
        --config baselines/dpo/config.yaml --set deepspeed=null   # ZeRO from the launcher
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from baselines.common import (
    RecipeConfig,
    chat_prompt,
    finish,
    frames_for,
    hf_model_args,
    load_model,
    recipe_cli,
    responses_in,
    run_on_training_tasks,
    training_samples,
    video_loader,
)
from baselines.data import dpo_pairs
from benchmark.errors import UsageError
from benchmark.models.conversation import video_inputs
from benchmark.parse import is_refusal


@dataclass
class DPORecipeConfig(RecipeConfig):
    output_dir: str = "checkpoints/dpo"
    negatives: str | None = None  # a run directory with hallucinated answers; None: generate them
    beta: float = 0.1


CONFIG = DPORecipeConfig


def main(config: DPORecipeConfig) -> dict:
    samples, root = training_samples(config)
    negatives = hallucinations(Path(config.negatives) if config.negatives else generate(config))
    pairs = dpo_pairs(samples, negatives=negatives, seed=config.seed)
    summary = train(config, pairs, root)
    summary["generated_negatives"] = sum(
        1 for p in pairs if (p["task"], p["sample_id"]) in negatives
    )
    return summary


def train(
    config: DPORecipeConfig, pairs: list[dict], root, *, trainer_class=None, with_weights=False
) -> dict:
    """DPO on preference pairs against the frozen starting model, save, evaluate (each pair's
    `weight` in the batch when the trainer's loss reads it)."""
    import datasets

    if not pairs:
        raise UsageError(
            f"{config.tasks}: no preference pairs (a pair needs answerable and unanswerable "
            "samples, mixed 1:1); add tasks or raise `limit`"
        )
    loader = video_loader(root, config)
    processor, model = load_model(config, padding_side="left")
    from trl import DPOConfig, DPOTrainer

    args = DPOConfig(**config.training_arguments(), beta=config.beta, max_length=None)
    # An empty "images" column marks the dataset as a vision one, so TRL leaves tokenisation to
    # the collator (which decodes the video frames) instead of tokenising text up front.
    dataset = datasets.Dataset.from_list([pair | {"images": []} for pair in pairs])
    trainer = (trainer_class or DPOTrainer)(
        model=model,
        args=args,
        train_dataset=dataset,
        data_collator=VideoPreferenceCollator(processor, loader, with_weights=with_weights),
        processing_class=processor,
    )
    return finish(trainer, processor, config, pairs=len(pairs))


def generate(config: DPORecipeConfig) -> Path:
    """The base model's answers on the training tasks, through the runner (resumable)."""
    output = Path(config.output_dir) / "negatives"
    run_on_training_tasks(config, output, hf_model_args(config.model, config))
    return output


def hallucinations(run_dir: Path) -> dict[tuple[str, str], str]:
    """(task, sample id) → the answer a model gave where it did not refuse, from a run directory."""
    if not list((run_dir / "samples").glob("*.jsonl")):
        raise UsageError(
            f"negatives: {run_dir} holds no samples/*.jsonl; point it at a `refusal-bench run` "
            "output over the training tasks, or leave it unset to generate one"
        )
    return {
        (task, response.sample_id): response.text.strip()
        for task, response in responses_in(run_dir)
        if response.ok and response.text.strip() and not is_refusal(response.text)
    }


class VideoPreferenceCollator:
    """TRL's preference batch layout ([chosen rows; rejected rows], `completion_mask`) built from
    the video frames, the way TRL's image collator builds it from images."""

    def __init__(self, processor, loader, *, with_weights: bool = False) -> None:
        self.processor = processor
        self.loader = loader
        self.with_weights = with_weights

    def __call__(self, examples: list[dict]):
        import torch
        from trl.trainer.utils import flush_left, pad

        tokenizer = self.processor.tokenizer
        eos = tokenizer.eos_token or ""
        clips = [frames_for(self.loader, e["video"]) for e in examples] * 2
        prompts = [
            chat_prompt(self.processor, e, clip)
            for e, clip in zip(examples * 2, clips, strict=True)
        ]
        prompt_batch = self.processor(
            text=prompts,
            padding=True,
            padding_side="left",
            return_tensors="pt",
            **video_inputs(self.processor, clips),
        )
        completions = [
            tokenizer([e[key] + eos for e in examples], padding=True, padding_side="right",
                      add_special_tokens=False, return_tensors="pt")
            for key in ("chosen", "rejected")
        ]  # fmt: skip
        pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        completion_ids = torch.cat(
            tuple(pad([c["input_ids"] for c in completions], padding_value=pad_id))
        )
        completion_mask = torch.cat(
            tuple(pad([c["attention_mask"] for c in completions], padding_value=0))
        )
        prompt_mask = prompt_batch["attention_mask"]
        input_ids = torch.cat((prompt_batch["input_ids"], completion_ids), dim=1)
        attention_mask = torch.cat((prompt_mask, completion_mask), dim=1)
        completion_mask = torch.cat((torch.zeros_like(prompt_mask), completion_mask), dim=1)
        columns = {"attention_mask": attention_mask, "input_ids": input_ids,
                   "completion_mask": completion_mask}  # fmt: skip
        if "mm_token_type_ids" in prompt_batch:  # Qwen-VL's M-RoPE: which tokens are video
            columns["mm_token_type_ids"] = torch.cat(
                (prompt_batch["mm_token_type_ids"], torch.zeros_like(completion_ids)), dim=1
            )
        columns = dict(zip(columns, flush_left(*columns.values()), strict=True))
        batch = {k: v for k, v in prompt_batch.items() if k not in columns} | columns
        if self.with_weights:
            batch["weight"] = torch.tensor([float(e["weight"]) for e in examples])
        return batch


if __name__ == "__main__":
    recipe_cli(CONFIG, main, __doc__)
