"""Commands that make data and models: data (synthetic split, UVQA / HI-VTG builders), train."""

from __future__ import annotations

import argparse
import sys

from benchmark.cli import (
    EXIT_OK,
    EXIT_USAGE,
    Handler,
    command,
)
from benchmark.errors import UsageError


@command("data", "make data: the synthetic split (and, later, UVQA-/HI-VTG-style splits)")
def _data(parser: argparse.ArgumentParser) -> Handler:
    sub = parser.add_subparsers(dest="data_command", metavar="WHAT", required=True)
    synth = sub.add_parser(
        "synth",
        help="render the synthetic split (videos, exact scene graphs, annotations)",
        description="Render the synthetic split: videos, exact scene graphs and the annotations "
        "of synth_qa, synth_uvqa, synth_hivtg and synth_ss (test and train).",
    )
    synth.add_argument(
        "--out", metavar="DIR", help="where to write it (default: the cache the tasks use)"
    )
    synth.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    synth.add_argument("--videos", type=int, metavar="N", help="videos per split (default: 48)")
    synth.add_argument("--preview", metavar="VIDEO_ID", help="write a contact sheet of this video")
    synth.add_argument("--preview-out", metavar="PNG", help="where to write the contact sheet")

    for what, title in (
        ("build-uvqa", "UVQA-style unanswerable questions"),
        ("build-hivtg", "HI-VTG-style hard-irrelevant queries"),
    ):
        build = sub.add_parser(
            what, help=f"build {title} (rules mode on the synthetic split, or an LLM)"
        )
        build.add_argument(
            "--out", required=True, metavar="DIR", help="folder to write the split into"
        )
        build.add_argument(
            "--llm",
            metavar="MODEL",
            help="LLM on the OpenAI-compatible endpoint (default: rules mode)",
        )
        build.add_argument(
            "--synth",
            metavar="DIR",
            nargs="?",
            const="",
            help="synthetic split folder (rules mode)",
        )
        build.add_argument(
            "--split", default="test", choices=("test", "train"), help="synthetic split to use"
        )
        build.add_argument("--seed", type=int, default=0, help="seed (default: 0)")
        if what == "build-uvqa":
            build.add_argument(
                "--scene-graphs", metavar="FILE", help="scene graphs + descriptions (llm mode)"
            )
        else:
            build.add_argument(
                "--source",
                metavar="TASK",
                help="grounding task whose relevant queries to edit (llm mode)",
            )
            build.add_argument("--data-root", metavar="DIR", help="annotation files of --source")
            build.add_argument(
                "--name", default="custom", help="output file hi_vtg_NAME.json (default: custom)"
            )
        build.set_defaults(build=what)

    fetch = sub.add_parser(
        "fetch",
        help="download the released annotation files, pinned and verified, into a data root",
        description="Download the released annotation files each task needs from their "
        "repositories at pinned commits (raw-file URLs, or a mirror laid out as "
        "MIRROR/OWNER/REPO/COMMIT/PATH), verify their git blob ids, and write them under the "
        "data root in the layout the tasks read. Interrupted downloads resume; files already "
        "present and verified are skipped; a file that fails verification is never used.",
    )
    fetch.add_argument(
        "what", nargs="*", default=["all"], metavar="TASK|GROUP",
        help="tasks or groups (`refusal-bench tasks`), 'training' (the training sources) or "
        "'all' (default)",
    )  # fmt: skip
    fetch.add_argument(
        "--data-root", metavar="DIR", help="where to write (default: $REFUSAL_BENCH_DATA)"
    )
    fetch.add_argument(
        "--mirror", metavar="URL",
        help="a mirror of the raw files, URL/OWNER/REPO/COMMIT/PATH (default: "
        "$REFUSAL_BENCH_MIRROR, else https://raw.githubusercontent.com)",
    )  # fmt: skip
    fetch.add_argument("--retries", type=int, default=4, metavar="N", help="retries (default 4)")
    fetch.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per request")
    fetch.add_argument("--no-progress", action="store_true", help="hide progress bars")
    fetch.set_defaults(fetch=True)

    check = sub.add_parser(
        "check-videos",
        help="list the videos of tasks that are missing, unreadable or shorter than their spans",
        description="Before a long run: find each video of the tasks under the video root as a "
        "run would, probe it in parallel (open, duration, one frame) and list the ones that are "
        "missing, unreadable or shorter than their annotated spans. Exit 1 when any is.",
    )
    check.add_argument("--tasks", required=True, help="comma-separated tasks and groups")
    check.add_argument("--video-root", metavar="DIR", help="default: $REFUSAL_BENCH_VIDEOS")
    check.add_argument("--data-root", metavar="DIR", help="default: $REFUSAL_BENCH_DATA")
    check.add_argument("--workers", type=int, default=8, metavar="N", help="parallel probes")
    check.add_argument("--show", type=int, default=5, metavar="N", help="names listed per kind")
    check.set_defaults(check_videos=True)

    def handler(args: argparse.Namespace) -> int:
        if getattr(args, "fetch", False):
            return _fetch(args)
        if getattr(args, "check_videos", False):
            return _check_videos(args)
        if getattr(args, "build", None):
            return _build_split(args)
        return _render_synth(args)

    return handler


