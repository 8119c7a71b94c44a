"""Decoding videos into the frames a model sees, once per video, with their timestamps.

Frames are sampled uniformly (`num_frames`) or at a rate (`fps`, bounded by `min_frames` and
`max_frames`) over the video or over a sample's segment, at the centres of equal slices; a pixel
budget (`total_pixels` over all frames, `max_pixels` per frame) sets the frame size, rounded to the
model's patch-and-merge multiple (RA-RFT defaults: 2 fps, at most 768 frames, 3584·28·28 pixels in
all, multiple 28). Decoding seeks to the keyframe before each wanted time instead of decoding the
whole stream. A run keeps decoded videos in a `FrameCache` bounded in bytes, so a video with many
queries is decoded once. Timestamps travel with the frames: grounding models need them.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmark.errors import BenchmarkError
from benchmark.records import VideoRef

#: A wanted time at most this far past the last decoded frame is reached by decoding on; further
#: ones seek (to the keyframe before them) first.
_DECODE_ON_SECONDS = 2.0


class VideoError(BenchmarkError):
    """A video is missing or cannot be decoded; the message names the path."""


@dataclass(frozen=True)
class FrameSpec:
    """How to sample frames (defaults: the RA-RFT inference settings)."""

    num_frames: int | None = None  # uniform N frames; when None, sample at `fps`
    fps: float = 2.0
    min_frames: int = 4
    max_frames: int = 768
    total_pixels: int | None = 3584 * 28 * 28  # budget over all frames
    max_pixels: int | None = 768 * 28 * 28  # per frame
    min_pixels: int = 16 * 28 * 28
    multiple: int = 28  # frame sides are multiples of the model's patch size × merge size

    def describe(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Frames:
    images: np.ndarray  # (T, H, W, 3) uint8
    timestamps: tuple[float, ...]  # seconds from the start of the video file
    source: str  # the file they come from

    @property
    def nbytes(self) -> int:
        return int(self.images.nbytes)


def sample_times(length: float, spec: FrameSpec, *, offset: float = 0.0) -> list[float]:
    """Times (s) of the frames to take from a stretch of `length` seconds starting at `offset`.

    >>> sample_times(10.0, FrameSpec(num_frames=4))
    [1.25, 3.75, 6.25, 8.75]
    >>> len(sample_times(10.0, FrameSpec(fps=2.0))), len(sample_times(1.0, FrameSpec(fps=2.0)))
    (20, 4)
    """
    if length <= 0:
        return [offset]
    if spec.num_frames is not None:
        n = max(1, spec.num_frames)
    else:
        n = min(spec.max_frames, max(spec.min_frames, round(length * spec.fps)))
    return [round(offset + (i + 0.5) * length / n, 4) for i in range(n)]


def frame_size(height: int, width: int, n_frames: int, spec: FrameSpec) -> tuple[int, int]:
    """(H, W) within the per-frame budget, aspect kept, sides multiples of `spec.multiple`.

    >>> frame_size(480, 640, 16, FrameSpec(total_pixels=16 * 224 * 224, max_pixels=None))
    (168, 252)
    """
    budget = math.inf
    if spec.total_pixels:
        budget = spec.total_pixels / max(n_frames, 1)
    if spec.max_pixels:
        budget = min(budget, spec.max_pixels)
    budget = max(budget, spec.min_pixels)
    scale = min(1.0, math.sqrt(budget / (height * width)))
    m = spec.multiple
    h = max(m, int(height * scale / m) * m)
    w = max(m, int(width * scale / m) * m)
    return h, w


def probe(path: Path) -> tuple[float, int, int]:
    """(duration in seconds, height, width) of a video file."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            duration = None
            if stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            elif container.duration:
                duration = container.duration / av.time_base
            return duration or 0.0, stream.codec_context.height, stream.codec_context.width
    except (av.error.FFmpegError, IndexError, OSError) as exc:
        raise VideoError(f"{path}: cannot read the video ({exc})") from None


