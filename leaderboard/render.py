"""The second stage of a leaderboard build: `SITE/data/summary.json` in, static pages out.

Rendering reads only the summary (`leaderboard.summarize`), the metric table and the task
families (which columns a board has, which way each metric is better, which Pareto views to
draw): no metric is computed here. The site works offline from `file://`: no CDN, fonts or remote
scripts; tables are pre-sorted pages (header links) that `site.js` sorts in place when JavaScript
runs. Runs scored by different judges are never ranked together: each task has one board per
judge. Untrusted text is escaped everywhere: Jinja autoescaping in HTML and SVG.
"""

from __future__ import annotations

import json
import shlex
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from benchmark.families import FAMILIES, Family, ParetoView, family_named
from benchmark.metrics import METRICS
from benchmark.model_card import is_local_path, short_parameters
from benchmark.records import read_json
from benchmark.scorers.rules import CALIBRATION
from benchmark.scorers.spec import JudgeSpec
from leaderboard.pages import Pages
from leaderboard.pareto import Point, pareto_svg
from leaderboard.ranking import ranks, sort_rows
from leaderboard.sample_data import (
    OUTCOMES,
    csv_text,
    data_folder,
    download_path,
    safe_json,
    script,
    slug,
)
from leaderboard.summarize import SUMMARY

#: where a page's root goes in an SVG drawn once for pages at different depths
ROOT = "__ROOT__"


def render(out: Path) -> list[str]:
    """Write every page of the site in `out` from its summary; remove pages and data of boards
    and submissions that are gone. Returns the ids of the submissions shown."""
    summary = read_json(out / SUMMARY)
    entries = summary["entries"]
    env = _environment()
    pages = Pages(out)
    static = resources.files("leaderboard") / "static"
    for name in ("site.css", "site.js"):
        pages.write(f"static/{name}", static.joinpath(name).read_text(encoding="utf-8"))

    boards = []
    board_template = env.get_template("board.html")
    for task in sorted({t for e in entries for t in e["results"]["tasks"]}):
        with_task = [e for e in entries if task in e["results"]["tasks"]]
        family = family_named(with_task[0]["results"]["tasks"][task]["family"])
        for judge in sorted({e["judge"] for e in with_task}):
            ties = summary.get("ties", {}).get(f"{task}|{judge}", {})
            board = _board(task, family, judge, [e for e in with_task if e["judge"] == judge], ties)
            board["about"] = summary.get("tasks", {}).get(task)
            board["cells"] = _row_cells(env, board, roots=("", "../"))
            boards.append(board)
            _write_exports(pages, board)
            for metric in board["columns"]:
                pages.write(
                    f"boards/{board['slug']}--{slug(metric)}.html",
                    board_template.render(board=board, sort=metric, root="../"),
                )
    pages.write(
        "index.html",
        env.get_template("index.html").render(
            families=list(FAMILIES.values()),
            boards=boards,
            rejected=summary["rejected"],
            paired=_paired_views(entries),
            root="",
            entries=entries,
        ),
    )
    model_template = env.get_template("model.html")
    for entry in entries:  # a model page changes only with its own entry: rendered once
        pages.write_once(
            f"models/{entry['id']}.html",
            entry,
            lambda entry=entry: model_template.render(entry=entry, families=FAMILIES, root="../"),
        )
    pages.write("samples.html", env.get_template("samples.html").render(root=""))
    pages.write(
        "data/index.js",
        script("RB_INDEX", [_index_row(e, summary["gold"]) for e in entries])
        + script("RB_OUTCOMES", OUTCOMES),
    )
    pages.write(
        "glossary.html",
        env.get_template("glossary.html").render(
            families=list(FAMILIES.values()), metrics=list(METRICS), root=""
        ),
    )
    pages.keep(
        SUMMARY,
        "data/frames",  # the videos' frame strips (`leaderboard.frame_strips`)
        *summary["gold"].values(),
        *(f"data/{data_folder(e['digest'])}" for e in entries),
    )
    pages.prune("boards", "models", "data")
    pages.save()
    return [e["id"] for e in entries]


def _row_cells(env, board: dict[str, Any], roots: tuple[str, ...]) -> dict:
    """Per page root, each row's rank attributes and cells but the rank, rendered once: the
    board has a page per sort metric, and they differ only in the rows' order and places."""
    table = env.get_template("_table.html").module
    return {
        root: {
            row["id"]: {
                "ranks": markupsafe.Markup(table.row_ranks(row, board)),
                "cells": markupsafe.Markup(table.row_cells(row, board, root)),
            }
            for row in board["rows"]
        }
        for root in roots
    }


