"""Decode-ahead: the next batch's frames decoded (and inputs made) while the model generates.

The tiny random Qwen2-VL (`benchmark.models.tiny`) through the real `hf` adapter, on the
synthetic synth_hivtg videos, with a fresh frame cache for each measurement:

1. decode: every batch's frames, alone (`VideoLoader`);
2. generate: the model on those decoded batches, alone (`Model.generate`: the processor's
   resizing and tokenising, then the model's generation);
3. the runner's generation loop (`benchmark.generating.generate_responses`): decoding and the
   processor (`Model.encode`) on a background thread one batch ahead of the model.

Target: 3 ≤ 0.75 × (1 + 2), with outputs identical to those of 2. No overlap can bring 3 below
the longer of 1 and 2, so the script also prints that bound and how much of the shorter step
was hidden behind the longer. Each is measured at several frame counts: the videos are 10 s at
8 fps, so 16 and 32 frames are what a 1.6-3.2 fps sampler takes (Qwen2.5-VL's default is 2 fps),
and 96 repeats frames; the more frames, the more of the work is the model's, and the less there
is to hide. On a GPU the model runs beside the CPU's decoder anyway; on a CPU the model gets all
cores but one (`--threads`, the same for all measurements), so that the decoder has its own.

    python perf/decode_ahead.py [--samples 192] [--frames 16,32,96] [--batch-size 6]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmark.generating import decode_batch, generate_responses
from benchmark.models import load_model
from benchmark.models.tiny import tiny_qwen2_vl
from benchmark.records import read_run_file
from benchmark.registry import load_registry
from benchmark.task_loading import load_task
from benchmark.video import FrameCache, VideoLoader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=192)
    parser.add_argument("--frames", default="16,32,96", help="frames per video, one run each")
    parser.add_argument("--batch-size", type=int, default=6)
    parser.add_argument("--max-new-tokens", type=int, default=8)
    parser.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    spec = load_registry().tasks["synth_hivtg"]
    loaded = load_task(spec, limit=args.samples)
    samples = sorted(loaded.samples, key=lambda s: (s.video.path, s.video.start or 0.0))
    print(
        f"synth_hivtg: {len(samples)} queries of {len({s.video.path for s in samples})} videos "
        f"(10 s at 8 fps), batches of {args.batch_size}, tiny Qwen2-VL, "
        f"{args.threads} torch thread(s)"
    )
    print(
        f"{'frames':>6}{'decode s':>10}{'generate s':>12}{'(encode s)':>12}{'sum s':>8}"
        f"{'runner s':>10}{'ratio':>7}{'bound':>7}{'hidden':>8}  outputs"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = tiny_qwen2_vl(Path(tmp) / "tiny-qwen2-vl")
        for frames in (int(f) for f in args.frames.split(",")):
            m = _measure(
                folder, spec, loaded.video_root, samples, frames, args, Path(tmp) / f"{frames}"
            )
            total = m.decode + m.generate
            # the background thread decodes and encodes, the main one runs the model: no
            # overlap can bring the runner below the longer of the two
            behind, model = m.decode + m.encode, m.generate - m.encode
            bound = max(behind, model) / total
            hidden = (total - m.runner) / min(behind, model)
            print(
                f"{frames:>6}{m.decode:>10.2f}{m.generate:>12.2f}{m.encode:>12.2f}{total:>8.2f}"
                f"{m.runner:>10.2f}{m.runner / total:>7.2f}{bound:>7.2f}{hidden:>8.0%}  "
                f"{'identical' if m.same else 'DIFFER'}"
            )
    print(
        "ratio: the runner over decode + generate (target <= 0.75); encode: the part of generate "
        "the runner does ahead (the processor); bound: the longer of decode + encode and the "
        "model's own part over the sum, the best any overlap can give; hidden: the share of the "
        "shorter of the two that ran behind the longer"
    )


@dataclass(frozen=True)
class Measured:
    decode: float  # s: every batch's frames
    generate: float  # s: `model.generate` on the decoded batches, encoding included
    encode: float  # s: `model.encode` alone, the part of generate done ahead
    runner: float  # s: the runner's loop, from videos to outputs
    same: bool  # whether the runner's outputs equal generate's


def _measure(folder, spec, video_root, samples, frames, args, out: Path) -> Measured:
    model = load_model(
        "hf",
        {
            "pretrained": str(folder),
            "frames": str(frames),
            "max_new_tokens": str(args.max_new_tokens),
            "batch_size": str(args.batch_size),
        },
    )
    batches = [samples[k : k + args.batch_size] for k in range(0, len(samples), args.batch_size)]

    def loader() -> VideoLoader:
        return VideoLoader(video_root, model.frame_spec, FrameCache())

    model.generate(decode_batch(model, spec, batches[0], loader())[0])  # warm up
    start = time.perf_counter()
    videos = loader()
    decoded = [decode_batch(model, spec, batch, videos)[0] for batch in batches]
    decode = time.perf_counter() - start
    start = time.perf_counter()
    alone = [text for requests in decoded for text in model.generate(requests)]
    generate = time.perf_counter() - start
    start = time.perf_counter()
    for requests in decoded:
        model.encode(requests)
    encode = time.perf_counter() - start

    path = out / "run" / "samples" / "synth_hivtg.jsonl"
    path.parent.mkdir(parents=True)
    start = time.perf_counter()
    generate_responses(model, spec, samples, path, loader(), progress=False)
    runner = time.perf_counter() - start
    responses = {r.sample_id: r.text for r in read_run_file(path)[0]}
    same = [responses[s.id] for s in samples] == alone
    return Measured(decode, generate, encode, runner, same)


if __name__ == "__main__":
    main()
