"""run.json and results.json as typed records: read back what was written, keep what is unknown,
name what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.errors import RecordError
from benchmark.run_records import Results, RunInfo, TaskProvenance, TaskResult
from benchmark.runner import RunConfig, run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "run"
    run(RunConfig(model="random", tasks="synth_hivtg,synth_qa", output=out, limit=10,
                  sbert="none", progress=False, bootstrap=20))  # fmt: skip
    return out


def test_the_files_of_a_run_read_back_as_they_were_written(run_dir):
    for name, record in (("run.json", RunInfo), ("results.json", Results)):
        written = (run_dir / name).read_text()
        again = json.dumps(record.from_dict(json.loads(written)).to_dict(), indent=2) + "\n"
        assert again == written, name


FIXTURES = Path(__file__).with_name("fixtures")


@pytest.mark.parametrize(
    ("name", "record"), [("run_0.1.0.json", RunInfo), ("results_0.1.0.json", Results)]
)
def test_files_written_by_the_release_before_the_typed_records_write_back_byte_for_byte(
    name, record
):
    """The files of a run made at 97b0819 (before these records existed): same keys, same order."""
    written = (FIXTURES / name).read_text()
    again = json.dumps(
        record.from_dict(json.loads(written)).to_dict(), indent=2, ensure_ascii=False
    )
    assert again + "\n" == written


def test_typed_fields(run_dir):
    info = RunInfo.from_dict(json.loads((run_dir / "run.json").read_text()))
    assert info.status == "complete" and info.model["registry_name"] == "random"
    assert isinstance(info.tasks["synth_qa"], TaskProvenance) and info.tasks["synth_qa"].n == 10
    assert info.tasks["synth_qa"].prompt == "qa_v1"
    results = Results.from_dict(json.loads((run_dir / "results.json").read_text()))
    entry = results.tasks["synth_hivtg"]
    assert isinstance(entry, TaskResult) and entry.family == "grounding" and entry.version == "1.0"
    assert entry.n == 10 and set(entry.ci) <= set(entry.metrics)


def test_keys_this_version_does_not_know_survive_a_read_and_a_write(run_dir):
    data = json.loads((run_dir / "run.json").read_text())
    data["model_card"] = {"display_name": "Random 50%"}
    assert RunInfo.from_dict(data).to_dict()["model_card"] == {"display_name": "Random 50%"}


def test_an_older_run_json_without_task_prompts_still_reads():
    data = {"version": "1.0", "family": "qa", "n": 3, "samples_sha256": "0" * 64}
    task = TaskProvenance.from_dict(data)
    assert task.prompt is None and "prompt" not in task.to_dict()


def test_a_missing_or_unknown_field_names_the_file_and_task():
    with pytest.raises(RecordError, match=r"results\.json: task 'x': missing field 'metrics'"):
        Results.from_dict({"tasks": {"x": {"n": 1}}})
    entry = {"n": 0, "metrics": {}, "ci": {}, "breakdowns": {}, "judge": "rules", "failures": 0,
             "missing": 0, "failure_rate": 0.0, "colour": "red"}  # fmt: skip
    with pytest.raises(RecordError, match="unknown field 'colour'"):
        TaskResult.from_dict(entry)
