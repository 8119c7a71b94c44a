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

from dataclasses import asdict, dataclass
from pathlib import Path

from baselines.common import (
    chat_prompt,
    evaluate,
    frames_for,
    hf_model_args,
    recipe_cli,
    single_process_distributed_env,
    training_samples,
    video_loader,
    zero_stage,
)
from baselines.data import dpo_pairs
from benchmark.errors import UsageError
from benchmark.parse import is_refusal
from benchmark.records import read_run_file


@dataclass
class DPORecipeConfig:
    model: str  # checkpoint to start from (also the frozen reference policy)
    output_dir: str = "checkpoints/dpo"
    tasks: str = "synth_qa,synth_uvqa"
    eval_tasks: str = "synth_qa,synth_uvqa"
    negatives: str | None = None  # a run directory with hallucinated answers; None: generate them
    data_root: str | None = None
    video_root: str | None = None
    frames: int = 8
    beta: float = 0.1
    learning_rate: float = 1e-6
    per_device_train_batch_size: int = 4
    gradient_accumulation_steps: int = 32
    num_train_epochs: float = 1.0
    max_steps: int = -1
    lr_scheduler_type: str = "constant"
    bf16: bool = True
    use_cpu: bool = False
    deepspeed: str | None = None
    seed: int = 0
    limit: int | None = None
    eval_limit: int | None = None


CONFIG = DPORecipeConfig


def main(config: DPORecipeConfig) -> dict:
    samples, root = training_samples(
        config.tasks, split="train", data_root=config.data_root, seed=config.seed,
        limit=config.limit,
    )  # fmt: skip
    negatives = hallucinations(Path(config.negatives) if config.negatives else generate(config))
    pairs = dpo_pairs(samples, negatives=negatives, seed=config.seed)
    summary = train(config, pairs, root)
    summary["generated_negatives"] = sum(1 for p in pairs if p["sample_id"] in negatives)
    return summary


def train(config, pairs: list[dict], root, *, trainer_class=None) -> dict:
    """DPO on preference pairs against the frozen starting model, save, evaluate."""
    import datasets
    import torch
    from transformers import AutoModelForImageTextToText, AutoProcessor

    if config.deepspeed:
        single_process_distributed_env()
    from trl import DPOConfig, DPOTrainer

    trainer_class = trainer_class or DPOTrainer
    loader = video_loader(config.video_root or root, config.frames)
    processor = AutoProcessor.from_pretrained(config.model)
    dtype = torch.bfloat16 if config.bf16 else torch.float32
    model = AutoModelForImageTextToText.from_pretrained(config.model, dtype=dtype)
    args = DPOConfig(
        output_dir=config.output_dir,
        beta=config.beta,
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
        max_length=None,
    )
    # An empty "images" column marks the dataset as a vision one, so TRL leaves tokenisation to
    # the collator (which decodes the video frames) instead of tokenising text up front.
    dataset = datasets.Dataset.from_list([pair | {"images": []} for pair in pairs])
    trainer = trainer_class(
        model=model,
        args=args,
        train_dataset=dataset,
        data_collator=VideoPreferenceCollator(processor, loader),
        processing_class=processor,
    )
    result = trainer.train()
    trainer.save_model(config.output_dir)
    processor.save_pretrained(config.output_dir)
    summary = {
        "train_loss": result.training_loss,
        "steps": result.global_step,
        "zero_stage": zero_stage(trainer),
        "pairs": len(pairs),
        "config": asdict(config),
    }
    if config.eval_tasks:
        summary["eval"] = evaluate(config)
    return summary


def generate(config: DPORecipeConfig) -> Path:
    """The base model's answers on the training tasks, through the runner (resumable)."""
    from benchmark.runner import RunConfig, run

    output = Path(config.output_dir) / "negatives"
    run(
        RunConfig(
            model="hf",
            model_args=hf_model_args(config.model, config.frames),
            tasks=config.tasks,
            output=output,
            limit=config.limit,
            data_root=config.data_root,
            video_root=config.video_root,
            seed=config.seed,
            split="train",
            sbert="none",
            progress=False,
        )
    )
    return output


def hallucinations(run_dir: Path) -> dict[str, str]:
    """sample id → the answer a model gave where it did not refuse, from a run directory."""
    files = sorted((run_dir / "samples").glob("*.jsonl"))
    if not files:
        raise UsageError(
            f"negatives: {run_dir} holds no samples/*.jsonl; point it at a `refusal-bench run` "
            "output over the training tasks, or leave it unset to generate one"
        )
    answers = {}
    for path in files:
        if ".part" in path.name:
            continue
        responses, _ = read_run_file(path)
        for response in responses:
            if response.ok and response.text.strip() and not is_refusal(response.text):
                answers[response.sample_id] = response.text.strip()
    return answers


class VideoPreferenceCollator:
    """TRL's preference batch layout ([chosen rows; rejected rows], `completion_mask`) built from
    the video frames, the way TRL's image collator builds it from images."""

    def __init__(self, processor, loader) -> None:
        self.processor = processor
        self.loader = loader

    def __call__(self, examples: list[dict]):
        import torch
        from trl.trainer.utils import flush_left, pad

        tokenizer = self.processor.tokenizer
        eos = tokenizer.eos_token or ""
        prompts = [chat_prompt(self.processor, e) for e in examples] * 2
        videos = [frames_for(self.loader, e["video"]) for e in examples] * 2
        prompt_batch = self.processor(
            text=prompts, videos=videos, padding=True, padding_side="left", return_tensors="pt"
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
        return {k: v for k, v in prompt_batch.items() if k not in columns} | columns


if __name__ == "__main__":
    recipe_cli(CONFIG, main, __doc__)
