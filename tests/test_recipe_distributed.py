"""Recipes across processes, on CPU: two ranks over gloo build the same DPO pairs from one
sharded negatives run, and the RA-RFT SBERT reward loads whole under a live ZeRO-3 config."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl")
pytest.importorskip("deepspeed")

ROOT = Path(__file__).parents[1]
WORKER = ROOT / "tests" / "distributed_worker.py"


def launch(args: list[str], world: int, tmp_path: Path) -> list[subprocess.CompletedProcess]:
    """Start `world` worker processes as a launcher would and wait for all of them."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = os.environ | {"WORLD_SIZE": str(world), "MASTER_ADDR": "127.0.0.1",
                         "MASTER_PORT": str(port), "PYTHONPATH": str(ROOT),
                         "OMP_NUM_THREADS": "1", "REFUSAL_BENCH_NO_PROGRESS": "1"}  # fmt: skip
    procs = [
        subprocess.Popen([sys.executable, str(WORKER), *args], cwd=tmp_path,
                         env=base | {"RANK": str(r), "LOCAL_RANK": str(r)},
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for r in range(world)
    ]  # fmt: skip
    done = []
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out))
    return done


@pytest.mark.slow
def test_two_ranks_generate_negatives_once_and_train_on_the_same_pairs(tmp_path):
    from benchmark.models.tiny import tiny_qwen2_vl

    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / "out"
    out.mkdir()
    results = launch(["dpo-pairs", str(checkpoint), str(out)], 2, tmp_path)
    for r in results:
        assert r.returncode == 0, r.stdout.replace("\r", "\n")[-3000:]
    pairs = [json.loads((out / f"pairs.rank{r}.json").read_text()) for r in (0, 1)]
    assert pairs[0] and pairs[0] == pairs[1]  # the same pairs, negatives included, on both ranks
    negatives = out / "dpo" / "negatives" / "samples"
    merged = ["synth_qa.jsonl", "synth_uvqa.jsonl"]  # the ranks' parts merged and removed
    assert sorted(p.name for p in negatives.iterdir()) == merged
    # one step each; after the barrier the saved checkpoint is evaluated data-parallel: rank 0
    # scores the merged run, rank 1 only generates its share
    assert json.loads((out / "summary.rank0.json").read_text()) == {
        "steps": 1,
        "evaluated": ["synth_qa"],
    }
    assert json.loads((out / "summary.rank1.json").read_text()) == {"steps": 1, "evaluated": []}
    evaluated = json.loads((out / "dpo" / "eval" / "results.json").read_text())
    assert evaluated["tasks"]["synth_qa"]["n"] == 2


def test_the_sbert_reward_loads_whole_under_zero3(tmp_path):
    pytest.importorskip("sentence_transformers")
    (guarded,) = launch(["zero3-sbert", str(tmp_path)], 1, tmp_path)
    assert guarded.returncode == 0, guarded.stdout[-3000:]
    result = json.loads((tmp_path / "sbert.json").read_text())
    assert result == {"similarity": pytest.approx(1.0, abs=1e-5), "zero3_still_registered": True}


def test_without_the_guard_zero3_partitions_the_sbert_model(tmp_path):
    """What the guard prevents, and why `deepspeed.zero.Init(enabled=False)` alone (the authors'
    fix) is not enough with transformers 5.x: the model comes back partitioned."""
    pytest.importorskip("sentence_transformers")
    (run,) = launch(["zero3-sbert", str(tmp_path), "unguarded"], 1, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    result = json.loads((tmp_path / "sbert.json").read_text())
    assert "must be 2-D" in result.get("error", "")
