"""Sentence embeddings on disk, so that each distinct text is encoded once per model, ever.

`run`, `score`, `validate`, `submit` and `leaderboard build` all score with SBERT; without this
each of them would load the model and encode the same explanations and references again. One
SQLite file per model under `$REFUSAL_BENCH_CACHE/embeddings/` (default
`~/.cache/refusal-bench`) maps the sha256 of a text to its unit-normalised float32 vector.

The model is identified by its content, not its name: the sha256 of every file of its folder
(weights, tokenizer, pooling and length settings), so a fine-tuned model saved under an old name
gets a cache of its own. Hashing 90 MB of MiniLM takes a fraction of a second and is remembered
per (path, size, mtime) in `fingerprints.json`.

Several processes may read and write one file at once (WAL mode; a writer waits up to a minute
for another). A cache that cannot be opened or written (read-only disk, full disk) is a warning,
not an error: scoring goes on with the embeddings in memory. `REFUSAL_BENCH_EMBEDDINGS=none`
turns the disk cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from benchmark.paths import cache_root, shared_sqlite

DISABLE_ENV = "REFUSAL_BENCH_EMBEDDINGS"
_FINGERPRINTS = "fingerprints.json"


def default_dir() -> Path | None:
    """Where embedding caches live, or None when `REFUSAL_BENCH_EMBEDDINGS=none`."""
    if os.environ.get(DISABLE_ENV, "").strip().lower() in ("none", "off", "0"):
        return None
    return cache_root() / "embeddings"


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """A SQLite table of text sha256 -> float32 vector for one model."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = shared_sqlite(self.path, "vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")

    @classmethod
    def for_model(cls, folder: Path, root: Path | None) -> EmbeddingCache | None:
        """The cache of the model in `folder` under `root`; None (with a warning) if it cannot
        be opened, or when `root` is None."""
        if root is None:
            return None
        try:
            name = f"{_slug(folder)}-{model_fingerprint(folder, root)[:16]}.sqlite"
            return cls(root / name)
        except (OSError, sqlite3.Error) as exc:
            _warn(f"embeddings are not cached on disk ({root}: {exc})")
            return None

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray] | None:
        """The cached vector of each text that has one; None (with a warning) when the file
        cannot be read (damaged, locked past the timeout)."""
        keys = {text_key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        try:
            with self._lock:
                for start in range(0, len(items), 500):  # SQLite's limit on bound parameters
                    chunk = items[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                    ).fetchall()
                    for key, blob in rows:
                        found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as exc:
            _warn(f"embeddings could not be read from {self.path}: {exc}")
            return None
        return found

    def put_many(self, pairs: Iterable[tuple[str, np.ndarray]]) -> bool:
        """Store vectors; False (with a warning) when the disk refuses them."""
        rows = [(text_key(t), np.asarray(v, np.float32).tobytes()) for t, v in pairs]
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
                self._db.execute("COMMIT")
            return True
        except sqlite3.Error as exc:
            with self._lock:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            _warn(f"embeddings were not saved to {self.path}: {exc}")
            return False

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchall()[0][0]


def model_fingerprint(folder: Path, root: Path) -> str:
    """sha256 over the relative path and content of every file of a model folder; remembered
    in `root/fingerprints.json` by each file's (path, size, mtime)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)
    stats = [(p.relative_to(folder).as_posix(), p.stat()) for p in files]
    memo_key = hashlib.sha256(
        json.dumps(
            [str(folder.resolve())] + [[n, s.st_size, s.st_mtime_ns] for n, s in stats]
        ).encode()
    ).hexdigest()
    memo_path = root / _FINGERPRINTS
    memo = _read_json(memo_path)
    if memo_key in memo:
        return memo[memo_key]
    digest = hashlib.sha256()
    for path, (name, _) in zip(files, stats, strict=True):
        digest.update(name.encode() + b"\0")
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    fingerprint = digest.hexdigest()
    memo[memo_key] = fingerprint
    root.mkdir(parents=True, exist_ok=True)
    tmp = memo_path.with_name(f"{_FINGERPRINTS}.{os.getpid()}")
    tmp.write_text(json.dumps(memo, indent=0))
    os.replace(tmp, memo_path)  # concurrent writers: the last wins; every value is right
    return fingerprint


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _slug(folder: Path) -> str:
    name = folder.name if folder.name not in ("model", "") else folder.parent.name
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:60] or "model"


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)
