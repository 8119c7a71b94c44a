"""What every recipe shares: its settings and config file, the training samples and videos, the
model to train, and the closing save and evaluation."""

from __future__ import annotations

import dataclasses
import os
import socket
import typing
from pathlib import Path
from typing import Any

import yaml

from benchmark.coerce import CoercionError, coerce
from benchmark.errors import UsageError
from benchmark.models.conversation import chat_text
from benchmark.records import VideoRef
from benchmark.task_loading import load_task
from benchmark.video import Frames, FrameSpec, VideoLoader


def load_config(cls, path: str | Path | None, overrides: list[str] | None = None):
    """A recipe config dataclass from a YAML file, with `key=value` overrides applied; every
    problem (no file, bad YAML, unknown or missing setting, wrong type) is a UsageError."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise UsageError(f"{path}: cannot read the recipe config ({exc.strerror})") from None
        except yaml.YAMLError as exc:
            raise UsageError(f"{path}: not valid YAML ({exc})") from None
        if not isinstance(data, dict):
            raise UsageError(f"{path}: expected a mapping of recipe settings")
        values.update(data)
    for item in overrides or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--set expects key=value, got {item!r}")
        # `--set eval_tasks=` is the empty setting, not YAML's null (which a text field would
        # read as the string 'None')
        values[name] = yaml.safe_load(value) if value.strip() else ""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise UsageError(
            f"unknown setting {unknown[0]!r} for {cls.__name__}; known: {', '.join(fields)}"
        )
    missing = [
        name
        for name, f in fields.items()
        if name not in values
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise UsageError(f"set {missing[0]!r} in the config file or with --set {missing[0]}=...")
    hints = typing.get_type_hints(cls)
    return cls(**{name: _typed(name, value, hints[name]) for name, value in values.items()})


def _typed(name: str, value: Any, hint: Any) -> Any:
    """A setting's value as its field's type (YAML reads `1e-6` as text, `3` as an int)."""
    try:
        return coerce(value, hint)
    except CoercionError as exc:
        raise UsageError(f"setting {name!r} {exc}") from None


@dataclasses.dataclass
class RecipeConfig:
    """The settings every recipe has; each recipe's config adds its own (UVQA defaults: lr 1e-6,
    4 x 32 = 128 samples per step on one GPU, 1 epoch, constant schedule, bf16)."""

    model: str  # checkpoint to start from (hub id or folder)
    output_dir: str = "checkpoints/recipe"
    tasks: str = "synth_qa,synth_uvqa"  # training sources, or synthetic tasks (their train split)
    eval_tasks: str = "synth_qa,synth_uvqa"  # evaluated through the runner at the end ("" to skip)
    data_root: str | None = None
    video_root: str | None = None
    frames: int = 8  # uniform frames per video; 0: sample at `fps` within `total_pixels`
    fps: float = 2.0
    total_pixels: int = 3584 * 28 * 28  # pixel budget over a video's frames (the hf default)
    learning_rate: float = 1e-6
    per_device_train_batch_size: int = 4
    gradient_accumulation_steps: int = 32
    num_train_epochs: float = 1.0
    max_steps: int = -1
    lr_scheduler_type: str = "constant"
    warmup_steps: float = 0.0  # steps, or in [0, 1) a share of them (UVQA's scripts: 0.03)
    bf16: bool = True
    use_cpu: bool = False
    deepspeed: str | None = None  # e.g. baselines/configs/ds_zero2.json
    seed: int = 0
    limit: int | None = None  # samples per task, for smoke tests
    eval_limit: int | None = None
    allow_test_data: bool = False  # train on a test set anyway (never for published numbers)

    def training_arguments(self) -> dict[str, Any]:
        """The keyword arguments TRL's configs (SFTConfig, DPOConfig, GRPOConfig) share."""
        return {
            "output_dir": self.output_dir,
            "learning_rate": self.learning_rate,
            "per_device_train_batch_size": self.per_device_train_batch_size,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
            "num_train_epochs": self.num_train_epochs,
            "max_steps": self.max_steps,
            "lr_scheduler_type": self.lr_scheduler_type,
            "warmup_steps": self.warmup_steps,
            "bf16": self.bf16,
            "use_cpu": self.use_cpu,
            "deepspeed": self.deepspeed,
            "seed": self.seed,
            "report_to": "none",
            "logging_steps": 1,
            "save_strategy": "no",  # the recipe saves the final model itself
            "remove_unused_columns": False,  # the collators and rewards read the other columns
        }


