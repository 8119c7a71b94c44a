"""Plain temporal-grounding formats: every query relevant unless the format says otherwise.

- Charades-STA text lines `VID START END##sentence` (durations from a Charades CSV when given).
- RaTSG relevance JSON `{vid: {"sts": [{sentence, id, timestamp, no_answer}], "duration"}}`:
  `no_answer` queries were borrowed from other videos, so they are irrelevant and `shuffled`.
- ActivityNet Captions JSON `{vid: {"duration", "timestamps": [[s, e], ...], "sentences"}}`.
- QVHighlights JSONL `{qid, query, duration, vid, relevant_windows}`; NA-VMR negatives have
  `relevant_windows: [[0, 0]]` (irrelevant, `shuffled`). A query with several windows keeps all of
  them in `windows` and is scored against the best-matching one; `span` is the first.

Gold spans follow the rules of `fields.clean_span`. Ids come from the file where it has them
(RaTSG sentence ids, QVHighlights `qid`), else `<vid>#<k>`; a repeated id keeps the first item
and counts the rest as dropped duplicates.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from benchmark.data.fields import Where, boolean, clean_span, number, raw_span, require, text
from benchmark.data.report import LoadReport
from benchmark.errors import RecordError
from benchmark.records import Sample, VideoRef, iter_jsonl, read_json


def load_charades_sta(
    path: Path, *, task: str, report: LoadReport, durations: dict[str, float] | None = None
) -> list[Sample]:
    """Charades-STA annotation lines; `durations` maps video id to length (see
    `read_charades_durations`)."""
    durations = durations or {}
    samples: list[Sample] = []
    per_video: Counter[str] = Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        head, sep, sentence = line.partition("##")
        parts = head.split()
        if not sep or len(parts) != 3:
            raise RecordError(f"{path}:{n}: expected 'VID START END##sentence', got {line[:60]!r}")
        vid = parts[0]
        try:
            span = (float(parts[1]), float(parts[2]))
        except ValueError:
            raise RecordError(f"{path}:{n}: START and END must be numbers, got {head!r}") from None
        sample = _relevant(
            task,
            vid,
            f"{vid}.mp4",
            sentence,
            span,
            durations.get(vid),
            report,
            f"{path.name}:{n}",
            per_video,
        )
        if sample:
            samples.append(sample)
    return samples


def read_charades_durations(path: Path) -> dict[str, float]:
    """Video id → length in seconds from a Charades CSV (`Charades_v1_test.csv`)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"id", "length"} <= set(reader.fieldnames):
            raise RecordError(f"{path}: expected a Charades CSV with columns 'id' and 'length'")
        return {row["id"]: float(row["length"]) for row in reader if row.get("length")}


def load_ratsg(path: Path, *, task: str, report: LoadReport) -> list[Sample]:
    """RaTSG relevance-feedback JSON: relevant sentences and borrowed `no_answer` ones."""
    samples: list[Sample] = []
    seen: set[str] = set()
    for vid, entry, at, duration in _video_entries(path, "{video id: {sts, duration}}"):
        for k, st in enumerate(require(entry, "sts", at)):
            sat = at.at(f"sentence {k}")
            sentence = text(st, "sentence", sat).strip()
            sample_id = text(st, "id", sat, required=False) or f"{vid}#{k}"
            if not sentence:
                report.note("empty query text (dropped)", str(sat))
                continue
            if sample_id in seen:
                report.note("duplicate id (later item dropped)", sample_id)
                continue
            seen.add(sample_id)
            if boolean(st, "no_answer", sat):
                kind, span, span_duration, difficulty = "irrelevant", None, duration, "shuffled"
            else:
                span = raw_span(require(st, "timestamp", sat), sat, "timestamp")
                if span is None:
                    report.note("relevant query without a timestamp (dropped)", str(sat))
                    continue
                span, span_duration = clean_span(span, duration, report, str(sat))
                kind, difficulty = "relevant", "original"
            samples.append(
                Sample(
                    id=sample_id,
                    task=task,
                    video=VideoRef(f"{vid}.mp4"),
                    question=sentence,
                    kind=kind,
                    span=span,
                    duration=span_duration,
                    difficulty=difficulty,
                    meta={"source": path.name},
                )
            )
    return samples


