"""Data recipes: how a task's samples are made from released files, as its YAML states them.

A task YAML lists its recipes under `dataset_kwargs.data`, tried in order: the first whose files
are all under the data root is used (the released file, else a build from a plain grounding set):

    data:
      - loader: ravtg                                   # a name in LOADERS
        files: [RA-RFT/dataset/anno/ss_vtg_charades.json]
        options: {shuffled: true}                       # keyword arguments of the loader
        about: RA-RFT release                           # one line for `refusal-bench tasks`
      - loader: ratsg
        shuffle: true                                   # a seeded 1:1 Simply-Shuffled build
        files: [RaTSG/data/dataset/charades_RF/charades_sta_test2.0.json]

A file is `<repository folder>/<path in the repository>` (see `benchmark.data.sources`), or a
mapping `{path: ..., origin: ...}` naming where a user gets it. `load_data` returns the samples
with a LoadReport of what was fixed or dropped and the files that were read (their sha256 goes
into run.json).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from benchmark.coerce import CoercionError, coerce, parameter_hints, required_parameters
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
from benchmark.data.uvqa import load_uvqa, load_uvqa_answerable, load_uvqa_training
from benchmark.data.videos import VideoIndex, probe_duration
from benchmark.errors import MissingDataError, UsageError
from benchmark.records import Sample

__all__ = [
    "LOADERS",
    "LoadReport",
    "Loaded",
    "Recipe",
    "data_root",
    "data_status",
    "load_data",
    "parse_recipes",
    "pick_recipe",
    "video_root",
]


#: What every loader is given; its other keyword parameters are the options a recipe may set.
_GIVEN = frozenset({"path", "paths", "task", "report", "seed"})


@dataclass(frozen=True)
class Loader:
    """Reads files into samples: `read(paths, task=..., report=..., seed=..., **options)`."""

    read: Callable[..., list[Sample]]
    #: the function whose keyword parameters (and type hints) are the loader's options
    takes: Callable[..., Any]
    #: where the videos are when the user names no video root: (seed, **options) -> folder
    video_root: Callable[..., Path] | None = None

    def checked(self, name: str, options: dict[str, Any], *, where: str, complete: bool):
        """`options` typed by the loader's parameters; an unknown or mistyped option (and, when
        `complete`, a missing required one) is a UsageError naming `where`."""
        hints = {k: v for k, v in parameter_hints(self.takes).items() if k not in _GIVEN}
        hints.pop("**", None)
        known = ", ".join(hints) or "none"
        unknown = sorted(set(options) - set(hints))
        if unknown:
            raise UsageError(
                f"{where}: the {name} loader takes no option {unknown[0]!r} (its options: {known})"
            )
        missing = [k for k in required_parameters(self.takes) if k not in _GIVEN | set(options)]
        if complete and missing:
            raise UsageError(f"{where}: the {name} loader needs the option {missing[0]!r}")
        try:
            return {k: coerce(v, hints[k]) for k, v in options.items()}
        except CoercionError as exc:
            raise UsageError(f"{where}: an option of the {name} loader {exc}") from None


def _one_file(read: Callable[..., list[Sample]]) -> Loader:
    """A loader of one file: `read(path, task=..., report=..., **options)`."""

    def read_first(paths, *, task, report, seed, **options):
        return read(paths[0], task=task, report=report, **options)

    return Loader(read_first, takes=read)


def _charades_sta(path: Path, *, task: str, report: LoadReport) -> list[Sample]:
    """Charades-STA lines, with durations from Charades_v1_test.csv when it lies beside them."""
    csv = src.CHARADES_CSV_TEST
    durations = (
        read_charades_durations(locate(csv, path.parent)) if is_present(csv, path.parent) else None
    )
    return load_charades_sta(path, task=task, report=report, durations=durations)


def _synthetic(
    paths,
    *,
    task: str,
    report: LoadReport,
    seed: int,
    synth_task: str | None = None,
    split: Literal["test", "train"] = "test",
    videos: int | None = None,
    root: str | None = None,
) -> list[Sample]:
    """A task of the synthetic split (`synth_task`, default: the task), built on first use."""
    from benchmark.synth.split import load_split_samples

    synth_task = synth_task or task
    samples = load_split_samples(_synthetic_root(seed, root=root, videos=videos), synth_task, split)
    return samples if task == synth_task else [replace(s, task=task) for s in samples]


def _synthetic_root(seed: int, *, root=None, videos=None, **options) -> Path:
    from benchmark.synth.split import DEFAULT_VIDEOS, ensure_split

    return ensure_split(root, seed=seed, videos=int(videos or DEFAULT_VIDEOS))


#: The loaders a recipe may name: one per source file format.
LOADERS: dict[str, Loader] = {
    "ravtg": _one_file(load_ravtg),  # RA-RFT group schema (option: shuffled)
    "uvqa": _one_file(load_uvqa),  # UVQA eval items (option: category)
    "uvqa_answerable": _one_file(load_uvqa_answerable),  # Video-ChatGPT QA, UVQA form
    # UVQA training files + their DPO negatives (option: category; "answerable" = Video-ChatGPT)
    "uvqa_training": Loader(load_uvqa_training, takes=load_uvqa_training),
    "ratsg": _one_file(load_ratsg),  # RaTSG relevance-feedback Charades-STA
    "charades_sta": _one_file(_charades_sta),  # plain Charades-STA lines
    "qvhighlights": _one_file(load_qvhighlights),  # QVHighlights / NA-VMR JSONL
    "activitynet_captions": _one_file(load_activitynet_captions),
    "synthetic": Loader(_synthetic, takes=_synthetic, video_root=_synthetic_root),
}


@dataclass(frozen=True)
class Recipe:
    """Read `files` (found under the data root) with a loader, then optionally shuffle."""

    loader: str
    files: tuple[SourceFile, ...] = ()
    about: str = ""  # one line for `refusal-bench tasks`
    options: tuple[tuple[str, Any], ...] = ()  # keyword arguments of the loader
    shuffle: bool = False  # build a Simply-Shuffled set from the relevant queries read

    def build(self, paths: list[Path], *, task: str, report: LoadReport, seed: int, **options):
        read = LOADERS[self.loader].read
        samples = read(paths, task=task, report=report, seed=seed, **dict(self.options), **options)
        if self.shuffle:
            samples = build_simply_shuffled(samples, task=task, seed=seed, report=report)
        return samples

    def video_root(self, seed: int, **options) -> Path | None:
        find = LOADERS[self.loader].video_root
        return None if find is None else find(seed, **dict(self.options), **options)


@dataclass
class Loaded:
    samples: list[Sample]
    report: LoadReport
    files: list[Path] = field(default_factory=list)
    how: str = ""
    video_root: Path | None = None  # where sample video paths resolve


def parse_recipes(
    data: Any, *, where: str, task_options: dict[str, Any] | None = None
) -> tuple[Recipe, ...]:
    """The recipes of a task YAML's `dataset_kwargs.data` list, their options (and the task's
    other `dataset_kwargs`, which every recipe is given) checked against each loader; errors
    name `where`."""
    if not isinstance(data, list) or not data:
        raise UsageError(f"{where}: dataset_kwargs.data must be a non-empty list of recipes")
    recipes = []
    for k, item in enumerate(data):
        at = f"{where}: dataset_kwargs.data[{k}]"
        if not isinstance(item, dict):
            raise UsageError(f"{at}: expected a mapping with 'loader' and 'files'")
        unknown = sorted(set(item) - {"loader", "files", "about", "options", "shuffle"})
        if unknown:
            raise UsageError(f"{at}: unknown key {unknown[0]!r}")
        if item.get("loader") not in LOADERS:
            raise UsageError(f"{at}: loader must be one of {', '.join(LOADERS)}")
        options = item.get("options") or {}
        if not isinstance(options, dict):
            raise UsageError(f"{at}: options must be a mapping")
        loader = LOADERS[item["loader"]]
        options = loader.checked(item["loader"], options, where=at, complete=False)
        loader.checked(item["loader"], options | (task_options or {}), where=at, complete=True)
        try:
            shuffle = coerce(item.get("shuffle", False), bool)
        except CoercionError as exc:
            raise UsageError(f"{at}: shuffle {exc}") from None
        recipes.append(
            Recipe(
                loader=item["loader"],
                files=tuple(src.source_file(f, where=at) for f in item.get("files") or ()),
                about=str(item.get("about", "")),
                options=tuple(sorted(options.items())),
                shuffle=shuffle,
            )
        )
    return tuple(recipes)


def pick_recipe(recipes: tuple[Recipe, ...], root: Path | None) -> Recipe:
    """The first recipe whose files are all present; a MissingDataError naming the first
    recipe's expected paths (and the alternatives) when none is."""
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


