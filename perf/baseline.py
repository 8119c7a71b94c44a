"""The code of an earlier commit, for perf scripts that time "today" against "before" in one run.

`checkout(rev)` adds a git worktree of `rev` in a temporary folder (removed afterwards);
`python_at(tree)` is the environment in which `sys.executable` imports that tree's `benchmark`
and `leaderboard` instead of this one's (same interpreter, same installed libraries).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def checkout(rev: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="baseline-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), rev],
            check=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False
            )


def python_at(tree: Path | None) -> dict[str, str]:
    """os.environ with `tree` first on PYTHONPATH (None: this checkout as installed)."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")]).rstrip(":")
    return env


def data_root_argument(parser) -> None:
    """`--data-root`: the released annotations (default ../shared/data when it is there; an empty
    value: the synthetic tasks only)."""
    default = REPO.parent / "shared" / "data"
    parser.add_argument(
        "--data-root",
        type=lambda text: Path(text) if text else None,
        default=default if default.is_dir() else None,
        help="released annotations (empty: the synthetic tasks only)",
    )
