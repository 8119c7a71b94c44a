"""Models under evaluation, by name: `load_model("random", {"p_refuse": "0.3"})`.

Argument values arrive as strings from `--model-args k=v,...` and are converted to the types of
the model's constructor parameters.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from benchmark.errors import UsageError
from benchmark.models.base import Model, Request
from benchmark.models.reference import AlwaysAnswer, AlwaysRefuse, RandomModel
from benchmark.models.replay import Replay

__all__ = ["MODELS", "Model", "Request", "load_model", "parse_model_args"]


def _openai(**kwargs) -> Model:
    from benchmark.models.openai_chat import OpenAIChat

    return OpenAIChat(**kwargs)


def _hf(**kwargs) -> Model:
    from benchmark.models.hf import HFVideoLLM

    return HFVideoLLM(**kwargs)


def _vllm(**kwargs) -> Model:
    from benchmark.models.vllm_model import VLLMVideoLLM

    return VLLMVideoLLM(**kwargs)


MODELS: dict[str, Callable[..., Model]] = {
    "always-answer": AlwaysAnswer,
    "always-refuse": AlwaysRefuse,
    "random": RandomModel,
    "replay": Replay,
    "openai": _openai,
    "hf": _hf,
    "vllm": _vllm,
}


def parse_model_args(text: str | None) -> dict[str, str]:
    """'a=1,b=x' -> {"a": "1", "b": "x"}; a value may contain '=' but not ','."""
    args: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--model-args: expected key=value, got {item!r}")
        args[key.strip()] = value.strip()
    return args


def load_model(name: str, args: dict[str, str] | None = None) -> Model:
    try:
        factory = MODELS[name]
    except KeyError:
        raise UsageError(f"unknown model {name!r}; known: {', '.join(sorted(MODELS))}") from None
    args = dict(args or {})
    params = inspect.signature(_constructor(name, factory)).parameters
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    unknown = [k for k in args if k not in params and not accepts_any]
    if unknown:
        known = ", ".join(p for p in params if p != "self") or "none"
        raise UsageError(
            f"model {name!r} takes no argument {unknown[0]!r} (its arguments: {known})"
        )
    converted = {
        k: _convert(v, params[k].annotation if k in params else str, k, name)
        for k, v in args.items()
    }
    try:
        return factory(**converted)
    except TypeError as exc:
        raise UsageError(f"model {name!r}: {exc}") from None
    except ValueError as exc:
        raise UsageError(f"model {name!r}: {exc}") from None


def _constructor(name: str, factory: Callable[..., Model]) -> Callable[..., Model]:
    """The callable whose signature documents a model's arguments (lazy factories forward)."""
    if name == "openai":
        from benchmark.models.openai_chat import OpenAIChat

        return OpenAIChat
    if name == "hf":
        from benchmark.models.hf import HFVideoLLM

        return HFVideoLLM
    if name == "vllm":
        from benchmark.models.vllm_model import VLLMVideoLLM

        return VLLMVideoLLM
    return factory


def _convert(value: str, annotation, key: str, model: str):
    kind = annotation if isinstance(annotation, type) else str(annotation)
    try:
        if kind in (int, "int", "int | None"):
            return int(value)
        if kind in (float, "float", "float | None"):
            return float(value)
        if kind in (bool, "bool"):
            if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError
            return value.lower() in ("true", "1", "yes")
    except ValueError:
        raise UsageError(f"model {model!r}: argument {key}={value!r} is not a {kind}") from None
    return value
