"""The recipes learn, on tiny models and fixed batches (CPU): SFT's loss falls, DPO's and CA-DPO's
reward margins rise, GRPO gets a gradient exactly when the reward varies within a group, and
every path feeds the model the inputs evaluation feeds it (the same prompt, real video inputs
with their sampling rate)."""

from __future__ import annotations

import itertools
import math

import pytest

pytest.importorskip("trl")
pytest.importorskip("torchvision")

from baselines.common import RecipeConfig, training_samples, video_loader
from benchmark.models.tiny import tiny_qwen2_5_vl


@pytest.fixture(scope="module")
def qwen25(tmp_path_factory):
    return tiny_qwen2_5_vl(tmp_path_factory.mktemp("tiny") / "qwen2.5-vl")


def fast(cls, checkpoint, out, **settings):
    """A recipe config for a few CPU steps at a learning rate that moves a tiny model."""
    base = dict(model=str(checkpoint), output_dir=str(out), use_cpu=True, bf16=False, frames=4,
                per_device_train_batch_size=2, gradient_accumulation_steps=1, eval_tasks="",
                learning_rate=1e-3, max_steps=6, limit=8)  # fmt: skip
    return cls(**(base | settings))


def test_sft_loss_falls_on_a_fixed_batch(qwen25, tmp_path):
    from baselines.data import sft_examples
    from baselines.sft.train import SFTRecipeConfig, train

    config = fast(SFTRecipeConfig, qwen25, tmp_path / "sft")
    samples, root = training_samples(config)
    summary = train(config, sft_examples(samples)[:2], root)  # one batch, seen every step
    losses = [step["loss"] for step in summary["history"]]
    assert len(losses) == 6 and losses[-1] < 0.95 * losses[0], losses
    assert all(b < a for a, b in itertools.pairwise(losses)), losses  # down at every step


def test_dpo_reward_margin_rises_on_a_fixed_batch(qwen25, tmp_path):
    from baselines.data import dpo_pairs
    from baselines.dpo.train import DPORecipeConfig, train

    config = fast(DPORecipeConfig, qwen25, tmp_path / "dpo")
    samples, root = training_samples(config)
    summary = train(config, dpo_pairs(samples)[:2], root)
    margins = [step["rewards/margins"] for step in summary["history"]]
    assert margins[0] == pytest.approx(0.0, abs=1e-6)  # the policy starts as its reference
    assert margins[-1] > 0.05 and margins[-1] > margins[1], margins


def test_ca_dpo_weighted_loss_is_the_weighted_objective_and_learns(qwen25, tmp_path):
    """Step 1 (policy = reference, margin 0): L = mean(w)·log 2 exactly; then the margin rises.
    All weights 0: nothing to learn, the loss stays 0."""
    from baselines.ca_dpo.train import CADPORecipeConfig, weighted_loss_trainer
    from baselines.data import dpo_pairs
    from baselines.dpo.train import train

    config = fast(CADPORecipeConfig, qwen25, tmp_path / "ca_dpo")
    samples, root = training_samples(config)
    pairs = [p | {"weight": w} for p, w in zip(dpo_pairs(samples)[:2], (1.0, 0.5), strict=True)]
    summary = train(config, pairs, root, trainer_class=weighted_loss_trainer(), with_weights=True)
    history = summary["history"]
    assert history[0]["loss"] == pytest.approx(0.75 * math.log(2), rel=1e-4)
    assert history[-1]["rewards/margins"] > 0.05
    idle = fast(CADPORecipeConfig, qwen25, tmp_path / "idle", max_steps=2)
    zero = [p | {"weight": 0.0} for p in pairs]
    summary = train(idle, zero, root, trainer_class=weighted_loss_trainer(), with_weights=True)
    assert [step["loss"] for step in summary["history"]] == [0.0, 0.0]


def grpo(qwen25, out, reward):
    from baselines.ra_rft.train import RARFTRecipeConfig, build_trainer

    config = RARFTRecipeConfig(model=str(qwen25), output_dir=str(out), use_cpu=True, bf16=False,
                               frames=4, num_generations=4, per_device_train_batch_size=4,
                               max_completion_length=8, max_steps=1, limit=4, eval_tasks="",
                               learning_rate=1e-2, num_train_epochs=1)  # fmt: skip
    trainer, _, _ = build_trainer(config, reward_funcs=[reward])
    return trainer


def trained_change(trainer) -> float:
    """The largest change of any trainable language-model weight over the trainer's steps."""
    model = trainer.model
    before = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    trainer.train()
    after = dict(model.named_parameters())
    return max(float((after[n].detach() - w).abs().max()) for n, w in before.items())