def training_samples(config: RecipeConfig) -> tuple[list, Path]:
    """Samples of the training tasks and the folder of their videos (`video_root`, else the
    tasks' own), checked before any model is loaded or run."""
    samples, root = [], config.video_root
    for spec in training_specs(config):
        loaded = load_task(
            spec,
            data_root=config.data_root,
            seed=config.seed,
            limit=config.limit,
            split="train" if spec.split == "train" or _synthetic(spec) else None,
        )
        samples += loaded.samples
        root = root or loaded.video_root
    if root is None:
        raise UsageError(
            f"the videos of {config.tasks} are not on this machine: set video_root "
            "(--set video_root=DIR) or REFUSAL_BENCH_VIDEOS"
        )
    return samples, Path(root)


def load_model(config: RecipeConfig, padding_side: str):
    """The processor and model to train, after DeepSpeed's process group when it is asked for
    (TRL's configs read it when they are built)."""
    import torch
    from transformers import AutoModelForImageTextToText, AutoProcessor

    if config.deepspeed:
        single_process_distributed_env()
    processor = AutoProcessor.from_pretrained(config.model)
    processor.tokenizer.padding_side = padding_side
    dtype = torch.bfloat16 if config.bf16 else torch.float32
    return processor, AutoModelForImageTextToText.from_pretrained(config.model, dtype=dtype)


def finish(trainer, processor, config: RecipeConfig, **facts) -> dict[str, Any]:
    """Train, save the model with its processor, evaluate it through the runner; the summary
    (with the per-step log: loss, and each trainer's own figures such as DPO's reward margin).
    Every rank waits for the saved checkpoint before the evaluation loads it."""
    result = trainer.train()
    trainer.save_model(config.output_dir)
    if trainer.is_world_process_zero():
        processor.save_pretrained(config.output_dir)
    trainer.accelerator.wait_for_everyone()
    summary = {
        "train_loss": result.training_loss,
        "steps": result.global_step,
        "zero_stage": zero_stage(trainer),
        "history": step_history(trainer),
        **facts,
        "config": dataclasses.asdict(config),
    }
    if config.eval_tasks:
        summary["eval"] = evaluate(config)
    return summary


def step_history(trainer) -> list[dict[str, float]]:
    """The trainer's per-step logs (numbers only), in step order."""
    return [
        {k: v for k, v in entry.items() if isinstance(v, int | float)}
        for entry in trainer.state.log_history
        if "loss" in entry
    ]


def frames_for(loader: VideoLoader, video: dict) -> Frames:
    """The sampled frames (with their times) of an example's video."""
    return loader.frames(VideoRef(**video))


def chat_prompt(processor, example: dict, frames: Frames) -> str:
    """The example's conversation as evaluation writes it (`benchmark.models.conversation`:
    system prompt, video, the frames' times, the task prompt), ready for the assistant's reply."""
    return chat_text(processor, example["system"], example["prompt"], frames.timestamps)


def video_loader(root: Path, config: RecipeConfig) -> VideoLoader:
    """The training videos' frames, sampled as the recipe's evaluation samples them."""
    return VideoLoader(root, frame_spec(config))


def frame_spec(config: RecipeConfig) -> FrameSpec:
    """How a recipe samples frames: `frames` uniform ones, or `fps` (0 frames) within the budget."""
    return FrameSpec(
        num_frames=config.frames or None, fps=config.fps, total_pixels=config.total_pixels
    )


def evaluate(config) -> dict:
    """The trained checkpoint through the benchmark runner (the same path as any hf model)."""
    from benchmark.runner import RunConfig, run

    outcome = run(
        RunConfig(
            model="hf",
            model_args=hf_model_args(config.output_dir, config),
            tasks=config.eval_tasks,
            output=Path(config.output_dir) / "eval",
            limit=config.eval_limit,
            data_root=config.data_root,
            video_root=config.video_root,
            sbert="none",
            progress=False,
        )
    )
    if outcome.results is None:  # a rank other than 0: rank 0 scores the merged run
        return {}
    return {task: entry.metrics for task, entry in outcome.results.tasks.items()}


def hf_model_args(checkpoint: str, config: RecipeConfig) -> dict[str, str]:
    """`--model hf` arguments for a recipe's checkpoint, sampling frames as it trained on them."""
    args = {"pretrained": str(checkpoint), "max_new_tokens": "64"}
    args |= {"frames": str(config.frames)} if config.frames else {"fps": str(config.fps)}
    return args | {"total_pixels": str(config.total_pixels)}


def single_process_distributed_env() -> None:
    """DeepSpeed needs a process group even on one process: when no launcher (accelerate,
    torchrun, deepspeed) set one up, describe a world of one on a free local port."""
    if "RANK" in os.environ or "LOCAL_RANK" in os.environ:
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ.update(RANK="0", LOCAL_RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1",
                      MASTER_PORT=str(port))  # fmt: skip


