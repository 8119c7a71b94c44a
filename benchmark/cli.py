"""The `refusal-bench` command line.

Each subcommand is registered with `_command(name, help)`: a function that adds its arguments to
its parser and returns the handler. Errors meant for users (bad input files, missing data) are
raised as `UsageError` or `RecordError` and printed as one line with exit code 2; nothing below
this module prints tracebacks at a user.

Exit codes: 0 success; 1 the work finished but something failed; 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from benchmark import __version__
from benchmark.records import RecordError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], Handler]]] = {}


class UsageError(Exception):
    """Bad usage or bad input: printed as `error: <message>`, exit code 2."""


def _command(name: str, help: str):
    def register(build: Callable[[argparse.ArgumentParser], Handler]):
        _COMMANDS[name] = (help, build)
        return build

    return register


def _not_yet(name: str, issue: str) -> Callable[[argparse.ArgumentParser], Handler]:
    """A subcommand whose implementation lands with a later issue: says so, exit code 2."""

    def build(parser: argparse.ArgumentParser) -> Handler:
        parser.set_defaults(takes_any_arguments=True)

        def handler(args: argparse.Namespace) -> int:
            raise UsageError(f"`refusal-bench {name}` is not available in this version ({issue})")

        return handler

    return build


for _name, _help, _issue in (
    ("tasks", "list the registered tasks and groups", "task suite"),
    ("dump", "write one task's samples as JSONL", "task suite"),
    ("run", "evaluate a model: generate, score, aggregate (resumable)", "runner"),
    ("score", "(re)score a run directory with a judge", "runner"),
    ("compare", "paired metrics of an aligned run against its base run", "runner"),
    ("validate", "check a submission and recompute its metrics", "leaderboard"),
    ("leaderboard", "build the static leaderboard site", "leaderboard"),
    ("data", "build UVQA-style and HI-VTG-style splits; render the synthetic split", "data"),
    ("train", "run a baseline training recipe", "baselines"),
):
    _command(_name, _help)(_not_yet(_name, f"coming with the {_issue} work"))


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
    args, unknown = parser.parse_known_args(argv)  # exits 2 with a usage line on bad usage
    if unknown and not getattr(args, "takes_any_arguments", False):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return args.handler(args)
    except (UsageError, RecordError) as exc:
        print(f"refusal-bench {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; re-run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
