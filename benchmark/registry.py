"""The task registry: every task and group defined by the YAML files under `tasks/`.

The same YAML files are lm-eval task configs; this module reads them without lm-eval (its
`!function` tags are kept as strings, `include` is resolved) so that the runner, `tasks` and
`dump` work on a core install. A task's fields that matter here:

    task: hi_tvgbench                  # name
    dataset_kwargs: {task: hi_tvgbench, source: hi_tvgbench}   # data source (see benchmark.data)
    metadata: {version: 1.0, family: grounding}               # family: grounding | qa

A group file has `group: NAME` and `task: [NAME, ...]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from benchmark import tasks_dir
from benchmark.errors import UsageError

FAMILIES = ("grounding", "qa")


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """What the runner needs to know of a task."""

    name: str
    source: str  # data source name (benchmark.data.SOURCES) or "synth:<task>"
    family: str  # "grounding" or "qa"
    version: str
    config_path: Path
    options: tuple[tuple[str, Any], ...] = ()  # further dataset_kwargs, e.g. split

    @property
    def option_dict(self) -> dict[str, Any]:
        return dict(self.options)


@dataclass(frozen=True)
class Registry:
    tasks: dict[str, TaskSpec]
    groups: dict[str, tuple[str, ...]]

    def resolve(self, names: str | Iterable[str]) -> list[TaskSpec]:
        """Task specs for a comma-separated list of task and group names, in order, once each."""
        if isinstance(names, str):
            names = [n.strip() for n in names.split(",") if n.strip()]
        out: dict[str, TaskSpec] = {}
        for name in names:
            if name in self.groups:
                for member in self.groups[name]:
                    out.setdefault(member, self.tasks[member])
            elif name in self.tasks:
                out.setdefault(name, self.tasks[name])
            else:
                known = ", ".join(sorted([*self.tasks, *self.groups]))
                raise UsageError(f"unknown task or group {name!r}; known: {known}")
        if not out:
            raise UsageError("no task given")
        return list(out.values())


@cache
def load_registry(root: Path | None = None) -> Registry:
    """Read every `*.yaml` under the task folder (cached per folder)."""
    root = Path(root) if root is not None else tasks_dir()
    tasks: dict[str, TaskSpec] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for path in sorted(root.rglob("*.yaml")):
        config = read_task_yaml(path)
        if "group" in config:
            members = config.get("task") or []
            groups[config["group"]] = tuple(m if isinstance(m, str) else m["task"] for m in members)
            continue
        name = config.get("task")
        if not isinstance(name, str):
            raise UsageError(f"{path}: a task config needs a 'task' name")
        if name in tasks:
            raise UsageError(
                f"{path}: task {name!r} is defined twice (also {tasks[name].config_path})"
            )
        kwargs = dict(config.get("dataset_kwargs") or {})
        metadata = config.get("metadata") or {}
        family = metadata.get("family")
        if family not in FAMILIES:
            raise UsageError(f"{path}: metadata.family must be one of {', '.join(FAMILIES)}")
        kwargs.pop("task", None)
        tasks[name] = TaskSpec(
            name=name,
            source=kwargs.pop("source", name),
            family=family,
            version=str(metadata.get("version", "0")),
            config_path=path,
            options=tuple(sorted(kwargs.items())),
        )
    for group, members in groups.items():
        unknown = [m for m in members if m not in tasks]
        if unknown:
            raise UsageError(f"group {group!r} names unknown tasks: {', '.join(unknown)}")
    return Registry(tasks=tasks, groups=groups)


def read_task_yaml(path: Path, _seen: frozenset[Path] = frozenset()) -> dict[str, Any]:
    """A task YAML with its `include`s merged (local keys win) and `!function` kept as text."""
    path = path.resolve()
    if path in _seen:
        raise UsageError(f"{path}: include cycle")
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(config, dict):
        raise UsageError(f"{path}: expected a mapping at the top level")
    includes = config.pop("include", [])
    merged: dict[str, Any] = {}
    for include in includes if isinstance(includes, list) else [includes]:
        merged |= read_task_yaml(path.parent / include, _seen | {path})
    return merged | config


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor(
    "!function", lambda loader, node: f"!function {loader.construct_scalar(node)}"
)
