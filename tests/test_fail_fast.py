"""A dead endpoint stops a run at once (exit 1, one line naming it), keeps what was done, and
resuming continues; a failed run says so in run.json."""

from __future__ import annotations

import json
import socket

import pytest
from openai_server import FakeOpenAI

from benchmark import breaker
from benchmark.cli import main
from benchmark.records import read_json, read_run_file
from benchmark.task_loading import load_task

TASK = "synth_qa"


@pytest.fixture
def endpoint_env(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setattr(breaker, "DOWN_AFTER", (3, 0.0))  # down after 3 unanswered attempts
    return monkeypatch


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"  # nothing listens there once the socket is closed


def predictions(tmp_path, n: int = 24):
    samples = load_task(TASK, limit=n).samples
    path = tmp_path / "predictions.jsonl"
    path.write_text(
        "".join(json.dumps({"id": s.id, "response": f"It is {s.answer}."}) + "\n" for s in samples)
    )
    return path, samples


def run_argv(tmp_path, preds, *extra: str) -> list[str]:
    return [
        "run", "--model", "replay", "--model-args", f"path={preds}", "--model-name", "p",
        "--tasks", TASK, "--limit", "24", "--judge", "openai:judge-model",
        "--judge-concurrency", "2", "--judge-retries", "1", "--judge-cache",
        str(tmp_path / "judge-cache.sqlite"), "--output", str(tmp_path / "run"),
        "--no-progress", "--bootstrap", "0", *extra,
    ]  # fmt: skip


def test_a_closed_port_stops_the_judge_before_the_first_sample(tmp_path, endpoint_env, capsys):
    url = closed_port()
    endpoint_env.setenv("OPENAI_BASE_URL", url)
    preds, _ = predictions(tmp_path)
    capsys.readouterr()
    assert main(run_argv(tmp_path, preds)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and url in err[0] and "cannot reach" in err[0], err
    assert "Traceback" not in "\n".join(err)


def test_an_endpoint_that_dies_mid_run_stops_it_and_resuming_finishes(
    tmp_path, endpoint_env, capsys
):
    preds, samples = predictions(tmp_path)
    out = tmp_path / "run"
    with FakeOpenAI(die_after=20) as server:
        endpoint_env.setenv("OPENAI_BASE_URL", server.base_url)
        capsys.readouterr()
        assert main(run_argv(tmp_path, preds)) == 1
        err = capsys.readouterr().err
        assert server.base_url in err and "stopped answering" in err
        assert "Traceback" not in err
        _, kept = read_run_file(out / "samples" / f"{TASK}.jsonl")
        info = read_json(out / "run.json")
        assert info["status"] == "failed" and server.base_url in info["error"]
        assert 0 < len(kept) < len(samples)  # the batches judged before it died are kept
        assert all(j.status == "ok" for j in kept)  # none recorded as a connection error
        served = server.chat_requests

        server.alive = True  # back: the same command resumes
        assert main(run_argv(tmp_path, preds)) == 0
        _, judgments = read_run_file(out / "samples" / f"{TASK}.jsonl")
        assert sorted(j.sample_id for j in judgments) == sorted(s.id for s in samples)
        assert all(j.status == "ok" for j in judgments)
        info = read_json(out / "run.json")
        assert info["status"] == "complete" and "error" not in info
        # the replies it had before dying came from the judge's cache, not from new requests
        assert server.chat_requests - served <= len(samples) - len(kept)


def test_the_openai_model_stops_too_when_its_endpoint_dies(tmp_path, endpoint_env, capsys):
    out = tmp_path / "run"
    with FakeOpenAI(die_after=5, reply=lambda body: "I cannot tell from the video.") as server:
        argv = [
            "run", "--model", "openai", "--model-args",
            f"model=chat,base_url={server.base_url},concurrency=1,max_retries=1", "--tasks", TASK,
            "--limit", "24", "--batch-size", "2", "--sbert", "none", "--output", str(out),
            "--no-progress", "--bootstrap", "0",
        ]  # fmt: skip
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "stopped answering" in err and server.base_url in err
        responses, _ = read_run_file(out / "samples" / f"{TASK}.jsonl")
        assert responses and all(r.ok for r in responses)  # no sample marked failed for it
        assert read_json(out / "run.json")["status"] == "failed"
