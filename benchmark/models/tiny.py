"""Tiny randomly initialised Video-LLMs, saved like hub checkpoints: the real `hf` path on a CPU.

Each has a byte-level BPE tokenizer trained here (with the model's special tokens and a chat
template), its real processor (image and video processors), and a model built from a tiny config,
all written to a folder that `from_pretrained` loads exactly as it loads a downloaded checkpoint.
The tests and the demo use them; their outputs are noise, their plumbing is real.

    python -m benchmark.models.tiny OUT_DIR
"""

from __future__ import annotations

from pathlib import Path

SPECIAL = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]

QWEN_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'video' %}<|vision_start|><|video_pad|><|vision_end|>"
    "{% elif part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% else %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

CORPUS = [
    "Given a video and the query, decide whether the video contains a relevant segment.",
    "<think>The man opens the door.</think><answer>12.54 to 17.83</answer>",
    "<correction>NIL</correction>",
    "The video does not contain a relevant segment. A red circle moves to the left at night.",
    "The video frames are taken at these seconds: 0.6, 1.9, 3.1, 4.4.",
    "You are a video analysis expert. Answer the question about the video.",
]


def train_tokenizer(image_token: str = "<|image_pad|>", video_token: str = "<|video_pad|>"):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    special = list(dict.fromkeys([*SPECIAL, image_token, video_token]))
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=special, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tokenizer.train_from_iterator(CORPUS * 20, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        extra_special_tokens={"image_token": image_token, "video_token": video_token},
    )


def tiny_qwen2_vl(folder: Path, seed: int = 0) -> Path:
    """A two-layer Qwen2-VL with its real processor, saved to `folder`."""
    vision = {"depth": 1, "embed_dim": 32, "hidden_size": 32, "num_heads": 2, "mlp_ratio": 2}
    return _tiny_qwen(folder, seed, "Qwen2VL", vision)


def tiny_qwen2_5_vl(folder: Path, seed: int = 0) -> Path:
    """A two-layer Qwen2.5-VL (windowed vision attention) with its real processor."""
    vision = {
        "depth": 2,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_heads": 2,
        "out_hidden_size": 32,
        "window_size": 56,
        "fullatt_block_indexes": [1],
    }
    return _tiny_qwen(folder, seed, "Qwen2_5_VL", vision)


def _tiny_qwen(folder: Path, seed: int, family: str, vision: dict) -> Path:
    import torch
    import transformers
    from transformers import Qwen2VLImageProcessor, Qwen2VLVideoProcessor

    tokenizer = train_tokenizer()
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in SPECIAL}
    text = _language(tokenizer, "") | {
        "rope_scaling": {"type": "mrope", "mrope_section": [4, 2, 2]}
    }
    text.pop("model_type")
    config = getattr(transformers, f"{family}Config")(
        text_config=text,
        vision_config=vision
        | {"patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2, "in_chans": 3},
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
    )
    torch.manual_seed(seed)
    model = getattr(transformers, f"{family}ForConditionalGeneration")(config)
    small = {"min_pixels": 28 * 28, "max_pixels": 56 * 56}
    processor = getattr(transformers, f"{family}Processor")(
        image_processor=Qwen2VLImageProcessor(**small),
        video_processor=Qwen2VLVideoProcessor(**small),
        tokenizer=tokenizer,
        chat_template=QWEN_TEMPLATE,
    )
    return _save(folder, model, processor)


LLAVA_TEMPLATE = (
    "{% for message in messages %}{{ message['role'].upper() }}: "
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'video' %}<video>\n{% elif part['type'] == 'image' %}<image>\n"
    "{% else %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}\n{% endfor %}"
    "{% if add_generation_prompt %}ASSISTANT:{% endif %}"
)
_SIZE = 56  # frame side the tiny vision towers take: 4 x 4 patches of 14 pixels


def _language(tokenizer, model_type: str) -> dict:
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in ("<|endoftext|>", "<|im_end|>")}
    return {
        "model_type": model_type,
        "vocab_size": len(tokenizer),
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "max_position_embeddings": 4096,
        "pad_token_id": ids["<|endoftext|>"],
        "eos_token_id": ids["<|im_end|>"],
        "bos_token_id": None,
    }


def _vision(model_type: str) -> dict:
    return {
        "model_type": model_type,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": _SIZE,
        "patch_size": 14,
    }