def training_specs(config: RecipeConfig) -> list:
    """The specs of the training tasks, every task of a group included; a test set is refused
    (a recipe trains on training sources, `metadata.split: train`, or the synthetic train split)
    unless `allow_test_data` is set."""
    from benchmark.registry import load_registry

    specs = load_registry().resolve(config.tasks)
    for spec in specs:
        if spec.split != "train" and not _synthetic(spec) and not config.allow_test_data:
            raise UsageError(
                f"{spec.name} is a test set: recipes train on training sources (hi_vtg_train, "
                "uvqa_train: `refusal-bench data fetch training`) or the synthetic train split "
                "(synth_*); set allow_test_data=true to train on it anyway"
            )
    return specs


def _synthetic(spec) -> bool:
    return any(recipe.loader == "synthetic" for recipe in spec.data)


def zero_stage(trainer) -> int | None:
    """The DeepSpeed ZeRO stage the trainer ran under (None without DeepSpeed)."""
    if not getattr(trainer, "is_deepspeed_enabled", False):
        return None
    return trainer.model_wrapped.zero_optimization_stage()


def run_on_training_tasks(config: RecipeConfig, output: Path, model_args: dict, model=None):
    """A resumable runner run of the `hf` model over the training tasks' train split (the
    recipes' model-generated data: DPO's negatives, InBoL's sampled answers). Under a launcher
    every rank generates its share on its own GPU, and every rank returns only once rank 0 has
    merged the shares, so all ranks read the same answers back (`responses_in`)."""
    from benchmark import sharding
    from benchmark.registry import load_registry
    from benchmark.runner import RunConfig, run

    run(
        RunConfig(model="hf", model_args=model_args, tasks=config.tasks, output=output,
                  limit=config.limit, data_root=config.data_root, video_root=config.video_root,
                  seed=config.seed, split="train", sbert="none", progress=False),
        model=model,
    )  # fmt: skip
    rank, size = sharding.world()
    if size > 1 and rank != 0:
        tasks = [spec.name for spec in load_registry().resolve(config.tasks)]
        sharding.wait_for_merge(output, tasks, rank)


def responses_in(run_dir: Path) -> list:
    """(task, response) for every response of a run directory: a run file holds one task,
    `samples/<task>.jsonl`; the rank part files of an unfinished sharded run
    (`<task>.rank<R>.jsonl`) are not yet the run's."""
    from benchmark.records import read_run_file
    from benchmark.sharding import is_part

    paths = sorted((Path(run_dir) / "samples").glob("*.jsonl"))
    return [
        (path.stem, response)
        for path in paths
        if not is_part(path)
        for response in read_run_file(path)[0]
    ]


def sampled_answers(config, samples) -> dict[tuple[str, str], list[str]]:
    """InBoL's sampling: `config.n_samples` answers of the starting model (temperature
    `config.temperature`) to each training question, by (task, sample id). Each round is a
    resumable runner run under `output_dir/confidence/`, re-seeded per round."""
    import torch

    from benchmark.models import load_model as load_benchmark_model

    args = hf_model_args(config.model, config) | {
        "do_sample": "true",
        "temperature": str(config.temperature),
    }
    model = load_benchmark_model("hf", args)  # loaded once, re-seeded for every round
    answers: dict[tuple[str, str], list[str]] = {}
    for round_ in range(config.n_samples):
        torch.manual_seed(config.seed + round_)
        output = Path(config.output_dir) / "confidence" / f"round-{round_}"
        run_on_training_tasks(config, output, args, model=model)
        for task, response in responses_in(output):
            answers.setdefault((task, response.sample_id), []).append(response.text)
    return answers


def confidences_of(samples, answers) -> dict[tuple[str, str], float]:
    """InBoL's confidence on each answerable question: the share of its sampled answers that
    match the reference."""
    from baselines.data import confidence, key

    return {
        key(s): confidence(answers.get(key(s), []), s.answer or "")
        for s in samples
        if s.kind == "answerable"
    }


def recipe_cli(config_class, main, doc: str | None) -> None:
    """`python baselines/RECIPE/train.py --config FILE [--set KEY=VALUE ...]` (what accelerate
    launches); prints the run's summary."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--config", required=True, help="recipe config YAML")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    cli = parser.parse_args()
    summary = main(load_config(config_class, cli.config, cli.set))
    print(json.dumps({k: v for k, v in summary.items() if k != "config"}, indent=2))
