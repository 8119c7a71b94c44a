"""The per-sample data of the sample browser, written as small scripts the browser loads on demand
(script tags work from `file://`, `fetch` does not).

A task's questions and gold answers are the same for every submission: they are written once per
version of its samples (`data/gold/`), and each submission's folder (`data/<sha256 prefix>/`)
holds only its responses and verdicts, in the task's sample order. The browser joins the two by
position. Untrusted text is written as JSON with `<`, `>` and `&` escaped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.records import to_dict

GOLD_FIELDS = ("span", "answer", "refusal", "altered", "categories", "difficulty", "duration")

#: Whether a verdict is right for a sample's kind, as the sample browser marks it: a refusal for
#: the wrong reason is "partial" (refused, but not for what the question gets wrong).
OUTCOMES = {
    "answerable": {"correct": "right", "wrong": "wrong", "refused": "wrong"},
    "unanswerable": {"refused_right_reason": "right", "refused_wrong_reason": "partial",
                     "answered": "wrong"},
    "relevant": {"relevant": "right", "irrelevant": "wrong"},
    "irrelevant": {"irrelevant": "right", "relevant": "wrong"},
}  # fmt: skip


def write_gold_data(out: Path, official, video_root: Path | None = None) -> str:
    """The task's questions and gold answers (with a strip of each video's frames when its
    videos are here: `leaderboard.frame_strips`), written once per version of its samples; the
    path of the script, relative to the site."""
    from leaderboard.frame_strips import write_strips

    strips = write_strips(out, official.samples, video_root)
    frames = "-frames" if strips else ""
    relative = f"data/gold/{slug(official.samples[0].task)}-{official.digest[:12]}{frames}.js"
    path = out / relative
    if not path.is_file():
        rows = []
        for sample in official.samples:
            row = {
                "id": sample.id,
                "kind": sample.kind,
                "question": sample.question,
                "gold": {k: v for k, v in to_dict(sample).items() if k in GOLD_FIELDS},
            }
            strip = strips.get((sample.video.path, sample.video.start, sample.video.end))
            if strip:
                row["strip"] = strip
            rows.append(row)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(script(relative, rows), encoding="utf-8")
    return relative


def write_sample_data(out: Path, digest: str, records: dict[str, Any]) -> None:
    """A submission's responses and verdicts per task (`TaskRecords`), in the task's sample
    order: the browser's script, and the same records joined with their gold as downloads
    (`<task>.jsonl`, `<task>.csv`)."""
    for task, task_records in records.items():
        rows, lines, flat = [], [], []
        golds = _gold_of(task_records.samples)
        for sample in task_records.samples:
            gold = golds[sample.id]
            response = task_records.responses.get(sample.id)
            judgment = task_records.judgments.get(sample.id)
            row = {
                "response": response.text if response else None,
                "verdict": judgment.verdict if judgment else None,
                "status": judgment.status if judgment else "missing",
                "span": list(judgment.span) if judgment and judgment.span else None,
            }
            rows.append(row)
            judged = to_dict(judgment) if judgment else None
            lines.append(gold.line + json.dumps({**row, "judgment": judged}, allow_nan=False)[1:])
            flat.append(
                gold.cells | _flat(row) | gold.gold_cells | _flat(judged or {}, "judgment_")
            )
        relative = rows_path(digest, task)
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(script(relative, rows), encoding="utf-8")
        stem = (out / relative).with_suffix("")
        stem.with_suffix(".jsonl").write_text("\n".join([*lines, ""]), encoding="utf-8")
        write_csv(stem.with_suffix(".csv"), flat, escaped=True)


@dataclass(frozen=True, slots=True)
class _Gold:
    """What every submission's download rows of one sample share, written once."""

    line: str  # its JSONL line up to the verdict: '{"id": ..., "question": ..., "gold": {...}, '
    cells: dict[str, Any]  # id, kind, question, as CSV cells
    gold_cells: dict[str, Any]  # gold_<field> CSV cells


_GOLDS: dict[int, tuple[list, dict[str, _Gold]]] = {}


def _gold_of(samples: list) -> dict[str, _Gold]:
    """Each sample's gold part of the downloads, worked out once per official sample list (every
    submission of a build shares it); the list is kept so that its id stays its own."""
    if id(samples) not in _GOLDS:
        golds = {}
        for s in samples:
            about = {"id": s.id, "kind": s.kind, "question": s.question}
            gold = {k: v for k, v in to_dict(s).items() if k in GOLD_FIELDS}
            golds[s.id] = _Gold(
                line=json.dumps({**about, "gold": gold}, allow_nan=False)[:-1] + ", ",
                cells=_flat(about),
                gold_cells=_flat(gold, "gold_"),
            )
        _GOLDS[id(samples)] = (samples, golds)
    return _GOLDS[id(samples)][1]


def download_path(rows_script: str, suffix: str) -> str:
    """The download beside a rows script (`.jsonl` or `.csv`)."""
    return rows_script[: -len(".js")] + suffix


def write_csv(path: Path, rows: list[dict[str, Any]], *, escaped: bool = False) -> None:
    path.write_text(csv_text(rows, escaped=escaped), encoding="utf-8", newline="")


def csv_text(rows: list[dict[str, Any]], *, escaped: bool = False) -> str:
    """Rows as CSV, the union of their keys as the header; a cell that a spreadsheet would run
    as a formula (=, +, -, @) is quoted with a leading apostrophe (`escaped`: done already)."""
    header = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    if escaped:
        writer.writerows([row.get(k) for k in header] for row in rows)  # None: empty cell
    else:
        writer.writerows([_cell(row.get(k)) for k in header] for row in rows)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Fields as CSV cells named <prefix><key>: lists and objects as JSON, a text that a
    spreadsheet would run as a formula quoted (`_cell`)."""
    return {
        prefix + k: json.dumps(v) if isinstance(v, list | dict) else _cell(v)
        for k, v in record.items()
    }


def rows_path(digest: str, task: str) -> str:
    return f"data/{data_folder(digest)}/{slug(task)}.js"


def data_folder(digest: str) -> str:
    return digest[:16]


def script(key: str, data: Any) -> str:
    """A script that stores `data` under window.RB[key], safe for any text inside."""
    return f"window.RB = window.RB || {{}};\nwindow.RB[{safe_json(key)}] = {safe_json(data)};\n"


def safe_json(data: Any) -> str:
    """JSON that cannot end a script or open a tag, whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "_"