def test_grpo_learns_exactly_when_the_reward_varies_within_a_group(qwen25, tmp_path):
    def varying(completions, **_):  # longer completions earn more: advantages differ
        return [float(len(c)) for c in completions]

    def constant(completions, **_):  # every advantage 0; the KL term is flat at the reference
        return [1.0] * len(completions)

    assert trained_change(grpo(qwen25, tmp_path / "varying", varying)) > 1e-4
    assert trained_change(grpo(qwen25, tmp_path / "constant", constant)) == 0.0


def test_grpo_policy_and_reference_receive_real_video_inputs(qwen25, tmp_path):
    """Every forward pass (generation, policy, reference) gets the clip as a video with its rate:
    4 frames over a synthetic video are 2 temporal grids, second_per_grid_ts = 2 / fps, and the
    prompt's video tokens typed 2 for Qwen's 3-D positions."""
    from benchmark.models.conversation import sampled_rate

    seen: list[dict] = []
    trainer = grpo(qwen25, tmp_path / "grpo", lambda completions, **_: [0.0] * len(completions))
    for model in (trainer.model, trainer.ref_model):
        model.register_forward_pre_hook(lambda m, a, kw: seen.append(dict(kw)), with_kwargs=True)
    rates = []
    real_encode = trainer.encode
    trainer.encode = lambda text, frames: (rates.append(sampled_rate(frames.timestamps)),
                                           real_encode(text, frames))[1]  # fmt: skip
    trainer.train()
    # generation's prefill (transformers 5 encodes the video first: `mm_encoder_outputs`), the
    # reference's and the policy's log-probs
    full = [kw for kw in seen if "pixel_values_videos" in kw or "mm_encoder_outputs" in kw]
    assert len(full) >= 3 and all("second_per_grid_ts" in kw for kw in full)
    assert not any("pixel_values" in kw for kw in seen)  # never as still images
    expected = sorted({round(2 / r, 4) for r in rates})
    got = sorted({round(float(t), 4) for kw in full for t in kw["second_per_grid_ts"]})
    assert got == expected
    assert all(kw["video_grid_thw"][:, 0].eq(2).all() for kw in full if "video_grid_thw" in kw)
    assert all((kw["mm_token_type_ids"] == 2).any() for kw in full)


def test_the_training_prompt_is_the_evaluation_prompt(qwen25):
    """What SFT / DPO / IDK-IT / CA-DPO collators and RA-RFT's trainer write before the answer is
    byte for byte what `--model hf` sends for the same sample and frames."""
    from transformers import AutoProcessor

    from baselines.common import chat_prompt, frames_for
    from baselines.data import prompt
    from baselines.ra_rft.train import WithFrames
    from benchmark.generating import request_for
    from benchmark.models.hf import request_text
    from benchmark.registry import load_registry

    processor = AutoProcessor.from_pretrained(qwen25)
    config = RecipeConfig(model="-", tasks="synth_qa,synth_hivtg", limit=3, frames=4)
    samples, root = training_samples(config)
    loader = video_loader(root, config)
    specs = {s.name: s for s in load_registry().resolve(config.tasks)}
    for sample in samples:
        example = prompt(sample)
        frames = frames_for(loader, example["video"])
        evaluation = request_text(processor, request_for(specs[sample.task], sample, frames), True)
        assert chat_prompt(processor, example, frames) == evaluation
        rows = {k: [v] for k, v in example.items()}
        assert WithFrames(loader, processor)(rows)["prompt"] == [evaluation]


def test_sft_and_dpo_batches_carry_the_frames_rate(qwen25):
    from transformers import AutoProcessor

    from baselines.data import dpo_pairs, sft_examples
    from baselines.dpo.train import VideoPreferenceCollator
    from baselines.sft.train import VideoSFTCollator

    processor = AutoProcessor.from_pretrained(qwen25)
    config = RecipeConfig(model="-", limit=8, frames=4)
    samples, root = training_samples(config)
    loader = video_loader(root, config)
    by_id = {(s.task, s.id): s for s in samples}
    sft = sft_examples(samples)[:2]
    dpo = dpo_pairs(samples)[:2]
    for examples, collator in ((sft, VideoSFTCollator), (dpo, VideoPreferenceCollator)):
        batch = collator(processor, loader)(examples)
        durations = [by_id[e["task"], e["sample_id"]].duration for e in examples]
        if collator is VideoPreferenceCollator:
            durations *= 2  # chosen rows, then rejected rows
        # 4 frames spread over each clip: one temporal grid (2 frames) spans 2 x duration / 4
        expected = [2 * d / 4 for d in durations]
        assert [float(t) for t in batch["second_per_grid_ts"]] == pytest.approx(expected, rel=0.01)
        assert (batch["mm_token_type_ids"] == 2).any()
