"""`hf`: transformers Video-LLMs, through each model's own processor and chat template.

Works with the image-text-to-text models whose processors take videos: Qwen2.5-VL and Qwen2-VL
(and the Time-R1 / VideoChat-R1 checkpoints built on them), LLaVA-OneVision, LLaVA-NeXT-Video,
Video-LLaVA. The conversation puts the video first, then the task prompt, after the short system
prompt (RA-RFT inference); requests are batched with left padding; decoding is greedy unless
`do_sample=true`. Frames come from the runner (`benchmark.video`), decoded once per video; their
sampling rate goes to the processor as video metadata (Qwen2.5-VL's temporal position ids,
`benchmark.models.conversation`), and the frame times are written into the prompt so any model can
ground in seconds. A prompt longer than the model's context is refused with what to lower.

    refusal-bench run --model hf \\
        --model-args pretrained=Qwen/Qwen2.5-VL-7B-Instruct,dtype=bfloat16 \\
        --tasks hi_vtg --video-root ~/videos
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from benchmark.errors import UsageError
from benchmark.generation import Generation
from benchmark.models.base import Model, Request
from benchmark.models.checkpoints import local_checkpoint
from benchmark.models.conversation import chat_text, context_limit, video_inputs
from benchmark.sharding import rank_device
from benchmark.video import FrameSpec

DTYPES = ("auto", "float32", "float16", "bfloat16")


class HFVideoLLM(Model):
    needs_frames = True

    def __init__(
        self,
        pretrained: str = "",
        revision: str = "",
        dtype: str = "auto",
        device: str = "",
        device_map: str = "",
        attn_implementation: str = "",
        batch_size: int = 1,
        max_new_tokens: int = 0,
        do_sample: bool = False,
        temperature: float = 1.0,
        top_p: float = 1.0,
        frames: int = 0,
        fps: float = 2.0,
        max_frames: int = 768,
        total_pixels: int = 3584 * 28 * 28,
        max_pixels: int = 768 * 28 * 28,
        trust_remote_code: bool = False,
        timestamps_in_prompt: bool = True,
    ) -> None:
        if not pretrained:
            raise UsageError(
                "name the checkpoint: --model-args pretrained=ORG/NAME or a local folder"
            )
        if dtype not in DTYPES:
            raise UsageError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        try:
            import torch
            from transformers import AutoModelForImageTextToText, AutoProcessor
        except ImportError:
            raise UsageError(
                "the hf model needs transformers and torch: pip install 'refusal-bench[hf]'"
            ) from None
        self.torch = torch
        folder = local_checkpoint(pretrained, revision or None)
        load: dict[str, Any] = {"trust_remote_code": trust_remote_code, "local_files_only": True}
        try:
            self.processor = AutoProcessor.from_pretrained(folder, **load)
        except (OSError, ValueError, KeyError) as exc:
            problem = f"could not load the processor of {pretrained}: {_first(exc)}"
            raise UsageError(problem) from None
        tokenizer = getattr(self.processor, "tokenizer", self.processor)
        tokenizer.padding_side = "left"
        model_kwargs: dict[str, Any] = {
            "dtype": "auto" if dtype == "auto" else getattr(torch, dtype)
        }
        if device_map:
            model_kwargs["device_map"] = device_map
        if attn_implementation:
            model_kwargs["attn_implementation"] = attn_implementation
        try:
            self.model = AutoModelForImageTextToText.from_pretrained(folder, **load, **model_kwargs)
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"could not load the model {pretrained}: {_first(exc)}") from None
        if not device_map:
            self.model.to(device or rank_device())  # under a launcher: this rank's own GPU
        self.model.eval()
        self.name = f"hf:{pretrained}"
        self.pretrained = pretrained
        self.revision = revision or _revision_of(folder, self.model)
        self.batch_size = max(1, batch_size)
        # model arguments win over the task's generation settings (`Request.generation`)
        self.max_new_tokens = max_new_tokens  # 0: the task's
        self.sampling = {"temperature": temperature, "top_p": top_p} if do_sample else None
        self.frame_spec = FrameSpec(
            num_frames=frames or None,
            fps=fps,
            max_frames=max_frames,
            total_pixels=total_pixels,
            max_pixels=max_pixels,
        )
        self.timestamps_in_prompt = timestamps_in_prompt

    def generate(self, requests: list[Request], encoded: dict | None = None) -> list[str]:
        out: list[str] = [""] * len(requests)
        for generation, members in _by_generation(requests).items():
            group = [requests[i] for i in members]
            inputs = encoded[generation] if encoded is not None else self.inputs(group)
            for i, text in zip(members, self._generate(group, generation, inputs), strict=True):
                out[i] = generation.stop(text)
        return out

    def encode(self, requests: list[Request]) -> dict:
        """The processor's batch of each generation setting, made on the runner's decode-ahead
        thread. The tokenizer is shared with `generate`'s decoding of outputs: safe, as the
        processor is always called with the same padding and truncation, the only settings
        whose change writes to the tokenizer's (Rust) state."""
        return {
            generation: self.inputs([requests[i] for i in members])
            for generation, members in _by_generation(requests).items()
        }

    def generate_kwargs(self, generation: Generation) -> dict[str, Any]:
        """What `model.generate` is called with: the task's settings, with the model arguments
        (`max_new_tokens`, `do_sample` with `temperature` and `top_p`) in their place where given;
        greedy unless one of them asks for sampling."""
        generation = generation.overridden(
            max_new_tokens=self.max_new_tokens,
            temperature=self.sampling["temperature"] if self.sampling else None,
        )
        kwargs: dict[str, Any] = {"max_new_tokens": generation.max_new_tokens}
        if not generation.do_sample:
            return kwargs | {"do_sample": False}
        top_p = self.sampling["top_p"] if self.sampling else 1.0
        return kwargs | {"do_sample": True, "temperature": generation.temperature, "top_p": top_p}

    def card(self) -> dict[str, Any]:
        """A hub checkpoint's name, organisation and page; any checkpoint's parameter count."""
        card = hub_card(self.pretrained)
        return card | {"parameters": sum(p.numel() for p in self.model.parameters())}

    def _generate(self, requests: list[Request], generation: Generation, inputs) -> list[str]:
        self._check_context(requests, inputs)
        inputs = inputs.to(self.model.device)
        with self.torch.inference_mode():
            output = self.model.generate(**inputs, **self.generate_kwargs(generation))
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        return [
            t.strip() for t in self.processor.batch_decode(new_tokens, skip_special_tokens=True)
        ]

    def inputs(self, requests: list[Request]):
        """The processor's batch for requests: chat text, frames and their metadata (what the
        model receives, left-padded)."""
        texts = [request_text(self.processor, r, self.timestamps_in_prompt) for r in requests]
        clips = [r.frames for r in requests]
        return self.processor(
            text=texts,
            padding=True,
            return_tensors="pt",
            **video_inputs(self.processor, clips, self.frame_spec.fps),
        )

    def _check_context(self, requests: list[Request], inputs) -> None:
        """A prompt past the model's context would be truncated or crash inside attention: stop
        with what to lower instead (Video-LLaVA: 4096 tokens, 8 frames)."""
        limit = context_limit(self.model)
        used = [int(n) for n in inputs["attention_mask"].sum(dim=1)]
        longest = max(range(len(used)), key=used.__getitem__)
        if limit and used[longest] > limit:
            frames = len(requests[longest].frames.timestamps)
            raise UsageError(
                f"sample {requests[longest].sample_id}: the prompt is {used[longest]} tokens "
                f"({frames} frames), over {self.name}'s context of {limit}; sample fewer frames "
                "(--model-args frames=8) or fewer pixels (total_pixels=, max_pixels=)"
            )

    def describe(self) -> dict:
        return {
            "name": self.name,
            "revision": self.revision,
            "dtype": str(self.model.dtype),
            "device": str(self.model.device),
            "generation": {
                "max_new_tokens": self.max_new_tokens or None,  # None: each task's own
                "do_sample": self.sampling is not None,
                **(self.sampling or {}),
            },
            "frames": self.frame_spec.describe(),
        }


