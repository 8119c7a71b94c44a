"""Where refusal-bench keeps what it builds or remembers between runs."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

CACHE_ENV = "REFUSAL_BENCH_CACHE"


def cache_root() -> Path:
    """`$REFUSAL_BENCH_CACHE`, else `~/.cache/refusal-bench`: the synthetic split, the API
    judge's replies, sentence embeddings."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "refusal-bench")


def shared_sqlite(path: Path, table: str) -> sqlite3.Connection:
    """A SQLite file that threads and several processes share (WAL mode; a writer waits up to a
    minute for another), with `table` created: "name (columns...)"."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
    return db