def data_status(recipes: tuple[Recipe, ...], root: Path | None) -> tuple[bool, str]:
    """(present, what) for listing: the recipe that would be used, or the path that is missing."""
    try:
        recipe = pick_recipe(recipes, root)
    except MissingDataError:
        first = recipes[0].files[0]
        return False, f"missing {first.repo}/{first.path} (from {first.origin})"
    return True, recipe.about


def load_data(
    recipes: tuple[Recipe, ...],
    *,
    task: str,
    data_root_dir: str | Path | None = None,
    video_root_dir: str | Path | None = None,
    seed: int = 0,
    fill_durations: bool = True,
    **options,
) -> Loaded:
    """Samples of a task from its recipes (released files under the data root, or built).

    With a video root, durations missing from the annotations are read from the videos.
    `options` go to the loader (e.g. a synthetic split's `split`); `path` reads a file of your
    own in the first recipe's format instead.
    """
    root = data_root(data_root_dir)
    own_file = options.pop("path", None)
    for recipe in recipes:  # before any file is looked for: every recipe is given the options
        LOADERS[recipe.loader].checked(
            recipe.loader, dict(recipe.options) | options, where=f"task {task}", complete=True
        )
    if own_file is not None:  # a user-supplied file in the task's format
        recipe = recipes[0]
        paths = [Path(own_file).expanduser()]
        if not paths[0].is_file():
            raise MissingDataError(f"{paths[0]}: file not found (given as the path of {task!r})")
    else:
        recipe = pick_recipe(recipes, root)
        paths = [locate(f, root) for f in recipe.files]
    report = LoadReport(task)
    samples = recipe.build(paths, task=task, report=report, seed=seed, **options)
    videos = video_root(video_root_dir)
    if videos is None:
        videos = recipe.video_root(seed, **options)
    if videos is not None and fill_durations:
        _fill_durations(samples, VideoIndex(videos), report)
    return Loaded(samples=samples, report=report, files=paths, how=recipe.about, video_root=videos)


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
