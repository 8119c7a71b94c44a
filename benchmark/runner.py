"""`refusal-bench run`: generate → score → aggregate, over files, resumable.

A run directory holds

    run.json               config and provenance (package version and git sha, model, judge,
                           prompt versions, seeds, each task's version and data sha256)
    samples/<task>.jsonl   append-only: one line per response, one per judgment
    results.json           metrics per task with counts and confidence intervals

The per-sample lines are the source of truth; results.json is derived and rebuilt at the end of
every run. Each batch's lines are flushed and fsynced before the next batch starts, so a run
killed at any point (SIGKILL included) and started again with the same command redoes only what
has no complete line yet: no sample is lost or done twice, and the results equal those of an
uninterrupted run. A sample whose generation failed is retried when the run is resumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark import sharding
from benchmark.errors import BenchmarkError, EndpointDown, UsageError
from benchmark.generating import generate_responses, latest_responses
from benchmark.metrics import METRICS, summarize_task
from benchmark.models import Model, load_model
from benchmark.progress import Progress
from benchmark.protocols import protocol_of
from benchmark.provenance import finish_run_info, record_task, start_run_info
from benchmark.records import (
    Judgment,
    Response,
    Sample,
    append_records,
    read_json,
    read_run_file,
    write_json,
)
from benchmark.registry import TaskSpec, load_registry
from benchmark.run_records import Results, RunInfo
from benchmark.scorers import Judge, JudgeSpec, load_judge
from benchmark.task_loading import load_task
from benchmark.video import FrameCache, FrameSpec, VideoLoader


@dataclass
class RunConfig:
    model: str
    tasks: str
    output: Path
    model_args: dict[str, str] = field(default_factory=dict)
    model_card: dict[str, str] = field(default_factory=dict)  # --model-name / --model-card
    base_run: str | None = None  # id of the base (unaligned) run: UVQA's paired scores
    limit: int | None = None
    judge: str = "rules"  # a judge id (`JudgeSpec`): rules, openai:<model>, rules[sbert=none]
    judge_options: dict[str, Any] = field(default_factory=dict)  # e.g. concurrency, cache
    sbert: str | None = None  # unless the judge id names one; None: the protocol's model
    protocol: str | None = None  # scoring protocol unless the judge id names one; None: default
    data_root: str | None = None
    video_root: str | None = None
    seed: int = 0
    batch_size: int | None = None
    bootstrap: int = 1000
    max_failure_rate: float = 0.0
    progress: bool = True
    frame_cache_mb: int = 512  # decoded frames kept in memory, shared by a video's queries
    generate: bool = True  # False: only score the responses already in the run directory
    split: str | None = None  # "train": a synthetic task's train split (the recipes' negatives)


@dataclass
class RunOutcome:
    results: Results
    output: Path
    failed: bool  # generation errors or judge failures above the allowed rate
    failed_ids: dict[str, list[str]] = field(default_factory=dict)  # per task, in sample order


def run(config: RunConfig, *, model: Model | None = None, judge: Judge | None = None) -> RunOutcome:
    """Evaluate a model on tasks into `config.output` (resuming what is already there)."""
    output = Path(config.output)
    specs = load_registry().resolve(config.tasks)
    rank, size = sharding.world()
    if model is None and config.generate:
        model = load_model(config.model, config.model_args)
    if rank != 0:  # a data-parallel worker: generate its share, rank 0 does the rest
        return _generate_share(config, model, specs, rank, size)
    info = start_run_info(config, output, model)
    judge = judge or load_judge(
        JudgeSpec.parse(config.judge, sbert=config.sbert, protocol=config.protocol),
        **config.judge_options,
    )
    info.judge = judge.describe()
    info.protocol = protocol_of(judge.name).name
    info.bootstrap = config.bootstrap  # results.json's intervals are recomputed with it
    write_json(output / "run.json", info.to_dict())

    try:
        results, failed, failed_ids = _run_tasks(config, specs, model, judge, info, output)
    except BaseException as exc:  # run.json says the run stopped, and why; resuming clears it
        info.status = "failed"
        info.error = "interrupted" if isinstance(exc, KeyboardInterrupt) else _one_line(exc)
        write_json(output / "run.json", info.to_dict())
        raise
    return RunOutcome(results=results, output=output, failed=failed, failed_ids=failed_ids)


# --- generation --------------------------------------------------------------------------------


def _run_tasks(config: RunConfig, specs, model, judge, info, output: Path):
    """Generate, judge and summarize each task; (results, whether failures passed the limit)."""
    rank, size = sharding.world()
    results = Results(model=info.model["name"], judge=judge.name)
    failed = False
    failed_ids: dict[str, list[str]] = {}
    frame_spec = None
    if model is not None and model.needs_frames:
        frame_spec = getattr(model, "frame_spec", None) or FrameSpec()
    cache = FrameCache(config.frame_cache_mb * 1024 * 1024)
    loaders: dict[Path | None, VideoLoader] = {}
    for spec in specs:
        loaded = load_task(
            spec,
            data_root=config.data_root,
            video_root=config.video_root,
            seed=config.seed,
            limit=config.limit,
            split=config.split,
        )
        samples = loaded.samples
        record_task(info, spec, loaded, samples)
        write_json(output / "run.json", info.to_dict())
        path = output / "samples" / f"{spec.name}.jsonl"
        videos = None
        if frame_spec is not None:
            root = Path(config.video_root) if config.video_root else loaded.video_root
            videos = loaders.setdefault(root, VideoLoader(root, frame_spec, cache))
        if config.generate and size > 1:
            _generate_part(model, spec, samples, path, config, videos, rank, size)
            sharding.wait_for_parts(path, size)
            sharding.merge_parts(path, size, samples)
            responses = latest_responses(path)
        elif config.generate:
            responses = generate_responses(
                model,
                spec,
                samples,
                path,
                videos,
                batch_size=config.batch_size,
                progress=config.progress,
            )
        else:
            responses = latest_responses(path)
        judgments = _score(judge, spec, samples, responses, path, config)
        errors = sum(1 for s in samples if s.id in responses and not responses[s.id].ok)
        summary = summarize_task(
            samples,
            judgments,
            family=spec.family,
            judge=judge.name,
            version=spec.version,
            errors=errors,
            n_resamples=config.bootstrap,
            seed=config.seed,
        )
        results.tasks[spec.name] = summary
        rate = (summary.failures + errors) / max(len(samples), 1)
        failed |= rate > config.max_failure_rate
        bad = [
            s.id
            for s in samples
            if (s.id in responses and not responses[s.id].ok)
            or (s.id in judgments and judgments[s.id].status != "ok")
        ]
        if bad:
            failed_ids[spec.name] = bad
    write_json(output / "results.json", results.to_dict())
    frames = None
    if frame_spec is not None:
        frames = {
            **frame_spec.describe(),
            "decodes": sum(v.decodes for v in loaders.values()),
            "distinct_videos": sum(len(v.videos) for v in loaders.values()),
            "cache_peak_bytes": cache.peak_bytes,
            "cache_limit_bytes": cache.max_bytes,
        }
    finish_run_info(info, frames=frames, model=model, judge=judge)
    write_json(output / "run.json", info.to_dict())
    return results, failed, failed_ids


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if isinstance(exc, BenchmarkError) else f"{type(exc).__name__}: {text}"


def _generate_share(config: RunConfig, model: Model, specs, rank: int, size: int) -> RunOutcome:
    """What a rank other than 0 does: generate its share of every task, then stop."""
    frame_spec = (getattr(model, "frame_spec", None) or FrameSpec()) if model.needs_frames else None
    cache = FrameCache(config.frame_cache_mb * 1024 * 1024)
    for spec in specs:
        loaded = load_task(spec, data_root=config.data_root, video_root=config.video_root,
                           seed=config.seed, limit=config.limit, split=config.split)  # fmt: skip
        videos = None
        if frame_spec is not None:
            root = Path(config.video_root) if config.video_root else loaded.video_root
            videos = VideoLoader(root, frame_spec, cache)
        path = Path(config.output) / "samples" / f"{spec.name}.jsonl"
        _generate_part(model, spec, loaded.samples, path, config, videos, rank, size)
    return RunOutcome(results=Results(), output=Path(config.output), failed=False)


def _generate_part(model, spec, samples, path, config, videos, rank: int, size: int) -> None:
    """Generate this rank's share of a task into its part file and mark it done."""
    merged = latest_responses(path)
    share = [
        s for s in sharding.shard(samples, rank, size) if s.id not in merged or not merged[s.id].ok
    ]
    generate_responses(
        model,
        spec,
        share,
        sharding.part_path(path, rank),
        videos,
        batch_size=config.batch_size,
        progress=config.progress,
    )
    sharding.mark_done(path, rank, size)


