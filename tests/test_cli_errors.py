"""User errors end in one line that says what to do, and exit 2; never a raw traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmark.cli import main
from benchmark.records import read_json
from benchmark.task_loading import load_task


def fails_with(argv: list[str], capsys, *wanted: str) -> str:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    for text in wanted:
        assert text in err, err
    return err


def run_argv(tmp_path, model: str, args: str = "", *extra: str) -> list[str]:
    argv = ["run", "--model", model, "--tasks", "synth_qa", "--output", str(tmp_path / "run")]
    return [*argv, *(["--model-args", args] if args else []), "--no-progress", *extra]


def test_a_missing_model_folder(tmp_path, capsys):
    fails_with(run_argv(tmp_path, "hf", "pretrained=/nope/model"), capsys, "/nope/model: no such")


def test_a_folder_that_is_not_a_checkpoint(tmp_path, capsys):
    folder = tmp_path / "empty"
    folder.mkdir()
    fails_with(run_argv(tmp_path, "hf", f"pretrained={folder}"), capsys, "no config.json")
    (folder / "config.json").write_text("{not json")
    fails_with(run_argv(tmp_path, "hf", f"pretrained={folder}"), capsys, "could not load")


def test_a_hub_id_that_is_not_in_the_cache_is_not_downloaded(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # no network even when allowed
    fails_with(
        run_argv(tmp_path, "hf", "pretrained=Qwen/Qwen2-VL-2B-Instruct"),
        capsys,
        "nor in the Hugging Face cache",
        "huggingface-cli download Qwen/Qwen2-VL-2B-Instruct",
    )


def test_replay_without_its_file_or_with_a_binary_one(tmp_path, capsys):
    fails_with(run_argv(tmp_path, "replay", "", "--model-name", "x"), capsys, "'path'")
    binary = tmp_path / "predictions.jsonl"
    binary.write_bytes(b"\xff\xfe\x00{}")
    fails_with(
        run_argv(tmp_path, "replay", f"path={binary}", "--model-name", "x"),
        capsys,
        f"{binary}: not UTF-8 text",
    )


def test_a_missing_data_root(tmp_path, capsys):
    fails_with(["tasks", "--data-root", str(tmp_path / "none")], capsys, "no such folder")
    argv = ["run", "--model", "random", "--tasks", "hi_tvgbench", "--data-root",
            str(tmp_path / "none"), "--output", str(tmp_path / "run"), "--no-progress"]  # fmt: skip
    fails_with(argv, capsys, "not found under the data root")
    info = read_json(tmp_path / "run" / "run.json")  # the run says it stopped, and why
    assert info["status"] == "failed" and "not found under the data root" in info["error"]


def test_dump_into_a_pipe_closed_early_exits_quietly():
    done = subprocess.run(
        f"{sys.executable} -m benchmark dump --task synth_qa | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert json.loads(done.stdout)["task"] == "synth_qa"
    assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_failed_samples_are_named(tmp_path, capsys):
    samples = load_task("synth_qa", limit=10).samples
    path = tmp_path / "predictions.jsonl"
    path.write_text(
        "".join(json.dumps({"id": s.id, "response": "It is red."}) + "\n" for s in samples[2:])
    )
    argv = run_argv(tmp_path, "replay", f"path={path}", "--model-name", "x", "--limit", "10",
                    "--sbert", "none", "--bootstrap", "0")  # fmt: skip
    capsys.readouterr()
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert f"with 2 failed samples (synth_qa: {samples[0].id}, {samples[1].id};" in out


@pytest.mark.parametrize("command", [["score"], ["validate"], ["compare", "--base", "."]])
def test_commands_on_a_folder_that_is_not_a_run(tmp_path, capsys, command):
    name, *rest = command
    fails_with([name, str(tmp_path), *rest], capsys, str(tmp_path))
