"""Validating a submission: every problem found, and its metrics recomputed from its samples.

Checks, in order: the two JSON files parse strictly (no NaN or Infinity) and follow
`submission.schema.json`; provenance (a complete run without --limit, the model's revision,
frame settings, prompt versions equal to the official ones, one judge); every task is known and of
the official version and data; coverage (every official sample id has exactly one successful
response and one judgment by the run's judge; no unknown or duplicated ids); judgments by a
deterministic judge are re-derived from the responses; and every metric of results.json is
recomputed from the per-sample records. Submitted numbers are never trusted: the recomputed
results are what the leaderboard shows.

Nothing here knows where official data comes from: a `Reference` (see `benchmark.official`)
provides each task's samples, the prompt versions and the deterministic judges.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import jsonschema

from benchmark.errors import BenchmarkError
from benchmark.families import FAMILIES, Family
from benchmark.metrics import summarize_task
from benchmark.metrics.summary import ScoredTask, score_task
from benchmark.model_card import check_card
from benchmark.records import Judgment, RecordError, Response, Sample, read_run_file
from benchmark.run_records import Results, TaskResult
from leaderboard.submission import Submission

SCHEMA_PATH = Path(__file__).with_name("submission.schema.json")
REFERENCE_MODELS = frozenset({"always-answer", "always-refuse", "random", "replay"})
_TOLERANCE = 1e-9
DEFAULT_BOOTSTRAP = 1000  # what `refusal-bench run` uses when run.json does not say


@dataclass(frozen=True)
class ReferenceTask:
    version: str
    family: Family
    samples: list[Sample]
    digest: str
    prompt: str  # the task's prompt version


class Reference(Protocol):
    prompt_versions: dict[str, str]

    def task(self, name: str) -> ReferenceTask | None: ...

    def judge(self, name: str):  # a deterministic judge of that name, or None
        ...


@dataclass
class TaskRecords:
    samples: list[Sample]
    responses: dict[str, Response]
    judgments: dict[str, Judgment]


@dataclass
class Validation:
    submission: Submission
    problems: list[str] = field(default_factory=list)
    run: dict[str, Any] | None = None
    results: Results | None = None  # recomputed
    records: dict[str, TaskRecords] = field(default_factory=dict)
    scored: dict[str, ScoredTask] = field(default_factory=dict)  # what each summary is made of
    #: [version, samples digest] of each official task consulted (None: unknown task), so a
    #: cached outcome can tell whether the official data changed since; None if some official
    #: data could not be loaded (the outcome may change once it can).
    official: dict[str, list[str] | None] | None = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(submission: Submission, reference: Reference, *, rejudge: bool = True) -> Validation:
    report = Validation(submission)
    run = _strict_json(submission.root / "run.json", report)
    submitted = _strict_json(submission.root / "results.json", report)
    if run is None or submitted is None:
        return report
    _schema(run, "run", "run.json", report)
    _schema(submitted, "results", "results.json", report)
    if report.problems:
        return report
    report.run = run
    _provenance(run, submitted, reference, report)
    recomputed = Results(model=run["model"]["name"], judge=run["judge"]["name"])
    for task, entry in submitted["tasks"].items():
        try:
            official = reference.task(task)
        except BenchmarkError as exc:
            report.problems.append(f"{task}: the official data is not available here: {exc}")
            report.official = None
            continue
        if report.official is not None:
            report.official[task] = (
                None if official is None else [official.version, official.digest]
            )
        if official is None:
            report.problems.append(f"unknown task {task!r}")
            continue
        records = _task(task, run, entry, official, submission.root, report)
        if records is None:
            continue
        if rejudge:
            _rejudge(task, entry["judge"], records, reference, report)
        scored = score_task(
            records.samples, records.judgments, family=official.family, judge=entry["judge"]
        )
        summary = summarize_task(
            records.samples,
            records.judgments,
            family=official.family,
            judge=entry["judge"],
            version=official.version,
            errors=entry.get("errors", 0),
            n_resamples=run.get("bootstrap", DEFAULT_BOOTSTRAP),
            seed=run.get("seed", 0),
            scored=scored,
        )
        _compare(task, entry, summary, compare_ci="bootstrap" in run, report=report)
        recomputed.tasks[task] = summary
        report.records[task] = records
        report.scored[task] = scored
    report.results = recomputed
    return report


# --- steps -------------------------------------------------------------------------------------


def _strict_json(path: Path, report: Validation) -> Any:
    def refuse(constant: str):
        raise ValueError(f"{constant} is not allowed")

    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)
    except FileNotFoundError:
        report.problems.append(f"{path.name}: missing")
    except UnicodeDecodeError:
        report.problems.append(f"{path.name}: not UTF-8 text")
    except json.JSONDecodeError as exc:
        report.problems.append(f"{path.name}:{exc.lineno}: not valid JSON ({exc.msg})")
    except ValueError as exc:
        report.problems.append(f"{path.name}: {exc} (metrics must be finite numbers or null)")
    return None


@cache
def _schema_validator(part: str) -> jsonschema.Draft202012Validator:
    """The schema of one file; a task's family must be one of the families of this release."""
    schema = json.loads(SCHEMA_PATH.read_text())
    task = schema["$defs"]["run"]["properties"]["tasks"]["additionalProperties"]
    task["properties"]["family"]["enum"] = list(FAMILIES)
    return jsonschema.Draft202012Validator({**schema["$defs"][part], "$defs": schema["$defs"]})


