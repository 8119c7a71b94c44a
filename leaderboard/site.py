"""`refusal-bench leaderboard build`: a static site from validated submissions.

Every submission is validated (`leaderboard.validate`) and the site shows the recomputed results
only; rejected submissions are listed with their problems. A submission is validated once per
content: later builds take its results from `SITE/.cache` (`leaderboard.cache`), so adding one
submission to a large board validates one. The site works offline from
`file://`: no CDN, fonts or remote scripts; tables are pre-sorted pages (header links) that
`site.js` sorts in place when JavaScript runs; per-sample data is written as small `.js` files
that the sample browser loads on demand (script tags work from `file://`, `fetch` does not).
Runs scored by different judges are never ranked together: each task has one board per judge.
Untrusted text is escaped everywhere: Jinja autoescaping in HTML and SVG, and JSON written for
scripts with `<`, `>` and `&` escaped.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from tqdm import tqdm

from benchmark.errors import UsageError
from benchmark.metrics.summary import paired_qa_summary, qa_statistics
from benchmark.records import Judgment, from_dict, to_dict
from leaderboard.cache import DigestMemo, Entry, Outcome, ValidationCache
from leaderboard.pareto import Point, pareto_svg
from leaderboard.submission import (
    SubmissionError,
    open_submission,
    submission_digest,
    submission_id,
)
from leaderboard.validate import Reference, ReferenceTask, TaskRecords, validate

COLUMNS = {
    "grounding": (
        "f1_avg",
        "f1_rel",
        "f1_irrel",
        "miou",
        "r@0.5",
        "refusal_recall",
        "rt_iou",
        "sbert",
        "llm_score",
    ),
    "qa": tuple(qa_statistics()),
}
LOWER_IS_BETTER = frozenset({"over_refusal"})
GOLD_FIELDS = ("span", "answer", "refusal", "altered", "categories", "difficulty")
#: Pareto views per family: (x metric, y metric, maximize x, maximize y).
PARETO = {
    "grounding": (
        ("f1_irrel", "f1_rel", True, True),
        ("refusal_recall", "miou_relevant", True, True),
    ),
    "qa": (("over_refusal", "answer_acc", False, True), ("refr", "acc", True, True)),
}


@dataclass
class BuildReport:
    index: Path
    accepted: list[str]
    rejected: dict[str, list[str]]
    validated: int = 0  # submission contents validated by this build
    from_cache: int = 0  # submissions whose outcome came from the cache of earlier builds


def build_site(
    submissions: list[Path],
    out: Path,
    reference: Reference,
    *,
    rejudge: bool = True,
    jobs: int = 1,
    fresh: bool = False,
    progress: bool = True,
) -> BuildReport:
    """Validate the submissions and write the site.

    Submissions accepted by an earlier build of the same site come from `SITE/.cache` (see
    `leaderboard.cache`; `fresh` ignores it); the others are validated, on `jobs` processes, and
    their per-sample browser data is written once under `data/<sha256 prefix>/`. With `jobs` > 1
    a script that calls this needs the usual `if __name__ == "__main__":` guard (workers import
    the main module)."""
    out = _site_folder(Path(out))
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
        elif known is not None and (out / "data" / _data_folder(digest)).is_dir():
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
    _unique_ids(entries)
    report = _render(entries, rejected, out, reference)
    report.validated, report.from_cache = len(work), from_cache
    return report


def _site_folder(out: Path) -> Path:
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
    _write_sample_data(out, digest, validation.records)
    entry = Entry(
        id=submission.id,
        digest=digest,
        model=run["model"]["name"],
        judge=run["judge"]["name"],
        run=run,
        results=validation.results,
        qa_judgments={
            task: [to_dict(j) for j in records.judgments.values()]
            for task, records in validation.records.items()
            if validation.results["tasks"][task]["family"] == "qa"
        },
    )
    return Outcome(_as_json(entry), [], validation.official)


def _in_processes(function, items: list[tuple], shared: tuple, *, jobs: int) -> Iterator:
    """function(*item, *shared) for each item, in order; on `jobs` worker processes when there
    is more than one item. `shared` (the official reference, large) goes to each worker once;
    forkserver workers never inherit the parent's threads (torch's, when SBERT was loaded)."""
    if jobs <= 1 or len(items) < 2:
        return (function(*item, *shared) for item in items)
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(items)),
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_receive_shared,
        initargs=shared,
    )
    calls = [pool.submit(_with_shared, function, item) for item in items]
    pool.shutdown(wait=False)
    return (call.result() for call in calls)


_shared: tuple = ()  # in a worker process: the arguments every call shares


def _receive_shared(*shared) -> None:
    global _shared
    _shared = shared


def _with_shared(function, item: tuple):
    return function(*item, *_shared)


def _as_json(entry: Entry) -> Entry:
    """The entry as the cache will give it back (tuples become lists), so that a first build and
    a rebuild render the same pages."""
    return Entry(**json.loads(json.dumps(asdict(entry), allow_nan=False)))


# --- rendering ---------------------------------------------------------------------------------


def _render(
    entries: list[Entry], rejected: dict[str, list[str]], out: Path, reference: Reference
) -> BuildReport:
    out.mkdir(parents=True, exist_ok=True)
    env = _environment()
    pages = _Pages(out)
    static = resources.files("leaderboard") / "static"
    for name in ("site.css", "site.js"):
        pages.write(f"static/{name}", static.joinpath(name).read_text(encoding="utf-8"))

    tasks = sorted({t for e in entries for t in e.results["tasks"]})
    boards = []
    board_template = env.get_template("board.html")
    for task in tasks:
        family = next(
            e.results["tasks"][task]["family"] for e in entries if task in e.results["tasks"]
        )
        for judge in sorted({e.judge for e in entries if task in e.results["tasks"]}):
            rows = [e for e in entries if e.judge == judge and task in e.results["tasks"]]
            board = _board(task, family, judge, rows)
            boards.append(board)
            for metric in COLUMNS[family]:
                pages.write(
                    f"boards/{board['slug']}--{_slug(metric)}.html",
                    board_template.render(board=board, sort=metric, root="../"),
                )
    paired = _paired_views(entries, reference)
    pages.write(
        "index.html",
        env.get_template("index.html").render(
            boards=boards, rejected=rejected, paired=paired, root="", entries=entries
        ),
    )
    model_template = env.get_template("model.html")
    for entry in entries:
        pages.write(
            f"models/{entry.id}.html",
            model_template.render(entry=entry, columns=COLUMNS, root="../"),
        )
    gold = {task: _write_gold_data(out, reference.task(task)) for task in tasks}
    pages.keep(*gold.values(), *(f"data/{_data_folder(e.digest)}" for e in entries))
    pages.write(
        "data/index.js",
        _script("RB_INDEX", [
            {
                "id": e.id,
                "model": e.model,
                "judge": e.judge,
                "tasks": {
                    task: {"gold": gold[task], "rows": _rows_path(e.digest, task)}
                    for task in sorted(e.results["tasks"])
                },
            }
            for e in entries
        ]),
    )  # fmt: skip
    pages.write("samples.html", env.get_template("samples.html").render(root=""))
    pages.prune("boards", "models", "data")
    return BuildReport(
        index=out / "index.html", accepted=[e.id for e in entries], rejected=rejected
    )


class _Pages:
    """Writes the site's files and removes, from the folders it owns, what this build did not
    write or keep (pages of submissions or boards that are gone)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.current: set[str] = set()

    def write(self, relative: str, text: str) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.current.add(relative)

    def keep(self, *relatives: str) -> None:
        self.current.update(relatives)

    def prune(self, *folders: str) -> None:
        for folder in folders:
            for path in sorted((self.out / folder).rglob("*"), reverse=True):  # files first
                relative = path.relative_to(self.out)
                if any(p.as_posix() in self.current for p in (relative, *relative.parents)):
                    continue
                if not path.is_dir():
                    path.unlink()
                elif not any(path.iterdir()):
                    path.rmdir()


