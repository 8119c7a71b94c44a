"""On a CUDA machine (`pytest -m gpu`): the hf adapter on a tiny random Qwen2.5-VL in bf16, and
two bf16 SFT steps; tiny models are built from configs, nothing is downloaded."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]


def test_hf_adapter_generates_in_bf16_on_cuda_with_the_frames_time_positions(tmp_path):
    from benchmark.models import load_model
    from benchmark.models.tiny import tiny_qwen2_5_vl
    from benchmark.runner import RunConfig, run

    checkpoint = tiny_qwen2_5_vl(tmp_path / "qwen2.5-vl")
    model = load_model("hf", {"pretrained": str(checkpoint), "dtype": "bfloat16", "frames": "4",
                              "max_new_tokens": "8", "batch_size": "4"})  # fmt: skip
    assert model.model.dtype == torch.bfloat16 and model.model.device.type == "cuda"
    outcome = run(RunConfig(model="hf", tasks="synth_hivtg", limit=8, output=tmp_path / "run",
                            sbert="none", progress=False), model=model)  # fmt: skip
    assert outcome.results.tasks["synth_hivtg"].n == 8


def test_two_sft_steps_in_bf16_on_cuda(tmp_path):
    pytest.importorskip("trl")
    from baselines.common import training_samples
    from baselines.data import sft_examples
    from baselines.sft.train import SFTRecipeConfig, train
    from benchmark.models.tiny import tiny_qwen2_5_vl

    config = SFTRecipeConfig(model=str(tiny_qwen2_5_vl(tmp_path / "q")), output_dir=str(tmp_path / "sft"),
                             bf16=True, frames=4, per_device_train_batch_size=2,
                             gradient_accumulation_steps=1, max_steps=2, limit=4, eval_tasks="",
                             learning_rate=1e-3)  # fmt: skip
    samples, root = training_samples(config)
    summary = train(config, sft_examples(samples), root)
    assert summary["steps"] == 2
    assert all(torch.isfinite(torch.tensor(step["loss"])) for step in summary["history"])
