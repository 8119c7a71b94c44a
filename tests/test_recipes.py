"""Baseline recipes on CPU: two optimisation steps on a tiny video model, then the runner evaluates
the checkpoint (`refusal-bench train`)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("trl")
pytest.importorskip("torchvision")

from benchmark.cli import main
from benchmark.models.tiny import tiny_qwen2_vl


def smoke_args(recipe: str, checkpoint, out, **settings) -> list[str]:
    """`train RECIPE --set ...` for two CPU steps on a few samples, with the test's own settings."""
    base = {"model": checkpoint, "output_dir": out, "max_steps": 2, "use_cpu": "true",
            "bf16": "false", "frames": 4, "per_device_train_batch_size": 2,
            "gradient_accumulation_steps": 1, "limit": 8, "eval_limit": 4}  # fmt: skip
    return [
        "train",
        recipe,
        *[a for k, v in (base | settings).items() for a in ("--set", f"{k}={v}")],
    ]


def summary_of(printed: str) -> dict:
    """The JSON summary `refusal-bench train` prints last, after the trainer's step logs."""
    return json.loads(printed[printed.rindex("\n{\n") :])


def test_sft_trains_two_steps_and_its_checkpoint_is_evaluated(tmp_path, capsys):
    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / "sft"
    code = main(smoke_args("sft", checkpoint, out))
    assert code == 0
    printed = capsys.readouterr().out
    assert '"steps": 2' in printed and '"zero_stage": null' in printed
    assert (out / "config.json").is_file() and (out / "model.safetensors").is_file()
    results = json.loads((out / "eval" / "results.json").read_text())
    assert (
        set(results["tasks"]) == {"synth_qa", "synth_uvqa"}
        and results["tasks"]["synth_qa"]["n"] == 4
    )


def test_dpo_generates_negatives_with_the_base_model_then_trains_two_steps(tmp_path, capsys):
    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / "dpo"
    code = main(smoke_args("dpo", checkpoint, out))
    assert code == 0
    printed = capsys.readouterr().out
    summary = summary_of(printed)
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
    assert hallucinations(tmp_path / "run") == {("synth_uvqa", "a"): "The dog is red."}
    with pytest.raises(UsageError, match="no samples/"):
        hallucinations(tmp_path / "empty")