def _board(task: str, family: str, judge: str, rows: list[Entry]) -> dict[str, Any]:
    table = []
    for entry in rows:
        result = entry.results["tasks"][task]
        table.append(
            {
                "id": entry.id,
                "model": entry.model,
                "n": result["n"],
                "failures": result["failures"],
                "values": {m: result["metrics"].get(m) for m in COLUMNS[family]},
                "ci": {m: result["ci"].get(m) for m in COLUMNS[family]},
            }
        )
    views = []
    for x, y, max_x, max_y in PARETO[family]:
        points = []
        for entry in rows:
            metrics = entry.results["tasks"][task]["metrics"]
            if metrics.get(x) is not None and metrics.get(y) is not None:
                points.append(Point(entry.model, metrics[x], metrics[y], f"models/{entry.id}.html"))
        if points:
            views.append(
                pareto_svg(points, x_label=x, y_label=y, maximize_x=max_x, maximize_y=max_y)
            )
    return {
        "task": task,
        "family": family,
        "judge": judge,
        "slug": f"{_slug(task)}--{_slug(judge)}",
        "columns": COLUMNS[family],
        "rows": table,
        "default_sort": COLUMNS[family][0],
        "lower_is_better": LOWER_IS_BETTER,
        "pareto": views,
    }


def _paired_views(entries: list[Entry], reference: Reference) -> list[dict[str, Any]]:
    """UVQA S_ex-ref vs S_disc of submissions that name their base run, per QA task and judge."""
    by_id = {e.id: e for e in entries}
    points: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for entry in entries:
        base = by_id.get(entry.run.get("base_run") or "")
        if base is None or base.judge != entry.judge:
            continue
        for task, judgments in entry.qa_judgments.items():
            if task not in base.qa_judgments:
                continue
            summary = paired_qa_summary(
                reference.task(task).samples,
                [from_dict(Judgment, j) for j in base.qa_judgments[task]],
                [from_dict(Judgment, j) for j in judgments],
                n_resamples=0,
            )
            ex_ref, disc = summary["metrics"]["s_ex_ref"], summary["metrics"]["s_disc"]
            if ex_ref is not None and disc is not None:
                points[(task, entry.judge)].append(
                    Point(entry.model, ex_ref, disc, f"models/{entry.id}.html")
                )
    return [
        {
            "task": task,
            "judge": judge,
            "svg": pareto_svg(p, x_label="s_ex_ref", y_label="s_disc", maximize_x=False),
        }
        for (task, judge), p in sorted(points.items())
    ]


