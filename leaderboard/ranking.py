"""Places on a board: best first, and a shared place where the data cannot tell two neighbours
apart.

Two submissions next to each other on a metric share a place when the 95% paired bootstrap
interval of their difference contains 0 (as `benchmark.metrics.bootstrap.paired_bootstrap`: both
resampled with the same video draws, each over the samples it scored, which for complete runs
are the same), or when their values are equal. The intervals are computed when the summary is
built, from each submission's per-video column sums (kept by the process that validated it,
`VideoSums`; else worked out from its download, `data/<folder>/<task>.jsonl`), and cached by the
two contents, so a rebuild computes only the pairs that a new submission makes.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np

from benchmark.families import family_named
from benchmark.metrics import METRICS
from benchmark.metrics.summary import ScoredTask, score_task
from benchmark.records import Judgment, from_dict
from benchmark.scorers import JudgeSpec

TIE_RESAMPLES = 1000


def sort_rows(
    rows: list[dict[str, Any]], metric: str, lower_is_better: bool = False
) -> list[dict[str, Any]]:
    """Best first (lowest first where lower is better); rows without a value last."""
    sign = 1 if lower_is_better else -1
    return sorted(
        rows,
        key=lambda r: (r["values"][metric] is None, sign * (r["values"][metric] or 0), r["model"]),
    )


def ranks(
    rows: list[dict[str, Any]],
    metric: str,
    lower_is_better: bool = False,
    tied: set[tuple[str, str]] | frozenset = frozenset(),
) -> list[int]:
    """Competition ranks of the rows in `sort_rows` order: a row shares its predecessor's place
    when their values are equal or the pair (by id) is in `tied`; rows without a value have
    none (0).

    >>> rows = [{"id": m, "model": m, "values": {"f": v}} for m, v in zip("abcd", (.5, .7, .5, .4))]
    >>> ranks(rows, "f"), ranks(rows, "f", tied={("c", "d")})
    ([1, 2, 2, 4], [1, 2, 2, 2])
    """
    out: list[int] = []
    previous: dict[str, Any] | None = None
    for position, row in enumerate(sort_rows(rows, metric, lower_is_better), 1):
        value = row["values"][metric]
        if value is None:
            out.append(0)
        elif previous is not None and (
            value == previous["values"][metric] or (previous.get("id"), row.get("id")) in tied
        ):
            out.append(out[-1])
        else:
            out.append(position)
        previous = row
    return out


class TieFinder:
    """The neighbour pairs of every board whose paired interval contains 0, cached on disk by
    (task, judge, metric, the two contents)."""

    def __init__(self, out: Path, reference, cache_path: Path, code: str) -> None:
        self.out = out
        self.reference = reference
        self.cache_path = cache_path
        stored = _read(cache_path)
        self.code = code
        self.video_sums = VideoSums.of_site(out, code)
        self.known: dict[str, bool] = stored["ties"] if stored.get("code") == code else {}

    def board(self, task: str, judge: str, entries: list[dict[str, Any]]) -> dict[str, list]:
        """metric -> [[id, id], ...] of the tied neighbours of one board. Only the pairs not in
        the cache are computed, all of a board's at once: one set of video draws, each involved
        submission's resampled column sums computed once and shared by every metric."""
        family = family_named(entries[0]["results"]["tasks"][task]["family"])
        spec = JudgeSpec.parse(judge)
        rows = [
            {"id": e["id"], "model": e["model"], "digest": e["digest"], "rows": e["rows"][task],
             "values": e["results"]["tasks"][task]["metrics"]}
            for e in entries
        ]  # fmt: skip
        candidates: dict[str, list[tuple[dict, dict, str]]] = {}
        for metric in family.headline:
            definition = METRICS.get(family.name, metric)
            if not definition.applies_to(spec):
                continue
            order = sort_rows(rows, metric, not definition.higher_is_better)
            candidates[metric] = []
            for a, b in itertools.pairwise(order):
                values = a["values"].get(metric), b["values"].get(metric)
                if None in values or values[0] == values[1]:
                    continue
                key = "|".join((task, judge, metric, a["digest"], b["digest"], str(TIE_RESAMPLES)))
                candidates[metric].append((a, b, key))
        todo = [c for pairs in candidates.values() for c in pairs if c[2] not in self.known]
        if todo:
            self._compute(task, judge, family, candidates, {c[2] for c in todo})
        return {
            metric: [[a["id"], b["id"]] for a, b, key in pairs if self.known[key]]
            for metric, pairs in candidates.items()
        }

    def save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.cache_path.write_text(json.dumps({"code": self.code, "ties": self.known}))

    def _compute(self, task, judge, family, candidates, wanted: set[str]) -> None:
        """The 95% interval of each wanted pair's difference: every submission's per-video column
        sums, one matrix of multinomial video weights (seeded), a pair tied when its interval of
        statistic(a) − statistic(b) over the same draws contains 0."""
        official = self.reference.task(task)
        n_videos = len(video_index(official.samples))
        rng = np.random.default_rng(0)
        weights = rng.multinomial(n_videos, np.full(n_videos, 1 / n_videos),
                                  size=TIE_RESAMPLES).astype(float)  # fmt: skip
        sums: dict[str, dict[str, np.ndarray] | None] = {}

        def resampled(row) -> dict[str, np.ndarray] | None:
            if row["digest"] not in sums:
                per_video = self._per_video(task, judge, family, official, row)
                if per_video is None:
                    sums[row["digest"]] = None
                else:
                    names, matrix = per_video
                    sums[row["digest"]] = dict(zip(names, (weights @ matrix.T).T, strict=True))
            return sums[row["digest"]]

        for metric, pairs in candidates.items():
            statistic = METRICS.get(family.name, metric).statistic
            for a, b, key in pairs:
                if key not in wanted:
                    continue
                sums_a, sums_b = resampled(a), resampled(b)
                if sums_a is None or sums_b is None:
                    self.known[key] = False
                    continue
                with np.errstate(divide="ignore", invalid="ignore"):
                    difference = np.asarray(statistic(sums_a) - statistic(sums_b))
                finite = difference[np.isfinite(difference)]
                if finite.size == 0:
                    self.known[key] = False
                    continue
                low, high = np.quantile(finite, [0.025, 0.975])
                self.known[key] = bool(low <= 0 <= high)

    def _per_video(self, task, judge, family, official, row) -> PerVideo | None:
        """A submission's per-video column sums: as its validation kept them (`VideoSums`), or
        else from its download (`data/<folder>/<task>.jsonl`), read and not kept."""
        kept = self.video_sums.read(row["digest"], task, judge, official.digest)
        if kept is not MISSING:
            return kept
        path = (self.out / row["rows"]).with_suffix(".jsonl")
        if not path.is_file():  # data written by an older build: no interval, no shared place
            return None
        judgments = [
            from_dict(Judgment, record["judgment"])
            for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
            if record.get("judgment")
        ]
        return per_video_sums(official.samples, judgments, family=family, judge=judge)


