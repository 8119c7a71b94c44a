"""Where refusal-bench keeps what it builds or remembers between runs."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "REFUSAL_BENCH_CACHE"


def cache_root() -> Path:
    """`$REFUSAL_BENCH_CACHE`, else `~/.cache/refusal-bench`: the synthetic split, the API
    judge's replies, sentence embeddings."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "refusal-bench")
