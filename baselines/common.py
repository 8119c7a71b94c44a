"""What every recipe shares: its config file, the training videos, and the closing evaluation."""

from __future__ import annotations

import dataclasses
import os
import socket
import typing
from pathlib import Path
from typing import Any

import yaml

from benchmark.errors import UsageError
from benchmark.records import VideoRef
from benchmark.task_loading import load_task
from benchmark.video import FrameSpec, VideoLoader


def load_config(cls, path: str | Path | None, overrides: list[str] | None = None):
    """A recipe config dataclass from a YAML file, with `key=value` overrides applied."""
    values: dict[str, Any] = {}
    if path is not None:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise UsageError(f"{path}: expected a mapping of recipe settings")
        values.update(data)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for item in overrides or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--set expects key=value, got {item!r}")
        values[key] = yaml.safe_load(value)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise UsageError(
            f"unknown setting {unknown[0]!r} for {cls.__name__}; known: {', '.join(fields)}"
        )
    hints = typing.get_type_hints(cls)
    for key, value in values.items():
        if hints.get(key) is float and isinstance(value, int | str):
            values[key] = float(value)
    return cls(**values)


def training_samples(
    tasks: str, *, split: str, data_root: str | None, seed: int, limit: int | None = None
):
    """Samples of the training tasks, and the video root their paths resolve against."""
    samples, root = [], None
    for task in [t.strip() for t in tasks.split(",") if t.strip()]:
        loaded = load_task(
            task,
            data_root=data_root,
            seed=seed,
            limit=limit,
            split=split if task.startswith("synth") else None,
        )
        samples += loaded.samples
        root = root or loaded.video_root
    return samples, root


def frames_for(loader: VideoLoader, video: dict) -> list:
    """The sampled frames (PIL images) of an example's video."""
    return list(loader.frames(VideoRef(**video)).images)


def chat_prompt(processor, example: dict) -> str:
    """The example's system + video + question turn in the model's chat template, ready for the
    assistant's reply."""
    conversation = [
        {"role": "system", "content": [{"type": "text", "text": example["system"]}]},
        {
            "role": "user",
            "content": [{"type": "video"}, {"type": "text", "text": example["prompt"]}],
        },
    ]
    return processor.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)


def video_loader(root: Path | str | None, frames: int) -> VideoLoader:
    return VideoLoader(
        Path(root) if root else None, FrameSpec(num_frames=frames, total_pixels=None)
    )


def evaluate(config) -> dict:
    """The trained checkpoint through the benchmark runner (the same path as any hf model)."""
    from benchmark.runner import RunConfig, run

    outcome = run(
        RunConfig(
            model="hf",
            model_args=hf_model_args(config.output_dir, config.frames),
            tasks=config.eval_tasks,
            output=Path(config.output_dir) / "eval",
            limit=config.eval_limit,
            data_root=config.data_root,
            video_root=config.video_root,
            sbert="none",
            progress=False,
        )
    )
    return {task: entry["metrics"] for task, entry in outcome.results["tasks"].items()}


def hf_model_args(checkpoint: str, frames: int) -> dict[str, str]:
    """`--model hf` arguments for a recipe's checkpoint, with the frames it trained on."""
    return {"pretrained": str(checkpoint), "frames": str(frames), "max_new_tokens": "64"}


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


def zero_stage(trainer) -> int | None:
    """The DeepSpeed ZeRO stage the trainer ran under (None without DeepSpeed)."""
    if not getattr(trainer, "is_deepspeed_enabled", False):
        return None
    return trainer.model_wrapped.zero_optimization_stage()


def sampled_confidences(config, samples) -> dict[str, float]:
    """InBoL's confidence of the starting model on each answerable training question: the share
    of `config.n_samples` sampled answers (temperature `config.temperature`) that match the
    reference. Each round of answers is a resumable runner run under `output_dir/confidence/`."""
    import torch

    from baselines.data import confidence
    from benchmark.models import load_model
    from benchmark.records import read_run_file
    from benchmark.runner import RunConfig, run

    args = hf_model_args(config.model, config.frames) | {
        "do_sample": "true",
        "temperature": str(config.temperature),
    }
    model = load_model("hf", args)
    answers: dict[str, list[str]] = {}
    for round_ in range(config.n_samples):
        torch.manual_seed(config.seed + round_)
        output = Path(config.output_dir) / "confidence" / f"round-{round_}"
        run(
            RunConfig(model="hf", model_args=args, tasks=config.tasks, output=output,
                      limit=config.limit, data_root=config.data_root,
                      video_root=config.video_root, seed=config.seed, split="train",
                      sbert="none", progress=False),
            model=model,
        )  # fmt: skip
        for path in sorted((output / "samples").glob("*.jsonl")):
            if ".part" not in path.name:
                for response in read_run_file(path)[0]:
                    answers.setdefault(response.sample_id, []).append(response.text)
    return {
        s.id: confidence(answers.get(s.id, []), s.answer or "")
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
