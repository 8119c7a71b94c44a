"""Scoring with SBERT, cold and warm: `refusal-bench run` of replayed predictions, then `validate`.

Every sample of hi_tvgbench (the synthetic synth_hivtg without `--data-root`) gets an output
written the way RA-RFT-like models write them: spans in several phrasings and, for about half,
a refusal whose explanation is its own (the query's words, what is seen instead, a hedge), so
nearly every explanation is a distinct text, as with a real model. Each row is a fresh process,
timed from the command line:

- `--sbert none`: the rules alone, the floor;
- baseline: the same command on the code of `--baseline REV` (a git worktree; default: this code
  with the disk cache off, `REFUSAL_BENCH_EMBEDDINGS=none`);
- cold: an empty embedding cache; warm: the same command again; then `validate` of the run.

Targets: warm ≤ 2× `--sbert none`, and ≥ 5× faster than the baseline.

    python perf/sbert_cache.py [--data-root ../shared/data] [--baseline e04cb3e]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline import checkout, data_root_argument, python_at

from benchmark.registry import load_registry
from benchmark.task_loading import load_task

SEEN = [
    "a man wipes the kitchen counter",
    "two people talk at a table",
    "the person walks to the window",
    "someone opens the fridge and looks inside",
    "a woman folds towels on the bed",
    "the camera pans across a parking lot",
    "a dog runs after a ball in the yard",
]
HEDGES = ["", " I am fairly sure of this.", " Nothing like it happens later either.", " "]


def unit(text: str) -> float:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") / 2**64


def output(sample) -> str:
    """One output in a style chosen by a hash of the sample id."""
    u, v = unit(sample.id), unit(sample.id + "v")
    gold = sample.gold_spans[0] if sample.gold_spans else (2.0, 8.0)
    start, end = max(0.0, gold[0] + 4 * v - 2), gold[1] + 3 * v - 1
    think = f"<think>I look for: {sample.question.rstrip('.')}.</think>\n"
    if u < 0.3:
        return f"{think}<answer>{start:.2f} to {end:.2f}</answer>"
    if u < 0.45:
        return f"The event happens from {start:.1f} to {end:.1f} seconds."
    seen = SEEN[int(v * len(SEEN))]
    query = sample.question.rstrip(".").lower()
    explanation = (
        f"The video does not show that {query}; instead {seen}, from about "
        f"{start:.0f} seconds.{HEDGES[int(u * 97) % len(HEDGES)]}"
    )
    return f"{think}<answer>{explanation}</answer>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_root_argument(parser)
    parser.add_argument("--baseline", metavar="REV", help="git revision to time against")
    args = parser.parse_args()
    task = "hi_tvgbench" if args.data_root else "synth_hivtg"
    samples = load_task(load_registry().tasks[task], data_root=args.data_root).samples
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        predictions = tmp / "predictions.jsonl"
        with predictions.open("w") as handle:
            for sample in samples:
                handle.write(json.dumps({"id": sample.id, "response": output(sample)}) + "\n")
        cache = tmp / "cache"

        def timed(label: str, argv: list[str], env: dict[str, str]) -> float:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "benchmark", *argv],
                env={**env, "REFUSAL_BENCH_CACHE": str(cache)},
                check=True,
                cwd=tmp,  # not the checkout: `python -m` puts the working folder first
                stdout=None if os.environ.get("PERF_VERBOSE") else subprocess.DEVNULL,
            )
            seconds = time.perf_counter() - start
            print(f"{label:<44}{seconds:>8.2f}", flush=True)
            return seconds

        def run_argv(out: str, *extra: str) -> list[str]:
            root = ["--data-root", str(args.data_root)] if args.data_root else []
            return [
                "run", "--model", "replay", "--model-args", f"path={predictions}",
                "--model-name", "crafted", "--tasks", task, "--output", str(tmp / out),
                "--no-progress", *root, *extra,
            ]  # fmt: skip

        print(f"{task}: {len(samples)} replayed outputs, rules judge; seconds per command")
        here = python_at(None)
        none = timed("run --sbert none", run_argv("none", "--sbert", "none"), here)
        if args.baseline:
            with checkout(args.baseline) as tree:
                base = timed(f"run, code at {args.baseline}", run_argv("base"), python_at(tree))
            base_label = args.baseline
        else:
            off = {**here, "REFUSAL_BENCH_EMBEDDINGS": "none"}
            base = timed("run, disk cache off", run_argv("base"), off)
            base_label = "disk cache off"
        cold = timed("run, cold cache", run_argv("cold"), here)
        warm = timed("run, warm cache", run_argv("warm"), here)
        root = ["--data-root", str(args.data_root)] if args.data_root else []
        valid = timed("validate, warm cache", ["validate", str(tmp / "warm"), *root], here)
        size = sum(p.stat().st_size for p in (cache / "embeddings").glob("*.sqlite"))
        print(f"embedding cache: {size / 1e6:.1f} MB")
        print(
            f"warm / --sbert none: {warm / none:.2f}x (target <= 2); "
            f"{base_label} / warm: {base / warm:.1f}x faster (target >= 5); "
            f"{base_label} / cold: {base / cold:.2f}x; validate warm / none: {valid / none:.2f}x"
        )


if __name__ == "__main__":
    main()
