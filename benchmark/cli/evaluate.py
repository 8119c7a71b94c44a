"""Commands that evaluate: tasks, dump, run, score, compare, lm-eval."""

from __future__ import annotations

import argparse
import sys

from benchmark.cli import (
    EXIT_FAILED,
    EXIT_OK,
    Handler,
    command,
    data_options,
    judge_kwargs,
    judge_options,
)
from benchmark.errors import UsageError


@command("tasks", "list the registered tasks and groups, with sample counts")
def _tasks(parser: argparse.ArgumentParser) -> Handler:
    data_options(parser)
    parser.add_argument("--no-count", action="store_true", help="do not load data to count samples")

    def handler(args: argparse.Namespace) -> int:
        from benchmark.data import data_root, data_status
        from benchmark.registry import load_registry
        from benchmark.task_loading import load_task

        registry = load_registry()
        root = data_root(args.data_root)
        if root is not None and not root.is_dir():
            raise UsageError(
                f"{root}: no such folder (the data root: --data-root or $REFUSAL_BENCH_DATA)"
            )
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


@command("dump", "write one task's samples as JSONL (the ids a predictions file is keyed by)")
def _dump(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("--task", required=True, help="task name (see `refusal-bench tasks`)")
    data_options(parser)
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


@command("run", "evaluate a model on tasks: generate, score, aggregate (resumable)")
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
        "--model-name",
        metavar="NAME",
        help="the name the leaderboard shows (required for --model replay)",
    )
    parser.add_argument(
        "--model-card",
        metavar="K=V,...",
        help="the rest of the model card: parameters, organisation, link, date (YYYY-MM-DD), "
        "licence, frames",
    )
    parser.add_argument(
        "--base-run",
        metavar="DIR",
        help="the base (unaligned) model's run: the leaderboard draws UVQA's paired scores "
        "(S_ex-ref against S_disc) of this run against it",
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
    judge_options(parser)
    data_options(parser)
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

        from benchmark.model_card import parse_card
        from benchmark.models import parse_model_args
        from benchmark.runner import RunConfig, results_table, run

        output = Path(args.output or Path("runs") / args.model)
        card = parse_card(args.model_card) | ({"name": args.model_name} if args.model_name else {})
        base_run = None
        if args.base_run:
            from leaderboard.submission import submission_id

            base = Path(args.base_run)
            if not (base / "run.json").is_file() and not base.is_file():
                raise UsageError(
                    f"--base-run {base}: not a run directory (no run.json) or submission archive"
                )
            base_run = submission_id(base)  # what the leaderboard calls that submission
        config = RunConfig(
            model=args.model,
            model_args=parse_model_args(args.model_args),
            model_card=card,
            base_run=base_run,
            tasks=args.tasks,
            output=output,
            limit=args.limit,
            judge=args.judge,
            judge_options=judge_kwargs(args),
            sbert=args.sbert,
            protocol=args.protocol,
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
        status = "ok"
        if outcome.failed:
            ids = [i for task_ids in outcome.failed_ids.values() for i in task_ids]
            named = "; ".join(
                f"{task}: {', '.join(task_ids[:3])}{', ...' if len(task_ids) > 3 else ''}"
                for task, task_ids in outcome.failed_ids.items()
            )
            status = (
                f"with {len(ids)} failed samples ({named}; the errors are in the run files, "
                "and running the same command again retries them)"
            )
        print(
            f"\nrun {status}: {outcome.output}/results.json, samples in {outcome.output}/samples/"
        )
        return EXIT_FAILED if outcome.failed else EXIT_OK

    return handler


@command("score", "judge the responses of a run with another judge and rebuild its results")
def _score(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("run", metavar="RUN", help="run directory")
    parser.add_argument("--judge", default="rules", help="rules (default) or openai:<model>")
    judge_options(parser)
    parser.add_argument(
        "--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples"
    )
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")

    def handler(args: argparse.Namespace) -> int:
        from benchmark.runner import results_table, score_run

        outcome = score_run(
            args.run,
            judge=args.judge,
            judge_options=judge_kwargs(args),
            sbert=args.sbert,
            protocol=args.protocol,
            bootstrap=args.bootstrap,
            progress=not args.no_progress,
        )
        print(results_table(outcome.results))
        return EXIT_FAILED if outcome.failed else EXIT_OK

    return handler


@command(
    "judge-check",
    "a judge's agreement with the shipped calibration set of labelled model outputs",
)
def _judge_check(parser: argparse.ArgumentParser) -> Handler:
    parser.add_argument("--judge", default="rules", help="rules (default) or openai:<model>")
    judge_options(parser)
    parser.add_argument(
        "--data-root",
        metavar="DIR",
        help="annotation files of the released tasks (default: $REFUSAL_BENCH_DATA); outputs "
        "of tasks whose data are absent are skipped",
    )
    parser.add_argument("--out", metavar="JSON", help="also write the report as JSON here")
    parser.add_argument(
        "--calibration", metavar="JSONL", help="another labelled set in the same format"
    )
    parser.add_argument(
        "--show", type=int, default=10, metavar="N", help="print N disagreements (default: 10)"
    )

    def handler(args: argparse.Namespace) -> int:
        import json

        from benchmark import judge_check
        from benchmark.scorers import JudgeSpec, load_judge

        spec = JudgeSpec.parse(args.judge, sbert=args.sbert, protocol=args.protocol)
        judge = load_judge(spec, **judge_kwargs(args))
        report = judge_check.check(
            judge,
            data_root=args.data_root,
            path=args.calibration or judge_check.CALIBRATION_SET,
        )
        print(judge_check.format_report(report))
        for row in report["disagreements"][: args.show]:
            text = row["text"].replace("\n", " ")
            print(f"  {row['id']} [{row['style']}] label {row['label']}, judged {row['judged']}: "
                  f"{text[:110]}")  # fmt: skip
        if args.out:
            with open(args.out, "w", encoding="utf-8") as f:
                json.dump(report, f, indent=2, ensure_ascii=False)
        return EXIT_OK

    return handler


@command("compare", "paired metrics of a run against a base run on the samples both share")
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


@command(
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
