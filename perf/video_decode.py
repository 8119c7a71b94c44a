"""Frame sampling: seeking vs decoding every frame, decodes per run, and the frame cache bound.

1. 16 uniform frames from a 10-minute 480p H.264 video (rendered here once, cached in the temp
   folder): `decode_at` (seek to the keyframe before each time) vs `decode_all` (decode every
   frame). Target: ≥ 10× faster, same frames.
2. A run of a frame-reading model on synth_hivtg: decodes vs distinct videos (target: equal) and
   the frame cache's peak bytes against its bound.
3. The frames of every synth_hivtg query (32 each, scaled to the model's size) with one scaling
   thread (`benchmark.video.SCALER_THREADS`, ours) against FFmpeg's automatic count, alone and
   beside a process that keeps a core busy, as a model generating on the CPU does.

    python perf/video_decode.py
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmark import video
from benchmark.models.base import Model
from benchmark.records import read_json
from benchmark.registry import load_registry
from benchmark.runner import RunConfig, run
from benchmark.task_loading import load_task
from benchmark.video import FrameCache, FrameSpec, VideoLoader, decode_all, decode_at, sample_times

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
    scaler_threads()


def scaler_threads() -> None:
    loaded = load_task(load_registry().tasks["synth_hivtg"])
    spec = FrameSpec(num_frames=32, max_pixels=64 * 28 * 28)  # frames scaled, as models take them

    def seconds(threads: int) -> tuple[float, list]:
        video.SCALER_THREADS = threads
        loader = VideoLoader(loaded.video_root, spec, FrameCache())
        start = time.perf_counter()
        images = [loader.frames(s.video).images for s in loaded.samples]
        return time.perf_counter() - start, images

    rows = {}
    for beside in (False, True):
        busy = multiprocessing.get_context("fork").Process(target=_spin, daemon=True)
        if beside:
            busy.start()
        for threads in (0, 1):
            rows[threads, beside] = seconds(threads)
        if beside:
            busy.terminate()
    video.SCALER_THREADS = 1
    same = all(
        np.array_equal(a, b)
        for x in (False, True)
        for a, b in zip(rows[0, x][1], rows[1, x][1], strict=True)
    )
    print(f"synth_hivtg: {len(loaded.samples)} queries x 32 frames, fresh cache each")
    print(f"{'scaler threads':<24}{'alone s':>9}{'beside a busy core s':>22}")
    for threads, name in ((0, "automatic (FFmpeg)"), (1, "one (ours)")):
        print(f"{name:<24}{rows[threads, False][0]:>9.2f}{rows[threads, True][0]:>22.2f}")
    print(
        f"speed-up: {rows[0, False][0] / rows[1, False][0]:.1f}x alone, "
        f"{rows[0, True][0] / rows[1, True][0]:.1f}x beside a busy core; "
        f"{'identical' if same else 'DIFFERENT'} frames"
    )


def _spin() -> None:
    while True:
        pass


if __name__ == "__main__":
    main()