def _save(folder: Path, model, processor) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def tiny_llava_next_video(folder: Path, seed: int = 0) -> Path:
    """A two-layer LLaVA-NeXT-Video (Llama + CLIP) with its real processor."""
    import torch
    from transformers import (
        LlavaNextImageProcessor,
        LlavaNextVideoConfig,
        LlavaNextVideoForConditionalGeneration,
        LlavaNextVideoProcessor,
        LlavaNextVideoVideoProcessor,
    )

    tokenizer = train_tokenizer("<image>", "<video>")
    config = LlavaNextVideoConfig(
        text_config=_language(tokenizer, "llama"),
        vision_config=_vision("clip_vision_model") | {"projection_dim": 32},
        image_token_index=tokenizer.convert_tokens_to_ids("<image>"),
        video_token_index=tokenizer.convert_tokens_to_ids("<video>"),
        vision_feature_layer=-1,
        spatial_pool_stride=2,
        image_grid_pinpoints=[[_SIZE, _SIZE]],
    )
    torch.manual_seed(seed)
    size, crop = {"shortest_edge": _SIZE}, {"height": _SIZE, "width": _SIZE}
    processor = LlavaNextVideoProcessor(
        video_processor=LlavaNextVideoVideoProcessor(size=size, crop_size=crop),
        image_processor=LlavaNextImageProcessor(
            size=size, crop_size=crop, image_grid_pinpoints=[[_SIZE, _SIZE]]
        ),
        tokenizer=tokenizer,
        chat_template=LLAVA_TEMPLATE,
        patch_size=14,
        vision_feature_select_strategy="default",
    )
    return _save(folder, LlavaNextVideoForConditionalGeneration(config), processor)


def tiny_llava_onevision(folder: Path, seed: int = 0) -> Path:
    """A two-layer LLaVA-OneVision (Qwen2 + SigLIP) with its real processor."""
    import torch
    from transformers import (
        LlavaOnevisionConfig,
        LlavaOnevisionForConditionalGeneration,
        LlavaOnevisionImageProcessor,
        LlavaOnevisionProcessor,
        LlavaOnevisionVideoProcessor,
    )

    tokenizer = train_tokenizer("<image>", "<video>")
    config = LlavaOnevisionConfig(
        text_config=_language(tokenizer, "qwen2"),
        vision_config=_vision("siglip_vision_model"),
        image_token_index=tokenizer.convert_tokens_to_ids("<image>"),
        video_token_index=tokenizer.convert_tokens_to_ids("<video>"),
        vision_feature_layer=-1,
        vision_feature_select_strategy="full",
        image_grid_pinpoints=[[_SIZE, _SIZE]],
    )
    torch.manual_seed(seed)
    size = {"height": _SIZE, "width": _SIZE}
    processor = LlavaOnevisionProcessor(
        image_processor=LlavaOnevisionImageProcessor(
            size=size, image_grid_pinpoints=[[_SIZE, _SIZE]]
        ),
        video_processor=LlavaOnevisionVideoProcessor(size=size),
        tokenizer=tokenizer,
        chat_template=LLAVA_TEMPLATE,
        num_image_tokens=(_SIZE // 14) ** 2,
        vision_feature_select_strategy="full",
    )
    return _save(folder, LlavaOnevisionForConditionalGeneration(config), processor)


def tiny_video_llava(folder: Path, seed: int = 0) -> Path:
    """A two-layer Video-LLaVA (Llama + CLIP) with its real processor (8 frames per video)."""
    import torch
    from transformers import (
        VideoLlavaConfig,
        VideoLlavaForConditionalGeneration,
        VideoLlavaImageProcessor,
        VideoLlavaProcessor,
        VideoLlavaVideoProcessor,
    )

    tokenizer = train_tokenizer("<image>", "<video>")
    config = VideoLlavaConfig(
        text_config=_language(tokenizer, "llama"),
        vision_config=_vision("clip_vision_model") | {"projection_dim": 32},
        image_token_index=tokenizer.convert_tokens_to_ids("<image>"),
        video_token_index=tokenizer.convert_tokens_to_ids("<video>"),
        vision_feature_layer=-1,
        vision_feature_select_strategy="default",
    )
    torch.manual_seed(seed)
    size, crop = {"shortest_edge": _SIZE}, {"height": _SIZE, "width": _SIZE}
    processor = VideoLlavaProcessor(
        image_processor=VideoLlavaImageProcessor(size=size, crop_size=crop),
        video_processor=VideoLlavaVideoProcessor(size=size, crop_size=crop),
        tokenizer=tokenizer,
        chat_template=LLAVA_TEMPLATE,
        patch_size=14,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,
    )
    return _save(folder, VideoLlavaForConditionalGeneration(config), processor)


#: family -> (builder, frames the family expects)
FAMILIES = {
    "qwen2-vl": (tiny_qwen2_vl, 4),
    "qwen2.5-vl": (tiny_qwen2_5_vl, 4),
    "llava-next-video": (tiny_llava_next_video, 4),
    "llava-onevision": (tiny_llava_onevision, 4),
    "video-llava": (tiny_video_llava, 8),
}

if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2:
        sys.exit("usage: python -m benchmark.models.tiny OUT_DIR")
    print(tiny_qwen2_vl(Path(sys.argv[1])))
