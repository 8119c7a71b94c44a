"""The `refusal-bench` command line.

Each subcommand is registered with `_command(name, help)`: a function that adds its arguments to
its parser and returns the handler. Errors meant for users (bad input files, missing data) are
raised as a `BenchmarkError` and printed as one line with exit code 2; nothing below
this module prints tracebacks at a user.

Exit codes: 0 success; 1 the work finished but something failed; 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from benchmark import __version__
from benchmark.errors import BenchmarkError, UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], Handler]]] = {}


def _command(name: str, help: str):
    def register(build: Callable[[argparse.ArgumentParser], Handler]):
        _COMMANDS[name] = (help, build)
        return build

    return register


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-root",
        metavar="DIR",
        help="folder of annotation files: clones of the source repositories or a flat folder "
        "(default: $REFUSAL_BENCH_DATA)",
    )
    parser.add_argument(
        "--video-root",
        metavar="DIR",
        help="folder searched for videos by file name (default: $REFUSAL_BENCH_VIDEOS)",
    )


def _judge_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--judge-concurrency",
        type=int,
        default=8,
        metavar="N",
        help="concurrent requests of an openai: judge (default: 8)",
    )
    parser.add_argument(
        "--judge-timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="seconds per request (default: 60)",
    )
    parser.add_argument(
        "--judge-retries", type=int, default=5, metavar="N", help="retries per request (default: 5)"
    )
    parser.add_argument(
        "--judge-cache",
        metavar="FILE",
        help="SQLite cache of an openai: judge, or 'none' "
        "(default: $REFUSAL_BENCH_CACHE/openai-cache.sqlite)",
    )


def _judge_kwargs(args: argparse.Namespace) -> dict:
    """The --judge-* options that the chosen judge takes (see `benchmark.scorers.JUDGES`)."""
    from benchmark.scorers import JudgeSpec

    given = {
        "concurrency": args.judge_concurrency,
        "cache": args.judge_cache,
        "timeout": args.judge_timeout,
        "max_retries": args.judge_retries,
    }
    taken = JudgeSpec.parse(args.judge, sbert=args.sbert).info.options
    return {k: v for k, v in given.items() if k in taken}


@_command("tasks", "list the registered tasks and groups, with sample counts")
def _tasks(parser: argparse.ArgumentParser) -> Handler:
    _data_options(parser)
    parser.add_argument("--no-count", action="store_true", help="do not load data to count samples")

    def handler(args: argparse.Namespace) -> int:
        from benchmark.data import data_root, data_status
        from benchmark.registry import load_registry
        from benchmark.task_loading import load_task

        registry = load_registry()
        root = data_root(args.data_root)
        rows = []
        for spec in registry.tasks.values():
            present, what = data_status(spec.data, root)
            if not present:
                count = "missing"
            elif args.no_count:
                count = "present"
            else:
                count = str(len(load_task(spec, data_root=args.data_root).samples))
            rows.append((spec.name, spec.family.name, spec.version, count, what))
        width = max(len(r[0]) for r in rows)
        print(f"{'task':<{width}}  {'family':<9}  {'version':<7}  {'samples':>7}  source")
        for name, family, version, count, what in rows:
            print(f"{name:<{width}}  {family:<9}  {version:<7}  {count:>7}  {what}")
        print()
        for group, members in registry.groups.items():
            print(f"group {group}: {', '.join(members)}")
        return EXIT_OK

    return handler


@_command("dump", "write one task's samples as JSONL (the ids a predictions file is keyed by)")
def _dump(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("--task", required=True, help="task name (see `refusal-bench tasks`)")
    _data_options(parser)
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N samples")
    parser.add_argument("--seed", type=int, default=0, help="seed of built splits (default: 0)")
    parser.add_argument("--split", choices=("test", "train"), help="split of the synthetic tasks")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")

    def handler(args: argparse.Namespace) -> int:
        import json

        from benchmark.records import to_dict
        from benchmark.registry import load_registry
        from benchmark.task_loading import load_task

        registry = load_registry()
        if args.task in registry.groups:
            members = ", ".join(registry.groups[args.task])
            raise UsageError(f"{args.task!r} is a group; dump one of its tasks: {members}")
        loaded = load_task(
            args.task,
            data_root=args.data_root,
            video_root=args.video_root,
            seed=args.seed,
            limit=args.limit,
            split=args.split,
        )
        for line in loaded.report.lines():
            print(line, file=sys.stderr)
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
        try:
            for sample in loaded.samples:
                out.write(json.dumps(to_dict(sample), ensure_ascii=False) + "\n")
        finally:
            if out is not sys.stdout:
                out.close()
        print(f"{len(loaded.samples)} samples of {args.task} ({loaded.how})", file=sys.stderr)
        return EXIT_OK

    return handler


@_command("run", "evaluate a model on tasks: generate, score, aggregate (resumable)")
def _run(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument(
        "--model",
        required=True,
        help="model name (always-answer, always-refuse, random, replay, ...)",
    )
    parser.add_argument(
        "--model-args", metavar="K=V,...", help="model arguments, e.g. path=preds.jsonl"
    )
    parser.add_argument(
        "--tasks",
        required=True,
        help="comma-separated tasks and groups (see `refusal-bench tasks`)",
    )
    parser.add_argument(
        "--limit", type=int, metavar="N", help="only the first N samples of each task"
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="DIR",
        help="run directory (default: runs/<model>); reused to resume",
    )
    parser.add_argument(
        "--judge", default="rules", help="rules (default, offline) or openai:<model>"
    )
    _judge_options(parser)
    parser.add_argument(
        "--sbert",
        default="all-MiniLM-L6-v2",
        help="SBERT model for similarity scores, or 'none' (default: %(default)s)",
    )
    _data_options(parser)
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for models, built splits and bootstrap (default: 0)",
    )
    parser.add_argument(
        "--batch-size", type=int, metavar="N", help="requests per model call (default: the model's)"
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap resamples (default: 1000)",
    )
    parser.add_argument(
        "--max-failure-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="exit 1 when generation errors + judge failures exceed this share of a task "
        "(default: 0)",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")

    def handler(args: argparse.Namespace) -> int:
        from pathlib import Path

        from benchmark.models import parse_model_args
        from benchmark.runner import RunConfig, results_table, run

        output = Path(args.output or Path("runs") / args.model)
        config = RunConfig(
            model=args.model,
            model_args=parse_model_args(args.model_args),
            tasks=args.tasks,
            output=output,
            limit=args.limit,
            judge=args.judge,
            judge_options=_judge_kwargs(args),
            sbert=args.sbert,
            data_root=args.data_root,
            video_root=args.video_root,
            seed=args.seed,
            batch_size=args.batch_size,
            bootstrap=args.bootstrap,
            max_failure_rate=args.max_failure_rate,
            progress=not args.no_progress,
        )
        outcome = run(config)
        print(results_table(outcome.results))
        problems = sum(t.failures + t.errors for t in outcome.results.tasks.values())
        status = f"with {problems} failed samples (see the run files)" if outcome.failed else "ok"
        print(
            f"\nrun {status}: {outcome.output}/results.json, samples in {outcome.output}/samples/"
        )
        return EXIT_FAILED if outcome.failed else EXIT_OK

    return handler


@_command("score", "judge the responses of a run with another judge and rebuild its results")
def _score(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("run", metavar="RUN", help="run directory")
    parser.add_argument("--judge", default="rules", help="rules (default) or openai:<model>")
    _judge_options(parser)
    parser.add_argument("--sbert", default="all-MiniLM-L6-v2", help="SBERT model, or 'none'")
    parser.add_argument(
        "--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples"
    )
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")

    def handler(args: argparse.Namespace) -> int:
        from benchmark.runner import results_table, score_run

        outcome = score_run(
            args.run,
            judge=args.judge,
            judge_options=_judge_kwargs(args),
            sbert=args.sbert,
            bootstrap=args.bootstrap,
            progress=not args.no_progress,
        )
        print(results_table(outcome.results))
        return EXIT_FAILED if outcome.failed else EXIT_OK

    return handler


@_command("compare", "paired metrics of a run against a base run on the samples both share")
def _compare(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("run", metavar="RUN", help="run directory (the aligned model)")
    parser.add_argument(
        "--base", required=True, metavar="BASE_RUN", help="run directory of the base model"
    )
    parser.add_argument(
        "--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples"
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="also write the comparison as JSON here"
    )

    def handler(args: argparse.Namespace) -> int:
        from pathlib import Path

        from benchmark.compare import compare_runs, comparison_table
        from benchmark.records import write_json

        comparison = compare_runs(
            Path(args.run), Path(args.base), n_resamples=args.bootstrap, seed=args.seed
        )
        print(comparison_table(comparison))
        if args.output:
            write_json(args.output, comparison)
        return EXIT_OK

    return handler


@_command(
    "lm-eval", "run lm-eval's own command line with refusal-bench models (rb-<name>) and tasks"
)
def _lm_eval(parser: argparse.ArgumentParser) -> Handler:
    parser.set_defaults(takes_any_arguments=True)
    parser.epilog = (
        "Example: refusal-bench lm-eval run --model rb-always-answer --tasks synth_hivtg --limit 20"
    )

    def handler(args: argparse.Namespace) -> int:
        try:
            from benchmark.lmeval import cli
        except ImportError:
            raise UsageError(
                "the lm-eval bridge needs lm-eval: pip install 'refusal-bench[lmeval]'"
            ) from None
        return cli(args.rest)

    return handler


@_command("validate", "check a submission (run directory or archive) and recompute its metrics")
def _validate(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("path", metavar="PATH", help="run directory, .tar.gz or .zip")
    parser.add_argument("--data-root", metavar="DIR", help="annotation files of the released tasks")
    parser.add_argument(
        "--no-rejudge", action="store_true", help="do not re-derive rules-judge verdicts"
    )

    def handler(args: argparse.Namespace) -> int:
        from benchmark.official import OfficialReference
        from leaderboard.submission import SubmissionError, open_submission
        from leaderboard.validate import validate

        try:
            with open_submission(args.path) as submission:
                report = validate(
                    submission, OfficialReference(args.data_root), rejudge=not args.no_rejudge
                )
        except SubmissionError as exc:
            raise UsageError(str(exc)) from None
        if report.ok:
            tasks = ", ".join(report.results.tasks)
            print(
                f"{args.path}: valid ({report.run['model']['name']}, "
                f"judge {report.run['judge']['name']}; {tasks})"
            )
            return EXIT_OK
        print(f"{args.path}: {len(report.problems)} problems", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_USAGE

    return handler


@_command("submit", "validate a run directory and pack it into one archive")
def _submit(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("run", metavar="RUN_DIR", help="run directory")
    parser.add_argument("--out", metavar="FILE", help="archive to write (default: RUN_DIR.tar.gz)")
    parser.add_argument("--data-root", metavar="DIR", help="annotation files of the released tasks")

    def handler(args: argparse.Namespace) -> int:
        from pathlib import Path

        from benchmark.official import OfficialReference
        from leaderboard.submission import SubmissionError, open_submission, pack
        from leaderboard.validate import validate

        try:
            with open_submission(args.run) as submission:
                report = validate(submission, OfficialReference(args.data_root))
        except SubmissionError as exc:
            raise UsageError(str(exc)) from None
        if not report.ok:
            problems = "\n".join(f"  - {p}" for p in report.problems)
            raise UsageError(f"{args.run} is not a valid submission:\n{problems}")
        out, listing, digest = pack(
            args.run, args.out or Path(str(Path(args.run)).rstrip("/") + ".tar.gz")
        )
        print(f"wrote {out}")
        for name, size in listing:
            print(f"  {name}  ({size} bytes)")
        print(f"sha256 {digest}")
        return EXIT_OK

    return handler


@_command("leaderboard", "build the static leaderboard site from submissions")
def _leaderboard(parser: argparse.ArgumentParser) -> Handler:
    sub = parser.add_subparsers(dest="leaderboard_command", metavar="WHAT", required=True)
    build = sub.add_parser("build", help="validate every submission and write the site")
    build.add_argument(
        "--submissions", required=True, metavar="DIR", help="folder of run directories / archives"
    )
    build.add_argument("--out", required=True, metavar="SITE", help="folder to write the site into")
    build.add_argument("--data-root", metavar="DIR", help="annotation files of the released tasks")
    build.add_argument(
        "--no-rejudge", action="store_true", help="do not re-derive rules-judge verdicts"
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes validating new submissions (default: one per CPU, here %(default)s)",
    )
    build.add_argument(
        "--fresh",
        action="store_true",
        help="validate every submission again, ignoring what SITE/.cache remembers",
    )
    build.add_argument("--no-progress", action="store_true", help="hide progress bars")

    def handler(args: argparse.Namespace) -> int:
        from pathlib import Path

        from benchmark.official import OfficialReference
        from leaderboard.site import build_site
        from leaderboard.submission import SubmissionError, find_submissions

        try:
            paths = find_submissions(args.submissions)
        except SubmissionError as exc:
            raise UsageError(str(exc)) from None
        report = build_site(
            paths,
            Path(args.out),
            OfficialReference(args.data_root),
            rejudge=not args.no_rejudge,
            jobs=args.jobs,
            fresh=args.fresh,
            progress=not args.no_progress,
        )
        for name, problems in report.rejected.items():
            print(f"rejected {name}: " + "; ".join(problems), file=sys.stderr)
        print(
            f"{len(report.accepted)} submissions on the site, {len(report.rejected)} rejected "
            f"({report.validated} validated now, "
            f"{report.from_cache} from the cache of earlier builds)"
        )
        print(f"open {report.index.resolve()}")
        return EXIT_OK

    return handler


@_command("data", "make data: the synthetic split (and, later, UVQA-/HI-VTG-style splits)")
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

    def handler(args: argparse.Namespace) -> int:
        if getattr(args, "build", None):
            return _build_split(args)
        return _render_synth(args)

    return handler


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


@_command("train", "run a baseline training recipe (TRL), then evaluate the checkpoint")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="refusal-bench",
        description="Does a Video-LLM know when NOT to answer? Evaluate refusal in unanswerable "
        "video QA and refusal-aware temporal grounding.",
        epilog="Run `refusal-bench COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"refusal-bench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, build) in _COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        sub_parser.set_defaults(handler=build(sub_parser))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["lm-eval"]:  # everything after it belongs to lm-eval's own parser
        args = argparse.Namespace(command="lm-eval", rest=argv[1:])
        args.handler = _COMMANDS["lm-eval"][1](argparse.ArgumentParser())
        return _dispatch(args)
    args, unknown = parser.parse_known_args(argv)  # exits 2 with a usage line on bad usage
    if unknown and not getattr(args, "takes_any_arguments", False):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        return args.handler(args)
    except BenchmarkError as exc:
        print(f"refusal-bench {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; re-run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