def test_sft_runs_under_deepspeed_zero2_on_one_cpu_process(tmp_path):
    """DeepSpeed's ZeRO-2 engine (CPU accelerator), in its own process as a launcher would run it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / "sft-zero2"
    zero2 = Path(__file__).parents[1] / "baselines" / "configs" / "ds_zero2.json"
    extra = dict(eval_tasks="synth_qa", eval_limit="2", deepspeed=zero2)
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "LOCAL_RANK", "WORLD_SIZE")}
    done = subprocess.run(
        [sys.executable, "-m", "benchmark", *smoke_args("sft", checkpoint, out, **extra)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    summary = summary_of(done.stdout)
    assert summary["steps"] == 2 and summary["zero_stage"] == 2
    assert (out / "model.safetensors").is_file() and (out / "eval" / "results.json").is_file()


@pytest.mark.parametrize("name, stage, offload", [("zero2", 2, False), ("zero3", 3, False), ("zero3_offload", 3, True)])  # fmt: skip
def test_launcher_configs_point_at_their_deepspeed_settings(name, stage, offload):
    from pathlib import Path

    import yaml

    root = Path(__file__).parents[1]
    launcher = yaml.safe_load((root / "baselines" / "configs" / f"{name}.yaml").read_text())
    assert launcher["distributed_type"] == "DEEPSPEED"
    settings = json.loads(
        (root / launcher["deepspeed_config"]["deepspeed_config_file"]).read_text()
    )
    assert settings["zero_optimization"]["stage"] == stage
    assert ("offload_param" in settings["zero_optimization"]) == offload


@pytest.mark.parametrize("recipe", ["idk_it", "ca_dpo"])
def test_inbol_recipes_sample_confidences_then_train_two_steps(recipe, tmp_path, capsys):
    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / recipe
    extra = dict(limit="6", n_samples="2", tasks="synth_qa", eval_tasks="synth_qa", eval_limit="2")
    assert main(smoke_args(recipe, checkpoint, out, **extra)) == 0
    printed = capsys.readouterr().out
    summary = summary_of(printed)
    assert summary["steps"] == 2 and 0.0 <= summary["mean_confidence"] <= 1.0
    rounds = sorted(p.name for p in (out / "confidence").iterdir())
    assert rounds == ["round-0", "round-1"]  # two sampled answers per question, through the runner
    assert (out / "model.safetensors").is_file() and (out / "eval" / "results.json").is_file()
    if (
        recipe == "idk_it"
    ):  # a random tiny model matches no reference: every answerable item relabelled
        assert summary["relabelled"] == 6


def test_ca_dpo_draws_pairs_in_proportion_to_their_weights():
    import datasets

    from baselines.ca_dpo.train import weighted_sampling_trainer

    trainer_class = weighted_sampling_trainer()
    trainer = trainer_class.__new__(trainer_class)  # the sampler needs only args and data
    trainer.args = type("Args", (), {"seed": 0})()
    trainer.train_dataset = datasets.Dataset.from_list(
        [{"weight": 0.0}, {"weight": 0.25}, {"weight": 0.75}]
    )
    sampler = trainer._get_train_sampler()
    draws = [i for _ in range(400) for i in sampler]
    assert draws.count(0) == 0
    assert abs(draws.count(2) / len(draws) - 0.75) < 0.03


def test_ra_rft_runs_grpo_with_the_four_rewards_for_two_steps(tmp_path, capsys):
    checkpoint = tiny_qwen2_vl(tmp_path / "tiny")
    out = tmp_path / "ra_rft"
    extra = dict(num_generations="2", max_completion_length="16", limit="12", eval_limit="2")
    assert main(smoke_args("ra_rft", checkpoint, out, **extra)) == 0
    printed = capsys.readouterr().out
    summary = summary_of(printed)
    assert summary["steps"] == 2 and summary["frozen_parameters"] > 0
    for reward in ("format_reward", "refuse_iou_reward", "explain_reward", "correction_reward"):
        assert reward in printed  # TRL logs each reward function's mean
    assert (out / "model.safetensors").is_file() and (out / "eval" / "results.json").is_file()


def test_sft_collator_labels_exactly_the_completion(tmp_path):
    """Only the completion and its end of turn are learnt; prompt, video and padding are masked."""
    from transformers import AutoProcessor

    from baselines.common import RecipeConfig, training_samples, video_loader
    from baselines.data import sft_examples
    from baselines.sft.train import VideoSFTCollator

    processor = AutoProcessor.from_pretrained(tiny_qwen2_vl(tmp_path / "tiny"))
    samples, root = training_samples(RecipeConfig(model="-", limit=4))
    examples = sft_examples(samples)[:2]
    batch = VideoSFTCollator(processor, video_loader(root, RecipeConfig(model="-", frames=4)))(
        examples
    )
    eos = processor.tokenizer.eos_token
    for row, example in zip(range(2), examples, strict=True):
        learnt = batch["input_ids"][row][batch["labels"][row] != -100]
        assert processor.tokenizer.decode(learnt) == example["completion"] + eos


def test_recipes_train_on_training_sources_and_refuse_test_sets(tmp_path):
    from data_fixtures import write_training_sources

    from baselines.common import RecipeConfig, training_samples, training_specs
    from benchmark.errors import UsageError

    with pytest.raises(UsageError, match="hi_charades is a test set"):
        training_specs(RecipeConfig(model="m", tasks="hi_charades"))
    with pytest.raises(UsageError, match="hi_activitynet is a test set"):  # groups: every task
        training_specs(RecipeConfig(model="m", tasks="hi_vtg"))
    assert [s.name for s in training_specs(RecipeConfig(model="m", tasks="uvqa_train"))] == [
        "uvqa_train_object", "uvqa_train_relation", "uvqa_train_attribute",
        "uvqa_train_answerable",
    ]  # fmt: skip
    allowed = RecipeConfig(model="m", tasks="hi_charades", allow_test_data=True)
    assert [s.name for s in training_specs(allowed)] == ["hi_charades"]
    root = write_training_sources(tmp_path / "data")
    config = RecipeConfig(model="m", tasks="hi_vtg_train,uvqa_train_object",
                          data_root=str(root), video_root=str(tmp_path))  # fmt: skip
    samples, _ = training_samples(config)
    assert {s.task for s in samples} == {"hi_vtg_train", "uvqa_train_object"} and len(samples) == 8
