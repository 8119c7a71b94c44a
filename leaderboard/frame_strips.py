"""A strip of frames per video for the sample browser: what the model was looking at, with the
time of each frame, so a reader can judge a verdict without the video.

Written when the videos are on the machine at build time (`leaderboard build --video-root`, and
always for the synthetic split, whose videos the build renders): six frames spread over each
video (or clip), 72 pixels high, side by side in one JPEG under `data/frames/`, once per video
and build folder (an existing strip is kept). A video that cannot be decoded gets no strip.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

STRIP_FRAMES = 6
HEIGHT = 72


def write_strips(out: Path, samples, video_root: Path | None) -> dict[tuple, dict[str, Any]]:
    """(path, start, end) of each video → {"src": path in the site, "times": [seconds]}."""
    if video_root is None:
        return {}
    from benchmark.video import FrameSpec, VideoError, VideoLoader

    loader = VideoLoader(Path(video_root), FrameSpec(num_frames=STRIP_FRAMES, total_pixels=None))
    strips: dict[tuple, dict[str, Any]] = {}
    for sample in samples:
        key = (sample.video.path, sample.video.start, sample.video.end)
        if key in strips:
            continue
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
        relative = f"data/frames/{name}.jpg"
        times_file = out / f"data/frames/{name}.times"
        if not (out / relative).is_file() or not times_file.is_file():
            try:
                frames = loader.frames(sample.video)
            except VideoError:
                continue
            _save_strip(frames.images, out / relative)
            times_file.write_text(" ".join(f"{t:.1f}" for t in frames.timestamps))
        strips[key] = {"src": relative, "times": [float(t) for t in times_file.read_text().split()]}
    return strips


def _save_strip(images, path: Path) -> None:
    from PIL import Image

    thumbs = []
    for image in images:
        picture = Image.fromarray(image)
        width = max(1, round(picture.width * HEIGHT / picture.height))
        thumbs.append(picture.resize((width, HEIGHT)))
    strip = Image.new(
        "RGB", (sum(t.width for t in thumbs) + 2 * (len(thumbs) - 1), HEIGHT), "white"
    )
    x = 0
    for thumb in thumbs:
        strip.paste(thumb, (x, 0))
        x += thumb.width + 2
    path.parent.mkdir(parents=True, exist_ok=True)
    strip.save(path, "JPEG", quality=70)
