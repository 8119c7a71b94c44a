"""`refusal-bench data fetch`: the released annotation files, downloaded and verified.

Each file of `benchmark.data.manifest` comes from its repository at the pinned commit, as a raw
file: `https://raw.githubusercontent.com/OWNER/REPO/COMMIT/PATH`, or `MIRROR/OWNER/REPO/COMMIT/PATH`
with `--mirror MIRROR` or `$REFUSAL_BENCH_MIRROR` (clusters without GitHub access). It is written
to `<data root>/<REPO>/<PATH>`, the layout the loaders read.

- Downloads go to `<file>.part`; an interrupted one resumes from there (HTTP Range), also on the
  next run. Connection errors, timeouts, 429 and 5xx are retried with exponential backoff;
  404 and other 4xx are not (the file is not where the URL says).
- A finished download is verified against its git blob id before it replaces anything; one that
  does not match is deleted, never used, and reported. A file whose id is not pinned yet is
  checked against the id recorded at its first fetch.
- A file already present and verified is skipped; one present but different from the pinned
  version is reported and left alone (move it away to fetch the pinned one).
- `LOCK_FILE` in the data root records, per file, the commit, URL, size, git blob id and sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from tqdm import tqdm

from benchmark.data.manifest import BY_KEY, FILES, PinnedFile
from benchmark.errors import UsageError
from benchmark.provenance import file_sha256

DEFAULT_BASE = "https://raw.githubusercontent.com"
MIRROR_ENV = "REFUSAL_BENCH_MIRROR"
LOCK_FILE = "refusal-bench-fetch.json"
CHUNK = 1 << 16
TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


class FetchError(Exception):
    """One file could not be fetched or verified (the message says which and why)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    key: str  # <folder>/<path>
    status: str  # "fetched", "present" or "failed"
    detail: str


def git_blob_id(path: Path) -> str:
    """The id git gives a file's content: SHA-1 of `b"blob <size>\\0" + content`."""
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def base_of(mirror: str | None = None) -> str:
    """Where files come from: the mirror given, else `$REFUSAL_BENCH_MIRROR`, else GitHub."""
    return (mirror or os.environ.get(MIRROR_ENV) or DEFAULT_BASE).rstrip("/")


def url_of(pinned: PinnedFile, base: str | None = None) -> str:
    """The raw-file URL of a pinned file: `BASE/OWNER/REPO/COMMIT/PATH`."""
    base = base_of(base)
    repo = pinned.repo
    return f"{base}/{repo.owner}/{repo.name}/{repo.commit}/{pinned.path}"


def select(names: Iterable[str], files_of_task: Callable[[str], list[str] | None]):
    """The pinned files that `names` ask for: `all`, `training` (the training sources), task or
    group names (`files_of_task(name)` gives the `<folder>/<path>` names its YAML reads, None for
    an unknown name)."""
    chosen: dict[str, PinnedFile] = {}
    for name in names:
        if name == "all":
            chosen.update((f.key, f) for f in FILES)
        elif name == "training":
            chosen.update((f.key, f) for f in FILES if f.role == "train")
        else:
            keys = files_of_task(name)
            if keys is None:
                raise UsageError(
                    f"data fetch: unknown task or group {name!r}: give task or group names "
                    "(`refusal-bench tasks`), 'training' or 'all'"
                )
            pinned = [BY_KEY[k] for k in keys if k in BY_KEY]
            if not pinned:
                raise UsageError(
                    f"data fetch: {name!r} reads no released file this command can fetch "
                    "(its files come from elsewhere: see `refusal-bench tasks`)"
                )
            chosen.update((f.key, f) for f in pinned)
    return list(chosen.values())


