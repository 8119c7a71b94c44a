"""Data-parallel generation: one process per GPU under `accelerate launch` (or torchrun).

Every process runs the same command. Videos are dealt out by rank (all queries of a video go to
one process, so each video is still decoded once); each process appends its responses to
`samples/<task>.rank<R>.jsonl` and leaves a `.done` marker; rank 0 waits for every marker, merges
the parts into `samples/<task>.jsonl` in the task's sample order (deterministic whatever the
timing), removes them, then judges and aggregates alone. Killed processes resume like a single
one: a part file is append-only and a re-run skips what it holds.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from benchmark.errors import UsageError
from benchmark.records import Response, Sample, append_records, read_run_file


def world() -> tuple[int, int]:
    """(rank, number of processes) from the launcher's environment; (0, 1) when run alone."""
    size = int(os.environ.get("WORLD_SIZE", "1") or 1)
    rank = int(os.environ.get("RANK", os.environ.get("LOCAL_RANK", "0")) or 0)
    if not 0 <= rank < size:
        raise UsageError(f"RANK={rank} is outside WORLD_SIZE={size}")
    return rank, size


def shard(samples: list[Sample], rank: int, size: int) -> list[Sample]:
    """This rank's samples: those of every size-th video, in sample order."""
    videos = sorted({s.video.path for s in samples})
    mine = {v for i, v in enumerate(videos) if i % size == rank}
    return [s for s in samples if s.video.path in mine]


def part_path(path: Path, rank: int) -> Path:
    return path.with_name(f"{path.stem}.rank{rank}.jsonl")


def is_part(path: Path) -> bool:
    """Whether a samples file is one rank's part of a task (`<task>.rank<R>.jsonl`)."""
    return re.fullmatch(r".+\.rank\d+\.jsonl", path.name) is not None


def rank_device() -> str:
    """This process's accelerator: `cuda:LOCAL_RANK` under a launcher (each rank its own GPU),
    `cuda` alone, `cpu` without one."""
    import torch

    if not torch.cuda.is_available():
        return "cpu"
    if "LOCAL_RANK" not in os.environ:
        return "cuda"
    return f"cuda:{int(os.environ['LOCAL_RANK']) % torch.cuda.device_count()}"


def wait_for_merge(
    run_dir: Path, tasks: list[str], rank: int, *, timeout: float = 7 * 24 * 3600, poll: float = 0.5
) -> None:
    """Block a rank other than 0 until rank 0 has merged every task's parts: its own `.done`
    markers (written before it returned) are removed only after the merge."""
    markers = [part_path(Path(run_dir) / "samples" / f"{t}.jsonl", rank) for t in tasks]
    markers = [m.with_suffix(".done") for m in markers]
    deadline = time.monotonic() + timeout
    while any(m.exists() for m in markers):
        if time.monotonic() > deadline:
            raise UsageError(f"rank 0 did not merge {run_dir} in time: waited for {markers}")
        time.sleep(poll)


def mark_done(path: Path, rank: int, size: int) -> None:
    marker = part_path(path, rank).with_suffix(".done")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(str(size))


def wait_for_parts(
    path: Path, size: int, *, timeout: float = 7 * 24 * 3600, poll: float = 0.5
) -> None:
    markers = [part_path(path, r).with_suffix(".done") for r in range(size)]
    deadline = time.monotonic() + timeout
    while not all(m.is_file() and m.read_text() == str(size) for m in markers):
        if time.monotonic() > deadline:
            raise UsageError(f"ranks did not finish {path.stem} in time: waited for {markers}")
        time.sleep(poll)


def merge_parts(path: Path, size: int, samples: list[Sample]) -> None:
    """Append the parts' responses to the task's file in sample order, then remove the parts."""
    done = set()
    if path.exists():
        responses, _ = read_run_file(path)
        done = {r.sample_id for r in responses if r.ok}
    latest: dict[str, Response] = {}
    for rank in range(size):
        part = part_path(path, rank)
        if part.exists():
            responses, _ = read_run_file(part)
            latest.update((r.sample_id, r) for r in responses)
    new = [latest[s.id] for s in samples if s.id in latest and s.id not in done]
    if new:
        append_records(path, new)
    for rank in range(size):
        part_path(path, rank).unlink(missing_ok=True)
        part_path(path, rank).with_suffix(".done").unlink(missing_ok=True)
