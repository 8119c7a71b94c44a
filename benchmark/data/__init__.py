"""Data sources: which released files make each task's samples, and how.

A source is a list of recipes tried in order: the released file when it is under the data root,
else a build from a plain grounding set (the Simply-Shuffled builder). `load_source` returns the
samples with a LoadReport of what was fixed or dropped and the files that were read (their
sha256 goes into run.json).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmark.data import sources as src
from benchmark.data.grounding_formats import (
    load_activitynet_captions,
    load_charades_sta,
    load_qvhighlights,
    load_ratsg,
    read_charades_durations,
)
from benchmark.data.ravtg import load_ravtg
from benchmark.data.report import LoadReport
from benchmark.data.shuffle import build_simply_shuffled
from benchmark.data.sources import SourceFile, data_root, is_present, locate, video_root
from benchmark.data.uvqa import load_uvqa, load_uvqa_answerable
from benchmark.data.videos import VideoIndex, probe_duration
from benchmark.errors import MissingDataError, UsageError
from benchmark.records import Sample

__all__ = [
    "SOURCES",
    "LoadReport",
    "Loaded",
    "data_root",
    "load_source",
    "source_status",
    "video_root",
]

#: build(paths, task=..., report=..., seed=..., **options) -> samples
Build = Callable[..., list[Sample]]


@dataclass(frozen=True)
class Recipe:
    """Read `files` (found under the data root) and build the samples."""

    files: tuple[SourceFile, ...]
    build: Build
    how: str  # one line for `refusal-bench tasks`
    #: where the videos are when the user names no video root: (seed, options) -> folder
    video_root: Callable[..., Path] | None = None


@dataclass
class Loaded:
    samples: list[Sample]
    report: LoadReport
    files: list[Path] = field(default_factory=list)
    how: str = ""
    video_root: Path | None = None  # where sample video paths resolve


def _first_file(read: Callable[..., list[Sample]], **fixed) -> Build:
    """A recipe that reads one file with `read(path, task=..., report=..., **fixed)`."""

    def build(paths, *, task, report, seed, **options):
        return read(paths[0], task=task, report=report, **fixed)

    return build


def _shuffled(read: Callable[..., list[Sample]]) -> Build:
    """A Simply-Shuffled set built from the relevant queries of a plain grounding file."""

    def build(paths, *, task, report, seed, **options):
        plain = read(paths[0], task=task, report=report)
        return build_simply_shuffled(plain, task=task, seed=seed, report=report)

    return build


def _charades_sta(path: Path, *, task: str, report: LoadReport) -> list[Sample]:
    csv = src.CHARADES_CSV_TEST
    durations = (
        read_charades_durations(locate(csv, path.parent)) if is_present(csv, path.parent) else None
    )
    return load_charades_sta(path, task=task, report=report, durations=durations)


def _synthetic(synth_task: str) -> Build:
    def build(paths, *, task, report, seed, split="test", videos=None, root=None, **options):
        from benchmark.synth.split import load_split_samples

        samples = load_split_samples(
            _synthetic_root(seed, root=root, videos=videos), synth_task, split
        )
        return samples if task == synth_task else [replace(s, task=task) for s in samples]

    return build


def _synthetic_root(seed: int, *, root=None, videos=None, **options) -> Path:
    from benchmark.synth.split import DEFAULT_VIDEOS, ensure_split

    return ensure_split(root, seed=seed, videos=int(videos or DEFAULT_VIDEOS))


SOURCES: dict[str, tuple[Recipe, ...]] = {
    "hi_tvgbench": (Recipe((src.HI_TVGBENCH,), _first_file(load_ravtg), "RA-RFT release"),),
    "hi_charades": (Recipe((src.HI_CHARADES,), _first_file(load_ravtg), "RA-RFT release"),),
    "hi_activitynet": (Recipe((src.HI_ACTIVITYNET,), _first_file(load_ravtg), "RA-RFT release"),),
    "human_ravtg": (
        Recipe((src.HUMAN_RAVTG,), _first_file(load_ravtg), "RA-RFT human-annotated split"),
    ),
    "ss_charades": (
        Recipe((src.SS_CHARADES,), _first_file(load_ravtg, shuffled=True), "RA-RFT release"),
        Recipe(
            (src.RATSG_CHARADES,),
            _shuffled(load_ratsg),
            "Simply-Shuffled, built from RaTSG's Charades-STA test",
        ),
        Recipe(
            (src.CHARADES_STA_TEST,),
            _shuffled(_charades_sta),
            "Simply-Shuffled, built from Charades-STA test",
        ),
    ),
    "ss_qvhighlights": (
        Recipe((src.SS_QVHIGHLIGHTS,), _first_file(load_ravtg, shuffled=True), "RA-RFT release"),
        Recipe(
            (src.QVHL_POS_VAL,),
            _shuffled(load_qvhighlights),
            "Simply-Shuffled, built from QVHighlights val positives",
        ),
    ),
    "ss_activitynet": (
        Recipe(
            (src.ANET_CAPTIONS_VAL2,),
            _shuffled(load_activitynet_captions),
            "Simply-Shuffled, built from ActivityNet Captions val_2",
        ),
    ),
    "uvqa_object": (
        Recipe((src.UVQA_OBJECT,), _first_file(load_uvqa, category="object"), "UVQA release"),
    ),
    "uvqa_relation": (
        Recipe((src.UVQA_RELATION,), _first_file(load_uvqa, category="relation"), "UVQA release"),
    ),
    "uvqa_attribute": (
        Recipe((src.UVQA_ATTRIBUTE,), _first_file(load_uvqa, category="attribute"), "UVQA release"),
    ),
    "uvqa_answerable": (
        Recipe(
            (src.UVQA_ANSWERABLE,),
            _first_file(load_uvqa_answerable),
            "answerable counterpart supplied by the user",
        ),
    ),
    # The synthetic split: generated here, exact labels, no download (built on first use).
    **{
        task: (
            Recipe(
                (),
                _synthetic(task),
                "synthetic split (generated and cached on first use)",
                video_root=_synthetic_root,
            ),
        )
        for task in ("synth_qa", "synth_uvqa", "synth_hivtg", "synth_ss")
    },
    # The plain sets as released, for analysis and for building other splits.
    "ratsg_charades": (
        Recipe(
            (src.RATSG_CHARADES,),
            _first_file(load_ratsg),
            "RaTSG relevance-feedback Charades-STA test",
        ),
    ),
    "navmr_qvhighlights": (
        Recipe(
            (src.QVHL_POS_NEG_VAL,),
            _first_file(load_qvhighlights),
            "NA-VMR in-domain QVHighlights val (positives and negatives)",
        ),
    ),
}


def pick_recipe(source: str, root: Path | None) -> Recipe:
    """The first recipe whose files are all present; a MissingDataError naming the first
    recipe's expected paths (and the alternatives) when none is."""
    try:
        recipes = SOURCES[source]
    except KeyError:
        raise UsageError(f"unknown data source {source!r}; known: {', '.join(SOURCES)}") from None
    for recipe in recipes:
        if all(is_present(f, root) for f in recipe.files):
            return recipe
    try:
        for f in recipes[0].files:
            locate(f, root)
    except MissingDataError as exc:
        others = [r.files[0].name for r in recipes[1:]]
        hint = f" Alternatively, any of: {', '.join(others)}." if others else ""
        raise MissingDataError(f"{exc}{hint}") from None
    raise AssertionError("unreachable")


