"""One process of a CPU multi-process check (started by tests/test_recipe_distributed.py with a
launcher's environment: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT).

    python tests/distributed_worker.py dpo-pairs CHECKPOINT OUT   # DPO negatives + 1 step
    python tests/distributed_worker.py zero3-sbert OUT [unguarded] # MiniLM under a ZeRO-3 config
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def dpo_pairs(checkpoint: str, out: Path) -> None:
    import baselines.dpo.train as dpo

    rank = int(os.environ["RANK"])
    real_train = dpo.train

    def recording(config, pairs, root, **kwargs):
        rows = [[p["task"], p["sample_id"], p["chosen"], p["rejected"]] for p in pairs]
        (out / f"pairs.rank{rank}.json").write_text(json.dumps(rows))
        return real_train(config, pairs, root, **kwargs)

    dpo.train = recording
    config = dpo.DPORecipeConfig(model=checkpoint, output_dir=str(out / "dpo"), use_cpu=True,
                                 bf16=False, frames=4, limit=4, max_steps=1, eval_tasks="synth_qa",
                                 eval_limit=2,
                                 per_device_train_batch_size=1, gradient_accumulation_steps=1)  # fmt: skip
    summary = dpo.main(config)
    facts = {"steps": summary["steps"], "evaluated": sorted(summary["eval"])}
    (out / f"summary.rank{rank}.json").write_text(json.dumps(facts))


def zero3_sbert(out: Path, guarded: bool) -> None:
    import deepspeed
    from transformers.integrations import HfDeepSpeedConfig

    deepspeed.init_distributed(dist_backend="gloo")
    config = {"zero_optimization": {"stage": 3}, "train_micro_batch_size_per_gpu": 1,
              "train_batch_size": 1}  # fmt: skip
    registered = HfDeepSpeedConfig(config)  # what TRL's configs register under ZeRO-3
    from baselines import rewards

    if not guarded:
        rewards.outside_zero3 = _unguarded
    try:
        value = rewards.minilm_similarity(["a man opens the door"], ["a man opens the door"])
        result = {"similarity": value[0]}
    except RuntimeError as exc:
        result = {"error": str(exc)}
    from transformers.integrations import is_deepspeed_zero3_enabled

    result["zero3_still_registered"] = is_deepspeed_zero3_enabled() and registered is not None
    (out / "sbert.json").write_text(json.dumps(result))


def _unguarded():
    from contextlib import nullcontext

    return nullcontext()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "dpo-pairs":
        dpo_pairs(sys.argv[2], Path(sys.argv[3]))
    else:
        zero3_sbert(Path(sys.argv[2]), guarded=sys.argv[3:] != ["unguarded"])