def score_run(
    output: Path,
    *,
    judge: str = "rules",
    sbert: str | None = None,
    protocol: str | None = None,
    bootstrap: int = 1000,
    progress: bool = True,
    judge_options: dict[str, Any] | None = None,
) -> RunOutcome:
    """Judge the responses of an existing run with another judge (nothing is generated) and
    rebuild its results.json for that judge."""
    path = Path(output) / "run.json"
    if not path.is_file():
        raise UsageError(f"{output} is not a run directory (no run.json)")
    info = RunInfo.from_dict(read_json(path), where=str(path))
    config = RunConfig(
        model=info.model["registry_name"],
        model_args=info.model["args"],
        tasks=",".join(info.tasks),
        output=Path(output),
        limit=info.limit,
        judge=judge,
        judge_options=judge_options or {},
        sbert=sbert,
        protocol=protocol,
        data_root=info.data_root,
        video_root=info.video_root,
        seed=info.seed,
        split=info.split,
        bootstrap=bootstrap,
        progress=progress,
        generate=False,
    )
    return run(config)


# --- scoring -----------------------------------------------------------------------------------


def _score(
    judge: Judge,
    spec: TaskSpec,
    samples: list[Sample],
    responses: dict[str, Response],
    path: Path,
    config: RunConfig,
) -> dict[str, Judgment]:
    _, judgments = read_run_file(path) if path.exists() else ([], [])
    done = {j.sample_id: j for j in judgments if j.judge == judge.name}
    todo = [s for s in samples if s.id not in done and s.id in responses and responses[s.id].ok]
    size = max(1, judge.batch_size)
    with Progress(len(todo), f"{spec.name}: score", bar=config.progress) as progress:
        for start in range(0, len(todo), size):
            batch = [(s, responses[s.id]) for s in todo[start : start + size]]
            new = _judge_batch(judge, batch)
            append_records(path, new)
            done.update((j.sample_id, j) for j in new)
            progress.update(len(batch))
    return done


