"""Models under evaluation, by name: `load_model("random", {"p_refuse": "0.3"})`.

`MODELS` is the one table of adapters: a name and where its class lives, imported only when the
model is loaded (the `hf` and `vllm` adapters need torch, `openai` the SDK). Argument values
arrive as strings from `--model-args k=v,...` and become the types of the class's constructor
parameters (`benchmark.coerce`). Adding a model: one module with a `Model` subclass and one line
here.
"""

from __future__ import annotations

import importlib

from benchmark.coerce import (
    CoercionError,
    coerce,
    parameter_hints,
    required_parameters,
    type_name,
)
from benchmark.errors import UsageError
from benchmark.models.base import Model, Request

__all__ = ["MODELS", "Model", "Request", "load_model", "model_class", "parse_model_args"]

#: name -> "module:Class" of every model adapter.
MODELS: dict[str, str] = {
    "always-answer": "benchmark.models.reference:AlwaysAnswer",
    "always-refuse": "benchmark.models.reference:AlwaysRefuse",
    "random": "benchmark.models.reference:RandomModel",
    "replay": "benchmark.models.replay:Replay",
    "openai": "benchmark.models.openai_chat:OpenAIChat",
    "hf": "benchmark.models.hf:HFVideoLLM",
    "vllm": "benchmark.models.vllm_model:VLLMVideoLLM",
}


def model_class(name: str) -> type[Model]:
    """The adapter class of a model name (imported now)."""
    try:
        module, _, cls = MODELS[name].partition(":")
    except KeyError:
        raise UsageError(f"unknown model {name!r}; known: {', '.join(sorted(MODELS))}") from None
    return getattr(importlib.import_module(module), cls)


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
    """An instance of the model `name` with `args` converted to its constructor's types."""
    cls = model_class(name)
    hints = parameter_hints(cls)
    args = dict(args or {})
    unknown = [k for k in args if k not in hints and "**" not in hints]
    if unknown:
        known = ", ".join(p for p in hints if p != "**") or "none"
        raise UsageError(
            f"model {name!r} takes no argument {unknown[0]!r} (its arguments: {known})"
        )
    missing = [k for k in required_parameters(cls) if k not in args]
    if missing:
        raise UsageError(
            f"model {name!r} needs the argument {missing[0]!r}: --model-args {missing[0]}=..."
        )
    converted = {}
    for key, value in args.items():
        hint = hints.get(key, hints.get("**", str))
        try:
            converted[key] = coerce(value, hint)
        except CoercionError:
            raise UsageError(
                f"model {name!r}: argument {key}={value!r} must be {type_name(hint)}"
            ) from None
    try:
        return cls(**converted)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"model {name!r}: {exc}") from None