def _by_generation(requests: list[Request]) -> dict[Generation, list[int]]:
    """The positions of the requests that share generation settings: `model.generate` takes one
    set (each video carries its own sampling rate in its metadata)."""
    groups: dict[Generation, list[int]] = {}
    for i, request in enumerate(requests):
        groups.setdefault(request.generation, []).append(i)
    return groups


def request_text(processor, request: Request, timestamps_in_prompt: bool) -> str:
    """A request in the checkpoint's chat template (the conversation training uses too)."""
    times = request.frames.timestamps if timestamps_in_prompt and request.frames else None
    return chat_text(processor, request.prompt.system, request.prompt.text, times)


def hub_card(pretrained: str) -> dict[str, Any]:
    """ORG/NAME on the hub: name, organisation and link; a local folder: its folder name only
    (the path itself stays off the public card)."""
    if Path(pretrained).expanduser().exists() or pretrained.count("/") != 1:
        return {"name": Path(pretrained.rstrip("/")).name}
    organisation, name = pretrained.split("/")
    return {"name": name, "organisation": organisation,
            "link": f"https://huggingface.co/{pretrained}"}  # fmt: skip


def _first(exc: BaseException) -> str:
    """The first line of an error from transformers (some run to pages)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _revision_of(folder: Path, model) -> str | None:
    """The commit a hub checkpoint was loaded at, or a content digest of a local folder."""
    commit = getattr(model.config, "_commit_hash", None)
    if commit:
        return commit
    if folder.parent.name == "snapshots":  # a hub cache snapshot: its folder is the commit
        return folder.name
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*")):
        if path.is_file() and path.suffix in (".json", ".safetensors", ".bin", ".model", ".jinja"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"local-sha256:{digest.hexdigest()[:16]}"
