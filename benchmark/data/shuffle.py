"""The Simply-Shuffled builder: a 1:1 relevant / irrelevant set from any plain grounding set.

Each relevant query gets one irrelevant twin on the same video: the text of a query drawn from
another video. The draw never takes a query of the same video, nor a text equal (case and spacing
aside) to any query of the target video, so a shuffled query cannot secretly be relevant by
copy. Seeded: the same input and seed give the same set.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from benchmark.data.report import LoadReport
from benchmark.records import Sample

_MAX_TRIES = 64


def normalize_text(text: str) -> str:
    """Case- and spacing-insensitive form used to compare query texts."""
    return re.sub(r"\s+", " ", text.strip().lower()).rstrip(".")


def build_simply_shuffled(
    samples: Sequence[Sample], *, task: str, seed: int = 0, report: LoadReport | None = None
) -> list[Sample]:
    """The relevant samples of `samples`, each followed by a shuffled irrelevant twin (id
    `<relevant id>~ss`). Samples that are already irrelevant are ignored."""
    relevant = [s for s in samples if s.kind == "relevant"]
    texts_of: dict[str, set[str]] = defaultdict(set)
    for s in relevant:
        texts_of[s.video.path].add(normalize_text(s.question))
    if len(texts_of) < 2:
        raise ValueError("a Simply-Shuffled set needs queries from at least two videos")

    rng = random.Random(seed)
    out: list[Sample] = []
    for sample in relevant:
        donor = _draw_donor(sample, relevant, texts_of[sample.video.path], rng)
        out.append(replace(sample, task=task))
        if donor is None:
            if report is not None:
                report.note(
                    "no query of another video fits (left without a shuffled twin)", sample.id
                )
            continue
        out.append(
            Sample(
                id=f"{sample.id}~ss",
                task=task,
                video=sample.video,
                question=donor.question,
                kind="irrelevant",
                duration=sample.duration,
                difficulty="shuffled",
                meta={
                    "shuffled_from": donor.id,
                    "donor_video": donor.video.path,
                    "pair": sample.id,
                },
            )
        )
    return out


def _draw_donor(sample: Sample, pool: Sequence[Sample], own_texts: set[str], rng: random.Random):
    def fits(donor: Sample) -> bool:
        return (
            donor.video.path != sample.video.path
            and normalize_text(donor.question) not in own_texts
        )

    for _ in range(_MAX_TRIES):
        donor = pool[rng.randrange(len(pool))]
        if fits(donor):
            return donor
    order = list(range(len(pool)))  # rare: fall back to a seeded full scan
    rng.shuffle(order)
    return next((pool[i] for i in order if fits(pool[i])), None)
