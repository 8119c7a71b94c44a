"""`vllm`: offline batched generation with vLLM (GPU only; `pip install 'refusal-bench[vllm]'`).

The prompt is the checkpoint's own chat template (video first, then the task prompt, after the
short system prompt, the frames' times in seconds: `benchmark.models.conversation`); the sampled
frames go in as `multi_modal_data={"video": (frames, metadata)}`, the metadata holding their rate
(Qwen2.5-VL's temporal position ids; vLLM 0.11+ reads it). Greedy decoding unless a temperature is
given. `max_model_len` defaults to the checkpoint's own context (Video-LLaVA: 4096).

    refusal-bench run --model vllm \\
        --model-args pretrained=Qwen/Qwen2.5-VL-7B-Instruct,tensor_parallel_size=1,frames=32 \\
        --tasks hi_vtg --video-root ~/videos
"""

from __future__ import annotations

from benchmark.errors import UsageError
from benchmark.models.base import Model, Request
from benchmark.models.conversation import vllm_video
from benchmark.models.hf import hub_card, request_text
from benchmark.video import FrameSpec


class VLLMVideoLLM(Model):
    needs_frames = True

    def __init__(
        self,
        pretrained: str = "",
        revision: str = "",
        dtype: str = "auto",
        tensor_parallel_size: int = 1,
        gpu_memory_utilization: float = 0.9,
        max_model_len: int = 0,  # 0: the checkpoint's own
        max_new_tokens: int = 0,
        temperature: float | None = None,
        batch_size: int = 64,
        frames: int = 0,
        fps: float = 2.0,
        max_frames: int = 768,
        total_pixels: int = 3584 * 28 * 28,
        timestamps_in_prompt: bool = True,
    ) -> None:
        if not pretrained:
            raise UsageError("name the checkpoint: --model-args pretrained=ORG/NAME")
        try:
            from transformers import AutoProcessor
            from vllm import LLM, SamplingParams
        except ImportError:
            raise UsageError(
                "the vllm model needs vLLM on a CUDA machine: pip install 'refusal-bench[vllm]'"
            ) from None
        self.processor = AutoProcessor.from_pretrained(pretrained, revision=revision or None)
        self.llm = LLM(
            model=pretrained,
            revision=revision or None,
            dtype=dtype,
            tensor_parallel_size=tensor_parallel_size,
            gpu_memory_utilization=gpu_memory_utilization,
            max_model_len=max_model_len or None,
            limit_mm_per_prompt={"video": 1},
        )
        self.sampling_params = SamplingParams
        self.max_new_tokens = max_new_tokens  # 0: the task's
        self.temperature = temperature  # None: the task's
        self.name = f"vllm:{pretrained}"
        self.pretrained = pretrained
        self.revision = revision or None
        self.batch_size = max(1, batch_size)
        self.frame_spec = FrameSpec(
            num_frames=frames or None, fps=fps, max_frames=max_frames, total_pixels=total_pixels
        )
        self.timestamps_in_prompt = timestamps_in_prompt

    def generate(self, requests: list[Request]) -> list[str]:
        outputs = self.llm.generate(
            [self.prompt(r) for r in requests],
            [self._sampling(r.generation) for r in requests],
            use_tqdm=False,
        )
        return [o.outputs[0].text.strip() for o in outputs]

    def prompt(self, request: Request) -> dict:
        """vLLM's prompt for a request: the chat text and the frames with their metadata."""
        return {
            "prompt": request_text(self.processor, request, self.timestamps_in_prompt),
            "multi_modal_data": {"video": vllm_video(request.frames, self.frame_spec.fps)},
        }

    def _sampling(self, generation):
        """vLLM sampling parameters: the model arguments where given, else the task's."""
        generation = generation.overridden(
            max_new_tokens=self.max_new_tokens, temperature=self.temperature
        )
        return self.sampling_params(
            temperature=generation.temperature,
            max_tokens=generation.max_new_tokens,
            stop=list(generation.until) or None,
        )

    def describe(self) -> dict:
        return {"name": self.name, "revision": self.revision, "frames": self.frame_spec.describe()}

    def card(self) -> dict:
        return hub_card(self.pretrained)
