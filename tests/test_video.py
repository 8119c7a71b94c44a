"""Frame sampling and decoding: seeks agree with a full decode, each video decoded once, errors named."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from benchmark.models.base import Model
from benchmark.records import VideoRef, read_json, read_run_file
from benchmark.runner import RunConfig, run
from benchmark.synth.split import ensure_split
from benchmark.video import (
    FrameCache,
    FrameSpec,
    VideoError,
    VideoLoader,
    decode_all,
    decode_at,
    frame_size,
    sample_times,
)


@pytest.fixture(scope="module")
def split():
    return ensure_split()


def a_video(split):
    return sorted((split / "videos").glob("*.mp4"))[0]


def test_sampling_rules():
    assert sample_times(4.0, FrameSpec(num_frames=2), offset=10.0) == [11.0, 13.0]
    assert len(sample_times(1000.0, FrameSpec(fps=2.0, max_frames=768))) == 768
    assert len(sample_times(0.5, FrameSpec(fps=2.0, min_frames=4))) == 4
    h, w = frame_size(480, 640, 768, FrameSpec())  # RA-RFT budget: 3584*28*28 over 768 frames
    assert h % 28 == 0 and w % 28 == 0 and h * w <= max(3584 * 28 * 28 / 768, 16 * 28 * 28)
    assert frame_size(120, 160, 8, FrameSpec(total_pixels=None, max_pixels=None)) == (112, 140)


def test_seeking_gives_the_frames_a_full_decode_gives(split):
    path = a_video(split)
    times = [0.3, 2.1, 2.4, 5.0, 9.7]
    seek_images, seek_times = decode_at(path, times)
    all_images, all_times = decode_all(path, times)
    assert seek_times == all_times
    assert np.array_equal(seek_images, all_images)
    assert all(abs(a - b) <= 1 / 16 for a, b in zip(seek_times, sorted(times), strict=True))


def test_segment_start_and_end_are_honoured(split):
    loader = VideoLoader(split, FrameSpec(num_frames=4, total_pixels=None, max_pixels=None))
    path = a_video(split).relative_to(split).as_posix()
    frames = loader.frames(VideoRef(path, start=2.0, end=4.0))
    assert frames.images.shape[0] == 4
    assert all(2.0 <= t <= 4.0 for t in frames.timestamps)


def test_each_video_is_decoded_once_and_the_cache_is_bounded(split):
    cache = FrameCache(max_bytes=10 * 1024 * 1024)
    loader = VideoLoader(split, FrameSpec(num_frames=8), cache)
    paths = [p.relative_to(split).as_posix() for p in sorted((split / "videos").glob("*.mp4"))[:3]]
    for _ in range(4):
        for path in paths:
            loader.frames(VideoRef(path))
    assert loader.decodes == 3 and loader.stats()["distinct_videos"] == 3
    assert cache.peak_bytes <= cache.max_bytes


def test_missing_and_corrupt_videos_name_the_path(split, tmp_path):
    loader = VideoLoader(tmp_path, FrameSpec(num_frames=2))
    with pytest.raises(VideoError, match=r"nope\.mp4: not found under the video root"):
        loader.frames(VideoRef("nope.mp4"))
    (tmp_path / "broken.mp4").write_bytes(b"not a video at all")
    with pytest.raises(VideoError, match=r"broken\.mp4"):
        loader.frames(VideoRef("broken.mp4"))
    with pytest.raises(VideoError, match="no video root"):
        VideoLoader(None, FrameSpec()).frames(VideoRef("x.mp4"))


class FrameProbe(Model):
    """Says how many frames it saw and their mean colour: outputs change when the video does."""

    name = "frame-probe"
    needs_frames = True
    frame_spec = FrameSpec(num_frames=4, total_pixels=None, max_pixels=None)

    def generate(self, requests):
        return [
            f"<answer>The video does not contain it.</answer> frames={len(r.frames.timestamps)} "
            f"mean={r.frames.images.mean():.2f} first={r.frames.timestamps[0]}"
            for r in requests
        ]


def test_runs_decode_each_video_once_and_record_missing_videos(split, tmp_path):
    videos = tmp_path / "videos"
    shutil.copytree(split / "videos", videos / "videos")
    missing = sorted((videos / "videos").glob("*.mp4"))[0]
    missing.unlink()
    config = RunConfig(model="frame-probe", tasks="synth_hivtg", output=tmp_path / "run", limit=40,
                       video_root=str(videos), sbert="none", progress=False, bootstrap=0)  # fmt: skip
    outcome = run(config, model=FrameProbe())
    responses, _ = read_run_file(tmp_path / "run" / "samples" / "synth_hivtg.jsonl")
    errors = [r for r in responses if r.error]
    assert errors and all(
        missing.name in r.error and r.error.startswith("VideoError") for r in errors
    )
    texts = {r.text for r in responses if r.ok}
    assert len(texts) > 1 and all("frames=4" in t for t in texts)
    frames = read_json(tmp_path / "run" / "run.json")["frames"]
    assert frames["decodes"] == frames["distinct_videos"] >= 2
    assert outcome.results.tasks["synth_hivtg"].errors == len(errors)
    json.dumps(frames)