def _schema(data: Any, part: str, name: str, report: Validation) -> None:
    for error in sorted(
        _schema_validator(part).iter_errors(data), key=lambda e: list(e.absolute_path)
    ):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        report.problems.append(f"{name}: {where}: {error.message}")


def _provenance(run: dict, submitted: dict, reference: Reference, report: Validation) -> None:
    problems = report.problems
    if run["status"] != "complete":
        problems.append(
            f"run.json: the run is not complete (status {run['status']!r}): resume it with the "
            "same command first"
        )
    if run.get("limit") is not None:
        problems.append(f"run.json: evaluated with --limit {run['limit']}; submit full runs")
    if run.get("split") not in (None, "test"):
        problems.append(
            f"run.json: evaluated on the {run['split']!r} split; the leaderboard ranks test runs"
        )
    model = run["model"]
    if model["registry_name"] not in REFERENCE_MODELS and not model.get("revision"):
        problems.append(
            "run.json: model.revision is missing: name the exact checkpoint revision (commit)"
        )
    problems += [f"run.json: model card: {p}" for p in _card_problems(model)]
    if run["prompts"] != reference.prompt_versions:
        problems.append(
            f"run.json: prompt versions {run['prompts']} differ from the official "
            f"{reference.prompt_versions}"
        )
    judges = {entry["judge"] for entry in submitted["tasks"].values()}
    if judges - {run["judge"]["name"]}:
        problems.append(
            f"results.json: judged by {sorted(judges)} but run.json names {run['judge']['name']!r}"
        )
    for task in submitted["tasks"]:
        if task not in run["tasks"]:
            problems.append(f"results.json: task {task!r} is not in run.json")


def _card_problems(model: dict) -> list[str]:
    """The model card a board shows (`benchmark.model_card.check_card`). Runs made before cards
    existed are named by their model; a replay has no name of its own and must carry one."""
    if "card" not in model:
        if model["registry_name"] == "replay":
            return ["a replayed run needs a name: resume it with --model-name NAME"]
        return []
    return check_card(model["card"])


