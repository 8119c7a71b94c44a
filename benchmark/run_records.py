"""The two JSON files of a run directory as typed records: `RunInfo` (run.json) and `Results`
(results.json, one `TaskResult` per task), with `from_dict` / `to_dict` like `benchmark.records`.

The runner builds a RunInfo and `benchmark.metrics.summarize_task` builds each TaskResult; nothing
else assembles these files, so their fields are defined here once. `to_dict` writes the keys in
declaration order (results.json of the same run is byte-identical whoever writes it) and leaves
out optional fields that were never set. Unknown keys of run.json are kept in `extra`, so a file
written by a newer version survives a read and a write.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from benchmark.errors import RecordError

RunStatus = Literal["running", "complete", "failed"]


class _Record:
    """`to_dict` / `from_dict` of a dataclass whose fields are all JSON values."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = ""):
        return _build(cls, data, where or cls.__name__)


@dataclass
class TaskResult(_Record):
    """One task's entry of results.json."""

    n: int  # scored items (ok judgments)
    metrics: dict[str, float | None]  # by key of the metric table; None = undefined
    ci: dict[str, list[float | None]]  # 95% bootstrap interval of each defined metric
    breakdowns: dict[str, Any]  # per difficulty / category / kind, confusion, null_reasons
    judge: str
    failures: int  # judgments that failed (excluded from every metric)
    missing: int  # samples with no judgment (e.g. generation errors)
    failure_rate: float
    errors: int = 0  # samples whose generation failed
    version: str = ""  # the task's version
    family: str = ""  # the task's family


@dataclass
class PairedResult(_Record):
    """Paired metrics of an aligned run against its base run (UVQA S_ex-ref, S_permis, S_disc)."""

    n: int  # samples judged ok in both runs
    metrics: dict[str, float | None]
    ci: dict[str, list[float | None]]


@dataclass
class Results:
    """results.json: the entry of every task, and the model and judge they came from."""

    tasks: dict[str, TaskResult] = field(default_factory=dict)
    model: str = ""
    judge: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "tasks": {name: result.to_dict() for name, result in self.tasks.items()},
            "model": self.model,
            "judge": self.judge,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "results.json") -> Results:
        if not isinstance(data, dict) or not isinstance(data.get("tasks"), dict):
            raise RecordError(f"{where}: expected an object with 'tasks'")
        return cls(
            tasks={
                name: TaskResult.from_dict(entry, where=f"{where}: task {name!r}")
                for name, entry in data["tasks"].items()
            },
            model=data.get("model", ""),
            judge=data.get("judge", ""),
        )


@dataclass
class TaskProvenance(_Record):
    """What run.json records of each task: which version, data and prompt it was run on."""

    version: str
    family: str
    n: int
    samples_sha256: str  # sha256 of the samples in canonical JSON (`benchmark.runner`)
    source: str = ""  # the data recipe used, in words
    files: dict[str, str] = field(default_factory=dict)  # file read -> sha256
    load_report: dict[str, Any] = field(default_factory=dict)  # what the loader fixed/dropped
    prompt: str | None = None  # the prompt template version (older runs: see RunInfo.prompts)
    generation: dict[str, Any] | None = None  # the task's generation settings

    def to_dict(self) -> dict[str, Any]:
        out = {
            "version": self.version,
            "family": self.family,
            "source": self.source,
            "n": self.n,
            "samples_sha256": self.samples_sha256,
            "files": self.files,
            "load_report": self.load_report,
        }
        for name in ("prompt", "generation"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


@dataclass
class RunInfo:
    """run.json: the configuration and provenance of a run."""

    refusal_bench: str  # package version
    model: dict[str, Any]  # name, registry_name, args, revision and what the model describes
    prompts: dict[str, str]  # family -> prompt version of this release
    seed: int
    status: RunStatus = "running"
    git_sha: str | None = None
    created: str = ""
    command: list[str] = field(default_factory=list)
    python: str = ""
    platform: str = ""
    split: str | None = None
    limit: int | None = None
    bootstrap: int = 1000
    base_run: str | None = None  # id of the base (unaligned) submission, for paired scores
    frames: dict[str, Any] | None = None
    data_root: str | None = None
    video_root: str | None = None
    tasks: dict[str, TaskProvenance] = field(default_factory=dict)
    judge: dict[str, Any] | None = None
    protocol: str | None = None  # the judge's scoring protocol (`benchmark.protocols`)
    resumed: list[str] = field(default_factory=list)
    finished: str | None = None
    error: str | None = None  # why a failed run stopped (status "failed"); cleared on resume
    model_usage: dict[str, Any] | None = None
    judge_usage: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not know

    #: written only once set (older run.json files lack them)
    _OPTIONAL = frozenset(
        {"protocol", "resumed", "finished", "error", "model_usage", "judge_usage"}
    )
    _ORDER = (
        "refusal_bench", "git_sha", "created", "status", "command", "python", "platform", "model",
        "seed", "split", "limit", "bootstrap", "base_run", "prompts", "frames", "data_root",
        "video_root", "tasks", "judge", "protocol", "resumed", "finished", "error", "model_usage",
        "judge_usage",
    )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self._ORDER:
            value = getattr(self, name)
            if name in self._OPTIONAL and not value:
                continue
            if name == "tasks":
                value = {task: info.to_dict() for task, info in value.items()}
            out[name] = value
        return out | self.extra

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "run.json") -> RunInfo:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object")
        known = {f.name for f in dataclasses.fields(cls)} - {"extra", "tasks"}
        values = {k: v for k, v in data.items() if k in known}
        tasks = data.get("tasks") or {}
        if not isinstance(tasks, dict):
            raise RecordError(f"{where}: 'tasks' must be an object")
        values["tasks"] = {
            name: TaskProvenance.from_dict(entry, where=f"{where}: task {name!r}")
            for name, entry in tasks.items()
        }
        values["extra"] = {k: v for k, v in data.items() if k not in known and k != "tasks"}
        return _build(cls, values, where)


def _build(cls, data: Any, where: str):
    """Build a record of `cls` from parsed JSON, naming what is missing or unknown."""
    if not isinstance(data, dict):
        raise RecordError(f"{where}: expected an object")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise RecordError(f"{where}: unknown field {unknown[0]!r}")
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and name not in data:
            raise RecordError(f"{where}: missing field {name!r}")
    return cls(**data)
