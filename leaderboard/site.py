"""`refusal-bench leaderboard build`: a static site from validated submissions.

Every submission is validated (`leaderboard.validate`) and the site shows the recomputed results
only; rejected submissions are listed with their problems. The site works offline from
`file://`: no CDN, fonts or remote scripts; tables are pre-sorted pages (header links) that
`site.js` sorts in place when JavaScript runs; per-sample data is written as small `.js` files
that the sample browser loads on demand (script tags work from `file://`, `fetch` does not).
Runs scored by different judges are never ranked together: each task has one board per judge.
Untrusted text is escaped everywhere: Jinja autoescaping in HTML and SVG, and JSON written for
scripts with `<`, `>` and `&` escaped.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from tqdm import tqdm

from benchmark.metrics.summary import paired_qa_summary, qa_statistics
from benchmark.records import to_dict
from leaderboard.pareto import Point, pareto_svg
from leaderboard.submission import SubmissionError, open_submission
from leaderboard.validate import Reference, TaskRecords, validate

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
#: Pareto views per family: (x metric, y metric, maximize x, maximize y).
PARETO = {
    "grounding": (
        ("f1_irrel", "f1_rel", True, True),
        ("refusal_recall", "miou_relevant", True, True),
    ),
    "qa": (("over_refusal", "answer_acc", False, True), ("refr", "acc", True, True)),
}


@dataclass
class Entry:
    id: str
    model: str
    judge: str
    run: dict[str, Any]
    results: dict[str, Any]
    records: dict[str, TaskRecords] = field(default_factory=dict)


@dataclass
class BuildReport:
    index: Path
    accepted: list[str]
    rejected: dict[str, list[str]]


def build_site(
    submissions: list[Path],
    out: Path,
    reference: Reference,
    *,
    rejudge: bool = True,
    progress: bool = True,
) -> BuildReport:
    """Validate every submission and write the site. Re-judging, the costly check, is done once
    per submission content: `SITE/.rejudged` remembers the sha256 of submissions that passed it."""
    out = Path(out)
    rejudged = _Rejudged(out / ".rejudged")
    entries, rejected = [], {}
    for path in tqdm(submissions, desc="validating submissions", disable=not progress):
        try:
            with open_submission(path) as submission:
                again = rejudge and submission.sha256 not in rejudged
                validation = validate(submission, reference, rejudge=again)
        except SubmissionError as exc:
            rejected[path.name] = [str(exc)]
            continue
        if not validation.ok:
            rejected[submission.id] = validation.problems
            continue
        if again:
            rejudged.add(submission.sha256)
        run = validation.run
        entries.append(
            Entry(
                submission.id,
                run["model"]["name"],
                run["judge"]["name"],
                run,
                validation.results,
                validation.records,
            )
        )
    _unique_ids(entries)
    rejudged.save()
    return _render(entries, rejected, out)


class _Rejudged:
    """sha256 of the submissions whose judgments were re-derived and matched, for one site."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known = set(path.read_text().split()) if path.is_file() else set()

    def __contains__(self, digest: str) -> bool:
        return digest in self.known

    def add(self, digest: str) -> None:
        self.known.add(digest)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("".join(f"{d}\n" for d in sorted(self.known)))


# --- rendering ---------------------------------------------------------------------------------


def _render(entries: list[Entry], rejected: dict[str, list[str]], out: Path) -> BuildReport:
    out.mkdir(parents=True, exist_ok=True)
    env = _environment()
    static = resources.files("leaderboard") / "static"
    (out / "static").mkdir(exist_ok=True)
    for name in ("site.css", "site.js"):
        (out / "static" / name).write_text(
            static.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8"
        )

    tasks = sorted({t for e in entries for t in e.results["tasks"]})
    boards = []
    for task in tasks:
        family = next(
            e.results["tasks"][task]["family"] for e in entries if task in e.results["tasks"]
        )
        for judge in sorted({e.judge for e in entries if task in e.results["tasks"]}):
            rows = [e for e in entries if e.judge == judge and task in e.results["tasks"]]
            board = _board(task, family, judge, rows)
            boards.append(board)
            for metric in COLUMNS[family]:
                page = out / "boards" / f"{board['slug']}--{_slug(metric)}.html"
                page.parent.mkdir(exist_ok=True)
                page.write_text(
                    env.get_template("board.html").render(board=board, sort=metric, root="../"),
                    encoding="utf-8",
                )
    by_id = {e.id: e for e in entries}
    paired = _paired_views(entries, by_id)
    index = out / "index.html"
    index.write_text(
        env.get_template("index.html").render(
            boards=boards, rejected=rejected, paired=paired, root="", entries=entries
        ),
        encoding="utf-8",
    )
    (out / "models").mkdir(exist_ok=True)
    for entry in entries:
        page = env.get_template("model.html").render(entry=entry, columns=COLUMNS, root="../")
        (out / "models" / f"{entry.id}.html").write_text(page, encoding="utf-8")
        _write_sample_data(out, entry)
    _write_script(out / "data" / "index.js", "RB_INDEX", [
        {"id": e.id, "model": e.model, "judge": e.judge, "tasks": sorted(e.records)}
        for e in entries
    ])  # fmt: skip
    (out / "samples.html").write_text(
        env.get_template("samples.html").render(root=""), encoding="utf-8"
    )
    return BuildReport(index=index, accepted=[e.id for e in entries], rejected=rejected)


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


def _paired_views(entries: list[Entry], by_id: dict[str, Entry]) -> list[dict[str, Any]]:
    """UVQA S_ex-ref vs S_disc of submissions that name their base run, per QA task and judge."""
    points: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for entry in entries:
        base = by_id.get(entry.run.get("base_run") or "")
        if base is None or base.judge != entry.judge:
            continue
        for task, records in entry.records.items():
            if entry.results["tasks"][task]["family"] != "qa" or task not in base.records:
                continue
            summary = paired_qa_summary(
                records.samples, base.records[task].judgments, records.judgments, n_resamples=0
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


def _write_sample_data(out: Path, entry: Entry) -> None:
    for task, records in entry.records.items():
        rows = []
        for sample in records.samples:
            response = records.responses.get(sample.id)
            judgment = records.judgments.get(sample.id)
            gold = {
                k: v
                for k, v in to_dict(sample).items()
                if k in ("span", "answer", "refusal", "altered", "categories", "difficulty")
            }
            rows.append(
                {
                    "id": sample.id,
                    "kind": sample.kind,
                    "question": sample.question,
                    "gold": gold,
                    "response": response.text if response else None,
                    "verdict": judgment.verdict if judgment else None,
                    "status": judgment.status if judgment else "missing",
                    "span": judgment.span if judgment else None,
                }
            )
        _write_script(
            out / "data" / entry.id / f"{_slug(task)}.js", f"RB_SAMPLES:{entry.id}/{task}", rows
        )


def _write_script(path: Path, key: str, data: Any) -> None:
    """A script that stores `data` under window.RB[key], safe for any text inside."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = safe_json(data)
    path.write_text(
        f"window.RB = window.RB || {{}};\nwindow.RB[{safe_json(key)}] = {payload};\n",
        encoding="utf-8",
    )


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
