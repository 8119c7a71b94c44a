"""Seeded bootstrap confidence intervals that resample whole videos.

Queries about one video are not independent (an HI-VTG video has a relevant query and its edited
twins), so the resampling unit is the video: all items of a drawn video move together.

Every metric here is a function of sums of per-item columns (counts of TP, sums of RA-IoU, ...).
That makes a resample cheap: sum the columns per video once, draw multinomial video weights, and
each resample's sums are one matrix product. A `statistic` takes a mapping of column name to
summed value and returns the metric; it must work on floats (the estimate) and on numpy arrays
(all resamples at once), which plain arithmetic and `ratio` do.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Statistic = Callable[[Mapping[str, np.ndarray]], np.ndarray]

DEFAULT_RESAMPLES = 1000
_CHUNK = 200  # resamples drawn per matrix product: bounds memory to ~chunk × videos floats


@dataclass(frozen=True, slots=True)
class Interval:
    """A point estimate with its percentile bootstrap interval (NaN where undefined)."""

    estimate: float
    low: float
    high: float

    def as_list(self) -> list[float | None]:
        """[low, high] for results.json (None where undefined)."""
        return [_none_if_nan(self.low), _none_if_nan(self.high)]


def column_sums(columns: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """Total of each per-item column: what a statistic sees for the point estimate."""
    return {
        name: float(np.sum(np.asarray(values, dtype=float))) for name, values in columns.items()
    }


def cluster_bootstrap(
    columns: Mapping[str, Sequence[float]],
    clusters: Sequence[Hashable],
    statistics: Mapping[str, Statistic],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, Interval]:
    """Percentile bootstrap intervals for several statistics over the same resamples.

    `columns` holds one value per item (e.g. `{"tp": [1, 0, ...], "ra_iou": [...]}`), `clusters`
    the video of each item. Resamples whose statistic is undefined (NaN, e.g. no irrelevant item
    was drawn) are left out of the interval.

    >>> cols = {"hit": [1, 0, 1, 1], "n": [1, 1, 1, 1]}
    >>> ci = cluster_bootstrap(cols, ["a", "a", "b", "c"], {"acc": lambda s: s["hit"] / s["n"]})
    >>> ci["acc"].estimate
    0.75
    """
    names = list(columns)
    matrix = (
        np.column_stack([np.asarray(columns[n], dtype=float) for n in names]) if names else None
    )
    n_items = 0 if matrix is None else matrix.shape[0]
    if len(clusters) != n_items:
        raise ValueError(f"{len(clusters)} cluster ids for {n_items} items")
    sums = column_sums(columns)  # once: the statistics only read them
    estimates = {name: float(stat(sums)) for name, stat in statistics.items()}
    if n_items == 0 or n_resamples <= 0:
        return {name: Interval(est, np.nan, np.nan) for name, est in estimates.items()}

    _, cluster_index = np.unique(
        np.asarray(clusters, dtype=object).astype(str), return_inverse=True
    )
    n_clusters = int(cluster_index.max()) + 1
    per_cluster = np.zeros((n_clusters, len(names)))
    np.add.at(per_cluster, cluster_index, matrix)

    rng = np.random.default_rng(seed)
    draws: dict[str, list[np.ndarray]] = {name: [] for name in statistics}
    uniform = np.full(n_clusters, 1.0 / n_clusters)
    for start in range(0, n_resamples, _CHUNK):
        size = min(_CHUNK, n_resamples - start)
        weights = rng.multinomial(n_clusters, uniform, size=size).astype(float)
        sums = weights @ per_cluster  # (size, n_columns)
        resampled = {name: sums[:, j] for j, name in enumerate(names)}
        for name, stat in statistics.items():
            draws[name].append(np.broadcast_to(np.asarray(stat(resampled), dtype=float), (size,)))

    alpha = (1 - confidence) / 2
    intervals = {}
    for name, chunks in draws.items():
        values = np.concatenate(chunks)
        values = values[np.isfinite(values)]
        low, high = np.quantile(values, [alpha, 1 - alpha]) if values.size else (np.nan, np.nan)
        intervals[name] = Interval(estimates[name], float(low), float(high))
    return intervals


def paired_bootstrap(
    columns_a: Mapping[str, Sequence[float]],
    columns_b: Mapping[str, Sequence[float]],
    clusters: Sequence[Hashable],
    statistic: Statistic,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Interval:
    """Interval for statistic(run A) − statistic(run B) on the same items, item i of A paired
    with item i of B; both runs are resampled with the same video draws.

    >>> a = {"hit": [1, 1, 1, 0], "n": [1] * 4}
    >>> b = {"hit": [0, 1, 0, 0], "n": [1] * 4}
    >>> paired_bootstrap(a, b, ["v1", "v2", "v3", "v4"], lambda s: s["hit"] / s["n"]).estimate
    0.5
    """
    joined = {f"a.{k}": v for k, v in columns_a.items()} | {
        f"b.{k}": v for k, v in columns_b.items()
    }

    def difference(sums: Mapping[str, np.ndarray]) -> np.ndarray:
        a = {k[2:]: v for k, v in sums.items() if k.startswith("a.")}
        b = {k[2:]: v for k, v in sums.items() if k.startswith("b.")}
        return statistic(a) - statistic(b)

    return cluster_bootstrap(
        joined,
        clusters,
        {"difference": difference},
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )["difference"]


def _none_if_nan(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