class Fetcher:
    """Fetches pinned files into one data root (see the module docstring)."""

    def __init__(
        self,
        root: Path,
        *,
        base: str | None = None,
        retries: int = 4,
        timeout: float = 60.0,
        backoff: float = 0.5,
        progress: bool = True,
    ) -> None:
        self.root = Path(root)
        self.base = base
        self.retries = retries
        self.timeout = timeout
        self.backoff = backoff
        self.progress = progress
        self.lock_path = self.root / LOCK_FILE
        self.lock = _read_lock(self.lock_path)

    def fetch(self, files: Iterable[PinnedFile], log: Callable[[str], None] = print):
        outcomes = []
        for pinned in files:
            try:
                status, detail = self._one(pinned)
            except FetchError as exc:
                status, detail = "failed", str(exc)
            except OSError as exc:  # the data root: not writable, full, ...
                status, detail = "failed", f"{type(exc).__name__}: {exc}"
            outcomes.append(Outcome(pinned.key, status, detail))
            log(f"{status:8} {pinned.key}: {detail}")
        return outcomes

    def _expected(self, pinned: PinnedFile) -> tuple[str | None, str]:
        if pinned.blob:
            return pinned.blob, "pinned"
        recorded = self.lock.get(pinned.key, {}).get("git_blob")
        return recorded, "recorded at the first fetch"

    def _one(self, pinned: PinnedFile) -> tuple[str, str]:
        dest = self.root / pinned.repo.folder / pinned.path
        expected, how = self._expected(pinned)
        if dest.is_file():
            blob = git_blob_id(dest)
            if expected and not blob.startswith(expected):
                raise FetchError(
                    f"{dest} is present but is not the {how} version (git blob {blob[:12]}, "
                    f"expected {expected[:12]}): move it away and fetch again"
                )
            self._record(pinned, dest, blob, url=self.lock.get(pinned.key, {}).get("url"))
            return "present", f"verified (git blob {blob[:12]}, {how})" if expected else (
                f"not pinned: recorded git blob {blob[:12]}"
            )
        url = url_of(pinned, self.base)
        part = dest.with_name(dest.name + ".part")
        part.parent.mkdir(parents=True, exist_ok=True)
        self._download(url, part, pinned.key)
        blob = git_blob_id(part)
        wrong = (
            f"git blob id is {blob[:12]}, not the {how} {expected[:12]}"
            if expected and not blob.startswith(expected)
            else "sha256 differs from the pinned one"
            if pinned.sha256 and file_sha256(part) != pinned.sha256
            else None
        )
        if wrong:
            part.unlink()
            raise FetchError(
                f"{url} gave a file whose {wrong}: it was deleted and is not used "
                "(a wrong or corrupt mirror?)"
            )
        os.replace(part, dest)
        self._record(pinned, dest, blob, url=url)
        size = dest.stat().st_size
        check = (
            f"git blob {blob[:12]} verified"
            if expected
            else (f"not pinned: recorded git blob {blob[:12]} for later fetches")
        )
        return "fetched", f"{size / 1e6:.1f} MB, {check}"

    def _download(self, url: str, part: Path, label: str) -> None:
        """Download `url` into `part`, resuming what it holds; retried on transient errors."""
        for attempt in range(self.retries + 1):
            have = part.stat().st_size if part.exists() else 0
            request = urllib.request.Request(url, headers={"User-Agent": "refusal-bench"})
            if have:
                request.add_header("Range", f"bytes={have}-")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    resumed = have and response.status == 206
                    total = response.headers.get("Content-Length")
                    total = int(total) + (have if resumed else 0) if total else None
                    with (
                        open(part, "ab" if resumed else "wb") as out,
                        tqdm(total=total, initial=have if resumed else 0, unit="B",
                             unit_scale=True, desc=label, leave=False,
                             disable=not self.progress) as bar,
                    ):  # fmt: skip
                        for chunk in iter(lambda: response.read(CHUNK), b""):
                            out.write(chunk)
                            bar.update(len(chunk))
                    if total is not None and part.stat().st_size < total:
                        raise HTTPException(f"connection closed at {part.stat().st_size} bytes")
                return
            except urllib.error.HTTPError as exc:
                if exc.code == 416 and have:  # nothing left to send: the part is complete
                    return
                if exc.code not in TRANSIENT:
                    raise FetchError(f"{url}: HTTP {exc.code} {exc.reason} (not retried)") from None
                error = f"HTTP {exc.code} {exc.reason}"
            except (urllib.error.URLError, HTTPException, OSError) as exc:
                error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        raise FetchError(
            f"{url}: {error} after {self.retries + 1} attempts; what arrived is kept in {part} "
            "and the next fetch resumes it"
        )

    def _record(self, pinned: PinnedFile, dest: Path, blob: str, *, url: str | None) -> None:
        self.lock[pinned.key] = {
            "repository": f"{pinned.repo.owner}/{pinned.repo.name}",
            "commit": pinned.repo.commit,
            "url": url,
            "size": dest.stat().st_size,
            "git_blob": blob,
            "sha256": file_sha256(dest),
        }
        tmp = self.lock_path.with_name(self.lock_path.name + ".tmp")
        tmp.write_text(json.dumps(self.lock, indent=2, sort_keys=True) + "\n")
        os.replace(tmp, self.lock_path)


def _read_lock(path: Path) -> dict:
    """The record of earlier fetches ({} before the first); a damaged one is a usage error."""
    if not path.is_file():
        return {}
    try:
        lock = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"{path}: cannot read the fetch record ({exc}); remove it and fetch again (files "
            "already present are verified again)"
        ) from None
    if not isinstance(lock, dict):
        raise UsageError(f"{path}: the fetch record must be a JSON object; remove it")
    return lock
