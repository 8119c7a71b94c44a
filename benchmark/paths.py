"""Where refusal-bench keeps what it builds or remembers between runs, and where it finds a hub
checkpoint on this machine without the network."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

CACHE_ENV = "REFUSAL_BENCH_CACHE"


def cache_root() -> Path:
    """`$REFUSAL_BENCH_CACHE`, else `~/.cache/refusal-bench`: the synthetic split, the API
    judge's replies, sentence embeddings."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "refusal-bench")


_WAIT_S = 60.0


def shared_sqlite(path: Path, table: str) -> sqlite3.Connection:
    """A SQLite file that threads and several processes share (WAL mode; a writer waits up to
    a minute for another), with `table` created: "name (columns...)".

    Processes that open a new file at once race to switch it to WAL and create the table, and
    SQLite answers the loser "database is locked" at once, without waiting (it would deadlock
    otherwise): that step is tried again for as long."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=_WAIT_S, check_same_thread=False, isolation_level=None)
    deadline = time.monotonic() + _WAIT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
            return db
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(0.02)


def hub_snapshot(repo_id: str, revision: str | None = None) -> Path | None:
    """The snapshot folder of a hub repo in the local Hugging Face cache (HF_HOME, HF_HUB_CACHE),
    or None when it is not there (or `repo_id` is not a valid id). Never downloads."""
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import LocalEntryNotFoundError
    except ImportError:
        return None
    try:
        return Path(snapshot_download(repo_id, revision=revision, local_files_only=True))
    except (LocalEntryNotFoundError, ValueError, OSError):
        return None
