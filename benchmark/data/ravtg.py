"""The RA-VTG group schema of the RA-RFT release (HI-TVGBench, HI-Charades, HI-ActivityNet,
SS-Charades, SS-QVHighlights, the human-annotated split).

Each entry is one video with a ground-truth span and a list `GRPO` of queries
`{q, a, r, c, difficulty}`. One Sample per query, id `<video-stem>#<k>` with k counting the
queries of that video across the file (a video can have several entries). Rules, counted in the
LoadReport:

- difficulty: hard → strong, medium → moderate, easy → weak (1/2/3 edits); in Simply-Shuffled
  files every irrelevant query is `shuffled` whatever its label; a missing label stays unknown.
- categories: kept as given; labels outside the 11 of HI-VTG (e.g. `Action/SceneTransition`) are
  kept and counted as unknown.
- the reference refusal is the text of `<answer>` in `a`; `<correct>`/`<correction>` holds the
  original relevant query (kept in `meta.correction`). TVGBench refusals end with the edited
  keywords and the original query glued on; that tail is moved to `meta.edited_keywords`.
  The released `a` of an irrelevant query is kept as `meta.released_answer`, and a gold span
  that was clipped as `meta.annotated_span`: the `ra-rft` protocol scores against them.
- a relevant query takes its entry's `timestamp`; an empty query, or a relevant query without a
  usable span, is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from benchmark.data.fields import (
    Where,
    boolean,
    clean_span,
    optional_number,
    raw_span,
    require,
    text,
)
from benchmark.data.report import LoadReport
from benchmark.parse import split_tags
from benchmark.records import CATEGORIES, Sample, VideoRef, read_json

#: Difficulty labels of the release (number of edits 1/2/3) to the names used here.
DIFFICULTY = {"original": "original", "hard": "strong", "medium": "moderate", "easy": "weak"}


def load_ravtg(
    path: Path, *, task: str, report: LoadReport, shuffled: bool = False
) -> list[Sample]:
    """Samples of an RA-VTG group-schema file. `shuffled`: the file is Simply-Shuffled."""
    groups = read_json(path)
    where = Where(path)
    if not isinstance(groups, list):
        raise where.error(f"expected a JSON list of video entries, got {type(groups).__name__}")
    per_video: Counter[str] = Counter()
    samples: list[Sample] = []
    for g, group in enumerate(groups):
        at = where.at(f"entry {g}")
        video_path = text(group, "video", at)
        video = VideoRef(
            path=video_path.replace("\\", "/").rsplit("/", 1)[-1],
            start=optional_number(group, "video_start", at),
            end=optional_number(group, "video_end", at),
        )
        duration = optional_number(group, "duration", at)
        group_span = raw_span(group.get("timestamp"), at, "timestamp")
        queries = require(group, "GRPO", at)
        if not isinstance(queries, list):
            raise at.error("field 'GRPO' must be a list of queries")
        for q, query in enumerate(queries):
            qat = at.at(f"query {q}")
            question = text(query, "q", qat).strip()
            if not question:
                report.note("empty query text (dropped)", str(qat))
                continue
            relevant = boolean(query, "r", qat)
            stem = video.stem
            sample_id = f"{stem}#{per_video[stem]}"
            per_video[stem] += 1
            answer = text(query, "a", qat, required=False)
            tags = split_tags(answer)
            meta = {"source": path.name, "entry": g, "query": q, "original_video": video_path}
            if tags.correction:
                meta["correction"] = tags.correction
            if not relevant and answer.strip():
                meta["released_answer"] = answer  # the `ra-rft` protocol's reference
            if relevant:
                if group_span is None:
                    report.note("relevant query without a timestamp (dropped)", str(qat))
                    continue
                span, span_duration = clean_span(group_span, duration, report, str(qat))
                if span != group_span:  # the `ra-rft` protocol scores the span as annotated
                    meta["annotated_span"] = list(group_span)
                sample = Sample(
                    id=sample_id,
                    task=task,
                    video=video,
                    question=question,
                    kind="relevant",
                    span=span,
                    duration=span_duration,
                    difficulty="original",
                    meta=meta,
                )
            else:
                categories = tuple(_categories(query, qat, report))
                refusal = _refusal(
                    tags.answer if tags.answer is not None else answer,
                    group,
                    meta,
                    report,
                    str(qat),
                )
                sample = Sample(
                    id=sample_id,
                    task=task,
                    video=video,
                    question=question,
                    kind="irrelevant",
                    duration=duration,
                    refusal=refusal or None,
                    categories=categories,
                    difficulty=_difficulty(query, shuffled, report, str(qat)),
                    meta=meta,
                )
            samples.append(sample)
    return samples


def _difficulty(query: dict, shuffled: bool, report: LoadReport, example: str) -> str | None:
    if shuffled:
        return "shuffled"
    label = query.get("difficulty")
    if label in DIFFICULTY and label != "original":
        return DIFFICULTY[label]
    report.note(f"irrelevant query with difficulty {label!r} (left unknown)", example)
    return None


def _categories(query: dict, where: Where, report: LoadReport) -> list[str]:
    labels = query.get("c") or []
    if not isinstance(labels, list) or not all(isinstance(c, str) for c in labels):
        raise where.error(f"field 'c' must be a list of category names, got {labels!r}")
    for label in labels:
        if label not in CATEGORIES:
            report.unknown_categories[label] += 1
    return labels


_SENTENCE_END = re.compile(r"[.!?…]['\")\]]?\s")


def _refusal(answer: str, group: dict, meta: dict, report: LoadReport, example: str) -> str:
    """The reference refusal with TVGBench's glued-on tail ("<keywords> <original query>")
    moved to meta."""
    refusal = answer.strip()
    original = str(group.get("query_text") or "").strip()
    if original and refusal.endswith(original) and len(refusal) > len(original):
        head = refusal[: -len(original)].rstrip()
        ends = list(_SENTENCE_END.finditer(head + " "))
        cut = ends[-1].end() if ends else 0
        keywords = head[cut:].strip()
        if keywords and not keywords.endswith((".", "!", "?")):
            meta["edited_keywords"] = [k.strip() for k in keywords.split(",") if k.strip()]
            report.note(
                "refusal ends with the edited keywords and the original query (moved to meta)",
                example,
            )
            return head[:cut].strip()
    return refusal
