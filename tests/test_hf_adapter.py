"""The hf adapter on a tiny random Qwen2-VL saved like a hub checkpoint (CPU)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torchvision", reason="transformers' video processors need torchvision")
pytest.importorskip("transformers")

from benchmark.families import GROUNDING
from benchmark.models import load_model
from benchmark.models.base import Request
from benchmark.models.tiny import FAMILIES, tiny_qwen2_vl
from benchmark.prompts import render_prompt
from benchmark.records import VideoRef, read_json, read_run_file
from benchmark.runner import RunConfig, run
from benchmark.video import Frames


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    return tiny_qwen2_vl(tmp_path_factory.mktemp("tiny") / "qwen2-vl")


@pytest.fixture(scope="module")
def model(checkpoint):
    return load_model(
        "hf",
        {"pretrained": str(checkpoint), "frames": "4", "max_new_tokens": "6", "batch_size": "2"},
    )


def request(frames, question="A red circle moves to the left."):
    return Request(sample_id="s", task="synth_hivtg", family=GROUNDING, question=question,
                   prompt=render_prompt(question, GROUNDING.prompt), video=VideoRef("v.mp4"), duration=10.0, frames=frames)  # fmt: skip


def frames_of(value: int, n: int = 4) -> Frames:
    rng = np.random.default_rng(value)
    images = rng.integers(0, 255, size=(n, 56, 56, 3), dtype=np.uint8)
    times = tuple(round(10 * (i + 0.5) / n, 2) for i in range(n))
    return Frames(images=images, timestamps=times, source=f"v{value}")


def next_token_logits(model, req):
    import torch

    inputs = model.inputs([req])
    with torch.inference_mode():
        return model.model(**inputs).logits[0, -1].numpy()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_loads_from_a_saved_checkpoint_and_sees_the_frames(family, tmp_path):
    build, n = FAMILIES[family]
    folder = build(tmp_path / family)
    args = {"pretrained": str(folder), "frames": str(n), "max_new_tokens": "4", "batch_size": "2"}
    model = load_model("hf", args)
    assert model.revision.startswith("local-sha256:")
    a = next_token_logits(model, request(frames_of(1, n)))
    b = next_token_logits(model, request(frames_of(2, n)))
    assert np.abs(a - b).max() > 1e-5  # another video, another prediction: the frames reach it
    texts = model.generate(
        [request(frames_of(1, n)), request(frames_of(2, n), "Two squares appear.")]
    )
    assert len(texts) == 2 and all(isinstance(t, str) for t in texts)


def test_batched_generation_with_left_padding_matches_one_by_one(model):
    requests = [
        request(frames_of(1)),
        request(frames_of(2), question="Two blue squares appear together at night."),
    ]
    batched = model.generate(requests)
    single = [model.generate([r])[0] for r in requests]
    assert batched == single


def test_a_run_with_the_hf_model(model, checkpoint, tmp_path):
    config = RunConfig(model="hf", model_args={"pretrained": str(checkpoint)}, tasks="synth_hivtg", limit=6,
                       output=tmp_path / "run", sbert="none", progress=False, bootstrap=0)  # fmt: skip
    outcome = run(config, model=model)
    responses, judgments = read_run_file(tmp_path / "run" / "samples" / "synth_hivtg.jsonl")
    assert len(responses) == 6 and all(r.ok for r in responses) and len(judgments) == 6
    info = read_json(tmp_path / "run" / "run.json")
    assert info["model"]["name"].startswith("hf:") and info["frames"]["num_frames"] == 4
    assert info["frames"]["decodes"] == info["frames"]["distinct_videos"]
    assert outcome.results.tasks["synth_hivtg"].n == 6


def test_bad_arguments_are_clear(checkpoint):
    from benchmark.errors import UsageError

    with pytest.raises(UsageError, match="name the checkpoint"):
        load_model("hf", {})
    with pytest.raises(UsageError, match="dtype must be one of"):
        load_model("hf", {"pretrained": str(checkpoint), "dtype": "float8"})


def test_the_task_generation_settings_bound_what_the_model_generates(checkpoint, monkeypatch):
    """The task's max_new_tokens and stop strings reach generation unless the model args say."""
    from dataclasses import replace

    from benchmark.generation import Generation

    def generated_lengths(model):
        lengths = []
        real = model.model.generate

        def recording(**inputs):
            out = real(**inputs)
            lengths.append(out.shape[1] - inputs["input_ids"].shape[1])
            return out

        monkeypatch.setattr(model.model, "generate", recording)
        return lengths

    task_default = load_model("hf", {"pretrained": str(checkpoint), "frames": "4"})
    lengths = generated_lengths(task_default)
    asks = [replace(request(frames_of(1)), generation=Generation(max_new_tokens=n)) for n in (3, 9)]
    short, long = (task_default.generate([r])[0] for r in asks)
    assert lengths == [3, 9] and long.startswith(short) and len(long) > len(short)
    stop = long[len(long) // 2 :]
    cut = task_default.generate([replace(asks[1], generation=Generation(9, until=(stop,)))])[0]
    assert cut == long[: long.index(stop)]
    fixed = load_model("hf", {"pretrained": str(checkpoint), "frames": "4", "max_new_tokens": "5"})
    lengths = generated_lengths(fixed)
    fixed.generate([asks[1]])
    assert lengths == [5]  # the model argument wins over the task's 9


def test_qwen2_5_vl_gets_the_frames_time_positions(tmp_path):
    """4 frames over 10 s are 0.4 fps: one temporal grid (2 frames) spans 5 s, so
    second_per_grid_ts = 5.0 and the two grids' temporal position ids are 5 x tokens_per_second
    apart (transformers 5.x ignores `fps=` once frames are sampled: 2/24 s, both grids at 0)."""
    import torch

    from benchmark.models.tiny import tiny_qwen2_5_vl

    model = load_model("hf", {"pretrained": str(tiny_qwen2_5_vl(tmp_path / "q")), "frames": "4"})
    inputs = model.inputs([request(frames_of(1))])
    assert inputs["second_per_grid_ts"].tolist() == [5.0]
    assert inputs["video_grid_thw"].tolist() == [[2, 4, 4]]
    positions, _ = model.model.model.get_rope_index(
        inputs["input_ids"], inputs["mm_token_type_ids"],
        video_grid_thw=inputs["video_grid_thw"], second_per_grid_ts=inputs["second_per_grid_ts"],
        attention_mask=inputs["attention_mask"],
    )  # fmt: skip
    video = inputs["mm_token_type_ids"][0] == 2
    temporal = torch.unique(positions[0, 0][video]).tolist()
    per_second = model.model.config.vision_config.tokens_per_second
    assert len(temporal) == 2 and temporal[1] - temporal[0] == 5 * per_second


def test_a_prompt_past_the_models_context_is_refused_with_what_to_lower(checkpoint):
    from benchmark.errors import UsageError

    model = load_model("hf", {"pretrained": str(checkpoint), "frames": "4"})
    model.model.config.text_config.max_position_embeddings = 32
    with pytest.raises(UsageError, match=r"sample s: the prompt is \d+ tokens \(4 frames\), over "
                                         r".*context of 32; sample fewer frames"):  # fmt: skip
        model.generate([request(frames_of(1))])


def test_inputs_encoded_ahead_are_what_the_model_generates_from(model, monkeypatch):
    """`encode` (run on the runner's decode-ahead thread) makes one processor batch per
    generation setting; `generate(encoded=)` feeds exactly those tensors to the model, with the
    same outputs as making them itself."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    from benchmark.generation import Generation

    requests = [
        request(frames_of(1)),
        replace(request(frames_of(2), "Two squares appear."), generation=Generation(4)),
        request(frames_of(3), "A blue square moves up."),
    ]
    expected = model.generate(requests)
    with ThreadPoolExecutor(1) as ahead:
        encoded = ahead.submit(model.encode, requests).result()
    assert sorted(len(batch["input_ids"]) for batch in encoded.values()) == [1, 2]
    received = []
    real = model.model.generate

    def recording(**inputs):
        received.append(inputs["pixel_values_videos"])
        return real(**inputs)

    monkeypatch.setattr(model.model, "generate", recording)
    monkeypatch.setattr(model, "inputs", lambda requests: pytest.fail("inputs made again"))
    assert model.generate(requests, encoded=encoded) == expected
    made = [batch["pixel_values_videos"] for batch in encoded.values()]
    assert len(received) == 2 and all(any(r is m for m in made) for r in received)