def _write_exports(pages: Pages, board: dict[str, Any]) -> None:
    """The board as `boards/<slug>.json` and `.csv`: every row in the default order with its
    rank, values and intervals."""
    rows = []
    for row in sort_rows(board["rows"], board["default_sort"],
                         board["default_sort"] in board["lower_is_better"]):  # fmt: skip
        record = {"rank": row["rank"][board["default_sort"]], "model": row["model"],
                  "submission": row["id"], "n": row["n"], "failures": row["failures"]}  # fmt: skip
        for metric in board["columns"]:
            low, high = row["ci"].get(metric) or (None, None)
            record |= {metric: row["values"][metric], f"{metric}_low": low, f"{metric}_high": high}
        rows.append(record)
    pages.write(f"boards/{board['slug']}.json", json.dumps(
        {"task": board["task"], "judge": board["judge"], "sorted_by": board["default_sort"],
         "rows": rows}, indent=1, allow_nan=False))  # fmt: skip
    pages.write(f"boards/{board['slug']}.csv", csv_text(rows))


def _index_row(entry: dict[str, Any], gold: dict[str, str]) -> dict[str, Any]:
    """What the sample browser's index says of a submission: where its rows and gold are."""
    return {
        "id": entry["id"],
        "model": entry["model"],
        "judge": entry["judge"],
        "tasks": {task: {"gold": gold[task], "rows": path} for task, path in entry["rows"].items()},
    }


def _board(
    task: str, family: Family, judge: str, rows: list[dict[str, Any]], ties=None
) -> dict[str, Any]:
    """One task's board for one judge: the family's headline metrics that this judge produces
    as columns (no LLM-score column on a rules board)."""
    spec = JudgeSpec.parse(judge)
    columns = tuple(m for m in family.headline if METRICS.get(family.name, m).applies_to(spec))
    table = []
    for entry in rows:
        result = entry["results"]["tasks"][task]
        table.append(
            {
                "id": entry["id"],
                "model": entry["model"],
                "n": result["n"],
                "failures": result["failures"],
                "values": {m: result["metrics"].get(m) for m in columns},
                "ci": {m: result["ci"].get(m) for m in columns},
                "reproduce": reproduce(entry["run"], [task]),
            }
        )
    lower = _lower_is_better(family, columns)
    for metric in columns:  # places: shared where values are equal or the data cannot tell
        tied = {tuple(pair) for pair in (ties or {}).get(metric, [])}
        for row, rank in zip(
            sort_rows(table, metric, metric in lower),
            ranks(table, metric, metric in lower, tied),
            strict=True,
        ):
            row.setdefault("rank", {})[metric] = rank
    views = []
    for view in family.pareto:
        points = [_point(entry, entry["results"]["tasks"][task]["metrics"], view) for entry in rows]
        points = [p for p in points if p is not None]
        if points:
            views.append(_svg(family, view, points, task))
    return {
        "task": task,
        "family": family.name,
        "judge": judge,
        "slug": f"{slug(task)}--{slug(judge)}",
        "columns": columns,
        "rows": table,
        "default_sort": family.primary,
        "lower_is_better": lower,
        "pareto": views,
        "judge_check": judge_agreement(judge, family.name),
    }


def judge_agreement(judge: str, family: str) -> str | None:
    """What `judge-check` measured for a deterministic judge on this family, in one line (the
    figures its `describe()` records); None for judges without recorded figures."""
    spec = JudgeSpec.parse(judge)
    if spec.kind != "rules":
        return None
    figures = {**CALIBRATION, **CALIBRATION.get("protocols", {}).get(spec.protocol, {})}
    if family == "grounding":
        return (
            f"The {judge} judge agrees with {figures['grounding_outcome_agreement']:.1%} of the "
            f"labelled grounding outputs of its calibration set ({figures['items']} outputs in "
            f"all); span agreement (IoU ≥ 0.9) {figures['grounding_span_agreement_iou_0.9']:.1%}."
        )
    reason = figures["qa_reason_agreement"].get(spec.sbert, figures["qa_reason_agreement"]["none"])
    return (
        f"The {judge} judge agrees with {figures['qa_refusal_agreement']:.1%} of the refusal "
        f"labels of its calibration set ({figures['items']} outputs in all); right/wrong reason "
        f"{reason:.1%}."
    )