def video_index(samples) -> dict[str, int]:
    """Each video of a task by its position in the official sample order: the units that the
    bootstrap draws."""
    return {video: k for k, video in enumerate(dict.fromkeys(s.video.path for s in samples))}


#: column names, and the sum of each column's per-item values per video (a row per column)
PerVideo = tuple[list[str], np.ndarray]


def per_video_sums(samples, judgments, *, family, judge) -> PerVideo | None:
    """The per-video sums of `family.columns` of the scored items (videos in `video_index`
    order): what every resampled statistic of a submission is made of. None when nothing was
    scored."""
    return video_sums_of(samples, score_task(samples, judgments, family=family, judge=judge))


def video_sums_of(samples, scored: ScoredTask) -> PerVideo | None:
    """`per_video_sums` of items scored already (`score_task` of the same `samples`)."""
    if not scored.items:
        return None
    videos = video_index(samples)
    index = np.array([videos[sample.video.path] for sample, _ in scored.items], dtype=int)
    columns = scored.columns
    n = len(videos)
    sums = [np.bincount(index, weights=column, minlength=n) for column in columns.values()]
    return list(columns), np.stack(sums)


MISSING = object()  # `VideoSums.read`: nothing kept for this submission and task


class VideoSums:
    """Each accepted submission's `per_video_sums` per task, worked out by the process that
    validated it (`SITE/.cache/columns/<sha256>.npz`), so that a build's tie intervals need not
    read and re-score every submission's downloads in the main process. A file is used only for
    the code, judge and official samples it was made with."""

    def __init__(self, folder: Path, code: str) -> None:
        self.folder = folder
        self.code = code

    @classmethod
    def of_site(cls, site: Path, code: str) -> VideoSums:
        return cls(site / ".cache" / "columns", code)

    def write(self, digest: str, judge: str, tasks: dict[str, tuple[Any, ScoredTask]]) -> None:
        """`tasks`: task -> (its official data, the submission's items scored by `judge`). One
        array per task (a row per column), so that a board reads one array of each file."""
        arrays: dict[str, np.ndarray] = {}
        about: dict[str, Any] = {"code": self.code, "judge": judge, "samples": {}, "names": {}}
        for task, (official, scored) in tasks.items():
            sums = video_sums_of(official.samples, scored)
            about["samples"][task] = official.digest
            if sums is not None:
                about["names"][task], arrays[task] = sums
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{digest}.{os.getpid()}.partial.npz"
        np.savez(partial, about=np.array(json.dumps(about)), **arrays)
        partial.replace(self.folder / f"{digest}.npz")

    def read(self, digest: str, task: str, judge: str, samples_digest: str):
        """The kept sums (None: nothing scored), or `MISSING` when no usable file holds them."""
        try:
            with np.load(self.folder / f"{digest}.npz", allow_pickle=False) as kept:
                about = json.loads(str(kept["about"]))
                if (about["code"], about["judge"]) != (self.code, judge):
                    return MISSING
                if about["samples"].get(task) != samples_digest:
                    return MISSING
                names = about["names"].get(task)
                return None if names is None else (names, kept[task])
        except (OSError, ValueError, KeyError, TypeError, EOFError, BadZipFile):  # absent, damaged
            return MISSING


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("ties"), dict) else {}
    except (OSError, ValueError):
        return {}
