"""Model-state memory per GPU under each DeepSpeed ZeRO stage (ZeRO paper, Rajbhandari et al.
2020, §5): bf16 weights (2 bytes/param), bf16 gradients (2) and Adam's fp32 master weights,
momentum and variance (12) for the Ψ_t trainable parameters; frozen parameters cost only their
bf16 weights. With N GPUs:

    stage 0 (DDP):   2Ψ + (2 + 12)Ψ_t
    stage 1:         2Ψ + 2Ψ_t + 12Ψ_t/N
    stage 2:         2Ψ + (2 + 12)Ψ_t/N
    stage 3:         (2Ψ + (2 + 12)Ψ_t)/N
    stage 3 offload: on the CPU 2Ψ + 16Ψ_t (fp32 gradient partitions, 4Ψ_t, beside Adam's 12Ψ_t);
                     the GPU holds the layers being computed

A frozen reference model (DPO, CA-DPO, RA-RFT with β > 0) adds 2Ψ, or 2Ψ/N under stage 3.
Activations, the KV cache of GRPO's generations and framework buffers come on top; they depend on
the frames and tokens per sample (gradient checkpointing cuts activations to about one layer's).

    python -m baselines.memory
"""

from __future__ import annotations

GIB = 1024**3

#: parameters (total, trainable when the vision tower is frozen but its merger)
MODELS = {
    "Qwen2.5-VL-7B": (8.29e9, 7.66e9),
    "Video-LLaVA-7B": (7.36e9, 6.76e9),
}


def zero_memory_gib(
    params: float, trainable: float, gpus: int, stage: int, *, reference: bool = False
) -> float:
    """Model-state GiB per GPU (see the module docstring for the formula).

    >>> round(zero_memory_gib(1e9, 1e9, 1, 0), 2)  # 16 bytes per parameter
    14.9
    >>> round(zero_memory_gib(1e9, 1e9, 8, 2), 2)  # 2 + 14/8 bytes per parameter
    3.49
    >>> round(zero_memory_gib(1e9, 1e9, 8, 3, reference=True), 2)  # (16 + 2)/8
    2.1
    """
    weights, states = 2 * params, 14 * trainable
    if stage == 0:
        total = weights + states
    elif stage == 1:
        total = weights + 2 * trainable + 12 * trainable / gpus
    elif stage == 2:
        total = weights + states / gpus
    elif stage == 3:
        total = (weights + states) / gpus
    else:
        raise ValueError(f"ZeRO stage must be 0-3, got {stage}")
    if reference:
        total += 2 * params / (gpus if stage == 3 else 1)
    return total / GIB


def host_offload_gib(params: float, trainable: float, *, reference: bool = False) -> float:
    """Host RAM per node for ZeRO-3 with CPU offload (ZeRO-Offload, Ren et al. 2021): the bf16
    weights (2Ψ), and for the trainable ones the fp32 gradient partitions the CPU optimizer
    steps on (4Ψ_t) and Adam's fp32 master weights, momentum and variance (12Ψ_t), pinned and
    shared by the node's GPUs: 2Ψ + 16Ψ_t (+ 2Ψ for a frozen reference model).

    >>> round(host_offload_gib(1e9, 1e9), 2)  # 18 bytes per parameter
    16.76
    """
    return (2 * params + 16 * trainable + (2 * params if reference else 0)) / GIB


RECIPES = {  # recipe family: (vision tower frozen, frozen reference model, models it is run on)
    "SFT, IDK-IT": (False, False, ("Qwen2.5-VL-7B", "Video-LLaVA-7B")),
    "DPO, CA-DPO": (False, True, ("Qwen2.5-VL-7B", "Video-LLaVA-7B")),
    "RA-RFT": (True, True, ("Qwen2.5-VL-7B",)),
}


def table() -> str:
    """The README's table: model-state GiB per GPU for each recipe, model, GPU count and stage."""
    rows = [
        "| recipe | model | GPUs | ZeRO-2 | ZeRO-3 | ZeRO-3 offload: host RAM |",
        "|---|---|---|---|---|---|",
    ]
    for recipe, (vision_frozen, reference, models) in RECIPES.items():
        for name in models:
            params, without_vision = MODELS[name]
            trainable = without_vision if vision_frozen else params
            host = host_offload_gib(params, trainable, reference=reference)
            for gpus in (1, 2, 8):
                cells = [
                    f"{zero_memory_gib(params, trainable, gpus, s, reference=reference):.1f}"
                    for s in (2, 3)
                ]
                rows.append(f"| {recipe} | {name} | {gpus} | {' | '.join(cells)} | {host:.0f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