# --- per-sample data for the sample browser ---------------------------------------------------
# A task's questions and gold answers are the same for every submission: they are written once
# per task (`data/gold/`), and each submission's folder holds only its responses and verdicts,
# in the task's sample order. The browser joins the two by position.


def _write_gold_data(out: Path, official: ReferenceTask) -> str:
    """The task's questions and gold answers, written once per version of its samples."""
    relative = f"data/gold/{_slug(official.samples[0].task)}-{official.digest[:12]}.js"
    path = out / relative
    if not path.is_file():
        rows = [
            {
                "id": sample.id,
                "kind": sample.kind,
                "question": sample.question,
                "gold": {k: v for k, v in to_dict(sample).items() if k in GOLD_FIELDS},
            }
            for sample in official.samples
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_script(relative, rows), encoding="utf-8")
    return relative


def _write_sample_data(out: Path, digest: str, records: dict[str, TaskRecords]) -> None:
    """A submission's responses and verdicts per task, in the task's sample order."""
    for task, task_records in records.items():
        rows = []
        for sample in task_records.samples:
            response = task_records.responses.get(sample.id)
            judgment = task_records.judgments.get(sample.id)
            rows.append(
                {
                    "response": response.text if response else None,
                    "verdict": judgment.verdict if judgment else None,
                    "status": judgment.status if judgment else "missing",
                    "span": judgment.span if judgment else None,
                }
            )
        relative = _rows_path(digest, task)
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(_script(relative, rows), encoding="utf-8")


def _rows_path(digest: str, task: str) -> str:
    return f"data/{_data_folder(digest)}/{_slug(task)}.js"


def _data_folder(digest: str) -> str:
    return digest[:16]


def _script(key: str, data: Any) -> str:
    """A script that stores `data` under window.RB[key], safe for any text inside."""
    return f"window.RB = window.RB || {{}};\nwindow.RB[{safe_json(key)}] = {safe_json(data)};\n"


def safe_json(data: Any) -> str:
    """JSON that cannot end a script or open a tag, whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("leaderboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["slug"] = _slug
    env.filters["num"] = lambda v: "—" if v is None else f"{v:.3f}"
    env.filters["safe_json"] = safe_json
    env.filters["sort_rows"] = sort_rows
    return env


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "_"


def _unique_ids(entries: list[Entry]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.id in seen:
            seen[entry.id] += 1
            entry.id = f"{entry.id}-{seen[entry.id]}"
        else:
            seen[entry.id] = 0


def sort_rows(rows: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """Best first (lowest first where lower is better); rows without a value last."""
    sign = 1 if metric in LOWER_IS_BETTER else -1
    return sorted(
        rows,
        key=lambda r: (r["values"][metric] is None, sign * (r["values"][metric] or 0), r["model"]),
    )
