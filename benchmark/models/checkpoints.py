"""Where a checkpoint named on the command line is on this machine, found without the network.

`pretrained` is a local folder or a hub id (ORG/NAME). A hub id is looked up in the local
Hugging Face cache only (`HF_HOME`, `HF_HUB_CACHE`): refusal-bench never downloads at run time,
so a checkpoint that is not there is a one-line error saying how to fetch it, not minutes of
retries against an unreachable hub and a long traceback.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.errors import UsageError
from benchmark.paths import hub_snapshot


def local_checkpoint(pretrained: str, revision: str | None = None) -> Path:
    """The folder to load `pretrained` from (a hub id: its snapshot in the local cache)."""
    path = Path(pretrained).expanduser()
    if path.exists() or _looks_like_a_path(pretrained):
        if not path.is_dir():
            raise UsageError(f"{pretrained}: no such model folder")
        if not (path / "config.json").is_file():
            raise UsageError(
                f"{pretrained}: not a model folder (no config.json): give the folder that "
                "save_pretrained wrote"
            )
        return path
    snapshot = hub_snapshot(pretrained, revision)
    if snapshot is None:
        at = f" --revision {revision}" if revision else ""
        raise UsageError(
            f"{pretrained} is neither a local folder nor in the Hugging Face cache, and "
            "refusal-bench does not download at run time: fetch it once where there is network "
            f"(huggingface-cli download {pretrained}{at}) or give its folder"
        )
    return snapshot


def _looks_like_a_path(text: str) -> bool:
    return text.startswith(("/", ".", "~")) or text.count("/") > 1 or "\\" in text
