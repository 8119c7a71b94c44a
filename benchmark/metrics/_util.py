"""Arithmetic shared by the metric modules."""

from __future__ import annotations

import math

import numpy as np


def ratio(numerator, denominator):
    """numerator / denominator, NaN where the denominator is 0.

    Scalars give a float; arrays (bootstrap resamples) give an array.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den == 0, np.nan, num / np.where(den == 0, 1, den))
    return float(out) if out.ndim == 0 else out


def finite(value) -> float | None:
    """A metric value for results.json: a float, or None where it is undefined (NaN)."""
    return float(value) if value is not None and math.isfinite(value) else None
