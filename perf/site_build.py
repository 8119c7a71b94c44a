"""Building the leaderboard site: seconds for 20 to 200 submissions × 10 tasks, and how it grows.

Submissions are `random` reference runs (refusal rates 0.1 to 0.9, one seed each) on the four
synthetic tasks plus six released tasks when their annotations are found (else the synthetic
four only). Copies of them reach each count; each copy gets its own run.json (its own model name),
so every submission has its own content digest and is validated on its own.

The site grows as a leaderboard does: 20 submissions, then 30 more arrive, and so on to 200. At
each count the script times
- `add`: the build that validates the newly arrived submissions (on `--jobs` processes) and
  renders the site, the others coming from the site's cache;
- `rebuild`: a build with nothing new (templates or the reference changed, a rejected
  submission was removed): cache look-ups, the official data loaded once, every page rendered;
and then one more submission arriving at the largest count.
Baselines, in the same process: at 20 submissions a fresh build (validating all) with one process
against `--jobs` processes, and at the largest count a fresh build validating all of them again
into a new folder (nothing from the builds before it).
With `--baseline REV`, that last fresh build is timed again on the code of REV (a git worktree,
in a process of its own), the same submissions and official data: "before" against "now".
Every build loads the official data anew, as a `leaderboard build` command does. The runs use
200 bootstrap resamples (validation recomputes intervals with the run's own count): fresh builds
of runs made with the default 1000 take longer; rebuilds do not depend on it.
Target: linear growth, under 10 s for 200 submissions on 2 cores.

    python perf/site_build.py [--data-root ../shared/data] [--counts 20,50,100,200] [--jobs 2]
                              [--baseline e04cb3e] [--fresh-only]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline import checkout, data_root_argument, python_at

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
    data_root_argument(parser)
    parser.add_argument("--counts", default="20,50,100,200")
    parser.add_argument("--bases", type=int, default=10, help="distinct runs to copy from")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline", metavar="REV", help="git revision to time the fresh build on")
    parser.add_argument(
        "--fresh-only",
        action="store_true",
        help="time only the fresh build of the largest count (and the baseline's): no growth",
    )
    args = parser.parse_args()
    tasks = SYNTH + (RELEASED if args.data_root else [])
    counts = [int(c) for c in args.counts.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bases = [_base_run(tmp / f"random-{k}", k, args, tasks) for k in range(args.bases)]
        samples = sum(
            len(p.read_text().splitlines()) for p in bases[0].glob("samples/*.jsonl")
        ) // 2  # fmt: skip
        print(f"{len(tasks)} tasks, {samples} samples per submission, jobs={args.jobs}")

        def build(site: Path, count: int, **options) -> tuple[float, int]:
            folder = tmp / "submissions"
            for i in range(count):
                if not (folder / f"sub-{i:03d}").exists():
                    _copy_submission(bases[i % len(bases)], folder / f"sub-{i:03d}", i)
            paths = [folder / f"sub-{i:03d}" for i in range(count)]
            start = time.perf_counter()
            reference = OfficialReference(args.data_root)
            report = build_site(paths, site, reference, progress=False, **options)
            seconds = time.perf_counter() - start
            assert len(report.accepted) == count, report.rejected
            return seconds, report.validated

        if not args.fresh_only:
            rebuilt = _growth(build, tmp, counts, args.jobs)
        # into a new folder, as the baseline's: no ties or pages from the builds above
        fresh, _ = build(tmp / "site-fresh", counts[-1], jobs=args.jobs, fresh=True)
        print(f"fresh build of {counts[-1]} (validating all, {args.jobs} processes): {fresh:.2f} s")
        if not args.fresh_only:
            print(f"rebuild {rebuilt:.2f} s ({fresh / rebuilt:.1f}x faster)")
        if args.baseline:
            paths = [tmp / "submissions" / f"sub-{i:03d}" for i in range(counts[-1])]
            with checkout(args.baseline) as tree:
                before = _fresh_build_at(tree, paths, tmp / "site-before", args)
            print(
                f"fresh build of {counts[-1]} on the code at {args.baseline}: {before:.2f} s; "
                f"now {fresh:.2f} s ({before / fresh:.2f}x faster)"
            )
        if not args.fresh_only:
            print(
                "rebuild growth: time per submission relative to the smallest rebuild (1.00x = "
                "linear; below 1 while the fixed cost of loading the official data dominates)"
            )


def _growth(build, tmp: Path, counts: list[int], jobs: int) -> float:
    """A fresh build of the smallest count on 1 and `jobs` processes, then the site grown count
    by count (adding, then rebuilding), then one more submission; the largest rebuild's
    seconds."""
    serial, _ = build(tmp / "serial", counts[0], jobs=1)
    parallel, _ = build(tmp / "parallel", counts[0], jobs=jobs)
    print(
        f"fresh build of {counts[0]}: 1 process {serial:.2f} s, {jobs} processes "
        f"{parallel:.2f} s ({serial / parallel:.2f}x)"
    )
    print(f"{'submissions':>11}{'new':>6}{'add s':>9}{'rebuild s':>11}{'rebuild growth':>16}")
    site, first = tmp / "site", None
    for count in counts:
        added, validated = build(site, count, jobs=jobs)
        rebuilt, none = build(site, count, jobs=jobs)
        assert none == 0
        first = first or (count, rebuilt)
        growth = (rebuilt / first[1]) / (count / first[0])
        print(f"{count:>11}{validated:>6}{added:>9.2f}{rebuilt:>11.2f}{growth:>15.2f}x")
    one_more, validated = build(site, counts[-1] + 1, jobs=jobs)
    assert validated == 1
    print(f"one new submission arrives at {counts[-1]}: {one_more:.2f} s")
    return rebuilt


def _base_run(out: Path, k: int, args: argparse.Namespace, tasks: list[str]) -> Path:
    run(
        RunConfig(
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
    )
    return out


_FRESH_BUILD = """
import json, sys, time
from pathlib import Path
from benchmark.official import OfficialReference
from leaderboard.site import build_site
paths, site, root, jobs = json.loads(sys.argv[1])
start = time.perf_counter()
reference = OfficialReference(root)
report = build_site([Path(p) for p in paths], Path(site), reference, progress=False, jobs=jobs,
                    fresh=True)
assert len(report.accepted) == len(paths), report.rejected
print(time.perf_counter() - start)
"""


def _fresh_build_at(tree: Path, paths: list[Path], site: Path, args) -> float:
    """Seconds of a fresh build of `paths` by the code in `tree` (timed inside its process)."""
    root = str(args.data_root) if args.data_root else None
    argv = json.dumps([[str(p) for p in paths], str(site), root, args.jobs])
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_BUILD, argv],
        env=python_at(tree),
        cwd=site.parent,  # not this checkout: the working folder comes first on sys.path
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.split()[-1])


def _copy_submission(source: Path, target: Path, number: int) -> None:
    """Sample files hard-linked (the same records), run.json rewritten (its own model name)."""
    (target / "samples").mkdir(parents=True)
    for path in (source / "samples").glob("*.jsonl"):
        os.link(path, target / "samples" / path.name)
    os.link(source / "results.json", target / "results.json")
    info = json.loads((source / "run.json").read_text())
    info["model"]["name"] = f"{info['model']['name']} #{number}"
    (target / "run.json").write_text(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()
