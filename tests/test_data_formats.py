"""Loaders of every source format, on small files the tests write, quirks and bad input included."""

from __future__ import annotations

import json

import pytest
from data_fixtures import (
    ANET_CAPTIONS,
    CHARADES_CSV,
    CHARADES_STA,
    QVHIGHLIGHTS,
    RATSG,
    RAVTG_GROUPS,
    UVQA_ANSWERABLE,
    UVQA_OBJECT,
    UVQA_TRAIN_NEGATIVE_OBJECT,
    write_clone_layout,
    write_released_extras,
    write_training_sources,
)

from benchmark.data import data_status
from benchmark.data.grounding_formats import (
    load_activitynet_captions,
    load_charades_sta,
    load_qvhighlights,
    load_ratsg,
    read_charades_durations,
)
from benchmark.data.ravtg import load_ravtg
from benchmark.data.report import LoadReport
from benchmark.data.uvqa import load_uvqa, load_uvqa_answerable
from benchmark.errors import MissingDataError, RecordError
from benchmark.registry import load_registry
from benchmark.task_loading import load_task


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


@pytest.fixture
def ravtg(tmp_path):
    report = LoadReport("t")
    return load_ravtg(write(tmp_path, "groups.json", RAVTG_GROUPS), task="t", report=report), report


# --- RA-VTG group schema ----------------------------------------------------------------------------


def test_one_sample_per_query_with_stable_ids_across_entries_of_a_video(ravtg):
    samples, _ = ravtg
    assert [s.id for s in samples] == [
        "v_aaa#0",
        "v_aaa#1",
        "v_bbb#0",
        "v_bbb#1",
        "v_aaa#2",
        "v_aaa#3",
    ]


def test_difficulty_is_mapped_explicitly(ravtg):
    samples, _ = ravtg
    assert [s.difficulty for s in samples] == [
        "original",
        "strong",
        "original",
        "weak",
        "original",
        "moderate",
    ]


def test_video_paths_are_remapped_by_file_name(ravtg):
    samples, _ = ravtg
    assert samples[0].video.path == "v_aaa.mp4"
    assert samples[0].meta["original_video"] == "dataset/videos/tvgbench/v_aaa.mp4"


def test_reversed_span_is_swapped_and_clipped_to_the_duration(ravtg):
    samples, report = ravtg
    assert samples[2].span == (12.0, 20.0)
    assert report.counts["reversed span (swapped)"] == 1
    assert report.counts["span past the end of the video (clipped to the duration)"] == 1


def test_empty_query_is_dropped_and_counted(ravtg):
    samples, report = ravtg
    assert report.counts["empty query text (dropped)"] == 1
    assert all(s.question.strip() for s in samples)


def test_unknown_categories_are_kept_and_counted(ravtg):
    samples, report = ravtg
    assert samples[3].categories == (
        "Attribute/Counting",
        "Object/ObjectMoving",
        "Action/SceneTransition",
    )
    assert report.unknown_categories == {"Action/SceneTransition": 1}
    assert any("unknown categories" in line for line in report.lines())


def test_correct_and_correction_tags_both_give_the_correction(ravtg):
    samples, _ = ravtg
    assert samples[3].meta["correction"] == "A dog runs to the left."
    assert "correction" not in samples[2].meta  # empty <correct></correct>


def test_tvgbench_refusal_tail_moves_to_meta(ravtg):
    samples, _ = ravtg
    assert samples[1].refusal == "The door in the video is red, not blue."
    assert samples[1].meta["edited_keywords"] == ["blue"]
    assert samples[5].refusal == "He sits, he does not stand."


def test_simply_shuffled_files_mark_irrelevant_queries_shuffled(tmp_path):
    samples = load_ravtg(
        write(tmp_path, "ss.json", RAVTG_GROUPS), task="t", report=LoadReport("t"), shuffled=True
    )
    assert {s.difficulty for s in samples if s.kind == "irrelevant"} == {"shuffled"}