def _judge_batch(judge: Judge, batch: list[tuple[Sample, Response]]) -> list[Judgment]:
    try:
        return judge.judge(batch)
    except (UsageError, EndpointDown):
        raise  # the judge cannot work here (its model is missing, its endpoint down): stop
    except Exception as exc:
        if len(batch) > 1:
            return [j for item in batch for j in _judge_batch(judge, [item])]
        return [
            Judgment(
                sample_id=batch[0][0].id,
                judge=judge.name,
                status="parse_error",
                error=f"{type(exc).__name__}: {exc}",
                prompt_version=judge.prompt_version,
            )
        ]


# --- the printed table -------------------------------------------------------------------------


def results_table(results: Results) -> str:
    """A plain-text table of each task's headline metrics (the metric table's) with 95%
    intervals."""
    lines = []
    for task, entry in results.tasks.items():
        lines.append(
            f"{task}  (n={entry.n}, judge={entry.judge}, failures={entry.failures}, "
            f"errors={entry.errors}, missing={entry.missing})"
        )
        for name in METRICS.headline(entry.family):
            value = entry.metrics.get(name)
            if value is None:
                reason = entry.breakdowns.get("null_reasons", {}).get(name, "")
                lines.append(f"  {name:<22} {'—':>7}   {reason}")
                continue
            low, high = entry.ci.get(name, [None, None])
            interval = f"[{low:.3f}, {high:.3f}]" if low is not None and high is not None else ""
            lines.append(f"  {name:<22} {value:>7.3f}   {interval}")
    return "\n".join(lines)
