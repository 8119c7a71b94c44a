"""Finding a sample's video under a video root, and reading its duration.

Released annotation files name videos by the authors' paths; a sample keeps the file name only,
and the video is found by name anywhere under the user's video root (or by stem with any video
extension, for files that name videos without one, e.g. UVQA's YouTube ids).
"""

from __future__ import annotations

import os
from pathlib import Path

from benchmark.records import VideoRef

VIDEO_EXTENSIONS = (".mp4", ".mkv", ".webm", ".avi", ".mov", ".mpg", ".mpeg", ".m4v", ".flv")


class VideoIndex:
    """File name → path for every video under a root; built on first use, once."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._by_name: dict[str, Path] | None = None
        self._by_stem: dict[str, Path] = {}

    def find(self, video: VideoRef) -> Path | None:
        direct = self.root / video.path
        if direct.is_file():
            return direct
        if self._by_name is None:
            self._build()
        name = video.path.replace("\\", "/").rsplit("/", 1)[-1]
        return self._by_name.get(name) or self._by_stem.get(video.stem)

    def _build(self) -> None:
        self._by_name = {}
        for folder, _dirs, files in os.walk(self.root):
            for file in files:
                if file.lower().endswith(VIDEO_EXTENSIONS):
                    path = Path(folder) / file
                    self._by_name.setdefault(file, path)
                    self._by_stem.setdefault(file.rsplit(".", 1)[0], path)


def probe_duration(path: Path) -> float | None:
    """Duration in seconds from the container (or its video stream); None if unreadable."""
    import av  # deferred: only needed when durations are read from videos

    try:
        with av.open(str(path)) as container:
            if container.duration:
                return container.duration / av.time_base
            stream = container.streams.video[0]
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except (av.error.FFmpegError, IndexError, OSError):
        return None
    return None
