"""Data-parallel generation with two processes (as under `accelerate launch`), merged deterministically."""

from __future__ import annotations

import os
import subprocess
import sys

from benchmark.records import read_json, read_run_file
from benchmark.sharding import shard
from benchmark.task_loading import load_task

TASKS = "synth_hivtg,synth_qa"


def command(out):
    return [sys.executable, "-m", "benchmark", "run", "--model", "random", "--tasks", TASKS, "--output", str(out),
            "--sbert", "none", "--bootstrap", "100", "--no-progress", "--batch-size", "4"]  # fmt: skip


def test_every_video_goes_to_exactly_one_rank():
    samples = load_task("synth_hivtg").samples
    parts = [shard(samples, r, 3) for r in range(3)]
    assert sorted(s.id for part in parts for s in part) == sorted(s.id for s in samples)
    videos = [{s.video.path for s in part} for part in parts]
    assert not (videos[0] & videos[1]) and not (videos[1] & videos[2])


def test_two_processes_give_the_results_of_one(tmp_path):
    load_task("synth_hivtg")  # build the split before the children start
    single = tmp_path / "single"
    subprocess.run(command(single), check=True, capture_output=True)
    sharded = tmp_path / "sharded"
    children = [
        subprocess.Popen(
            command(sharded),
            env={**os.environ, "RANK": str(r), "WORLD_SIZE": "2"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for r in (1, 0)
    ]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err.decode()[-2000:]
    ours, reference = read_json(sharded / "results.json"), read_json(single / "results.json")
    for task in TASKS.split(","):
        assert ours["tasks"][task]["metrics"] == reference["tasks"][task]["metrics"]
        responses, judgments = read_run_file(sharded / "samples" / f"{task}.jsonl")
        ids = [s.id for s in load_task(task).samples]
        assert [r.sample_id for r in responses] == ids  # merged in sample order, each once
        assert sorted(j.sample_id for j in judgments) == sorted(ids)
    assert not list((sharded / "samples").glob("*.rank*"))


def test_each_rank_runs_on_its_own_gpu(monkeypatch):
    import torch

    from benchmark.sharding import rank_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 8)
    monkeypatch.delenv("LOCAL_RANK", raising=False)
    assert rank_device() == "cuda"
    monkeypatch.setenv("LOCAL_RANK", "3")
    assert rank_device() == "cuda:3"  # not every rank's model on cuda:0
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert rank_device() == "cpu"


def test_rank_parts_are_not_a_runs_tasks(tmp_path):
    from benchmark.sharding import is_part

    assert is_part(tmp_path / "hi_vtg_train.rank1.jsonl")
    assert not is_part(tmp_path / "hi_vtg_train.jsonl")
    assert not is_part(tmp_path / "rank1.jsonl")
