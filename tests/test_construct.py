"""Building UVQA-style and HI-VTG-style splits: rules mode end to end, LLM mode on a local server."""

from __future__ import annotations

import json
import re

import pytest
from openai_server import FakeOpenAI

from benchmark.cli import main
from benchmark.construct import Gates, build_hivtg_llm, build_uvqa_llm
from benchmark.openai_client import ChatClient
from benchmark.records import CATEGORIES, Sample, VideoRef, read_json
from benchmark.runner import RunConfig, run
from benchmark.synth.split import ensure_split
from benchmark.task_loading import load_task


def test_gates_reject_with_reasons():
    gates = Gates(CATEGORIES)
    ok = {
        "original": "A man opens a door.",
        "other_queries": ["A dog barks."],
        "refusal": "No door.",
        "categories": ["Object/ObjectExistence"],
    }
    assert gates.admit("v", "A man opens a window.", **ok)
    assert not gates.admit("v", "a man opens a door", **ok)
    assert not gates.admit("v", "A dog barks!", **ok)
    assert not gates.admit("v", "A man opens a window.", **ok)
    assert not gates.admit("v", "A red door.", **(ok | {"categories": ["Made/Up"]}))
    assert not gates.admit("v", "A blue door.", **(ok | {"refusal": " "}))
    assert not gates.admit("v", "What colour is the red car?", **ok, leaked="red")
    assert dict(gates.report.rejected) == {
        "edit equal to the original": 1,
        "equal to another query of the same video": 1,
        "duplicate": 1,
        "malformed categories": 1,
        "no refusal": 1,
        "leaks the original element": 1,
    }


def test_rules_mode_end_to_end(tmp_path, capsys):
    out = tmp_path / "built"
    assert main(["data", "build-uvqa", "--synth", "--out", str(out)]) == 0
    assert main(["data", "build-hivtg", "--synth", "--out", str(out), "--name", "tvgbench"]) == 0
    printed = capsys.readouterr().out
    assert "difficulty hard" in printed and "rejected" in printed
    report = read_json(out / "build_report.json")
    assert set(report["kept_by_difficulty"]) == {"hard", "medium", "easy"}
    hivtg = load_task("hi_tvgbench", data_root=out)
    assert {s.difficulty for s in hivtg.samples} == {"original", "strong", "moderate", "weak"}
    assert sum(s.kind == "relevant" for s in hivtg.samples) == sum(
        s.kind == "irrelevant" for s in hivtg.samples
    )
    uvqa = load_task("uvqa_object", data_root=out)
    assert uvqa.samples and all(s.altered and s.altered in s.refusal for s in uvqa.samples)
    outcome = run(
        RunConfig(
            model="always-refuse",
            tasks="hi_tvgbench,uvqa_object,uvqa_relation",
            data_root=str(out),
            output=tmp_path / "run",
            sbert="none",
            progress=False,
            bootstrap=0,
        )
    )
    metrics = outcome.results.tasks["hi_tvgbench"].metrics
    assert metrics["refusal_recall"] == 1.0 and metrics["f1_rel"] == 0.0
    assert outcome.results.tasks["uvqa_object"].metrics["refusal_rate"] == 1.0


def uvqa_reply(body):
    user = body["messages"][-1]["content"] if body["messages"][-1]["role"] == "user" else ""
    altered = re.search(r"Altered element: (.*)", body["messages"][1]["content"])[1]
    if "window" in altered:
        return json.dumps({"not_applicable": True})
    if "broken" in user or "broken" in altered:
        return "I think the question is fine."
    return json.dumps(
        {
            "question": f"What does the {altered} do?",
            "refusal": f"The question cannot be answered: there is no {altered} in the video.",
        }
    )


def test_uvqa_llm_mode(tmp_path):
    graphs = [
        {
            "video": "v1",
            "description": "A barber cuts hair.",
            "objects": ["barber", "chair"],
            "relations": [["barber", "standing beside", "chair"]],
            "relation_types": {"standing beside": "spatial", "sitting on": "spatial"},
            "attributes": [{"object": "chair", "type": "color", "value": "red"}],
        },
        {
            "video": "v2",
            "description": "A cook fries eggs.",
            "objects": ["cook", "pan", "window"],
            "relations": [["cook", "sitting on", "stool"]],
            "attributes": [{"object": "pan", "type": "color", "value": "black"}],
        },
    ]
    source = tmp_path / "graphs.json"
    source.write_text(json.dumps(graphs))
    with FakeOpenAI(reply=uvqa_reply) as server:
        client = ChatClient("writer", base_url=server.base_url, api_key="test-key", backoff=0.01)
        built = build_uvqa_llm(source, tmp_path / "out", client, per_video=3)
    kept = sum(built.report.kept.values())
    assert kept >= 3
    for path in built.files:
        for row in json.loads(path.read_text()):
            assert row["new_question"] and row["category"] in ("object", "relation", "attribute")
    loaded = load_task("uvqa_object", data_root=tmp_path / "out")
    assert all(s.altered for s in loaded.samples)


def hivtg_reply(body):
    query = re.search(r"Relevant query: (.*)", body["messages"][1]["content"])[1]
    base = query.rstrip(".")
    return json.dumps(
        {
            "categories": [
                "Object/ObjectExistence",
                "Attribute/AttributeValue",
                "Scene/SceneExistence",
            ],
            "edits": [
                {
                    "query": base + " with a hat.",
                    "categories": ["Object/ObjectPartRelation"],
                    "refusal": "No hat is worn.",
                },
                {
                    "query": base + " with a red hat.",
                    "categories": ["Object/ObjectPartRelation", "Attribute/AttributeValue"],
                    "refusal": "No hat; nothing red.",
                },
                {
                    "query": base + " with a red hat at night.",
                    "categories": [
                        "Object/ObjectPartRelation",
                        "Attribute/AttributeValue",
                        "Scene/SceneExistence",
                    ],
                    "refusal": "No hat, nothing red, and it is day.",
                },
            ],
        }
    )


def test_hivtg_llm_mode(tmp_path):
    samples = [
        Sample(
            id=f"v{i}#0",
            task="t",
            video=VideoRef(f"v{i}.mp4"),
            question=f"A person opens door {i}.",
            kind="relevant",
            span=(1.0, 4.0),
            duration=10.0,
        )
        for i in range(6)
    ]
    with FakeOpenAI(reply=hivtg_reply) as server:
        client = ChatClient("writer", base_url=server.base_url, api_key="test-key", backoff=0.01)
        built = build_hivtg_llm(samples, tmp_path / "out", client, name="tvgbench")
    assert dict(built.report.by_difficulty) == {"hard": 2, "medium": 2, "easy": 2}
    loaded = load_task("hi_tvgbench", data_root=tmp_path / "out").samples
    weak = [s for s in loaded if s.difficulty == "weak"]
    assert (
        weak
        and len(weak[0].categories) == 3
        and weak[0].meta["correction"].startswith("A person opens door")
    )


@pytest.fixture(autouse=True, scope="module")
def _split():
    ensure_split()
