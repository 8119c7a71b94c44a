"""The task registry: every task and group defined by the YAML files under `tasks/`.

A task YAML is the task's whole spec, read here without lm-eval (its `!function` tags are kept
as strings, `include` is resolved) so that the runner, `tasks` and `dump` work on a core install,
and read by lm-eval as a task config. The fields that matter here:

    task: hi_tvgbench                      # name
    dataset_kwargs:
      task: hi_tvgbench
      data: [{loader: ravtg, files: [RA-RFT/dataset/anno/hi_vtg_tvgbench.json]}]  # recipes
      split: test                          # any other key: an option of the loader
    generation_kwargs: {until: [], max_gen_toks: 512, do_sample: false}
    metadata: {version: 1.0, family: grounding, prompt: ravtg_v1}   # prompt: default of family

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
from benchmark.data import Recipe, parse_recipes
from benchmark.errors import UsageError
from benchmark.families import FAMILIES, Family
from benchmark.generation import Generation
from benchmark.prompts import prompt_exists


@dataclass(frozen=True, eq=False)
class TaskSpec:
    """A registered task, as its YAML defines it."""

    name: str
    family: Family
    version: str
    prompt: str  # prompt template id, e.g. "ravtg_v1"
    generation: Generation
    data: tuple[Recipe, ...]  # tried in order (`benchmark.data`)
    config_path: Path
    options: tuple[tuple[str, Any], ...] = ()  # further dataset_kwargs, e.g. split
    split: str = "test"  # "train": a training source for the recipes (metadata.split)

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
        spec = task_spec(config, path)
        if spec.name in tasks:
            raise UsageError(
                f"{path}: task {spec.name!r} is defined twice (also {tasks[spec.name].config_path})"
            )
        tasks[spec.name] = spec
    for group, members in groups.items():
        unknown = [m for m in members if m not in tasks]
        if unknown:
            raise UsageError(f"group {group!r} names unknown tasks: {', '.join(unknown)}")
    return Registry(tasks=tasks, groups=groups)


def task_spec(config: dict[str, Any], path: Path) -> TaskSpec:
    """The spec of one task config (its includes merged); errors name the file."""
    name = config.get("task")
    if not isinstance(name, str):
        raise UsageError(f"{path}: a task config needs a 'task' name")
    metadata = config.get("metadata") or {}
    family = FAMILIES.get(metadata.get("family"))
    if family is None:
        raise UsageError(f"{path}: metadata.family must be one of {', '.join(FAMILIES)}")
    prompt = str(metadata.get("prompt", family.prompt))
    if not prompt_exists(prompt):
        raise UsageError(
            f"{path}: metadata.prompt {prompt!r} is not a template in benchmark/prompts"
        )
    split = str(metadata.get("split", "test"))
    if split not in ("test", "train"):
        raise UsageError(f"{path}: metadata.split must be test or train, got {split!r}")
    kwargs = dict(config.get("dataset_kwargs") or {})
    kwargs.pop("task", None)
    data = kwargs.pop("data", None)
    return TaskSpec(
        name=name,
        family=family,
        version=str(metadata.get("version", "0")),
        prompt=prompt,
        generation=Generation.from_lmeval(
            config.get("generation_kwargs"), where=f"{path}: generation_kwargs"
        ),
        data=parse_recipes(data, where=str(path), task_options=kwargs),
        config_path=path,
        options=tuple(sorted(kwargs.items())),
        split=split,
    )


def read_task_yaml(path: Path, _seen: frozenset[Path] = frozenset()) -> dict[str, Any]:
    """A task YAML with its `include`s merged as lm-eval merges them (top-level keys; the local
    file wins, so a variant that sets `metadata` sets all of it) and `!function` kept as text."""
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


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
    pass


_Loader.add_constructor(
    "!function", lambda loader, node: f"!function {loader.construct_scalar(node)}"
)
