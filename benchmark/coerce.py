"""Settings from text, typed by the type hints of whatever takes them.

`--model-args k=v,...` arrives as strings and a recipe's YAML config as YAML scalars; both become
the types a constructor or a config dataclass declares (`int`, `float`, `bool`, `str`, `X | None`,
`Literal[...]`), by one rule, with errors that name the setting.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


class CoercionError(ValueError):
    """A value that is not of the type a setting declares; the message says which it must be."""


def coerce(value: Any, hint: Any) -> Any:
    """`value` as the type `hint` declares.

    >>> coerce("3", int), coerce("0.5", float | None), coerce("yes", bool)
    (3, 0.5, True)
    >>> coerce("none", int | None), coerce("x", Literal["x", "y"])
    (None, 'x')
    >>> coerce(2, float), coerce("1e-6", float), coerce("none", str | None)
    (2.0, 1e-06, 'none')
    """
    allowed = _alternatives(hint)
    if value is None and type(None) in allowed:
        return None
    for kind in allowed:
        converted = _as(value, kind)
        if converted is not _NO:
            return converted
    if isinstance(value, str) and type(None) in allowed and value.lower() in ("none", "null", ""):
        return None
    raise CoercionError(f"must be {type_name(hint)}, got {value!r}")


def type_name(hint: Any) -> str:
    """How a type hint reads in an error message: `int`, `float or None`, `'a' or 'b'`."""
    names = []
    for kind in _alternatives(hint):
        if typing.get_origin(kind) is Literal:
            names += [repr(v) for v in typing.get_args(kind)]
        else:
            names.append("None" if kind is type(None) else getattr(kind, "__name__", str(kind)))
    return " or ".join(names)


def parameter_hints(factory: Callable[..., Any]) -> dict[str, Any]:
    """The type hint of each keyword parameter of a class's constructor or of a function
    (`str` where there is none); `**kwargs` is reported as the key `"**"`."""
    target = factory.__init__ if inspect.isclass(factory) else factory
    hints = typing.get_type_hints(target)
    out: dict[str, Any] = {}
    for name, parameter in inspect.signature(target).parameters.items():
        if name == "self" or parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            out["**"] = hints.get(name, str)
        else:
            out[name] = hints.get(name, str)
    return out


def required_parameters(factory: Callable[..., Any]) -> list[str]:
    """The keyword parameters of a class's constructor or of a function that have no default."""
    target = factory.__init__ if inspect.isclass(factory) else factory
    return [
        p.name
        for p in inspect.signature(target).parameters.values()
        if p.name != "self"
        and p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


_NO = object()


def _as(value: Any, kind: Any) -> Any:
    """`value` as exactly `kind`, or `_NO`."""
    if kind is Any:
        return value
    if kind is type(None):
        return _NO
    if typing.get_origin(kind) is Literal:
        return value if value in typing.get_args(kind) else _NO
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
            return value.lower() in _TRUE
        return _NO
    if isinstance(value, bool):  # True is an int in Python, never in a setting
        return _NO
    if kind is int:
        return _parse(int, value) if isinstance(value, int | str) else _NO
    if kind is float:
        return _parse(float, value) if isinstance(value, int | float | str) else _NO
    if kind is str:
        return value if isinstance(value, str) else str(value) if _is_scalar(value) else _NO
    return value if isinstance(kind, type) and isinstance(value, kind) else _NO


def _parse(kind: type, value: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        return _NO


def _is_scalar(value: Any) -> bool:
    return isinstance(value, int | float)


def _alternatives(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)
