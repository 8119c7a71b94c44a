"""Loading a registered task's samples: its YAML names the recipes, `benchmark.data` runs them."""

from __future__ import annotations

from pathlib import Path

from benchmark.data import Loaded, load_data
from benchmark.registry import TaskSpec, load_registry


def load_task(
    task: str | TaskSpec,
    *,
    data_root: str | Path | None = None,
    video_root: str | Path | None = None,
    seed: int = 0,
    limit: int | None = None,
    path: str | Path | None = None,
    split: str | None = None,
    fill_durations: bool = True,
) -> Loaded:
    """Samples of one task (the first `limit` of them when given); `path` reads a file of your
    own in the task's format instead of the released one; `split` picks the train or test
    split of a task that has both (the synthetic ones); `fill_durations=False` leaves durations
    the annotations lack unknown instead of reading them from the videos."""
    spec = task if isinstance(task, TaskSpec) else load_registry().resolve([task])[0]
    if split == "train" and spec.split == "train":
        split = None  # a training source holds train data only
    loaded = load_data(
        spec.data,
        task=spec.name,
        data_root_dir=data_root,
        video_root_dir=video_root,
        seed=seed,
        fill_durations=fill_durations,
        **(
            spec.option_dict
            | ({"path": path} if path is not None else {})
            | ({"split": split} if split is not None else {})
        ),
    )
    if limit is not None:
        loaded.samples = loaded.samples[:limit]
    return loaded