def test_duration_missing_from_the_file_stays_unknown(ravtg):
    samples, _ = ravtg
    assert samples[0].duration is None and samples[2].duration == 20.0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"not": "a list"}, "expected a JSON list"),
        ([{"query_text": "x", "GRPO": []}], r"entry 0: missing field 'video'"),
        (
            [{"video": "a.mp4", "GRPO": [{"q": "x", "r": "yes"}]}],
            r"entry 0, query 0: field 'r' must be true or false",
        ),
        (
            [{"video": "a.mp4", "timestamp": [1], "GRPO": []}],
            r"entry 0: field 'timestamp' must be \[start, end\]",
        ),
        (
            [{"video": "a.mp4", "GRPO": [{"q": "x", "r": False, "c": "Object"}]}],
            r"field 'c' must be a list",
        ),
    ],
)
def test_bad_entries_name_the_file_item_and_field(tmp_path, data, message):
    with pytest.raises(RecordError, match=rf"^groups\.json: .*{message}|groups\.json.*{message}"):
        load_ravtg(write(tmp_path, "groups.json", data), task="t", report=LoadReport("t"))


def test_malformed_json_names_file_and_position(tmp_path):
    path = write(tmp_path, "groups.json", '[{"video": "a.mp4",\n "GRPO": [}]')
    with pytest.raises(RecordError, match=r"groups\.json:2: not valid JSON"):
        load_ravtg(path, task="t", report=LoadReport("t"))


# --- UVQA ----------------------------------------------------------------------------------------------


def test_uvqa_keeps_the_altered_element(tmp_path):
    report = LoadReport("u")
    samples = load_uvqa(
        write(tmp_path, "eval_object.json", UVQA_OBJECT),
        task="uvqa_object",
        category="object",
        report=report,
    )
    assert [s.id for s in samples] == ["Xyz-123#0", "Xyz-123#1"]
    assert samples[0].altered == "belt"
    assert samples[0].kind == "unanswerable" and samples[0].categories == ("object",)
    assert samples[0].refusal == "There is no belt in the video."
    assert samples[0].meta["generated_relation"] == "barber beside belt"
    assert report.counts["empty question (dropped)"] == 1


def test_uvqa_answerable_counterpart(tmp_path):
    samples = load_uvqa_answerable(
        write(tmp_path, "a.json", UVQA_ANSWERABLE), task="uvqa_answerable", report=LoadReport("a")
    )
    assert [(s.kind, s.answer) for s in samples] == [
        ("answerable", "A red cup."),
        ("answerable", "In a kitchen."),
    ]


def test_uvqa_missing_question_field_names_the_item(tmp_path):
    with pytest.raises(RecordError, match=r"item 1: missing field 'new_question'"):
        load_uvqa(
            write(tmp_path, "e.json", [UVQA_OBJECT[0], {"vid": "x"}]),
            task="t",
            category="object",
            report=LoadReport("t"),
        )


# --- plain grounding formats ------------------------------------------------------------------------


def test_charades_sta_lines_with_durations_from_the_csv(tmp_path):
    durations = read_charades_durations(write(tmp_path, "Charades_v1_test.csv", CHARADES_CSV))
    report = LoadReport("c")
    samples = load_charades_sta(
        write(tmp_path, "sta.txt", CHARADES_STA), task="c", report=report, durations=durations
    )
    assert [(s.id, s.span, s.duration) for s in samples] == [
        ("AAA01#0", (1.0, 4.0), 10.5),
        ("BBB02#0", (3.0, 9.0), 12.0),
        ("BBB02#1", (3.0, 9.0), 12.0),
    ]
    assert report.counts["reversed span (swapped)"] == 1


def test_charades_sta_bad_line_names_the_line(tmp_path):
    with pytest.raises(RecordError, match=r"sta\.txt:2: expected 'VID START END##sentence'"):
        load_charades_sta(
            write(tmp_path, "sta.txt", "A 1 2##x\nA 1##y\n"), task="c", report=LoadReport("c")
        )


def test_ratsg_relevance_json(tmp_path):
    report = LoadReport("r")
    samples = load_ratsg(write(tmp_path, "rf.json", RATSG), task="r", report=report)
    assert [(s.id, s.kind, s.difficulty) for s in samples] == [
        ("AAA01-0000", "relevant", "original"),
        ("BBB02-1000", "irrelevant", "shuffled"),
        ("BBB02-0000", "relevant", "original"),
        ("CCC03-0000", "relevant", "original"),
    ]
    assert report.counts["duplicate id (later item dropped)"] == 1


