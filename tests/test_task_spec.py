"""The task YAML is the task's spec: data recipe, prompt, generation settings; a new task of a
known family and format is one YAML file, and what it says reaches the model."""

from __future__ import annotations

import json
import shutil

import pytest
from data_fixtures import RAVTG_GROUPS

import benchmark.registry as registry_module
from benchmark.errors import UsageError
from benchmark.families import GROUNDING
from benchmark.generation import Generation
from benchmark.models import Model
from benchmark.registry import load_registry
from benchmark.runner import RunConfig, run
from benchmark.task_loading import load_task

NEW_TASK = """\
include: ../_templates/grounding_yaml
task: my_grounding
dataset_kwargs:
  task: my_grounding
  data:
    - loader: ravtg
      files:
        - path: MyLab/anno/my_split.json
          origin: "my lab's release"
      about: my lab's split
generation_kwargs:
  until: ["</correction>"]
  max_gen_toks: 64
  do_sample: false
"""


@pytest.fixture
def tasks_folder(tmp_path, monkeypatch):
    """A copy of the task folder the registry reads instead of the real one."""
    from benchmark import tasks_dir

    folder = tmp_path / "tasks"
    shutil.copytree(tasks_dir(), folder)
    monkeypatch.setattr(registry_module, "tasks_dir", lambda: folder)
    load_registry.cache_clear()
    yield folder
    load_registry.cache_clear()


@pytest.fixture
def my_data(tmp_path):
    root = tmp_path / "data"
    (root / "MyLab" / "anno").mkdir(parents=True)
    (root / "MyLab" / "anno" / "my_split.json").write_text(json.dumps(RAVTG_GROUPS))
    return root


def test_a_new_task_in_a_known_format_is_one_yaml_file(tasks_folder, my_data):
    (tasks_folder / "mine").mkdir()
    (tasks_folder / "mine" / "my_grounding.yaml").write_text(NEW_TASK)
    spec = load_registry().tasks["my_grounding"]
    assert spec.family is GROUNDING and spec.prompt == GROUNDING.prompt
    assert spec.generation == Generation(max_new_tokens=64, until=("</correction>",))
    loaded = load_task("my_grounding", data_root=my_data)
    assert loaded.how == "my lab's split" and len(loaded.samples) == 6
    assert {s.task for s in loaded.samples} == {"my_grounding"}


class Recording(Model):
    """Answers every request and remembers what it was asked."""

    name = "recording"

    def __init__(self) -> None:
        self.requests = []

    def generate(self, requests):
        self.requests += requests
        return [r.family.guess(r.duration, None) for r in requests]


def test_the_prompt_and_generation_settings_of_the_yaml_reach_the_model(
    tasks_folder, my_data, tmp_path
):
    (tasks_folder / "mine").mkdir()
    (tasks_folder / "mine" / "my_grounding.yaml").write_text(NEW_TASK)
    model = Recording()
    run(
        RunConfig(model="always-answer", tasks="my_grounding,synth_qa", output=tmp_path / "run",
                  data_root=str(my_data), sbert="none", progress=False, bootstrap=0, limit=3),
        model=model,
    )  # fmt: skip
    by_task = {r.task: r for r in model.requests}
    assert by_task["my_grounding"].generation.max_new_tokens == 64
    assert by_task["my_grounding"].generation.until == ("</correction>",)
    assert by_task["synth_qa"].generation.max_new_tokens == 256  # the QA base file's
    assert by_task["my_grounding"].prompt.version == "ravtg_v1"
    assert "<answer>" in by_task["my_grounding"].prompt.text
    info = json.loads((tmp_path / "run" / "run.json").read_text())
    assert info["tasks"]["my_grounding"]["generation"]["max_new_tokens"] == 64
    assert info["tasks"]["my_grounding"]["prompt"] == "ravtg_v1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("loader: ravtg", "loader: nope"), r"data\[0\]: loader must be one of ravtg"),
        (
            (
                'path: MyLab/anno/my_split.json\n          origin: "my lab\'s release"',
                "path: MyLab/anno/my_split.json",
            ),
            "unknown repository folder 'MyLab'",
        ),
        (("max_gen_toks: 64", "max_gen_toks: -1"), "max_gen_toks must be > 0"),
        (
            ("    - loader: ravtg\n", "    - loader: ravtg\n      options: {shufled: true}\n"),
            r"the ravtg loader takes no option 'shufled' \(its options: shuffled\)",
        ),
        (
            ("    - loader: ravtg\n", "    - loader: ravtg\n      options: {shuffled: maybe}\n"),
            "an option of the ravtg loader must be bool, got 'maybe'",
        ),
        (("loader: ravtg", "loader: uvqa"), "the uvqa loader needs the option 'category'"),
        (
            ("    - loader: ravtg\n", "    - loader: ravtg\n      shuffle: sometimes\n"),
            "shuffle must be bool",
        ),
        (
            ("  do_sample: false\n", "  do_sample: false\nmetadata: {family: audio}\n"),
            "metadata.family must be one of grounding, qa",
        ),
        (
            ("  do_sample: false\n", "  do_sample: false\nmetadata: {family: qa, prompt: qa_v9}\n"),
            "metadata.prompt 'qa_v9' is not a template",
        ),
    ],
)
def test_a_bad_task_yaml_is_an_error_naming_the_file(tasks_folder, change, message):
    (tasks_folder / "mine").mkdir()
    bad = tasks_folder / "mine" / "my_grounding.yaml"
    old, new = change
    assert old in NEW_TASK
    bad.write_text(NEW_TASK.replace(old, new))
    with pytest.raises(UsageError, match=message) as info:
        load_registry()
    assert "my_grounding.yaml" in str(info.value)


def test_an_option_a_task_s_loader_does_not_take_is_a_clear_error(capsys):
    from benchmark.cli import main

    assert main(["dump", "--task", "human_ravtg", "--split", "train", "--data-root", "."]) == 2
    assert "task human_ravtg: the ravtg loader takes no option 'split'" in capsys.readouterr().err


def test_lmeval_generation_kwargs_are_read_like_lm_eval_does():
    assert Generation.from_lmeval({"until": "\n\n", "max_gen_toks": 32}) == Generation(
        32, ("\n\n",)
    )
    assert Generation.from_lmeval({"do_sample": True}).temperature == 1.0
    assert Generation.from_lmeval({"do_sample": True, "temperature": 0.7}).temperature == 0.7
    assert Generation.from_lmeval({"do_sample": False, "temperature": 0.7}).temperature == 0.0
    assert Generation(until=("</answer>", "\n")).stop("1 to 2\n</answer>x") == "1 to 2"


def test_a_run_asked_with_other_task_settings_is_not_resumed_into(tasks_folder, my_data, tmp_path):
    (tasks_folder / "mine").mkdir()
    yaml_file = tasks_folder / "mine" / "my_grounding.yaml"
    yaml_file.write_text(NEW_TASK)
    config = RunConfig(model="always-answer", tasks="my_grounding", output=tmp_path / "run",
                       data_root=str(my_data), sbert="none", progress=False, bootstrap=0)  # fmt: skip
    run(config)
    yaml_file.write_text(NEW_TASK.replace("max_gen_toks: 64", "max_gen_toks: 32"))
    load_registry.cache_clear()
    with pytest.raises(UsageError, match="task my_grounding was run with generation"):
        run(config)
