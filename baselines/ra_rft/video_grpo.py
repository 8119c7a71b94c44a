"""TRL's GRPOTrainer with real video inputs (the RA-RFT authors subclassed their trainer the same
way): the policy, the reference model and generation all receive `pixel_values_videos`,
`video_grid_thw`, `second_per_grid_ts` and `mm_token_type_ids`, as evaluation does.

TRL 1.16's GRPOTrainer carries images only: a video passed as frames would be tokenised as that
many still images (no time-scaled M-RoPE ids, twice the tokens of a 2-frame temporal patch), and
its loss passes drop every video field. Here each dataset row holds its chat text (`prompt`, the
conversation of `benchmark.models.conversation`, the frames' times included) and its decoded
`frames`; the processor turns each row's clip into its video fields once, they travel with the
row through TRL's shuffling and splitting (`video_rows`), and every forward pass gets the rows it
scores.
"""

from __future__ import annotations

from typing import Any

import torch
from trl import GRPOTrainer

from benchmark.models.conversation import video_inputs

VIDEO_FIELDS = ("pixel_values_videos", "video_grid_thw", "second_per_grid_ts")


class VideoGRPOTrainer(GRPOTrainer):
    """GRPO on (chat text, frames) rows; see the module docstring."""

    _video_rows: list[dict[str, torch.Tensor]] | None = None
    _prompt_ids: list[list[int]] | None = None

    def _generate_and_score_completions(self, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        if self.use_vllm:
            raise ValueError("RA-RFT's video GRPO generates with transformers (use_vllm=false)")
        encoded: dict[tuple, tuple[list[int], dict]] = {}  # a prompt repeats once per generation
        for x in inputs:
            key = (x["prompt"], x["frames"].source, x["frames"].timestamps)
            if key not in encoded:
                encoded[key] = self.encode(x["prompt"], x["frames"])
        rows = [encoded[(x["prompt"], x["frames"].source, x["frames"].timestamps)] for x in inputs]
        self._prompt_ids = [ids for ids, _ in rows]
        self._video_rows = [fields for _, fields in rows]
        output = super()._generate_and_score_completions(inputs)
        output["video_rows"] = self._video_rows
        return output

    def encode(self, text: str, frames) -> tuple[list[int], dict[str, torch.Tensor]]:
        """A row's prompt token ids and its clip's video fields, as the processor makes them
        (with the clip's sampling rate: `second_per_grid_ts`)."""
        batch = self.processing_class(
            text=[text], return_tensors="pt", **video_inputs(self.processing_class, [frames])
        )
        fields = {k: batch[k] for k in VIDEO_FIELDS if k in batch}
        if "second_per_grid_ts" in fields and not isinstance(
            fields["second_per_grid_ts"], torch.Tensor
        ):
            fields["second_per_grid_ts"] = torch.tensor(fields["second_per_grid_ts"])
        return batch["input_ids"][0].tolist(), fields

    def _tokenize_prompts(self, prompts: list):
        """The rows' prompt ids (encoded with their clips) and the batch's video fields."""
        fields: dict[str, Any] = self._batched(self._video_rows, "cpu")
        video = self._video_token_id()
        types = [[2 if token == video else 0 for token in row] for row in self._prompt_ids]
        return self._prompt_ids, None, fields | {"mm_token_type_ids": types}

    def _compute_loss(self, model, inputs):
        self._video_rows = inputs["video_rows"]
        return super()._compute_loss(model, inputs)

    def _get_per_token_logps_and_entropies(
        self,
        model,
        input_ids,
        attention_mask,
        logits_to_keep,
        batch_size=None,
        compute_entropy=False,
        compute_aux_loss=False,
        **_image_fields,
    ):
        """TRL's log-probabilities of the completion tokens, each chunk of rows with its videos
        and the prompt's video-token types (2 = video) for Qwen's 3-D positions."""
        batch_size = batch_size or input_ids.size(0)
        prompt_length = input_ids.size(1) - logits_to_keep
        logps, entropies, aux_losses = [], [], []
        for start in range(0, input_ids.size(0), batch_size):
            end = min(start + batch_size, input_ids.size(0))
            ids, mask = input_ids[start:end], attention_mask[start:end]
            model_inputs = {"input_ids": ids, "attention_mask": mask}
            model_inputs |= self._batched(self._video_rows[start:end], ids.device)
            model_inputs["mm_token_type_ids"] = self._video_token_types(ids, prompt_length)
            if compute_aux_loss:
                model_inputs["output_router_logits"] = True
            labels = ids.masked_fill(mask == 0, -100)
            labels[:, :-logits_to_keep] = -100
            with self.accelerator.autocast():
                outputs = model(**model_inputs, labels=labels, fused_lm_head=True)
            logps.append(outputs.log_probs[:, -logits_to_keep:])
            if compute_entropy:
                entropies.append(outputs.entropy[:, -logits_to_keep:])
            if compute_aux_loss:
                aux_losses.append(outputs.aux_loss)
        return (
            torch.cat(logps, dim=0),
            torch.cat(entropies, dim=0) if compute_entropy else None,
            torch.stack(aux_losses).mean() if compute_aux_loss else None,
        )

    def _video_token_types(self, ids: torch.Tensor, prompt_length: int) -> torch.Tensor:
        """2 where the prompt holds a video token, else 0 (a sampled completion that happens to
        emit the video token stays text)."""
        types = torch.zeros_like(ids)
        prompt = ids[:, :prompt_length]
        types[:, :prompt_length] = torch.where(prompt == self._video_token_id(), 2, 0)
        return types

    def _video_token_id(self) -> int:
        processor = self.processing_class
        return processor.tokenizer.convert_tokens_to_ids(processor.video_token)

    @staticmethod
    def _batched(rows: list[dict[str, torch.Tensor]], device) -> dict[str, torch.Tensor]:
        """Rows' video fields concatenated (patches, grids and rates in row order)."""
        if not rows:
            return {}
        return {key: torch.cat([row[key] for row in rows]).to(device) for key in rows[0]}
