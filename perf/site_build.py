"""Building the leaderboard site: seconds for 20 to 200 submissions × 10 tasks, and how it grows.

Submissions are `random` reference runs (different refusal rates and seeds) on the four synthetic
tasks plus six released tasks when their annotations are found (else the synthetic four only),
copied (hard links) to reach each count. Every build validates each submission in full (schema,
coverage, re-judging, recomputed metrics with bootstrap intervals) and renders every page and
sample file. Target: linear growth, under 10 s for 200 submissions on 2 cores.

    python perf/site_build.py [--data-root ../shared/data] [--counts 20,50,100,200]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from benchmark.official import OfficialReference
from benchmark.runner import RunConfig, run
from leaderboard.site import build_site

SYNTH = ["synth_hivtg", "synth_qa", "synth_uvqa", "synth_ss"]
RELEASED = [
    "hi_tvgbench",
    "hi_charades",
    "ss_charades",
    "ss_qvhighlights",
    "uvqa_object",
    "uvqa_relation",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_root = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument(
        "--data-root",
        type=lambda text: Path(text) if text else None,
        default=default_root if default_root.is_dir() else None,
        help="released annotations (empty: the synthetic tasks only)",
    )
    parser.add_argument("--counts", default="20,50,100,200")
    parser.add_argument("--bases", type=int, default=10, help="distinct runs to copy from")
    args = parser.parse_args()
    tasks = SYNTH + (RELEASED if args.data_root else [])
    counts = [int(c) for c in args.counts.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bases = []
        for k in range(args.bases):
            out = tmp / "bases" / f"random-{k}"
            config = RunConfig(
                model="random",
                model_args={
                    "p_refuse": f"{0.1 + 0.8 * k / max(args.bases - 1, 1):.2f}",
                    "seed": str(k),
                },
                tasks=",".join(tasks),
                output=out,
                data_root=str(args.data_root) if args.data_root else None,
                sbert="none",
                bootstrap=200,
                progress=False,
            )
            run(config)
            bases.append(out)
        samples = (
            sum(len(p.read_text().splitlines()) for p in bases[0].glob("samples/*.jsonl")) // 2
        )
        print(f"{len(tasks)} tasks, {samples} samples per submission")
        print(f"{'submissions':>11}{'first build s':>15}{'rebuild s':>11}{'rebuild growth':>16}")
        first = None
        for count in counts:
            folder = tmp / f"subs-{count}"
            for i in range(count):
                _hardlink_tree(bases[i % len(bases)], folder / f"sub-{i:03d}")
            reference = OfficialReference(args.data_root)
            site = tmp / f"site-{count}"
            times = []
            for _ in range(2):  # a first build re-judges every submission; a rebuild only new ones
                start = time.perf_counter()
                report = build_site(sorted(folder.iterdir()), site, reference, progress=False)
                times.append(time.perf_counter() - start)
                assert len(report.accepted) == count, report.rejected
            first = first or (count, times[1])
            growth = (times[1] / first[1]) / (count / first[0])
            print(f"{count:>11}{times[0]:>15.2f}{times[1]:>11.2f}{growth:>15.2f}x")
            shutil.rmtree(folder)
        print(
            "rebuild growth: time per submission relative to the smallest rebuild (1.00x = linear)"
        )


def _hardlink_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, destination)


if __name__ == "__main__":
    main()
