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


def test_videos_go_to_vllm_with_their_metadata(tmp_path):
    """vLLM 0.11+ takes `(frames, metadata)` per video; for Qwen2.5-VL (whose parser requires
    it) the metadata becomes the HF processor's `video_metadata`, whose `sampled_fps` sets
    `second_per_grid_ts`. The prompt is the `hf` model's conversation."""
    import numpy as np
    from transformers import AutoProcessor

    from benchmark.families import GROUNDING
    from benchmark.models.base import Request
    from benchmark.models.hf import request_text
    from benchmark.models.tiny import tiny_qwen2_5_vl
    from benchmark.models.vllm_model import VLLMVideoLLM
    from benchmark.prompts import render_prompt
    from benchmark.records import VideoRef
    from benchmark.video import Frames, FrameSpec

    model = VLLMVideoLLM.__new__(VLLMVideoLLM)  # vLLM itself is not needed to build a prompt
    model.processor = AutoProcessor.from_pretrained(tiny_qwen2_5_vl(tmp_path / "q"))
    model.frame_spec, model.timestamps_in_prompt = FrameSpec(num_frames=4), True
    frames = Frames(np.zeros((4, 56, 56, 3), np.uint8), (1.25, 3.75, 6.25, 8.75), "v.mp4")
    request = Request(sample_id="s", task="t", family=GROUNDING, question="q",
                      prompt=render_prompt("q", GROUNDING.prompt), video=VideoRef("v.mp4"),
                      duration=10.0, frames=frames)  # fmt: skip
    prompt = model.prompt(request)
    assert prompt["prompt"] == request_text(model.processor, request, True)
    (video, metadata) = prompt["multi_modal_data"]["video"]
    assert video.shape == (4, 56, 56, 3)
    assert metadata == {"fps": 0.4, "total_num_frames": 4, "frames_indices": [0, 1, 2, 3],
                        "duration": 10.0, "width": 56, "height": 56, "video_backend": "pyav",
                        "do_sample_frames": False}  # fmt: skip
    # what vLLM's Qwen2.5-VL processor hands transformers: the same metadata, minus the flag
    hf = {k: v for k, v in metadata.items() if k != "do_sample_frames"}
    batch = model.processor(text=[model.processor.video_token], videos=[list(video)],
                            video_metadata=[hf], do_sample_frames=False, return_tensors="pt")  # fmt: skip
    assert list(batch["second_per_grid_ts"]) == [5.0]


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
