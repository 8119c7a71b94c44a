"""`refusal-bench run`: run directory, resume, SIGKILL safety, models, score and compare."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from benchmark.cli import main
from benchmark.errors import UsageError
from benchmark.models import load_model, parse_model_args
from benchmark.records import read_json, read_run_file
from benchmark.runner import RunConfig, run
from benchmark.task_loading import load_task


def config(tmp_path, model="always-answer", tasks="synth_hivtg", **kw):
    return RunConfig(
        model=model,
        tasks=tasks,
        output=tmp_path / "run",
        sbert="none",
        progress=False,
        bootstrap=200,
        **kw,
    )


def test_run_writes_the_documented_run_directory(tmp_path):
    outcome = run(config(tmp_path, limit=40))
    out = tmp_path / "run"
    info = read_json(out / "run.json")
    assert info["status"] == "complete" and info["model"]["registry_name"] == "always-answer"
    assert info["prompts"] == {"grounding": "ravtg_v1", "qa": "qa_v1"}
    assert info["judge"]["name"] == "rules[sbert=none]"
    task = info["tasks"]["synth_hivtg"]
    assert task["n"] == 40 and len(task["samples_sha256"]) == 64 and task["version"] == "1.0"
    results = read_json(out / "results.json")
    entry = results["tasks"]["synth_hivtg"]
    assert {"n", "metrics", "ci", "breakdowns", "judge", "failures"} <= set(entry)
    assert round(entry["metrics"]["f1_rel"], 3) == 0.667 and entry["metrics"]["f1_irrel"] == 0.0
    responses, judgments = read_run_file(out / "samples" / "synth_hivtg.jsonl")
    assert len(responses) == len(judgments) == 40
    assert not outcome.failed


def test_rerunning_resumes_without_redoing_anything(tmp_path):
    run(config(tmp_path, limit=20))
    path = tmp_path / "run" / "samples" / "synth_hivtg.jsonl"
    before = path.read_text()
    run(config(tmp_path, limit=20))
    assert path.read_text() == before
    run(config(tmp_path, limit=30))  # a larger limit only adds the new samples
    responses, judgments = read_run_file(path)
    assert len(responses) == len(judgments) == 30
    assert len({r.sample_id for r in responses}) == 30


def test_resuming_with_another_model_is_refused(tmp_path):
    run(config(tmp_path, limit=5))
    with pytest.raises(UsageError, match="holds a run of a different model"):
        run(config(tmp_path, model="always-refuse", limit=5))


def test_replay_records_missing_ids_as_errors_never_invents(tmp_path, capsys):
    samples = load_task("synth_qa", limit=6).samples
    predictions = tmp_path / "preds.jsonl"
    predictions.write_text(
        "".join(json.dumps({"id": s.id, "response": "It is red."}) + "\n" for s in samples[:4])
    )
    code = main(
        [
            "run",
            "--model",
            "replay",
            "--model-name",
            "my-model",
            "--model-args",
            f"path={predictions}",
            "--tasks",
            "synth_qa",
            "--limit",
            "6",
            "--output",
            str(tmp_path / "r"),
            "--sbert",
            "none",
            "--no-progress",
        ]
    )
    assert code == 1
    assert "with 2 failed samples" in capsys.readouterr().out
    responses, judgments = read_run_file(tmp_path / "r" / "samples" / "synth_qa.jsonl")
    errors = [r for r in responses if r.error]
    assert [r.sample_id for r in errors] == [s.id for s in samples[4:]]
    assert f"no prediction for id {samples[4].id!r}" in errors[0].error
    assert len(judgments) == 4
    entry = read_json(tmp_path / "r" / "results.json")["tasks"]["synth_qa"]
    assert (entry["n"], entry["errors"], entry["missing"]) == (4, 2, 2)


def test_replay_bad_prediction_line_names_file_and_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "a", "response": "x"}\n{"id": 3}\n')
    with pytest.raises(Exception, match=r"p\.jsonl:2"):
        load_model("replay", {"path": str(path)})


def test_model_arguments_are_checked():
    assert load_model("random", parse_model_args("p_refuse=0.25,seed=3")).p_refuse == 0.25
    with pytest.raises(UsageError, match="takes no argument 'temperature'"):
        load_model("random", {"temperature": "1"})
    with pytest.raises(UsageError, match="argument p_refuse='lots' must be float"):
        load_model("random", {"p_refuse": "lots"})
    with pytest.raises(UsageError, match=r"p_refuse must be in \[0, 1\]"):
        load_model("random", {"p_refuse": "2"})
    with pytest.raises(UsageError, match="unknown model 'gpt-9'"):
        load_model("gpt-9")
    with pytest.raises(UsageError, match="expected key=value"):
        parse_model_args("novalue")


def test_a_failing_sample_is_recorded_and_the_run_goes_on(tmp_path):
    from benchmark.models.reference import AlwaysAnswer

    class Flaky(AlwaysAnswer):
        def generate(self, requests):
            if any(r.sample_id.endswith("#3") for r in requests):
                raise RuntimeError("decoder exploded")
            return super().generate(requests)

    outcome = run(config(tmp_path, limit=12), model=Flaky())
    responses, _ = read_run_file(tmp_path / "run" / "samples" / "synth_hivtg.jsonl")
    failed = [r for r in responses if r.error]
    assert len(failed) >= 1 and all("decoder exploded" in r.error for r in failed)
    assert len(responses) == 12 and outcome.failed


def _run_command(out):
    return [
        sys.executable,
        "-m",
        "benchmark",
        "run",
        "--model",
        "random",
        "--tasks",
        "synth_hivtg,synth_ss",
        "--output",
        str(out),
        "--sbert",
        "none",
        "--batch-size",
        "1",
        "--bootstrap",
        "100",
        "--no-progress",
    ]


def test_sigkill_at_any_point_then_resume_gives_the_uninterrupted_results(tmp_path):
    load_task("synth_hivtg")  # build the split first, outside the timed children
    env = {**os.environ}
    reference = tmp_path / "reference"
    subprocess.run(_run_command(reference), env=env, check=True, capture_output=True)
    killed = tmp_path / "killed"
    for lines_before_kill in (5, 300, 700):
        child = subprocess.Popen(
            _run_command(killed), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.time() + 60
        while time.time() < deadline and child.poll() is None:
            written = (
                sum(p.read_text().count("\n") for p in (killed / "samples").glob("*.jsonl"))
                if (killed / "samples").exists()
                else 0
            )
            if written >= lines_before_kill:
                break
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    subprocess.run(_run_command(killed), env=env, check=True, capture_output=True)
    ours, theirs = read_json(killed / "results.json"), read_json(reference / "results.json")
    for task in ("synth_hivtg", "synth_ss"):
        assert ours["tasks"][task]["metrics"] == theirs["tasks"][task]["metrics"]
        assert ours["tasks"][task]["ci"] == theirs["tasks"][task]["ci"]
        responses, judgments = read_run_file(killed / "samples" / f"{task}.jsonl")
        ids = [s.id for s in load_task(task).samples]
        assert sorted(r.sample_id for r in responses) == sorted(ids)  # each exactly once
        assert sorted(j.sample_id for j in judgments) == sorted(ids)


def test_score_rejudges_an_existing_run_without_generating(tmp_path, capsys):
    run(config(tmp_path, limit=10))
    path = tmp_path / "run" / "samples" / "synth_hivtg.jsonl"
    responses_before, _ = read_run_file(path)
    from benchmark.runner import score_run

    outcome = score_run(tmp_path / "run", sbert="none", progress=False, bootstrap=0, judge="rules")
    responses_after, _ = read_run_file(path)
    assert responses_after == responses_before
    assert outcome.results.tasks["synth_hivtg"].judge == "rules[sbert=none]"


def test_compare_refuses_different_judges_and_compares_paired(tmp_path, capsys):
    base = tmp_path / "base"
    aligned = tmp_path / "aligned"
    common = [
        "--tasks",
        "synth_uvqa,synth_qa",
        "--limit",
        "30",
        "--sbert",
        "none",
        "--no-progress",
        "--bootstrap",
        "100",
    ]
    assert main(["run", "--model", "always-answer", "--output", str(base), *common]) == 0
    assert (
        main(
            [
                "run",
                "--model",
                "random",
                "--model-args",
                "p_refuse=0.5",
                "--output",
                str(aligned),
                *common,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(
            [
                "compare",
                str(aligned),
                "--base",
                str(base),
                "--bootstrap",
                "100",
                "--output",
                str(tmp_path / "c.json"),
            ]
        )
        == 0
    )
    comparison = json.loads((tmp_path / "c.json").read_text())
    uvqa = comparison["tasks"]["synth_uvqa"]
    assert uvqa["paired"]["metrics"]["s_disc"] is not None
    assert "refusal_rate" in uvqa["differences"]
    # a different judge: refused with a clear message
    other = tmp_path / "other"
    assert (
        main(
            [
                "run",
                "--model",
                "always-refuse",
                "--output",
                str(other),
                "--tasks",
                "synth_uvqa",
                "--limit",
                "30",
                "--no-progress",
                "--bootstrap",
                "0",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["compare", str(other), "--base", str(base)]) == 2
    assert "judged by 'rules' in" in capsys.readouterr().err
