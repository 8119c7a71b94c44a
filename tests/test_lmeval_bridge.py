"""The lm-eval bridge: refusal-bench models run under lm-eval and give the same metrics."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("lm_eval")

from lm_eval import simple_evaluate
from lm_eval.tasks import TaskManager

from benchmark import tasks_dir
from benchmark.cli import main
from benchmark.runner import RunConfig, run


@pytest.fixture(autouse=True)
def no_sbert(monkeypatch):
    monkeypatch.setenv("REFUSAL_BENCH_SBERT", "none")
    import benchmark.lmeval_tasks as lt

    monkeypatch.setattr(lt, "_JUDGE", None)


@pytest.mark.parametrize(
    ("model", "task"),
    [("random", "synth_hivtg"), ("random", "synth_uvqa"), ("always-answer", "synth_qa")],
)
def test_lm_eval_gives_the_same_metrics_as_refusal_bench_run(tmp_path, model, task):
    import benchmark.lmeval  # noqa: F401  (registers the rb-* models)

    ours = run(
        RunConfig(
            model=model,
            tasks=task,
            output=tmp_path / "run",
            limit=40,
            sbert="none",
            progress=False,
            bootstrap=0,
        )
    )
    theirs = simple_evaluate(
        model=f"rb-{model}",
        tasks=[task],
        limit=40,
        task_manager=TaskManager(include_path=str(tasks_dir()), include_defaults=False),
        log_samples=False,
    )
    lm_metrics = {
        k.split(",")[0]: v
        for k, v in theirs["results"][task].items()
        if k.endswith(",none") and "_stderr" not in k
    }
    assert lm_metrics
    for name, value in lm_metrics.items():
        expected = ours.results.tasks[task].metrics[name]
        if expected is None:
            assert math.isnan(value), name
        else:
            assert value == pytest.approx(expected), name


def test_refusal_bench_lm_eval_runs_lm_evals_cli(tmp_path, capsys):
    code = main(
        [
            "lm-eval",
            "run",
            "--model",
            "rb-always-refuse",
            "--tasks",
            "synth_hivtg",
            "--limit",
            "10",
            "--output_path",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "synth_hivtg" in out and "f1_irrel" in out


def test_lm_eval_requests_carry_the_task_prompt_version_and_generation_kwargs():
    """What lm-eval builds from the YAML (and --gen_kwargs) is what the model is asked for."""
    import benchmark.lmeval as bridge
    from benchmark.lmeval_tasks import doc_to_text, doc_to_visual, to_doc
    from benchmark.task_loading import load_task

    task = TaskManager(include_path=str(tasks_dir()), include_defaults=False).load_task_or_group(
        ["synth_qa"]
    )["synth_qa"]
    doc = to_doc(load_task("synth_qa").samples[0])
    gen_kwargs = dict(task.config.generation_kwargs) | {"until": ["\n\n"]}

    class Instance:
        args = (doc_to_text(doc), gen_kwargs, {"visual": doc_to_visual(doc)})

    Instance.doc = doc
    request = bridge.RefusalBenchLM._request(Instance, bridge.load_registry())
    assert request.generation.max_new_tokens == 256 and request.generation.until == ("\n\n",)
    assert request.prompt.version == "qa_v1" and request.family.name == "qa"
