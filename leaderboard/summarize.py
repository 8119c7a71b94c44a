"""The first stage of a leaderboard build: submissions in, `SITE/data/summary.json` out.

Every submission is validated (`leaderboard.validate`) and only its recomputed results are kept;
rejected submissions are listed with their problems. A submission is validated once per content:
later builds take its outcome from `SITE/.cache` (`leaderboard.cache`), so adding one submission to
a large board validates one. This stage also computes what compares two submissions (the paired
UVQA scores of a submission against the base run it names) and writes the per-sample data the
sample browser loads. The second stage (`leaderboard.render`) reads only the summary and the
metric table: nothing is computed while pages are rendered.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from benchmark.errors import UsageError
from benchmark.families import family_named
from benchmark.metrics import paired_summary
from benchmark.metrics.summary import pooled
from benchmark.model_card import display_name
from benchmark.records import Judgment, from_dict, to_dict, write_json
from leaderboard.cache import DigestMemo, Entry, Outcome, ValidationCache, code_digest
from leaderboard.ranking import TieFinder, VideoSums
from leaderboard.sample_data import (
    data_folder,
    rows_path,
    write_gold_data,
    write_sample_data,
)
from leaderboard.submission import (
    SubmissionError,
    open_submission,
    submission_digest,
    submission_id,
)
from leaderboard.validate import Reference, validate

SUMMARY = "data/summary.json"
SUMMARY_FORMAT = 1


@dataclass
class Summary:
    """What the site shows, as JSON: accepted entries (recomputed results, paired scores, where
    their sample data is), the gold data of each task, and the rejected submissions."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    gold: dict[str, str] = field(default_factory=dict)  # task -> gold data script
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)  # task -> `task_about`
    #: "task|judge" -> metric -> neighbour pairs (ids) that share a place (`leaderboard.ranking`)
    ties: dict[str, dict[str, list]] = field(default_factory=dict)
    rejected: dict[str, list[str]] = field(default_factory=dict)
    validated: int = 0  # submission contents validated by this build
    from_cache: int = 0  # submissions whose outcome came from the cache of earlier builds

    def to_dict(self) -> dict[str, Any]:
        """The summary file: what the site shows (not how this build got it)."""
        return {
            "format": SUMMARY_FORMAT,
            "entries": self.entries,
            "gold": self.gold,
            "tasks": self.tasks,
            "ties": self.ties,
            "rejected": self.rejected,
        }


def summarize(
    submissions: list[Path],
    out: Path,
    reference: Reference,
    *,
    rejudge: bool = True,
    jobs: int = 1,
    fresh: bool = False,
    progress: bool = True,
) -> Summary:
    """Validate the submissions (new ones on `jobs` processes; `fresh` ignores the cache) and
    write `out/data/summary.json` and the sample data. With `jobs` > 1 a script that calls this
    needs the usual `if __name__ == "__main__":` guard (workers import the main module)."""
    out = site_folder(Path(out))
    entries, rejected, validated, from_cache = _validated(
        submissions, out, reference, rejudge=rejudge, jobs=jobs, fresh=fresh, progress=progress
    )
    _unique_ids(entries)
    tasks = sorted({t for e in entries for t in e.results["tasks"]})
    shown = [_summary_entry(e, entries, reference) for e in entries]
    summary = Summary(
        entries=shown,
        ties=_ties(shown, out, reference),
        gold={
            task: write_gold_data(out, reference.task(task), _videos(reference, task))
            for task in tasks
        },
        tasks={task: task_about(task, reference) for task in tasks},
        rejected=rejected,
        validated=validated,
        from_cache=from_cache,
    )
    write_json(out / SUMMARY, summary.to_dict(), indent=None)  # megabytes at 200 submissions
    return summary


def _videos(reference: Reference, task: str) -> Path | None:
    """Where the task's videos are at build time (None: no frame strips)."""
    find = getattr(reference, "video_root", None)
    return find(task) if callable(find) else None


def _ties(entries: list[dict[str, Any]], out: Path, reference: Reference) -> dict[str, dict]:
    """Per board, the neighbours whose paired bootstrap interval contains 0 on each metric."""
    finder = TieFinder(out, reference, out / ".cache" / "ties.json", code_digest())
    boards: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        for task in entry["results"]["tasks"]:
            boards.setdefault(f"{task}|{entry['judge']}", []).append(entry)
    ties = {key: finder.board(*key.split("|", 1), rows) for key, rows in sorted(boards.items())}
    finder.save()
    return ties


