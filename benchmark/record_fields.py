"""Parsers of record fields: each takes a raw JSON value and returns the typed value or raises
ValueError("what is wrong"); `spec` makes a dataclass field that knows its parser
(`benchmark.records` builds every record through them)."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import field
from typing import Any


def string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {show(value)}")
    return value


def nonempty_string(value: Any) -> str:
    if not string(value).strip():
        raise ValueError("must not be empty")
    return value


def optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse_optional(value: Any) -> Any:
        return None if value is None else parse(value)

    return parse_optional


def number(value: Any) -> float:
    if type(value) is float and math.isfinite(value):  # most values: no further checks
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {show(value)}")
    return float(value)


def seconds(value: Any) -> float:
    parsed = number(value)
    if parsed < 0:
        raise ValueError(f"expected seconds >= 0, got {show(value)}")
    return parsed


def span(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"expected [start, end] in seconds, got {show(value)}")
    start, end = seconds(value[0]), seconds(value[1])
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    return (start, end)


def written_span(value: Any) -> tuple[float, float]:
    """A predicted [start, end] as the output wrote it: a reversed one is kept (the `ra-rft`
    protocol scores it IoU 0, as the RA-RFT evaluator and Time-R1 do)."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"expected [start, end] in seconds, got {show(value)}")
    return (seconds(value[0]), seconds(value[1]))


def spans(value: Any) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, list | tuple):
        raise ValueError(f"expected a list of [start, end] spans, got {show(value)}")
    return tuple(span(v) for v in value)


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def parse_choice(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}; got {show(value)}")
        return value

    return parse_choice


def string_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {show(value)}")
    return tuple(value)


def mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {show(value)}")
    return value


def consistency(value: Any) -> float:
    parsed = number(value)
    if not 0 <= parsed <= 5:
        raise ValueError(f"expected a score in [0, 5], got {show(value)}")
    return parsed


def show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def spec(parse: Callable[[Any], Any], default: Any = dataclasses.MISSING, **kw: Any) -> Any:
    """A dataclass field that knows how to parse its JSON value."""
    return field(default=default, metadata={"parse": parse}, **kw)