def load_activitynet_captions(path: Path, *, task: str, report: LoadReport) -> list[Sample]:
    """ActivityNet Captions JSON (e.g. `val_2.json`): one relevant sample per sentence."""
    samples: list[Sample] = []
    per_video: Counter[str] = Counter()
    shape = "{video id: {duration, timestamps, sentences}}"
    for vid, entry, at, duration in _video_entries(path, shape):
        timestamps, sentences = require(entry, "timestamps", at), require(entry, "sentences", at)
        if (
            not isinstance(timestamps, list)
            or not isinstance(sentences, list)
            or len(timestamps) != len(sentences)
        ):
            raise at.error("'timestamps' and 'sentences' must be lists of the same length")
        for k, (stamp, sentence) in enumerate(zip(timestamps, sentences, strict=True)):
            span = raw_span(stamp, at.at(f"sentence {k}"), "timestamps")
            sample = _relevant(
                task,
                vid,
                f"{vid}.mp4",
                sentence,
                span,
                duration,
                report,
                str(at.at(f"sentence {k}")),
                per_video,
            )
            if sample:
                samples.append(sample)
    return samples


def load_qvhighlights(path: Path, *, task: str, report: LoadReport) -> list[Sample]:
    """QVHighlights / NA-VMR JSONL; negatives (`[[0, 0]]`) are irrelevant `shuffled` queries."""
    samples: list[Sample] = []
    seen: set[str] = set()
    for n, item in iter_jsonl(path):
        at = Where(path, f"line {n}")
        vid = text(item, "vid", at)
        query = text(item, "query", at).strip()
        qid = require(item, "qid", at)
        duration = number(require(item, "duration", at), at, "duration")
        sample_id = f"{vid}#q{qid}"
        if not query:
            report.note("empty query text (dropped)", str(at))
            continue
        if sample_id in seen:
            report.note("duplicate id (later item dropped)", sample_id)
            continue
        seen.add(sample_id)
        windows = require(item, "relevant_windows", at)
        if not isinstance(windows, list) or not windows:
            raise at.error("field 'relevant_windows' must be a non-empty list of [start, end]")
        spans = [raw_span(w, at, "relevant_windows") for w in windows]
        video, meta = VideoRef(f"{vid}.mp4"), {"source": path.name, "qid": qid}
        if spans == [(0.0, 0.0)]:
            samples.append(
                Sample(
                    id=sample_id,
                    task=task,
                    video=video,
                    question=query,
                    kind="irrelevant",
                    duration=duration,
                    difficulty="shuffled",
                    meta=meta,
                )
            )
            continue
        cleaned, stated = [], duration
        for span in spans:
            span, kept_duration = clean_span(span, duration, report, str(at))
            cleaned.append(span)
            stated = stated if kept_duration is not None else None
        if len(cleaned) > 1:
            report.note("several gold windows (scored against the best-matching one)", str(at))
        samples.append(
            Sample(
                id=sample_id,
                task=task,
                video=video,
                question=query,
                kind="relevant",
                span=cleaned[0],
                windows=tuple(cleaned) if len(cleaned) > 1 else (),
                duration=stated,
                difficulty="original",
                meta=meta,
            )
        )
    return samples


def _video_entries(path: Path, shape: str):
    """(video id, entry, where, duration) of a JSON object keyed by video id, each entry with a
    numeric `duration`."""
    data = read_json(path)
    where = Where(path)
    if not isinstance(data, dict):
        raise where.error(f"expected a JSON object {shape}")
    for vid, entry in data.items():
        at = where.at(f"video {vid!r}")
        yield vid, entry, at, number(require(entry, "duration", at), at, "duration")


def _relevant(
    task, vid, video_path, sentence, span, duration, report, example, per_video
) -> Sample | None:
    sentence = sentence.strip()
    if not sentence:
        report.note("empty query text (dropped)", example)
        return None
    if span is None:
        report.note("relevant query without a timestamp (dropped)", example)
        return None
    span, duration = clean_span(span, duration, report, example)
    sample_id = f"{vid}#{per_video[vid]}"
    per_video[vid] += 1
    return Sample(
        id=sample_id,
        task=task,
        video=VideoRef(video_path),
        question=sentence,
        kind="relevant",
        span=span,
        duration=duration,
        difficulty="original",
        meta={"source": example.split(":")[0]},
    )