def task_about(task: str, reference: Reference) -> dict[str, Any]:
    """What a board says of its task: where the data comes from, how many items of each kind,
    and what a negative item (irrelevant query, unanswerable question) is."""
    from benchmark.registry import load_registry

    official = reference.task(task)
    spec = load_registry().tasks.get(task)
    counts = Counter(s.kind for s in official.samples)
    return {
        "family": official.family.name,
        "version": official.version,
        "about": next((r.about for r in spec.data if r.about), "") if spec else "",
        "counts": {kind: counts.get(kind, 0) for kind in official.family.kinds},
        "negative": official.family.negative_about,
    }


def site_folder(out: Path) -> Path:
    """`out`, made ready for a site. A build removes pages and data it did not write from its own
    folders (`boards/`, `models/`, `data/`), so it refuses a folder that holds other things."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: not a folder; name a new or empty folder for the site")
    if out.is_dir() and any(out.iterdir()) and not (out / ".cache").is_dir():
        raise UsageError(
            f"{out}: not empty and not a refusal-bench site (no .cache/ inside); name a new or "
            "empty folder, or the folder of an earlier build"
        )
    (out / ".cache").mkdir(parents=True, exist_ok=True)
    return out


# --- validation, cached by content -------------------------------------------------------------


def _validated(submissions, out, reference, *, rejudge, jobs, fresh, progress):
    """The accepted entries (in submission order) and rejections, with how many submissions were
    validated now and how many came from the cache."""
    memo = DigestMemo(out / ".cache" / "digests.json")
    cache = ValidationCache(out / ".cache" / "validated", reference)
    found: dict[Path, Entry] = {}
    rejected: dict[str, list[str]] = {}
    new: dict[str, list[Path]] = {}  # digest -> submissions with that content
    from_cache = 0
    for path in tqdm(submissions, desc="checking submissions", disable=not progress):
        try:
            digest = submission_digest(path, memo.file_digest)
        except SubmissionError as exc:
            rejected[path.name] = [str(exc)]
            continue
        known = None if fresh else cache.get(digest, rejudge=rejudge)
        if known is not None and known.entry is None:
            rejected[path.name] = known.problems
        elif known is not None and (out / "data" / data_folder(digest)).is_dir():
            found[path] = replace(known.entry, id=submission_id(path))
        else:
            new.setdefault(digest, []).append(path)
            continue
        from_cache += 1
    memo.save()
    work = [(paths[0], digest) for digest, paths in new.items()]
    outcomes = _in_processes(_validate_new, work, (reference, rejudge, out), jobs=jobs)
    for (digest, paths), outcome in zip(
        new.items(),
        tqdm(outcomes, total=len(work), desc="validating", disable=not progress),
        strict=True,
    ):
        cache.put(digest, outcome, rejudged=rejudge)
        for path in paths:
            if outcome.entry is None:
                rejected[path.name] = outcome.problems
            else:
                found[path] = replace(outcome.entry, id=submission_id(path))
    entries = [found[path] for path in submissions if path in found]
    return entries, rejected, len(work), from_cache


def _validate_new(path: Path, digest: str, reference: Reference, rejudge: bool, out: Path):
    """The outcome of validating a submission not in the cache; writes its sample data.
    An error that validation does not foresee rejects this submission, not the whole build."""
    try:
        with open_submission(path, digest=digest) as submission:
            validation = validate(submission, reference, rejudge=rejudge)
    except SubmissionError as exc:
        return Outcome(None, [str(exc)], {})
    except Exception as exc:  # a bug: reported as this submission's problem, the build goes on
        problem = (
            f"could not be validated ({type(exc).__name__}: {exc}); this is a bug in "
            "refusal-bench: please report it with the submission"
        )
        return Outcome(None, [problem], None)  # not cached: a fixed version validates it
    if not validation.ok:
        return Outcome(None, validation.problems, validation.official)
    run = validation.run
    write_sample_data(out, digest, validation.records)
    VideoSums.of_site(out, code_digest()).write(
        digest,
        run["judge"]["name"],
        {task: (reference.task(task), validation.scored[task]) for task in validation.records},
    )
    results = validation.results
    entry = Entry(
        id=submission.id,
        digest=digest,
        model=display_name(run),
        judge=run["judge"]["name"],
        run=run,
        results=results.to_dict(),
        paired_judgments={
            task: [to_dict(j) for j in records.judgments.values()]
            for task, records in validation.records.items()
            if family_named(results.tasks[task].family).paired_metrics
        },
    )
    return Outcome(_as_json(entry), [], validation.official)


def _in_processes(function, items: list[tuple], shared: tuple, *, jobs: int) -> Iterator:
    """function(*item, *shared) for each item, in order; on `jobs` worker processes when there
    is more than one item. `shared` (the official reference, large) goes to each worker once;
    forkserver workers never inherit the parent's threads (torch's, when SBERT was loaded)."""
    if jobs <= 1 or len(items) < 2:
        return (function(*item, *shared) for item in items)
    workers = min(jobs, len(items))
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_receive_shared,
        initargs=(max(1, (os.cpu_count() or 1) // workers), *shared),
    )
    calls = [pool.submit(_with_shared, function, item) for item in items]
    pool.shutdown(wait=False)
    return (call.result() for call in calls)


_shared: tuple = ()  # in a worker process: the arguments every call shares


def _receive_shared(threads: int, *shared) -> None:
    """Keep the workers' math libraries (torch, for SBERT) to their share of the cores: N
    workers each spawning a thread per core would fight over them."""
    global _shared
    _shared = shared
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, str(threads))


def _with_shared(function, item: tuple):
    return function(*item, *_shared)


def _as_json(entry: Entry) -> Entry:
    """The entry as the cache will give it back (tuples become lists), so that a first build and
    a rebuild render the same pages."""
    return Entry(**json.loads(json.dumps(asdict(entry), allow_nan=False)))


# --- what the summary holds of each entry ------------------------------------------------------


def _summary_entry(entry: Entry, entries: list[Entry], reference: Reference) -> dict[str, Any]:
    return {
        "id": entry.id,
        "digest": entry.digest,
        "model": entry.model,
        "judge": entry.judge,
        "run": entry.run,
        "results": entry.results,
        "rows": {task: rows_path(entry.digest, task) for task in sorted(entry.results["tasks"])},
        "paired": _paired(entry, entries, reference),
    }


def _paired(entry: Entry, entries: list[Entry], reference: Reference) -> dict[str, Any]:
    """Per task, and per task group whose members hold both kinds of item between them (the
    `uvqa` group, `synth`), the paired scores of a submission against the base run its run.json
    names (same judge, families with paired metrics)."""
    base = next((e for e in entries if e.id == (entry.run.get("base_run") or "")), None)
    if base is None or base.judge != entry.judge:
        return {}
    shared = [t for t in entry.paired_judgments if t in base.paired_judgments]
    out = {}
    for task in shared:
        family = family_named(entry.results["tasks"][task]["family"])
        result = paired_summary(
            reference.task(task).samples,
            [from_dict(Judgment, j) for j in base.paired_judgments[task]],
            [from_dict(Judgment, j) for j in entry.paired_judgments[task]],
            family=family,
            n_resamples=0,
        )
        out[task] = {"base": base.id, "family": family.name, **result.to_dict()}
    from benchmark.registry import load_registry

    for group, members in sorted(load_registry().groups.items()):
        tasks = [t for t in members if t in shared]
        kinds = {s.kind for t in tasks for s in reference.task(t).samples}
        if len(tasks) < 2 or len(kinds) < 2:
            continue
        family = family_named(entry.results["tasks"][tasks[0]]["family"])
        samples, base_judgments, judgments = pooled(
            {t: reference.task(t).samples for t in tasks},
            {t: [from_dict(Judgment, j) for j in base.paired_judgments[t]] for t in tasks},
            {t: [from_dict(Judgment, j) for j in entry.paired_judgments[t]] for t in tasks},
        )
        result = paired_summary(samples, base_judgments, judgments, family=family, n_resamples=0)
        out[group] = {"base": base.id, "family": family.name, "tasks": tasks, **result.to_dict()}
    return out


def _unique_ids(entries: list[Entry]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.id in seen:
            seen[entry.id] += 1
            entry.id = f"{entry.id}-{seen[entry.id]}"
        else:
            seen[entry.id] = 0