def decode_at(
    path: Path, times: list[float], size: tuple[int, int] | None = None
) -> tuple[np.ndarray, list[float]]:
    """The frames nearest to `times` (sorted), seeking to the keyframe before each one that is not
    reachable by decoding on; returns the frames and their actual timestamps."""
    import av

    if not times:
        raise ValueError("no times to decode")
    wanted = sorted(times)
    images, stamps = [], []
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            base = float(stream.time_base)
            gap = _DECODE_ON_SECONDS
            frames = None
            last = None  # (time, frame) decoded most recently
            for t in wanted:
                if last is None or t < last[0] or t - last[0] > gap:
                    container.seek(
                        max(0, int(t / base)), stream=stream, backward=True, any_frame=False
                    )
                    frames = container.decode(stream)
                    last = None
                best = last
                for frame in frames:
                    when = (
                        float(frame.pts * base)
                        if frame.pts is not None
                        else (best[0] if best else 0.0)
                    )
                    if best is None or abs(when - t) <= abs(best[0] - t):
                        best = (when, frame)
                    last = (when, frame)
                    if when >= t:
                        break
                if best is None:
                    raise VideoError(f"{path}: no frame near {t:.2f} s")
                images.append(_to_array(best[1], size))
                stamps.append(round(best[0], 4))
    except (av.error.FFmpegError, OSError) as exc:
        raise VideoError(f"{path}: cannot decode ({exc})") from None
    return np.stack(images), stamps


def decode_all(
    path: Path, times: list[float], size: tuple[int, int] | None = None
) -> tuple[np.ndarray, list[float]]:
    """The same frames as `decode_at`, found by decoding every frame (the slow baseline)."""
    import av

    wanted = sorted(times)
    best: list[tuple[float, object] | None] = [None] * len(wanted)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        base = float(stream.time_base)
        for frame in container.decode(stream):
            when = float(frame.pts * base)
            for i, t in enumerate(wanted):
                if best[i] is None or abs(when - t) < abs(best[i][0] - t):
                    best[i] = (when, _to_array(frame, size))
    return np.stack([b[1] for b in best]), [round(b[0], 4) for b in best]


# Frames are scaled on one thread: FFmpeg 8's swscale otherwise starts and joins a thread per
# core for every frame, which costs more than it saves on frames of the sizes models take, and
# beside a model that keeps a core busy makes decoding stall on the hand-overs (the pixels are
# the same; `perf/video_decode.py` measures both against 0, FFmpeg's automatic choice).
SCALER_THREADS = 1


def _to_array(frame, size: tuple[int, int] | None) -> np.ndarray:
    if size is not None and (frame.height, frame.width) != size:
        frame = frame.reformat(width=size[1], height=size[0], threads=SCALER_THREADS)
    return frame.to_ndarray(format="rgb24", threads=SCALER_THREADS)


class FrameCache:
    """Decoded frames by (file, segment, spec), least recently used dropped beyond `max_bytes`."""

    def __init__(self, max_bytes: int = 512 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, Frames] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.peak_bytes = 0

    def get(self, key: tuple) -> Frames | None:
        with self._lock:
            frames = self._items.get(key)
            if frames is not None:
                self._items.move_to_end(key)
            return frames

    def put(self, key: tuple, frames: Frames) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = frames
            self.bytes += frames.nbytes
            while self.bytes > self.max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self.bytes -= dropped.nbytes
            self.peak_bytes = max(self.peak_bytes, self.bytes)


class VideoLoader:
    """Frames for a sample's video: found under the video root, decoded once, cached."""

    def __init__(self, root: Path | None, spec: FrameSpec, cache: FrameCache | None = None) -> None:
        from benchmark.data.videos import VideoIndex

        self.root = Path(root) if root is not None else None
        self.spec = spec
        self.cache = cache or FrameCache()
        self._index = VideoIndex(self.root) if self.root is not None else None
        self.decodes = 0
        self.videos: set[str] = set()
        self._lock = threading.Lock()  # the decode-ahead thread and the main one share a loader

    def frames(self, video: VideoRef) -> Frames:
        with self._lock:
            return self._frames(video)

    def _frames(self, video: VideoRef) -> Frames:
        if self._index is None:
            raise VideoError(
                f"{video.path}: no video root is set (--video-root or REFUSAL_BENCH_VIDEOS)"
            )
        path = self._index.find(video)
        if path is None:
            raise VideoError(f"{video.path}: not found under the video root {self.root}")
        key = (str(path), video.start, video.end, self.spec)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        duration, height, width = probe(path)
        start = video.start or 0.0
        end = video.end if video.end is not None else duration
        times = sample_times(max(0.0, end - start), self.spec, offset=start)
        images, stamps = decode_at(path, times, frame_size(height, width, len(times), self.spec))
        frames = Frames(images=images, timestamps=tuple(stamps), source=str(path))
        self.decodes += 1
        self.videos.add(str(path))
        self.cache.put(key, frames)
        return frames

    def stats(self) -> dict:
        return {
            "decodes": self.decodes,
            "distinct_videos": len(self.videos),
            "cache_peak_bytes": self.cache.peak_bytes,
            "cache_limit_bytes": self.cache.max_bytes,
        }
