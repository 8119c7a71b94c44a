"""Reading fields of released annotation files with errors that say where.

Loaders read other people's JSON; a wrong type there becomes a `RecordError` naming the file, the
item index and the field, e.g. "hi_vtg_tvgbench.json: group 12, query 1: field 'r' must be true or
false, got "yes"". Quirks that have a documented fix are counted in a LoadReport instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmark.data.report import LoadReport
from benchmark.errors import RecordError

Span = tuple[float, float]


class Where:
    """A position in a source file, for error messages: `file: group 3, query 1`."""

    def __init__(self, path: Path | str, *parts: str) -> None:
        self.path = path if isinstance(path, Path) else Path(path)
        self.parts = parts

    def at(self, part: str) -> Where:
        return Where(self.path, *self.parts, part)  # one per item read: no new Path each time

    def __str__(self) -> str:
        return f"{self.path.name}: " + ", ".join(self.parts) if self.parts else str(self.path)

    def error(self, message: str) -> RecordError:
        return RecordError(f"{self}: {message}")


def require(item: Any, key: str, where: Where) -> Any:
    if not isinstance(item, Mapping):
        raise where.error(f"expected an object, got {type(item).__name__}")
    if key not in item:
        raise where.error(f"missing field {key!r}")
    return item[key]


def text(item: Any, key: str, where: Where, *, required: bool = True) -> str:
    """A string field; an absent or null optional field reads as ""."""
    if required:
        value = require(item, key, where)
    else:
        value = item.get(key) if isinstance(item, Mapping) else None
        if value is None:
            return ""
    if not isinstance(value, str):
        raise where.error(f"field {key!r} must be a string, got {type(value).__name__}")
    return value


def number(value: Any, where: Where, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise where.error(f"field {key!r} must be a number, got {value!r}")
    return float(value)


def optional_number(item: Mapping, key: str, where: Where) -> float | None:
    value = item.get(key)
    return None if value is None else number(value, where, key)


def boolean(item: Mapping, key: str, where: Where) -> bool:
    value = require(item, key, where)
    if not isinstance(value, bool):
        raise where.error(f"field {key!r} must be true or false, got {value!r}")
    return value


def raw_span(value: Any, where: Where, key: str) -> Span | None:
    """[start, end] as floats; an empty list is None (no span)."""
    if value is None or (isinstance(value, list | tuple) and len(value) == 0):
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise where.error(f"field {key!r} must be [start, end] in seconds, got {value!r}")
    return number(value[0], where, key), number(value[1], where, key)


def clean_span(
    span: Span, duration: float | None, report: LoadReport, example: str
) -> tuple[Span, float | None]:
    """Apply the documented rules to a gold span and the video's stated duration.

    A reversed span is swapped; a span reaching past the video's end is clipped to
    [0, duration]; a span lying wholly past the stated duration is kept and the duration dropped
    (it is the duration that is wrong: Charades-STA has such entries). Returns (span, duration).
    """
    start, end = span
    if start > end:
        report.note("reversed span (swapped)", example)
        start, end = end, start
    if start < 0:
        report.note("span starting before 0 (clipped)", example)
        start = 0.0
        end = max(end, 0.0)
    if duration is not None and end > duration:
        if start < duration:
            report.note("span past the end of the video (clipped to the duration)", example)
            end = duration
        else:
            report.note(
                "span wholly past the stated duration (span kept, duration dropped)", example
            )
            duration = None
    return (start, end), duration
