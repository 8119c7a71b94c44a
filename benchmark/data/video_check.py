"""`refusal-bench data check-videos`: which videos of some tasks are missing, unreadable or
shorter than their annotated spans, found before a long run rather than during it.

Each distinct video is looked up under the video root the way a run finds it
(`benchmark.data.videos.VideoIndex`: by file name anywhere below, or by stem) and probed in a
thread pool: the container is opened, its duration read and one frame decoded. A video is short
when it ends more than `SLACK_S` before the latest end its samples give it (a gold span as
annotated, before any clipping, or the end of the segment a sample names).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from benchmark.data.videos import VideoIndex
from benchmark.records import Sample

SLACK_S = 0.5
PROBLEMS = ("missing", "unreadable", "short")


@dataclass
class VideoCheck:
    """What the probe found, per kind of problem: (video name, detail) in sample order."""

    videos: int = 0
    samples: int = 0
    ok: int = 0
    problems: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {kind: [] for kind in PROBLEMS}
    )

    @property
    def failed(self) -> bool:
        return any(self.problems.values())

    def lines(self, show: int = 5) -> list[str]:
        out = [f"  ok          {self.ok}"]
        labels = {"missing": "missing", "unreadable": "unreadable", "short": "too short"}
        for kind, found in self.problems.items():
            if found:
                listed = ", ".join(f"{name} ({detail})" if detail else name
                                   for name, detail in found[:show])  # fmt: skip
                more = f", … {len(found) - show} more" if len(found) > show else ""
                out.append(f"  {labels[kind]:<11} {len(found)}: {listed}{more}")
        return out


def needed_end(samples: Iterable[Sample]) -> dict[str, tuple[Sample, float]]:
    """Per video: its first sample and the latest time its samples need it to reach."""
    out: dict[str, tuple[Sample, float]] = {}
    for sample in samples:
        ends = [end for _, end in sample.gold_spans]
        annotated = sample.meta.get("annotated_span")
        if annotated:
            ends.append(float(annotated[1]))
        if sample.video.end is not None:
            ends.append(sample.video.end)
        first, end = out.get(sample.video.path, (sample, 0.0))
        out[sample.video.path] = (first, max([end, *ends]))
    return out


def probe(path: Path) -> tuple[float | None, str | None]:
    """(duration in seconds, None) for a readable video, (None, why) for one that is not."""
    import av  # deferred: only this command and runs decode video

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            duration = None
            if container.duration:
                duration = container.duration / av.time_base
            elif stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            next(container.decode(stream))
    except (av.error.FFmpegError, IndexError, StopIteration, OSError) as exc:
        return None, type(exc).__name__
    return duration, None


def check_videos(samples: list[Sample], root: Path, *, workers: int = 8) -> VideoCheck:
    """Probe every distinct video the samples name (see the module docstring)."""
    index = VideoIndex(root)
    wanted = needed_end(samples)
    report = VideoCheck(videos=len(wanted), samples=len(samples))
    found = {name: index.find(first.video) for name, (first, _) in wanted.items()}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        present = [name for name, path in found.items() if path is not None]
        probed = dict(zip(present, pool.map(lambda n: probe(found[n]), present), strict=True))
    for name, (_, end) in wanted.items():
        shown = name.replace("\\", "/").rsplit("/", 1)[-1]
        if found[name] is None:
            report.problems["missing"].append((shown, ""))
            continue
        duration, error = probed[name]
        if error is not None:
            report.problems["unreadable"].append((shown, error))
        elif duration is not None and duration + SLACK_S < end:
            report.problems["short"].append((shown, f"{duration:.1f} s, spans to {end:.1f} s"))
        else:
            report.ok += 1
    return report
