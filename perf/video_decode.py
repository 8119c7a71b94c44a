"""Frame sampling: seeking vs decoding every frame, decodes per run, and the frame cache bound.

1. 16 uniform frames from a 10-minute 480p H.264 video (rendered here once, cached in the temp
   folder): `decode_at` (seek to the keyframe before each time) vs `decode_all` (decode every
   frame). Target: ≥ 10× faster, same frames.
2. A run of a frame-reading model on synth_hivtg: decodes vs distinct videos (target: equal) and
   the frame cache's peak bytes against its bound.

    python perf/video_decode.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from benchmark.models.base import Model
from benchmark.records import read_json
from benchmark.runner import RunConfig, run
from benchmark.video import FrameSpec, decode_all, decode_at, sample_times

MINUTES, FPS, WIDTH, HEIGHT = 10, 25, 854, 480


def long_video(path: Path) -> Path:
    """A 10-minute 480p video of moving gradients (keyframe every 2 s, as encoders default to)."""
    import av

    if path.exists():
        return path
    tmp = path.with_suffix(".part.mp4")
    x = np.linspace(0, 255, WIDTH, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 255, HEIGHT, dtype=np.float32)[:, None, None]
    with av.open(str(tmp), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"preset": "ultrafast", "g": str(2 * FPS)}
        for i in range(MINUTES * 60 * FPS):
            shift = (i * 3) % 256
            frame = np.concatenate(
                [
                    (x + shift) % 256 + 0 * y,
                    (y + shift) % 256 + 0 * x,
                    np.full((HEIGHT, WIDTH, 1), i % 256),
                ],
                axis=2,
            )
            container.mux(
                stream.encode(av.VideoFrame.from_ndarray(frame.astype(np.uint8), format="rgb24"))
            )
        container.mux(stream.encode())
    tmp.rename(path)
    return path


class Probe(Model):
    name = "probe"
    needs_frames = True
    frame_spec = FrameSpec(num_frames=16)

    def generate(self, requests):
        return [f"<answer>{r.frames.images.mean():.1f} to 99</answer>" for r in requests]


def main() -> None:
    path = long_video(Path(tempfile.gettempdir()) / "refusal-bench-10min-480p.mp4")
    times = sample_times(MINUTES * 60.0, FrameSpec(num_frames=16))
    start = time.perf_counter()
    seek_images, seek_times = decode_at(path, times)
    seek = time.perf_counter() - start
    start = time.perf_counter()
    all_images, all_times = decode_all(path, times)
    full = time.perf_counter() - start
    assert seek_times == all_times and np.array_equal(seek_images, all_images)
    print(f"16 uniform frames of a {MINUTES}-minute {HEIGHT}p video ({MINUTES * 60 * FPS} frames)")
    print(f"{'method':<24}{'seconds':>9}")
    print(f"{'decode every frame':<24}{full:>9.2f}")
    print(f"{'seek (ours)':<24}{seek:>9.2f}")
    print(f"speed-up: {full / seek:.0f}x (target >= 10), identical frames")

    with tempfile.TemporaryDirectory() as out:
        config = RunConfig(
            model="probe",
            tasks="synth_hivtg",
            output=Path(out),
            sbert="none",
            progress=False,
            bootstrap=0,
            frame_cache_mb=64,
        )
        run(config, model=Probe())
        frames = read_json(Path(out) / "run.json")["frames"]
        queries = read_json(Path(out) / "run.json")["tasks"]["synth_hivtg"]["n"]
    print(
        f"synth_hivtg: {queries} queries, {frames['distinct_videos']} distinct videos, "
        f"{frames['decodes']} decodes"
    )
    print(
        f"frame cache peak {frames['cache_peak_bytes'] / 2**20:.1f} MiB "
        f"of a {frames['cache_limit_bytes'] / 2**20:.0f} MiB bound"
    )


if __name__ == "__main__":
    main()
