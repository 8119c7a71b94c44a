"""The `openai` model adapter: frames sent as images with their times, to a real local server."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from openai_server import FakeOpenAI

from benchmark.models import load_model
from benchmark.records import read_json, read_run_file
from benchmark.runner import RunConfig, run


def describe_images(body: dict) -> str:
    """What a vision model would 'see': the number of frames, their times, the first one's mean."""
    from PIL import Image

    parts = body["messages"][1]["content"]
    images = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
    times = [p["text"] for p in parts if p["type"] == "text" and p["text"].startswith("Frame at")]
    first = Image.open(io.BytesIO(base64.b64decode(images[0].split(",", 1)[1])))
    return json.dumps({"images": len(images), "times": times, "mean": round(float(np.asarray(first).mean()), 1),
                       "system": body["messages"][0]["content"], "last": parts[-1]["text"][:40]})  # fmt: skip


@pytest.fixture
def server():
    with FakeOpenAI(reply=describe_images) as s:
        yield s


def test_frames_reach_the_endpoint_with_their_times(server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    model = load_model(
        "openai", {"model": "vision-model", "frames": "4", "base_url": server.base_url}
    )
    assert model.name == "openai:vision-model" and model.needs_frames
    config = RunConfig(model="openai", model_args={"model": "vision-model"}, tasks="synth_hivtg", limit=12,
                       output=tmp_path / "run", sbert="none", progress=False, bootstrap=0)  # fmt: skip
    run(config, model=model)
    responses, _ = read_run_file(tmp_path / "run" / "samples" / "synth_hivtg.jsonl")
    seen = [json.loads(r.text) for r in responses]
    assert all(s["images"] == 4 and len(s["times"]) == 4 for s in seen)
    assert seen[0]["times"][0].startswith("Frame at 1.2 s")  # 10 s video, 4 frames at slice centres
    assert seen[0]["system"] == "You are a video analysis expert."
    assert seen[0]["last"].startswith("Given a video and the query")  # video first, then the prompt
    assert len({s["mean"] for s in seen}) > 1  # different videos, different frames
    info = read_json(tmp_path / "run" / "run.json")
    assert info["model_usage"]["requests"] == 12 and info["model_usage"]["prompt_tokens"] > 0
    assert info["frames"]["num_frames"] == 4


def test_a_failing_endpoint_is_recorded_per_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    with FakeOpenAI(reply=lambda body: "[[never]]") as server:
        model = load_model(
            "openai", {"model": "m", "frames": "2", "base_url": server.base_url, "max_retries": "0"}
        )
        server.reply = lambda body: (_ for _ in ()).throw(
            RuntimeError("boom")
        )  # connection dropped
        config = RunConfig(model="openai", tasks="synth_qa", limit=3, output=tmp_path / "run", sbert="none",
                           progress=False, bootstrap=0)  # fmt: skip
        outcome = run(config, model=model)
    responses, _ = read_run_file(tmp_path / "run" / "samples" / "synth_qa.jsonl")
    assert len(responses) == 3 and all(r.error and "openai:m" in r.error for r in responses)
    assert outcome.failed and outcome.results.tasks["synth_qa"].errors == 3


def test_the_model_name_is_required(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    from benchmark.errors import UsageError

    with pytest.raises(UsageError, match="name the served model"):
        load_model("openai", {})


def test_each_task_asks_the_endpoint_for_its_own_generation_settings(tmp_path, monkeypatch):
    """max_tokens and temperature come from the task's YAML unless the model arguments say."""
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")

    def settings(body):
        return json.dumps({k: body.get(k) for k in ("max_tokens", "temperature", "stop")})

    with FakeOpenAI(reply=settings) as server:
        for args, out, expected in (
            ({}, "task", {"synth_qa": 256, "synth_hivtg": 512}),
            ({"max_tokens": "40"}, "fixed", {"synth_qa": 40, "synth_hivtg": 40}),
        ):
            model = load_model(
                "openai", {"model": "m", "frames": "2", "base_url": server.base_url, **args}
            )
            run(
                RunConfig(model="openai", model_args={"model": "m"}, tasks="synth_qa,synth_hivtg",
                          limit=2, output=tmp_path / out, sbert="none", progress=False, bootstrap=0),
                model=model,
            )  # fmt: skip
            for task, max_tokens in expected.items():
                responses, _ = read_run_file(tmp_path / out / "samples" / f"{task}.jsonl")
                sent = [json.loads(r.text) for r in responses]
                assert all(s == {"max_tokens": max_tokens, "temperature": 0.0, "stop": None}
                           for s in sent), (task, sent)  # fmt: skip