def test_activitynet_captions(tmp_path):
    report = LoadReport("a")
    samples = load_activitynet_captions(
        write(tmp_path, "val_2.json", ANET_CAPTIONS), task="a", report=report
    )
    assert [(s.id, s.question, s.span) for s in samples] == [
        ("v_anet1#0", "A man talks.", (0.0, 10.0)),
        ("v_anet1#1", "He plays a guitar.", (15.0, 60.0)),
        ("v_anet2#0", "A woman dances.", (5.0, 25.0)),
    ]


def test_qvhighlights_negatives_and_several_windows(tmp_path):
    path = tmp_path / "qv.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in QVHIGHLIGHTS))
    report = LoadReport("q")
    samples = load_qvhighlights(path, task="q", report=report)
    first, negative, clipped = samples
    assert first.span == (10.0, 20.0) and first.windows == ((10.0, 20.0), (40.0, 50.0))
    assert first.gold_spans == first.windows
    assert (negative.kind, negative.difficulty, negative.span) == ("irrelevant", "shuffled", None)
    assert clipped.span == (100.0, 150.0)
    assert first.id != negative.id  # the same qid on two videos


# --- data root layouts -------------------------------------------------------------------------------


def test_a_folder_of_clones_a_single_clone_and_a_flat_folder_all_work(tmp_path):
    clones = write_clone_layout(tmp_path / "clones")
    assert len(load_task("hi_tvgbench", data_root=clones).samples) == 6
    assert len(load_task("hi_tvgbench", data_root=clones / "RA-RFT").samples) == 6
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "hi_vtg_tvgbench.json").write_text(json.dumps(RAVTG_GROUPS))
    assert len(load_task("hi_tvgbench", data_root=flat).samples) == 6


def test_data_root_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("REFUSAL_BENCH_DATA", str(write_clone_layout(tmp_path)))
    assert len(load_task("uvqa_object").samples) == 2


def test_missing_file_names_every_path_tried_and_the_origin(tmp_path):
    with pytest.raises(MissingDataError) as info:
        load_task("hi_charades", data_root=tmp_path)
    message = str(info.value)
    assert str(tmp_path / "RA-RFT/dataset/anno/hi_vtg_charades.json") in message
    assert str(tmp_path / "hi_vtg_charades.json") in message
    assert "JINSUBY/RA-RFT" in message


def test_no_data_root_says_how_to_set_one(monkeypatch):
    monkeypatch.delenv("REFUSAL_BENCH_DATA", raising=False)
    with pytest.raises(MissingDataError, match="--data-root DIR or set REFUSAL_BENCH_DATA"):
        load_task("uvqa_object")


def test_simply_shuffled_sets_fall_back_to_building_from_a_plain_set(tmp_path):
    root = write_clone_layout(tmp_path)
    present, how = data_status(load_registry().tasks["ss_charades"].data, root)
    assert present and "RaTSG" in how
    samples = load_task("ss_charades", data_root=root).samples
    relevant = [s for s in samples if s.kind == "relevant"]
    shuffled = [s for s in samples if s.kind == "irrelevant"]
    assert len(relevant) == len(shuffled) == 3
    anet = load_task("ss_activitynet", data_root=root).samples
    assert len(anet) == 6


