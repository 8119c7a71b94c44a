"""The `refusal-bench` command line.

Each subcommand is registered with `command(name, help)`: a function that adds its arguments to
its parser and returns the handler. The commands live by theme: `evaluate` (tasks, dump, run,
score, compare, lm-eval), `submissions` (validate, submit, leaderboard) and `making` (data,
train); importing them registers them, in that order. Errors meant for users (bad input files,
missing data) are raised as a `BenchmarkError` and printed as one line with exit code 2;
nothing below this package prints tracebacks at a user.

Exit codes: 0 success; 1 the work finished but something failed; 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from benchmark import __version__
from benchmark.errors import BenchmarkError, EndpointDown

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], Handler]]] = {}


def command(name: str, help: str):
    def register(build: Callable[[argparse.ArgumentParser], Handler]):
        _COMMANDS[name] = (help, build)
        return build

    return register


def data_options(parser: argparse.ArgumentParser) -> None:
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


def judge_options(parser: argparse.ArgumentParser) -> None:
    """--protocol, --sbert and the --judge-* options of a judge."""
    parser.add_argument(
        "--protocol",
        choices=("default", "ra-rft"),
        help="scoring protocol (default: default): 'ra-rft' scores as the RA-RFT authors' "
        "evaluator does (docs/protocols.md); part of the judge id",
    )
    parser.add_argument(
        "--sbert",
        metavar="MODEL",
        help="SBERT model for similarity scores (a folder, or a hub id already in the local "
        "cache), or 'none' (default: the protocol's: all-MiniLM-L6-v2, packaged; ra-rft: "
        "all-mpnet-base-v2)",
    )
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


def judge_kwargs(args: argparse.Namespace) -> dict:
    """The --judge-* options that the chosen judge takes (see `benchmark.scorers.JUDGES`)."""
    from benchmark.scorers import JudgeSpec

    given = {
        "concurrency": args.judge_concurrency,
        "cache": args.judge_cache,
        "timeout": args.judge_timeout,
        "max_retries": args.judge_retries,
    }
    taken = JudgeSpec.parse(args.judge, sbert=args.sbert, protocol=args.protocol).info.options
    return {k: v for k, v in given.items() if k in taken}


for _theme in ("evaluate", "submissions", "making"):  # registers their commands, in this order
    importlib.import_module(f"benchmark.cli.{_theme}")


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
    except BrokenPipeError:  # `refusal-bench dump ... | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that flushing at exit raises nothing either
        return EXIT_OK
    except EndpointDown as exc:  # the command was right; the server went away
        print(f"refusal-bench {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BenchmarkError as exc:
        print(f"refusal-bench {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; re-run the same command to resume", file=sys.stderr)
        return 130
