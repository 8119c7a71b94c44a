"""The command line: help, version, usage errors and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmark import __version__
from benchmark.cli import main

SUBCOMMANDS = [
    "tasks",
    "dump",
    "run",
    "score",
    "compare",
    "validate",
    "leaderboard",
    "data",
    "train",
]


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"refusal-bench {__version__}"


@pytest.mark.parametrize("argv", [[], ["bogus"], ["--bogus"]])
def test_bad_usage_prints_a_short_usage_error_and_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: refusal-bench")
    assert "Traceback" not in err
    assert len(err.splitlines()) <= 3


def test_console_script_is_installed():
    out = subprocess.run(
        [sys.executable, "-m", "benchmark", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"refusal-bench {__version__}"