def _paired_views(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The paired view (UVQA: S_ex-ref vs S_disc) of submissions that name their base run, per
    task or task group and judge, from the paired scores in the summary."""
    points: dict[tuple[str, str], list[Point]] = defaultdict(list)
    families: dict[str, Family] = {}
    pooled_tasks: dict[str, list[str]] = {}
    for entry in entries:
        for name, paired in entry["paired"].items():
            family = families.setdefault(name, family_named(paired["family"]))
            pooled_tasks.setdefault(name, paired.get("tasks") or [])
            point = _point(entry, paired["metrics"], family.paired_pareto)
            if point is not None:
                points[(name, entry["judge"])].append(point)
    return [
        {
            "task": name,
            "tasks": pooled_tasks[name],
            "judge": judge,
            "svg": _svg(families[name], families[name].paired_pareto, task_points, name),
        }
        for (name, judge), task_points in sorted(points.items())
    ]


def _point(entry: dict[str, Any], metrics: dict[str, Any], view: ParetoView) -> Point | None:
    x, y = metrics.get(view.x), metrics.get(view.y)
    if x is None or y is None:
        return None
    return Point(entry["model"], x, y, f"{ROOT}models/{entry['id']}.html")


def _svg(family: Family, view: ParetoView, points: list[Point], task: str) -> str:
    """A view's plot: display names on the axes and in the title, each axis over its metric's
    range, which way is better from the table."""
    x, y = METRICS.get(family.name, view.x), METRICS.get(family.name, view.y)
    return pareto_svg(
        points,
        x_label=x.name,
        y_label=y.name,
        title=f"{task}: {y.name} against {x.name}",
        maximize_x=x.higher_is_better,
        maximize_y=y.higher_is_better,
        x_range=x.range,
        y_range=y.range,
    )


def _lower_is_better(family: Family, columns) -> list[str]:
    return [m for m in columns if not METRICS.get(family.name, m).higher_is_better]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("leaderboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["slug"] = slug
    env.filters["num"] = lambda v: "—" if v is None else f"{v:.3f}"
    env.filters["safe_json"] = safe_json
    env.filters["sort_rows"] = sort_rows
    env.filters["metric_name"] = metric_name
    env.filters["metric_title"] = metric_title
    env.filters["public_args"] = public_args
    env.filters["applies"] = applies
    env.filters["reproduce"] = reproduce
    env.filters["download"] = download_path
    env.filters["at_root"] = lambda svg, root: markupsafe.Markup(svg.replace(ROOT, root))
    env.filters["parameters"] = short_parameters
    return env


def reproduce(run: dict[str, Any], tasks: list[str] | None = None) -> str:
    """The command that makes this run again, from its run.json (local files as `.../name`)."""
    model = run["model"]
    args = ",".join(f"{k}={v}" for k, v in public_args(model.get("args") or {}).items())
    parts = ["refusal-bench run", f"--model {model['registry_name']}"]
    if args:
        parts.append(f"--model-args {shlex.quote(args)}")
    card = model.get("card") or {}
    if card.get("name"):
        parts.append(f"--model-name {shlex.quote(card['name'])}")
    parts.append(f"--tasks {','.join(tasks or sorted(run.get('tasks') or {}))}")
    judge = (run.get("judge") or {}).get("name")
    if judge and judge != "rules":
        parts.append(f"--judge {shlex.quote(judge)}")
    parts.append(f"--seed {run.get('seed', 0)}")
    if run.get("bootstrap") not in (None, 1000):
        parts.append(f"--bootstrap {run['bootstrap']}")
    parts.append("--data-root DATA --video-root VIDEOS")
    return " ".join(parts)


def applies(key: str, family: str, judge: str) -> bool:
    """Whether the metric `key` is one the judge produces (keys outside the table: yes)."""
    try:
        metric = METRICS.get(family, key)
    except KeyError:
        return True
    return metric.applies_to(JudgeSpec.parse(judge))


def public_args(values: dict[str, Any]) -> dict[str, Any]:
    """Settings as the public site shows them: a local path becomes its file or folder name
    (`/home/me/preds.jsonl` → `.../preds.jsonl`), so no page reveals a submitter's machine."""
    out = {}
    for key, value in values.items():
        if is_local_path(value):
            value = ".../" + Path(value.rstrip("/")).name
        out[key] = value
    return out


def metric_title(key: str, family: str) -> str:
    """A column's tooltip: the metric's name, definition and direction, from the table."""
    metric = METRICS.get(family, key)
    better = "higher" if metric.higher_is_better else "lower"
    return f"{metric.name}: {metric.definition} ({better} is better)"


def metric_name(key: str, family: str) -> str:
    """The display name of a metric of the table (other keys, such as `n`, as they are)."""
    try:
        return METRICS.get(family, key).name
    except KeyError:
        return key