def _fetch(args: argparse.Namespace) -> int:
    from benchmark.data import fetch
    from benchmark.data.sources import DATA_ROOT_ENV, data_root
    from benchmark.registry import load_registry

    root = data_root(args.data_root)
    if root is None:
        raise UsageError(
            f"data fetch needs a data root: pass --data-root DIR or set {DATA_ROOT_ENV}"
        )
    registry = load_registry()

    def files_of_task(name: str) -> list[str] | None:
        try:
            specs = registry.resolve(name)
        except UsageError:
            return None
        keys = []
        for spec in specs:
            fetchable = [r for r in spec.data if r.files and all(
                f"{f.repo}/{f.path}" in fetch.BY_KEY for f in r.files)]  # fmt: skip
            keys += [f"{f.repo}/{f.path}" for f in (fetchable[0].files if fetchable else ())]
        return keys

    files = fetch.select(args.what, files_of_task)
    fetcher = fetch.Fetcher(root, base=args.mirror, retries=args.retries, timeout=args.timeout,
                            progress=not args.no_progress)  # fmt: skip
    print(f"fetching {len(files)} files into {root} from {fetch.base_of(args.mirror)}")
    outcomes = fetcher.fetch(files)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("fetched", "present", "failed")}
    print(", ".join(f"{n} {s}" for s, n in counts.items()) + f"; record: {fetcher.lock_path}")
    if counts["failed"]:
        print(f"{counts['failed']} files were not fetched (see above); the others are in place: "
              "fix the cause and run the same command again", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    return EXIT_OK


def _check_videos(args: argparse.Namespace) -> int:
    import time

    from benchmark.cli import EXIT_FAILED
    from benchmark.data.sources import VIDEO_ROOT_ENV, video_root
    from benchmark.data.video_check import check_videos
    from benchmark.registry import load_registry
    from benchmark.task_loading import load_task

    specs = load_registry().resolve(args.tasks)
    failed = False
    for spec in specs:
        loaded = load_task(
            spec, data_root=args.data_root, video_root=args.video_root, fill_durations=False
        )
        root = video_root(args.video_root) or loaded.video_root
        if root is None:
            raise UsageError(
                f"check-videos needs a video root: --video-root DIR or {VIDEO_ROOT_ENV}"
            )
        if not root.is_dir():
            raise UsageError(f"video root {root} is not a folder")
        started = time.perf_counter()
        report = check_videos(loaded.samples, root, workers=args.workers)
        print(f"{spec.name}: {report.videos} videos of {report.samples} samples under {root} "
              f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
        for line in report.lines(args.show):
            print(line)
        failed |= report.failed
    return EXIT_FAILED if failed else EXIT_OK


def _build_split(args: argparse.Namespace) -> int:
    from pathlib import Path

    from benchmark import construct
    from benchmark.openai_client import ChatClient, ResponseCache, default_cache_path
    from benchmark.records import write_json
    from benchmark.synth.split import ensure_split

    out = Path(args.out)
    if args.llm:
        client = ChatClient(args.llm, cache=ResponseCache(default_cache_path()))
        client.check()
        if args.build == "build-uvqa":
            if not args.scene_graphs:
                raise UsageError(
                    "--llm needs --scene-graphs FILE (see benchmark/construct/builders.py)"
                )
            built = construct.build_uvqa_llm(Path(args.scene_graphs), out, client, seed=args.seed)
        else:
            if not args.source:
                raise UsageError(
                    "--llm needs --source TASK, a grounding task whose queries to edit"
                )
            from benchmark.task_loading import load_task

            samples = load_task(args.source, data_root=args.data_root).samples
            built = construct.build_hivtg_llm(samples, out, client, name=args.name)
    else:
        split_dir = ensure_split(args.synth or None)
        if args.build == "build-uvqa":
            built = construct.build_uvqa_rules(split_dir, out, split=args.split, seed=args.seed)
        else:
            built = construct.build_hivtg_rules(
                split_dir, out, name=args.name, split=args.split, seed=args.seed
            )
    write_json(out / "build_report.json", built.report.as_dict())
    for line in built.report.lines():
        print(line)
    for path in built.files:
        print(f"wrote {path}")
    return EXIT_OK


def _render_synth(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from benchmark.synth.split import DEFAULT_VIDEOS, ensure_split

    root = ensure_split(args.out, seed=args.seed, videos=args.videos or DEFAULT_VIDEOS)
    manifest = json.loads((root / "manifest.json").read_text())
    print(f"synthetic split in {root}")
    for task, counts in manifest["samples"].items():
        print(f"  {task:<12} " + ", ".join(f"{split} {n}" for split, n in counts.items()))
    if args.preview:
        from benchmark.synth.preview import contact_sheet
        from benchmark.synth.world import SceneGraph

        scene = root / "scenes" / f"{args.preview}.json"
        if not scene.is_file():
            raise UsageError(f"no video {args.preview!r} in {root} (see {root / 'scenes'})")
        graph = SceneGraph.from_json(json.loads(scene.read_text()))
        out = Path(args.preview_out or f"{args.preview}.png")
        print(f"contact sheet: {contact_sheet(graph, out)}")
    return EXIT_OK


RECIPES = ("sft", "dpo", "ra_rft", "idk_it", "ca_dpo")


@command("train", "run a baseline training recipe (TRL), then evaluate the checkpoint")
def _train(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("recipe", choices=RECIPES, help="the recipe (see baselines/)")
    parser.add_argument(
        "--config", metavar="FILE", help="recipe config YAML (see baselines/<recipe>/config.yaml)"
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting"
    )

    def handler(args: argparse.Namespace) -> int:
        import json

        try:
            import importlib

            from baselines.common import load_config

            recipe = importlib.import_module(f"baselines.{args.recipe}.train")
        except ImportError as exc:
            raise UsageError(
                f"training needs the train extra: pip install 'refusal-bench[train]' ({exc})"
            ) from None
        summary = recipe.main(load_config(recipe.CONFIG, args.config, args.set))
        print(json.dumps({k: v for k, v in summary.items() if k != "config"}, indent=2))
        return EXIT_OK

    return handler