def source_status(source: str, root: Path | None) -> tuple[bool, str]:
    """(present, what) for listing: the recipe that would be used, or the path that is missing."""
    try:
        recipe = pick_recipe(source, root)
    except MissingDataError:
        first = SOURCES[source][0].files[0]
        return False, f"missing {first.repo}/{first.path} (from {first.origin})"
    return True, recipe.how


def load_source(
    source: str,
    *,
    task: str | None = None,
    data_root_dir: str | Path | None = None,
    video_root_dir: str | Path | None = None,
    seed: int = 0,
    **options,
) -> Loaded:
    """Samples of a data source (released files under the data root, or built from them).

    With a video root, durations missing from the annotations are read from the videos.
    `options` go to the recipe (e.g. a synthetic split's `split`).
    """
    root = data_root(data_root_dir)
    own_file = options.pop("path", None)
    if own_file is not None:  # a user-supplied file in the source's format
        recipe = SOURCES[source][0]
        paths = [Path(own_file).expanduser()]
        if not paths[0].is_file():
            raise MissingDataError(f"{paths[0]}: file not found (given as the path of {source!r})")
    else:
        recipe = pick_recipe(source, root)
        paths = [locate(f, root) for f in recipe.files]
    report = LoadReport(source)
    samples = recipe.build(paths, task=task or source, report=report, seed=seed, **options)
    videos = video_root(video_root_dir)
    if videos is None and recipe.video_root is not None:
        videos = recipe.video_root(seed, **options)
    if videos is not None:
        _fill_durations(samples, VideoIndex(videos), report)
    return Loaded(samples=samples, report=report, files=paths, how=recipe.how, video_root=videos)


def _fill_durations(samples: list[Sample], index: VideoIndex, report: LoadReport) -> None:
    durations: dict[str, float | None] = {}
    for sample in samples:
        if sample.duration is not None:
            continue
        if sample.video.path not in durations:
            path = index.find(sample.video)
            durations[sample.video.path] = probe_duration(path) if path else None
        sample.duration = durations[sample.video.path]
        if sample.duration is None:
            report.note(
                "duration unknown (not in the annotations, video not found or unreadable)",
                sample.id,
            )
