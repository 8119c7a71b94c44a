"""run.json: what a run records about itself, built here and nowhere else.

`start_run_info` makes a new `RunInfo` (or reopens the one of a run being resumed, after
checking it is the same run), `task_provenance` records what each task was evaluated on, and
`finish_run_info` adds what only the end of a run knows. `samples_digest` is the sha256 that ties
a run (and a submission) to the exact samples it was evaluated on.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import benchmark
from benchmark.errors import UsageError
from benchmark.families import FAMILIES
from benchmark.model_card import build_card
from benchmark.records import Sample, read_json, to_dict
from benchmark.registry import TaskSpec
from benchmark.run_records import RunInfo, TaskProvenance


def prompt_versions() -> dict[str, str]:
    """family -> its default prompt version: recorded in run.json, compared on resume and by
    the leaderboard (each task's own prompt is in its provenance)."""
    return {name: family.prompt for name, family in FAMILIES.items()}


def start_run_info(config, output: Path, model) -> RunInfo:
    """The RunInfo of a new run, or that of the run in `output` when it is the same run (same
    model and arguments, seed, split and prompts): resuming it."""
    previous = output / "run.json"
    if previous.exists():
        info = RunInfo.from_dict(read_json(previous), where=str(previous))
        same = (
            info.model.get("registry_name") == config.model
            and info.model.get("args") == config.model_args
            and info.seed == config.seed
            and info.split == config.split
            and info.prompts == prompt_versions()
        )
        if not same:
            raise UsageError(
                f"{output} holds a run of a different model, model args, seed or prompt version "
                f"({info.model.get('registry_name')!r} {info.model.get('args')}); "
                "choose another --output, or repeat that run's settings to resume it"
            )
        if config.model_card:  # `--model-name` / `--model-card` on a resumed run: its card
            info.model["card"] = build_card(info.model.get("card") or {}, config.model_card,
                                            config.model, info.model.get("frames"))  # fmt: skip
        if config.base_run:
            info.base_run = config.base_run
        info.status, info.error = "running", None
        info.resumed = [*info.resumed, now()]
        info.command = sys.argv
        return info
    if model is None:
        raise UsageError(f"{output} is not a run directory (no run.json)")
    described = {
        "revision": None,
        **model.describe(),
        "registry_name": config.model,
        "args": config.model_args,
    }
    described["card"] = build_card(
        model.card(), config.model_card, config.model, described.get("frames")
    )
    return RunInfo(
        refusal_bench=benchmark.__version__,
        git_sha=git_sha(),
        created=now(),
        status="running",
        command=sys.argv,
        python=platform.python_version(),
        platform=platform.platform(),
        model=described,
        seed=config.seed,
        split=config.split,
        limit=config.limit,
        bootstrap=config.bootstrap,
        base_run=config.base_run,
        prompts=prompt_versions(),
        data_root=_absolute(config.data_root),
        video_root=_absolute(config.video_root),
    )


def record_task(info: RunInfo, spec: TaskSpec, loaded, samples: list[Sample]) -> None:
    """Record what a task is evaluated on in `info`; a run being resumed must have asked the
    task the same way (its responses would otherwise mix two prompts or settings)."""
    new = task_provenance(spec, loaded, samples)
    old = info.tasks.get(spec.name)
    for name in ("version", "prompt", "generation"):
        before, now_ = getattr(old, name, None), getattr(new, name)
        if before is not None and before != now_:
            raise UsageError(
                f"task {spec.name} was run with {name} {before!r}; its YAML now says {now_!r}: "
                "choose another --output, or restore the task's settings to resume the run"
            )
    info.tasks[spec.name] = new


def task_provenance(spec: TaskSpec, loaded, samples: list[Sample]) -> TaskProvenance:
    return TaskProvenance(
        version=spec.version,
        family=spec.family.name,
        source=loaded.how,
        n=len(samples),
        samples_sha256=samples_digest(samples),
        files={str(p): file_sha256(p) for p in loaded.files},
        load_report=loaded.report.as_dict(),
        prompt=spec.prompt,
        generation=spec.generation.describe(),
    )


def finish_run_info(info: RunInfo, *, frames: dict[str, Any] | None, model, judge) -> None:
    """What the end of a run knows: decoding statistics, API usage, completion."""
    if frames is not None:
        info.frames = frames
    if model is not None and hasattr(model, "usage"):  # tokens and requests of an API model
        info.model_usage = model.usage()
    if hasattr(judge, "usage"):  # requests, retries, cache hits, tokens and cost of an API judge
        info.judge_usage = {**(info.judge_usage or {}), judge.name: judge.usage()}
    info.status = "complete"
    info.finished = now()


def samples_digest(samples: list[Sample]) -> str:
    """sha256 of a task's samples in canonical JSON: what a run was evaluated on."""
    digest = hashlib.sha256()
    for sample in samples:
        digest.update(json.dumps(to_dict(sample), sort_keys=True).encode() + b"\n")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def git_sha() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(benchmark.__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _absolute(path: str | None) -> str | None:
    return str(Path(path).expanduser().resolve()) if path else None
