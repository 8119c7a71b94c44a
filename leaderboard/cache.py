"""What a site remembers between builds, so a rebuild only validates new submissions.

A leaderboard is rebuilt each time a submission arrives. Validating a submission of the released
tasks in full (reading ~12K records, re-judging them, recomputing every metric with bootstrap
intervals) takes about a second, so rebuilding 200 from scratch would take minutes. `SITE/.cache/`
keeps, per submission content:

- `digests.json`: the sha256 of each submission file, remembered by (path, size, mtime, inode) the
  way git's index does, so unchanged files are not read again;
- `validated/<sha256>.json`: the outcome of validating a submission: the recomputed results it
  was accepted with, or the problems it was rejected for. It is reused only if it was made by the
  same code (a digest of refusal-bench's own source files), for the same official data (the
  version and samples digest of each task the submission names) and prompt versions, and with
  re-judging when re-judging is asked for. A rejection because official data could not be loaded
  is not kept (giving the data root fixes it). Anything else validates the submission again;
- `columns/<sha256>.npz`: an accepted submission's per-video column sums per task, from which the
  tie intervals of its boards are drawn (`leaderboard.ranking.VideoSums`);
- `ties.json`: the tie intervals computed, by the two contents (`leaderboard.ranking`).

Everything here is written by refusal-bench; what it keeps of a submission is what validation
made of it. `leaderboard build --fresh` validates every submission again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from benchmark.errors import BenchmarkError
from leaderboard.submission import file_sha256

CACHE_FORMAT = 3


@dataclass
class Entry:
    """One accepted submission, as the site shows it (all JSON, so it can be cached)."""

    id: str  # unique on the site: the submission's file name, suffixed when names repeat
    digest: str  # sha256 of the submission's content
    model: str
    judge: str
    run: dict[str, Any]
    results: dict[str, Any]  # recomputed, never the submitted numbers
    #: the judgments of each task whose family has paired metrics (UVQA), for paired scores
    paired_judgments: dict[str, list[dict[str, Any]]]


class DigestMemo:
    """sha256 of files, remembered by (size, mtime_ns, inode) per absolute path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, list] = _read_json(path) or {}
        self.changed = False

    def file_digest(self, file: Path) -> str:
        stat = file.stat()
        key = str(file.resolve())
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = self.known.get(key)
        if known is not None and known[:3] == signature:
            return known[3]
        digest = file_sha256(file)
        self.known[key] = [*signature, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if self.changed:
            _write_json(self.path, self.known)


@dataclass
class Outcome:
    """What validating one submission content gave: an entry, or the problems found."""

    entry: Entry | None
    problems: list[str]
    #: (version, samples digest) of each official task the submission names (None: an unknown
    #: task); None when the official data could not be loaded, which a later build may fix.
    official: dict[str, list[str] | None] | None


class ValidationCache:
    """Validation outcomes by content digest (see the module docstring)."""

    def __init__(self, folder: Path, reference) -> None:
        self.folder = folder
        self.reference = reference

    def get(self, digest: str, *, rejudge: bool) -> Outcome | None:
        stored = _read_json(self.folder / f"{digest}.json")
        try:
            if stored["key"] != self._key() or (rejudge and not stored["rejudged"]):
                return None
            if any(_official(self.reference, t) != v for t, v in stored["official"].items()):
                return None
            entry = stored["entry"]
            return Outcome(entry and Entry(**entry), stored["problems"], stored["official"])
        except BenchmarkError:  # the official data is gone: validating again says why
            return None
        except (KeyError, TypeError, ValueError, AttributeError):  # absent or damaged
            return None

    def put(self, digest: str, outcome: Outcome, *, rejudged: bool) -> None:
        if outcome.official is None:
            return
        stored = {
            "key": self._key(),
            "rejudged": rejudged,
            "official": outcome.official,
            "entry": outcome.entry and asdict(outcome.entry),
            "problems": outcome.problems,
        }
        _write_json(self.folder / f"{digest}.json", stored)

    def _key(self) -> dict[str, Any]:
        return {
            "format": CACHE_FORMAT,
            "code": code_digest(),
            "prompts": self.reference.prompt_versions,
        }


def _official(reference, task: str) -> list[str] | None:
    """[version, samples digest] of an official task; None for an unknown one (missing data
    raises `BenchmarkError`)."""
    found = reference.task(task)
    return None if found is None else [found.version, found.digest]


@cache
def code_digest() -> str:
    """sha256 of refusal-bench's source, task definitions and schema: any change to them may
    change a validation outcome (templates only change pages, which every build renders)."""
    from benchmark import tasks_dir

    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    folders = [root / "benchmark", root / "leaderboard", tasks_dir()]
    for folder in dict.fromkeys(folders):
        files = [p for p in folder.rglob("*") if p.suffix in (".py", ".yaml", ".json", ".jinja")]
        files += [p for p in folder.rglob("*_yaml")]
        for path in sorted(files):
            digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent or damaged: a cache miss


def _write_json(path: Path, data: Any) -> None:
    """Write atomically, so an interrupted build leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(data, allow_nan=False), encoding="utf-8")
    partial.replace(path)
