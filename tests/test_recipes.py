"""Baseline recipes on CPU: two optimisation steps on a tiny video model, then the runner evaluates
the checkpoint (`refusal-bench train`)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("trl")
pytest.importorskip("torchvision")

from benchmark.cli import main
from benchmark.models.tiny import tiny_qwen2_vl


def test_sft_trains_two_steps_and_its_checkpoint_is_evaluated(tmp_path, capsys):
    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / "sft"
    settings = [f"model={checkpoint}", f"output_dir={out}", "max_steps=2", "use_cpu=true", "bf16=false", "frames=4",
                "per_device_train_batch_size=2", "gradient_accumulation_steps=1", "limit=8", "eval_limit=4"]  # fmt: skip
    code = main(["train", "sft", *[arg for s in settings for arg in ("--set", s)]])
    assert code == 0
    printed = capsys.readouterr().out
    assert '"steps": 2' in printed
    assert (out / "config.json").is_file() and (out / "model.safetensors").is_file()
    results = json.loads((out / "eval" / "results.json").read_text())
    assert (
        set(results["tasks"]) == {"synth_qa", "synth_uvqa"}
        and results["tasks"]["synth_qa"]["n"] == 4
    )


def test_recipes_not_yet_built_say_so(capsys):
    assert main(["train", "ra_rft"]) == 2
    assert "not available in this version yet" in capsys.readouterr().err


def test_dpo_generates_negatives_with_the_base_model_then_trains_two_steps(tmp_path, capsys):
    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / "dpo"
    settings = [f"model={checkpoint}", f"output_dir={out}", "max_steps=2", "use_cpu=true", "bf16=false", "frames=4",
                "per_device_train_batch_size=2", "gradient_accumulation_steps=1", "limit=8", "eval_limit=4"]  # fmt: skip
    code = main(["train", "dpo", *[arg for s in settings for arg in ("--set", s)]])
    assert code == 0
    printed = capsys.readouterr().out
    summary = json.loads(printed[printed.rindex("\n{\n") :])  # after the trainer's step logs
    assert summary["steps"] == 2 and summary["pairs"] > 0
    negatives_run = json.loads((out / "negatives" / "run.json").read_text())
    assert negatives_run["split"] == "train"  # the base model answered the training questions
    assert (out / "model.safetensors").is_file()
    assert (out / "eval" / "results.json").is_file()


def test_hallucinations_keep_only_answers_that_did_not_refuse(tmp_path):
    from baselines.dpo.train import hallucinations
    from benchmark.errors import UsageError
    from benchmark.records import Response, append_records

    append_records(tmp_path / "run" / "samples" / "synth_uvqa.jsonl", [
        Response(sample_id="a", model="m", text="The dog is red."),
        Response(sample_id="b", model="m", text="There is no dog in the video."),
        Response(sample_id="c", model="m", error="timeout"),
    ])  # fmt: skip
    assert hallucinations(tmp_path / "run") == {"a": "The dog is red."}
    with pytest.raises(UsageError, match="no samples/"):
        hallucinations(tmp_path / "empty")
