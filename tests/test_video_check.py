"""`refusal-bench data check-videos`: missing, unreadable and too-short videos of a task, found
by a parallel probe before a run."""

from __future__ import annotations

import json

from data_fixtures import RAVTG_GROUPS
from test_data_formats import write_tiny_video

from benchmark.cli import main
from benchmark.data.video_check import check_videos
from benchmark.records import Sample, VideoRef


def grounding(i, video, span=None, **meta):
    return Sample(id=f"s{i}", task="t", video=VideoRef(video), question="q",
                  kind="relevant" if span else "irrelevant", span=span, meta=meta)  # fmt: skip


def test_each_kind_of_problem_is_found_and_named(tmp_path):
    videos = tmp_path / "videos" / "deep" / "folder"
    videos.mkdir(parents=True)
    write_tiny_video(videos / "ok.mp4", seconds=3.0)
    write_tiny_video(videos / "short.mp4", seconds=2.0)
    write_tiny_video(videos / "clipped.mp4", seconds=2.0)
    (videos / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 not really a video")
    samples = [
        grounding(0, "ok.mp4", (0.5, 2.9)),
        grounding(1, "ok.mp4"),  # a second query of the same video: probed once
        grounding(2, "short.mp4", (1.0, 6.0)),
        grounding(3, "clipped.mp4", (1.0, 2.0), annotated_span=[1.0, 7.5]),  # as annotated
        grounding(4, "broken.mp4", (0.0, 1.0)),
        grounding(5, "/data/elsewhere/gone.mp4", (0.0, 1.0)),
    ]
    report = check_videos(samples, tmp_path / "videos", workers=4)
    assert (report.videos, report.samples, report.ok) == (5, 6, 1)
    assert report.problems["missing"] == [("gone.mp4", "")]
    assert [name for name, _ in report.problems["unreadable"]] == ["broken.mp4"]
    short = dict(report.problems["short"])
    assert set(short) == {"short.mp4", "clipped.mp4"} and "spans to 6.0 s" in short["short.mp4"]
    assert report.failed
    assert any(line.strip().startswith("missing") and "gone.mp4" in line
               for line in report.lines())  # fmt: skip


def test_the_command_lists_problems_and_exits_1_then_0_once_fixed(tmp_path, capsys):
    data = tmp_path / "data" / "RA-RFT" / "dataset" / "anno"
    data.mkdir(parents=True)
    (data / "hi_vtg_tvgbench.json").write_text(json.dumps(RAVTG_GROUPS))
    videos = tmp_path / "videos"
    videos.mkdir()
    write_tiny_video(videos / "v_aaa.mp4", seconds=10.0)
    argv = ["data", "check-videos", "--tasks", "hi_tvgbench", "--data-root",
            str(tmp_path / "data"), "--video-root", str(videos)]  # fmt: skip
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "hi_tvgbench: 2 videos of 6 samples" in out and "missing     1: v_bbb.mp4" in out
    write_tiny_video(videos / "v_bbb.mp4", seconds=31.0)
    assert main(argv) == 0
    assert "ok          2" in capsys.readouterr().out


def test_a_video_root_that_is_not_a_folder_is_a_usage_error(tmp_path, capsys):
    data = tmp_path / "data" / "RA-RFT" / "dataset" / "anno"
    data.mkdir(parents=True)
    (data / "hi_vtg_tvgbench.json").write_text(json.dumps(RAVTG_GROUPS))
    assert main(["data", "check-videos", "--tasks", "hi_tvgbench", "--data-root",
                 str(tmp_path / "data"), "--video-root", str(tmp_path / "nope")]) == 2  # fmt: skip
    assert "is not a folder" in capsys.readouterr().err
