"""Where the released annotation files are, under a data root.

A data root (`--data-root`, else `REFUSAL_BENCH_DATA`) may be a folder of repository clones
(`<root>/RA-RFT/dataset/anno/...`, as in the source repositories), a single clone
(`<root>/dataset/anno/...`), or a flat folder of the files (`<root>/hi_vtg_tvgbench.json`).
A file that is in none of those places is a `MissingDataError` naming every path tried and where
the file comes from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.errors import MissingDataError, UsageError

DATA_ROOT_ENV = "REFUSAL_BENCH_DATA"
VIDEO_ROOT_ENV = "REFUSAL_BENCH_VIDEOS"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A released file: the repository it comes from and its path inside it."""

    repo: str  # folder name of the clone, e.g. "RA-RFT"
    path: str  # path inside the repository
    origin: str  # where a user gets it (repository and license)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def candidates(self, root: Path) -> list[Path]:
        """The places a data root may hold this file, most specific first."""
        paths = [root / self.repo / self.path, root / self.path, root / self.name]
        return list(dict.fromkeys(paths))


def data_root(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The data root given on the command line, else from the environment, else None."""
    value = explicit if explicit is not None else os.environ.get(DATA_ROOT_ENV)
    return Path(value).expanduser() if value else None


def video_root(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The video root given on the command line, else from the environment, else None."""
    value = explicit if explicit is not None else os.environ.get(VIDEO_ROOT_ENV)
    return Path(value).expanduser() if value else None


def locate(source: SourceFile, root: Path | None) -> Path:
    """The path of a released file under the data root, or a MissingDataError saying where it
    was looked for and where it comes from."""
    if root is None:
        raise MissingDataError(
            f"{source.name} is needed but no data root is set: pass --data-root DIR or set "
            f"{DATA_ROOT_ENV}. The file comes from {source.origin} ({source.repo}/{source.path})."
        )
    tried = source.candidates(root)
    for path in tried:
        if path.is_file():
            return path
    raise MissingDataError(
        f"{source.name} not found under the data root {root}; looked for "
        + ", ".join(str(p) for p in tried)
        + f". It comes from {source.origin} ({source.repo}/{source.path})."
    )


def is_present(source: SourceFile, root: Path | None) -> bool:
    return root is not None and any(p.is_file() for p in source.candidates(root))


#: Where a user gets the files of each repository folder a data root may hold.
ORIGINS = {
    "RA-RFT": "JINSUBY/RA-RFT on GitHub (Apache-2.0)",
    "UVQA": "EsYoon7/UVQA on GitHub",
    "RaTSG": "HuiGuanLab/RaTSG on GitHub",
    "MomentofUntruth": "keflanagan/MomentofUntruth on GitHub",
    "activitynet_captions": "the ActivityNet Captions release "
    "(cs.stanford.edu/people/ranjaykrishna/densevid)",
    "charades_sta": "the Charades-STA release (github.com/jiyanggao/TALL)",
    "Charades": "the Charades release (prior.allenai.org)",
}


def source_file(spec: Any, *, where: str) -> SourceFile:
    """A file named in a task YAML: `"<repository folder>/<path>"`, or a mapping
    `{path: "<repository folder>/<path>", origin: "where a user gets it"}` (the origin defaults
    to the repository's, see ORIGINS)."""
    origin = None
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - {"path", "origin"})
        if unknown or not isinstance(spec.get("path"), str):
            raise UsageError(f"{where}: a file is a path or {{path: ..., origin: ...}}")
        spec, origin = spec["path"], spec.get("origin")
    if not isinstance(spec, str) or "/" not in spec.strip("/"):
        raise UsageError(
            f"{where}: file {spec!r} must be '<repository folder>/<path in the repository>'"
        )
    repo, path = spec.strip("/").split("/", 1)
    if origin is None and repo not in ORIGINS:
        raise UsageError(
            f"{where}: unknown repository folder {repo!r} (known: {', '.join(ORIGINS)}); "
            "give the file as {path: ..., origin: ...}"
        )
    return SourceFile(repo, path, str(origin or ORIGINS[repo]))


#: Read by the Charades-STA loader when it lies beside the annotation file (durations).
CHARADES_CSV_TEST = SourceFile("Charades", "Charades_v1_test.csv", ORIGINS["Charades"])
