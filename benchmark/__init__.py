"""refusal-bench: does a Video-LLM know when NOT to answer?

The importable core: records, answer parsing, metrics, runner, models, scorers and the CLI.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

try:
    __version__ = metadata.version("refusal-bench")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "tasks_dir"]


def tasks_dir() -> Path:
    """The folder of task configs (`tasks/` in a checkout, `benchmark/task_configs/` in a wheel).

    A source checkout wins over an installed copy so that edits to `tasks/` take effect at once.
    """
    checkout = Path(__file__).resolve().parent.parent / "tasks"
    if checkout.is_dir():
        return checkout
    installed = Path(__file__).resolve().parent / "task_configs"
    if installed.is_dir():
        return installed
    raise FileNotFoundError(
        f"refusal-bench task configs not found: looked for {checkout} and {installed}. "
        "Reinstall the package (pip install refusal-bench) or run from a source checkout."
    )
