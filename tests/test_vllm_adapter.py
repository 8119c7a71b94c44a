"""The vllm adapter: GPU only. Here: the import guard; with vLLM and CUDA, a real generation."""

from __future__ import annotations

import importlib.util

import pytest

from benchmark.errors import UsageError
from benchmark.models import load_model

HAS_VLLM = importlib.util.find_spec("vllm") is not None


@pytest.mark.skipif(HAS_VLLM, reason="vLLM is installed: the guard is not what runs")
def test_without_vllm_the_error_says_what_to_install():
    with pytest.raises(UsageError, match=r"pip install 'refusal-bench\[vllm\]'"):
        load_model("vllm", {"pretrained": "Qwen/Qwen2-VL-2B-Instruct"})


def test_the_checkpoint_is_required():
    with pytest.raises(UsageError, match="name the checkpoint"):
        load_model("vllm", {})


@pytest.mark.gpu
def test_generation_on_a_gpu(tmp_path):  # run with: pytest -m gpu (needs vLLM, CUDA and the hub)
    torch = pytest.importorskip("torch")
    if not (HAS_VLLM and torch.cuda.is_available()):
        pytest.skip("needs vLLM and a CUDA GPU")
    from benchmark.runner import RunConfig, run

    model = load_model(
        "vllm", {"pretrained": "Qwen/Qwen2-VL-2B-Instruct", "frames": "8", "max_model_len": "8192"}
    )
    outcome = run(
        RunConfig(
            model="vllm", tasks="synth_hivtg", limit=8, output=tmp_path / "run", progress=False
        ),
        model=model,
    )
    assert outcome.results.tasks["synth_hivtg"].n == 8