def _task(
    task: str, run: dict, entry: dict, official: ReferenceTask, root: Path, report: Validation
):
    problems = report.problems
    info = run["tasks"].get(task)
    if info is None:
        return None
    if info["version"] != official.version:
        problems.append(
            f"{task}: version {info['version']} but the official version is {official.version}"
        )
        return None
    if info["samples_sha256"] != official.digest:
        problems.append(
            f"{task}: evaluated on other data than the official task (samples sha256 differs)"
        )
        return None
    if info.get("prompt", official.prompt) != official.prompt:
        problems.append(
            f"{task}: asked with prompt {info['prompt']!r}; the official prompt is "
            f"{official.prompt!r}"
        )
        return None
    path = root / "samples" / f"{task}.jsonl"
    try:
        responses, judgments = read_run_file(path, tolerate_torn_tail=False)
    except RecordError as exc:
        problems.append(f"{task}: {exc}")
        return None
    official_ids = {s.id for s in official.samples}
    ok_responses = Counter(r.sample_id for r in responses if r.ok)
    judged = Counter(j.sample_id for j in judgments if j.judge == entry["judge"])
    unknown = sorted({r.sample_id for r in responses} - official_ids)
    if unknown:
        problems.append(
            f"{task}: {len(unknown)} responses to unknown sample ids, e.g. {unknown[0]!r}"
        )
    missing = [i for i in official_ids if ok_responses[i] == 0]
    if missing:
        problems.append(
            f"{task}: {len(missing)} official samples have no successful response, "
            f"e.g. {sorted(missing)[0]!r}"
        )
    duplicated = sorted(i for i, n in ok_responses.items() if n > 1)
    if duplicated:
        problems.append(
            f"{task}: {len(duplicated)} sample ids answered more than once, e.g. {duplicated[0]!r}"
        )
    twice_judged = sorted(i for i, n in judged.items() if n > 1)
    if twice_judged:
        problems.append(
            f"{task}: {len(twice_judged)} sample ids judged more than once, "
            f"e.g. {twice_judged[0]!r}"
        )
    unjudged = sorted(i for i in official_ids if ok_responses[i] and not judged[i])
    if unjudged:
        problems.append(
            f"{task}: {len(unjudged)} answered samples have no judgment, e.g. {unjudged[0]!r}"
        )
    return TaskRecords(
        samples=official.samples,
        responses={r.sample_id: r for r in responses if r.ok},
        judgments={j.sample_id: j for j in judgments if j.judge == entry["judge"]},
    )


def _rejudge(
    task: str, judge_name: str, records: TaskRecords, reference: Reference, report: Validation
) -> None:
    judge = reference.judge(judge_name)
    if judge is None:
        return  # not reproducible offline (an API judge): its judgments are taken as recorded
    items = [(s, records.responses[s.id]) for s in records.samples if s.id in records.responses]
    fresh = {j.sample_id: j for j in judge.judge(items)}
    differing = [
        sample_id
        for sample_id, given in records.judgments.items()
        if sample_id in fresh and not _same_judgment(given, fresh[sample_id])
    ]
    if differing:
        report.problems.append(
            f"{task}: {len(differing)} judgments differ from what {judge_name!r} gives "
            "for the responses, "
            f"e.g. {sorted(differing)[0]!r}"
        )


def _same_judgment(a: Judgment, b: Judgment) -> bool:
    if (a.status, a.verdict, a.span, tuple(a.categories)) != (
        b.status,
        b.verdict,
        b.span,
        tuple(b.categories),
    ):
        return False
    if (a.sbert is None) != (b.sbert is None):
        return False
    return a.sbert is None or abs(a.sbert - b.sbert) < 1e-4


def _compare(
    task: str, submitted: dict, recomputed: TaskResult, *, compare_ci: bool, report: Validation
) -> None:
    for key in ("n", "failures"):
        if submitted.get(key) != getattr(recomputed, key):
            report.problems.append(
                f"{task}: results.json says {key}={submitted.get(key)} "
                f"but the samples give {getattr(recomputed, key)}"
            )
    names = set(submitted["metrics"]) | set(recomputed.metrics)
    for name in sorted(names):
        given, actual = submitted["metrics"].get(name), recomputed.metrics.get(name)
        if not _close(given, actual):
            report.problems.append(
                f"{task}: results.json says {name}={given} but the samples give {actual}"
            )
    if compare_ci:
        for name, interval in recomputed.ci.items():
            given = submitted["ci"].get(name)
            if given is None or not all(
                _close(g, a) for g, a in zip(given, interval, strict=False)
            ):
                report.problems.append(
                    f"{task}: results.json has CI {name}={given} but the samples give {interval}"
                )


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= _TOLERANCE * max(1.0, abs(b))
