"""The task registry, `refusal-bench tasks` / `dump`, and loading the same tasks through lm-eval."""

from __future__ import annotations

import json

import pytest
from data_fixtures import write_clone_layout

from benchmark import tasks_dir
from benchmark.cli import main
from benchmark.errors import UsageError
from benchmark.registry import load_registry, read_task_yaml

DESIGN_TASKS = {
    "uvqa_object",
    "uvqa_relation",
    "uvqa_attribute",
    "uvqa_answerable",
    "hi_activitynet",
    "hi_tvgbench",
    "hi_charades",
    "ss_activitynet",
    "ss_charades",
    "ss_qvhighlights",
    "human_ravtg",
}


def test_every_task_of_the_design_is_registered_with_a_version():
    registry = load_registry()
    assert set(registry.tasks) >= DESIGN_TASKS
    assert {"uvqa", "hi_vtg", "ss_vtg"} <= set(registry.groups)
    assert all(spec.version for spec in registry.tasks.values())


def test_groups_and_lists_resolve_in_order_once_each():
    names = [s.name for s in load_registry().resolve("hi_tvgbench,hi_vtg")]
    assert names == ["hi_tvgbench", "hi_activitynet", "hi_charades"]


def test_unknown_task_lists_the_known_ones():
    with pytest.raises(UsageError, match=r"unknown task or group 'nope'; known: .*hi_tvgbench"):
        load_registry().resolve("nope")


def test_includes_are_merged_and_functions_kept_as_text():
    config = read_task_yaml(tasks_dir() / "hi_vtg" / "hi_tvgbench.yaml")
    assert config["task"] == "hi_tvgbench"
    assert config["output_type"] == "generate_until"
    assert config["custom_dataset"] == "!function utils.load_dataset"


@pytest.fixture
def data_root(tmp_path):
    return write_clone_layout(tmp_path / "data")


def test_tasks_command_lists_counts_and_missing_paths(data_root, capsys):
    assert main(["tasks", "--data-root", str(data_root)]) == 0
    out = capsys.readouterr().out
    rows = {
        line.split()[0]: line for line in out.splitlines() if line and not line.startswith("group")
    }
    assert rows["hi_tvgbench"].split()[3] == "6"
    assert rows["uvqa_object"].split()[3] == "2"
    assert "missing RA-RFT/dataset/anno/hi_vtg_charades.json" in rows["hi_charades"]
    assert "group uvqa: uvqa_object, uvqa_relation, uvqa_attribute, uvqa_answerable" in out


def test_dump_writes_the_samples_with_the_design_fields(data_root, capsys):
    assert (
        main(["dump", "--task", "hi_tvgbench", "--data-root", str(data_root), "--limit", "2"]) == 0
    )
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["id"] for r in rows] == ["v_aaa#0", "v_aaa#1"]
    assert {"id", "task", "video", "question", "kind", "span"} <= set(rows[0])
    assert {"refusal", "categories", "difficulty"} <= set(rows[1])
    assert "2 samples of hi_tvgbench" in captured.err


def test_dump_of_missing_data_is_a_clear_error_with_exit_code_2(tmp_path, capsys):
    assert main(["dump", "--task", "hi_charades", "--data-root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "hi_vtg_charades.json not found" in err and "Traceback" not in err


def test_dump_of_a_group_says_to_pick_a_task(capsys):
    assert main(["dump", "--task", "uvqa"]) == 2
    assert "is a group" in capsys.readouterr().err


def test_lm_eval_loads_the_same_tasks_with_the_video_as_a_json_reference(
    data_root, capsys, monkeypatch
):
    lm_eval_tasks = pytest.importorskip("lm_eval.tasks")
    manager = lm_eval_tasks.TaskManager(include_path=str(tasks_dir()), include_defaults=False)
    assert set(manager.all_tasks) >= DESIGN_TASKS
    monkeypatch.setenv("REFUSAL_BENCH_DATA", str(data_root))
    task = manager.load(["hi_tvgbench"])["tasks"]["hi_tvgbench"]
    docs = list(task.test_docs())
    main(["dump", "--task", "hi_tvgbench"])
    dumped = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["id"] for d in docs] == [d["id"] for d in dumped]
    assert task.doc_to_target(docs[0]) == "2.00 to 6.50"
    assert 'the query "A man opens the red door."' in task.doc_to_text(docs[0])
    task.build_all_requests(limit=1, rank=0, world_size=1)
    visual = task.instances[0].args[2]["visual"][0]
    assert visual == {"sample_id": "v_aaa#0", "task": "hi_tvgbench", "video": {"path": "v_aaa.mp4"}}
    json.dumps(task.instances[0].args)  # plain JSON: lm-eval can hash it for its cache
