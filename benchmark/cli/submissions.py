"""Commands for submissions and the leaderboard: validate, submit, leaderboard build."""

from __future__ import annotations

import argparse
import os
import sys

from benchmark.cli import (
    EXIT_OK,
    EXIT_USAGE,
    Handler,
    command,
)
from benchmark.errors import UsageError


@command("validate", "check a submission (run directory or archive) and recompute its metrics")
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


@command("submit", "validate a run directory and pack it into one archive")
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


@command("leaderboard", "build the static leaderboard site from submissions")
def _leaderboard(parser: argparse.ArgumentParser) -> Handler:
    sub = parser.add_subparsers(dest="leaderboard_command", metavar="WHAT", required=True)
    build = sub.add_parser("build", help="validate every submission and write the site")
    build.add_argument(
        "--submissions", required=True, metavar="DIR", help="folder of run directories / archives"
    )
    build.add_argument("--out", required=True, metavar="SITE", help="folder to write the site into")
    build.add_argument("--data-root", metavar="DIR", help="annotation files of the released tasks")
    build.add_argument(
        "--video-root",
        metavar="DIR",
        help="the tasks' videos: the sample browser shows a strip of frames per video "
        "(the synthetic split's always)",
    )
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
            OfficialReference(args.data_root, video_root=args.video_root),
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
