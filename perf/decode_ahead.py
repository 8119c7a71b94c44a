"""Decode-ahead: the next batch's frames decoded while the model generates the current one.

The tiny random Qwen2-VL (`benchmark.models.tiny`) through the real `hf` adapter, on the
synthetic synth_hivtg videos, with a fresh frame cache for each measurement:

1. decode: every batch's frames, alone (`VideoLoader`);
2. generate: the model on those decoded batches, alone;
3. the runner's generation loop (`benchmark.generating.generate_responses`): decoding on a
   background thread one batch ahead of the model.

Target: 3 ≤ 0.75 × (1 + 2), with outputs identical to those of 2. No overlap can bring 3 below
the longer of 1 and 2, so the script also prints that bound and how much of the shorter step
was hidden behind the longer. On a GPU the model runs beside the CPU's decoder anyway; on a CPU
the model gets all cores but one (`--threads`, the same for all three measurements), so that the
decoder has one of its own.

    python perf/decode_ahead.py [--samples 192] [--frames 96] [--batch-size 6]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmark.generating import generate_responses, prepare
from benchmark.models import load_model
from benchmark.models.tiny import tiny_qwen2_vl
from benchmark.records import read_run_file
from benchmark.registry import load_registry
from benchmark.task_loading import load_task
from benchmark.video import FrameCache, VideoLoader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=192)
    parser.add_argument("--frames", type=int, default=96)
    parser.add_argument("--batch-size", type=int, default=6)
    parser.add_argument("--max-new-tokens", type=int, default=8)
    parser.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    spec = load_registry().tasks["synth_hivtg"]
    loaded = load_task(spec, limit=args.samples)
    samples = sorted(loaded.samples, key=lambda s: (s.video.path, s.video.start or 0.0))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tiny_qwen2_vl(tmp / "tiny-qwen2-vl")
        model = load_model(
            "hf",
            {
                "pretrained": str(folder),
                "frames": str(args.frames),
                "max_new_tokens": str(args.max_new_tokens),
                "batch_size": str(args.batch_size),
            },
        )
        batches = [
            samples[k : k + args.batch_size] for k in range(0, len(samples), args.batch_size)
        ]

        def loader() -> VideoLoader:
            return VideoLoader(loaded.video_root, model.frame_spec, FrameCache())

        model.generate(prepare(model, spec, batches[0], loader())[0])  # warm up
        start = time.perf_counter()
        videos = loader()
        prepared = [prepare(model, spec, batch, videos)[0] for batch in batches]
        decode = time.perf_counter() - start
        start = time.perf_counter()
        alone = [text for requests in prepared for text in model.generate(requests)]
        generate = time.perf_counter() - start

        path = tmp / "run" / "samples" / "synth_hivtg.jsonl"
        path.parent.mkdir(parents=True)
        start = time.perf_counter()
        generate_responses(model, spec, samples, path, loader(), progress=False)
        overlapped = time.perf_counter() - start
        responses = {r.sample_id: r.text for r in read_run_file(path)[0]}
        same = [responses[s.id] for s in samples] == alone

    print(
        f"synth_hivtg: {len(samples)} queries of {len({s.video.path for s in samples})} videos, "
        f"{args.frames} frames, batches of {args.batch_size}, tiny Qwen2-VL, "
        f"{args.threads} torch thread(s)"
    )
    print(f"{'step':<36}{'seconds':>9}")
    print(f"{'decode alone':<36}{decode:>9.2f}")
    print(f"{'generate alone':<36}{generate:>9.2f}")
    print(f"{'decode + generate':<36}{decode + generate:>9.2f}")
    print(f"{'the runner, decoding ahead':<36}{overlapped:>9.2f}")
    print(
        f"ratio {overlapped / (decode + generate):.2f} of decode + generate (target <= 0.75); "
        f"outputs {'identical' if same else 'DIFFER'}"
    )
    # the best any overlap can do is the longer of the two: the ratio cannot go below it
    bound = max(decode, generate) / (decode + generate)
    hidden = (decode + generate - overlapped) / min(decode, generate)
    print(
        f"perfect overlap would give {bound:.2f}; {hidden:.0%} of the shorter step "
        f"({'decode' if decode <= generate else 'generate'}) was hidden behind the other"
    )


if __name__ == "__main__":
    main()