def test_the_released_activitynet_and_answerable_files_load_for_their_tasks(tmp_path):
    root = write_released_extras(tmp_path)
    hi = load_task("hi_activitynet", data_root=root)
    assert [(s.kind, s.difficulty) for s in hi.samples] == [
        ("relevant", "original"), ("irrelevant", "strong"), ("irrelevant", "moderate"),
    ]  # fmt: skip
    assert hi.samples[0].video.path == "v_Xq1a2B3c4D5.mp4" and hi.samples[0].span == (12.4, 47.9)
    assert hi.samples[2].categories == ("Object/ObjectExistence", "Scene/SceneExistence")
    ss = load_task("ss_activitynet", data_root=root)
    assert ss.how == "RA-RFT release"
    relevant, shuffled = ss.samples
    assert relevant.span == (12.4, 131.2)  # clipped; the ra-rft protocol scores (12.4, 140.0)
    assert relevant.meta["annotated_span"] == [12.4, 140.0]
    assert (shuffled.difficulty, shuffled.refusal, shuffled.categories) == ("shuffled", None, ())
    answerable = load_task("uvqa_answerable", data_root=root)
    assert answerable.how.startswith("UVQA release")
    assert [(s.kind, s.answer) for s in answerable.samples] == [
        ("answerable", "A red cup."), ("answerable", "In a kitchen."),
    ]  # fmt: skip


def test_training_sources_load_with_their_negatives(tmp_path):
    root = write_training_sources(tmp_path)
    assert load_registry().tasks["hi_vtg_train"].split == "train"
    assert len(load_task("hi_vtg_train", data_root=root).samples) == 6
    train = load_task("uvqa_train_object", data_root=root).samples
    assert [(s.kind, s.altered, s.meta["negative"]) for s in train] == [
        ("unanswerable", "dog", "A bone."), ("unanswerable", "horse", "In a field."),
    ]  # fmt: skip
    chat = load_task("uvqa_train_answerable", data_root=root).samples
    assert [s.id for s in chat][:2] == ["v_chat1#0", "v_chat1#1"]  # ids unique across chunks
    assert [s.answer for s in chat] == [f"Part {k}." for k in range(1, 6)]
    assert {s.meta["negative"] for s in chat} == {"I cannot tell from the video."}
    # a negatives file that does not pair with its training file is refused, naming both
    (root / "UVQA/dataset/uvqa/object/train_negative_object.json").write_text(
        json.dumps(UVQA_TRAIN_NEGATIVE_OBJECT[:1])
    )
    with pytest.raises(RecordError, match=r"train_object.json hold 2 items but the negatives "
                       r"train_negative_object.json hold 1"):  # fmt: skip
        load_task("uvqa_train_object", data_root=root)


def test_a_file_of_your_own_in_a_source_format(tmp_path):
    path = write(tmp_path, "mine.json", RAVTG_GROUPS[:1])
    assert len(load_task("human_ravtg", data_root=tmp_path, path=path).samples) == 2
    with pytest.raises(MissingDataError, match=r"nope\.json: file not found"):
        load_task("human_ravtg", path=tmp_path / "nope.json")


def write_tiny_video(path, seconds=2.0, fps=10):
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(
                np.full((32, 32, 3), i * 10 % 255, np.uint8), format="rgb24"
            )
            container.mux(stream.encode(frame))
        container.mux(stream.encode())


def test_durations_missing_from_the_file_are_read_from_the_videos(tmp_path):
    root = write_clone_layout(tmp_path / "data")
    videos = tmp_path / "videos" / "nested"
    videos.mkdir(parents=True)
    write_tiny_video(videos / "v_aaa.mp4", seconds=2.0)
    loaded = load_task("hi_tvgbench", data_root=root, video_root=tmp_path / "videos")
    by_video = {s.video.path: s.duration for s in loaded.samples}
    assert by_video["v_aaa.mp4"] == pytest.approx(2.0, abs=0.15)
    assert by_video["v_bbb.mp4"] == 20.0  # from the file
    assert all(s.duration is not None for s in loaded.samples)


@pytest.mark.parametrize("load", [load_ratsg, load_activitynet_captions])
def test_video_keyed_files_of_the_wrong_shape_name_the_file_and_the_field(load, tmp_path):
    from benchmark.errors import RecordError

    listed = tmp_path / "list.json"
    listed.write_text("[]")
    with pytest.raises(RecordError, match=r"list\.json: expected a JSON object \{video id"):
        load(listed, task="t", report=LoadReport("t"))
    undated = tmp_path / "undated.json"
    undated.write_text(json.dumps({"v1": {"sts": [], "timestamps": [], "sentences": []}}))
    with pytest.raises(RecordError, match=r"undated\.json.*video 'v1'.*duration"):
        load(undated, task="t", report=LoadReport("t"))
