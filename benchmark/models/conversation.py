"""One conversation and one set of video inputs for every Video-LLM path: evaluation (`hf`,
`vllm`) and training (the SFT / DPO / IDK-IT / CA-DPO collators, RA-RFT's GRPO trainer).

A model trained on one prompt and evaluated on another is measured on inputs it never saw, so
the text and the video inputs are built here once:

- the conversation: short system prompt, then the video, then the frames' times in seconds
  ("The video frames are taken at these seconds: 1.2, 3.8, ...") and the task prompt;
- the video metadata: the frames' sampling rate as transformers 5.x reads it. Qwen2.5-VL's
  processor turns `video_metadata[i].sampled_fps` into `second_per_grid_ts` (the seconds one
  temporal grid step spans), which scales its temporal M-RoPE ids; without metadata it assumes
  24 fps, and a `fps=` keyword is ignored once frames are sampled (`do_sample_frames=False`).
  vLLM (0.11+) takes the same metadata beside each video as `(frames, metadata)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmark.video import Frames


def with_frame_times(prompt: str, timestamps: Sequence[float] | None) -> str:
    """The task prompt after the frames' times, so any model can ground in seconds.

    >>> with_frame_times("When does he sit?", [0.5, 1.5])
    'The video frames are taken at these seconds: 0.5, 1.5.\\nWhen does he sit?'
    """
    if not timestamps:
        return prompt
    times = ", ".join(f"{t:.1f}" for t in timestamps)
    return f"The video frames are taken at these seconds: {times}.\n{prompt}"


def conversation(system: str, prompt: str, timestamps: Sequence[float] | None) -> list[dict]:
    """System prompt, then one user turn: the video, then the (timed) task prompt."""
    return [
        {"role": "system", "content": [{"type": "text", "text": system}]},
        {
            "role": "user",
            "content": [
                {"type": "video"},
                {"type": "text", "text": with_frame_times(prompt, timestamps)},
            ],
        },
    ]


def chat_text(processor, system: str, prompt: str, timestamps: Sequence[float] | None) -> str:
    """The conversation in the checkpoint's chat template, ready for the assistant's reply."""
    return processor.apply_chat_template(
        conversation(system, prompt, timestamps), tokenize=False, add_generation_prompt=True
    )


def sampled_rate(timestamps: Sequence[float], default: float = 2.0) -> float:
    """Frames per second of uniformly spaced frames (`default` for a single frame).

    >>> sampled_rate([0.25, 0.75, 1.25]), sampled_rate([3.0])
    (2.0, 2.0)
    """
    span = timestamps[-1] - timestamps[0] if len(timestamps) > 1 else 0.0
    return round((len(timestamps) - 1) / span, 4) if span > 0 else default


def video_metadata(frames: Frames, default_rate: float = 2.0) -> dict[str, Any]:
    """The frames as a sampled clip of their own: `sampled_fps` = their rate, duration = n / rate.

    >>> import numpy as np
    >>> meta = video_metadata(Frames(np.zeros((4, 2, 2, 3), np.uint8), (1.0, 3.5, 6.0, 8.5), "v"))
    >>> meta["fps"], meta["total_num_frames"], meta["duration"], meta["frames_indices"]
    (0.4, 4, 10.0, [0, 1, 2, 3])
    """
    n = len(frames.timestamps)
    rate = sampled_rate(frames.timestamps, default_rate)
    return {
        "fps": rate,
        "total_num_frames": n,
        "frames_indices": list(range(n)),
        "duration": round(n / rate, 4),
        "width": int(frames.images.shape[2]),
        "height": int(frames.images.shape[1]),
        "video_backend": "pyav",
    }


def video_inputs(processor, clips: Sequence[Frames], default_rate: float = 2.0) -> dict[str, Any]:
    """The processor keywords for already-sampled clips: the frames, their metadata, and (for
    Qwen's video processors) no resampling and the per-frame pixel cap."""
    inputs: dict[str, Any] = {
        "videos": [list(clip.images) for clip in clips],
        "video_metadata": [video_metadata(clip, default_rate) for clip in clips],
    }
    if _is_qwen(processor):
        inputs |= {"do_sample_frames": False, "cap_pixels_per_frame": True}
    elif not _takes_metadata(processor):
        inputs.pop("video_metadata")
    return inputs


def vllm_video(frames: Frames, default_rate: float = 2.0) -> tuple[Any, dict[str, Any]]:
    """A clip as vLLM's `multi_modal_data["video"]` item: (T×H×W×3 frames, metadata), the
    metadata marked as already sampled."""
    return frames.images, video_metadata(frames, default_rate) | {"do_sample_frames": False}


def context_limit(model) -> int | None:
    """The language model's context length (`max_position_embeddings`), where the config says."""
    config = getattr(model, "config", None)
    for part in (getattr(config, "text_config", None), config):
        limit = getattr(part, "max_position_embeddings", None)
        if isinstance(limit, int) and limit > 0:
            return limit
    return None


def _is_qwen(processor) -> bool:
    video_processor = getattr(processor, "video_processor", None)
    return video_processor is not None and "qwen" in type(video_processor).__name__.lower()


def _takes_metadata(processor) -> bool:
    """Processors built on transformers' video processors read `video_metadata`; older ones
    (Video-LLaVA's image processor over frames) reject unknown keywords."""
    return getattr(processor, "video_processor", None) is not None
