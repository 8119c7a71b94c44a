"""Records: validation that names file, line and field; JSON/JSONL round trips; torn tails."""

from __future__ import annotations

import json

import pytest

from benchmark.records import (
    Judgment,
    RecordError,
    Response,
    Sample,
    VideoRef,
    append_records,
    from_dict,
    read_json,
    read_records,
    read_run_file,
    to_dict,
    write_json,
    write_jsonl,
)


def grounding_sample(**overrides):
    data = {
        "id": "v_abc#0",
        "task": "hi_tvgbench",
        "video": {"path": "videos/v_abc.mp4"},
        "question": "A man opens a door.",
        "kind": "relevant",
        "span": [1.5, 4.0],
        "duration": 30.0,
        "difficulty": "original",
    }
    return data | overrides


def test_sample_round_trip_keeps_only_the_fields_that_apply():
    sample = from_dict(Sample, grounding_sample())
    assert sample.span == (1.5, 4.0)
    assert sample.video == VideoRef("videos/v_abc.mp4")
    assert to_dict(sample) == grounding_sample()
    assert from_dict(Sample, to_dict(sample)) == sample


def test_video_may_be_given_as_a_plain_path():
    sample = from_dict(Sample, grounding_sample(video="a/b/clip.avi"))
    assert sample.video.path == "a/b/clip.avi"
    assert sample.video.stem == "clip"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"span": [4.0, 1.5]}, "field 'span': start 4.0 is after end 1.5"),
        ({"span": [1.0]}, "field 'span': expected \\[start, end\\]"),
        ({"span": ["a", 2]}, "field 'span': expected a finite number"),
        ({"kind": "maybe"}, "field 'kind': expected one of answerable, unanswerable"),
        ({"difficulty": "hard"}, "field 'difficulty': expected one of original"),
        ({"duration": -1}, "field 'duration': expected seconds >= 0"),
        ({"id": ""}, "field 'id': must not be empty"),
        (
            {"categories": "Object/ObjectExistence"},
            "field 'categories': expected a list of strings",
        ),
        ({"spam": 1}, "unknown field 'spam'"),
        ({"video": {"path": "x.mp4", "start": "zero"}}, "field 'video': field 'start'"),
    ],
)
def test_bad_fields_are_named(override, message):
    with pytest.raises(RecordError, match=message):
        from_dict(Sample, grounding_sample(**override), where="data.jsonl:3")


def test_error_names_file_line_and_sample():
    with pytest.raises(RecordError, match=r"^data.jsonl:3: sample 'v_abc#0': field 'span'"):
        from_dict(Sample, grounding_sample(span=[3, 1]), where="data.jsonl:3")


def test_missing_required_field():
    data = grounding_sample()
    del data["question"]
    with pytest.raises(RecordError, match="missing field 'question'"):
        from_dict(Sample, data)


def test_unknown_categories_are_kept():
    sample = from_dict(
        Sample, grounding_sample(kind="irrelevant", categories=["Action/SceneTransition"])
    )
    assert sample.categories == ("Action/SceneTransition",)


def test_an_ok_judgment_needs_a_verdict():
    with pytest.raises(RecordError, match="needs a verdict"):
        from_dict(Judgment, {"sample_id": "x", "judge": "rules", "status": "ok"})
    failed = from_dict(
        Judgment, {"sample_id": "x", "judge": "rules", "status": "api_error", "error": "503"}
    )
    assert not failed.ok


def test_consistency_must_be_on_the_0_to_5_scale():
    with pytest.raises(RecordError, match="field 'consistency': expected a score in \\[0, 5\\]"):
        from_dict(
            Judgment, {"sample_id": "x", "judge": "j", "verdict": "irrelevant", "consistency": 7}
        )


def test_read_records_names_the_line(tmp_path):
    path = tmp_path / "samples.jsonl"
    good = json.dumps(grounding_sample())
    bad = json.dumps(grounding_sample(id="v_abc#1", kind="sideways"))
    path.write_text(f"{good}\n\n{bad}\n")
    with pytest.raises(RecordError, match=rf"{path}:3: sample 'v_abc#1': field 'kind'"):
        read_records(path, Sample)


def test_malformed_json_names_the_line(tmp_path):
    path = tmp_path / "samples.jsonl"
    path.write_text(json.dumps(grounding_sample()) + "\n{not json\n")
    with pytest.raises(RecordError, match=rf"{path}:2: not valid JSON"):
        read_records(path, Sample)


def test_missing_file_is_a_record_error(tmp_path):
    with pytest.raises(RecordError, match="file not found"):
        read_json(tmp_path / "nope.json")
    with pytest.raises(RecordError, match="file not found"):
        read_records(tmp_path / "nope.jsonl", Sample)


def test_json_round_trip_is_atomic(tmp_path):
    path = tmp_path / "sub" / "results.json"
    write_json(path, {"tasks": {}})
    assert read_json(path) == {"tasks": {}}
    assert not (tmp_path / "sub" / "results.json.tmp").exists()
    (tmp_path / "bad.json").write_text('{"a": }')
    with pytest.raises(RecordError, match=r"bad\.json:1: not valid JSON"):
        read_json(tmp_path / "bad.json")


def test_run_file_round_trip(tmp_path):
    path = tmp_path / "samples" / "t.jsonl"
    response = Response(sample_id="a", model="m", text="<answer>1 to 2</answer>", latency_s=0.5)
    judgment = Judgment(sample_id="a", judge="rules", verdict="relevant", span=(1.0, 2.0))
    append_records(path, [response])
    append_records(path, [judgment])
    assert read_run_file(path) == ([response], [judgment])


def test_run_file_survives_a_torn_last_line(tmp_path):
    path = tmp_path / "t.jsonl"
    first = Response(sample_id="a", model="m", text="x")
    append_records(path, [first])
    with path.open("a") as fh:
        fh.write('{"type": "response", "sample_id": "b", "mod')  # killed mid-write
    assert read_run_file(path) == ([first], [])
    second = Response(sample_id="b", model="m", text="y")
    append_records(path, [second])  # resuming heals the tail before appending
    assert read_run_file(path, tolerate_torn_tail=False) == ([first, second], [])


def test_run_file_rejects_untyped_lines(tmp_path):
    path = tmp_path / "t.jsonl"
    write_jsonl(path, [{"sample_id": "a"}])
    with pytest.raises(RecordError, match=r":1: field 'type' must be"):
        read_run_file(path)


def test_a_torn_line_in_the_middle_is_an_error(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"type": "resp\n{"type": "response", "sample_id": "a", "model": "m"}\n')
    with pytest.raises(RecordError, match=":1: not valid JSON"):
        read_run_file(path)
