"""The on-disk embedding cache: each distinct text encoded once per model, by any process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")

from benchmark.scorers import SbertScorer
from benchmark.scorers.embedding_cache import EmbeddingCache
from benchmark.scorers.sbert import _resolve

EXPLANATIONS = [
    "The video never shows anyone pouring milk; the man only wipes the counter.",
    "There is no dog in the clip, only a cat sleeping on the sofa.",
    "I cannot find the moment the woman opens the door: she stays at the desk.",
]


def test_a_second_scorer_reads_every_vector_from_disk_without_loading_the_model(tmp_path):
    first = SbertScorer(disk_cache=tmp_path)
    vectors = first.embed(EXPLANATIONS)
    assert first.encoded == 3
    again = SbertScorer(disk_cache=tmp_path)  # a later command: a new process's scorer
    same = again.embed(EXPLANATIONS + EXPLANATIONS[:1])
    assert again.encoded == 0 and again._model is None  # sentence-transformers never loaded
    np.testing.assert_array_equal(same[:3], vectors)
    np.testing.assert_array_equal(same[3], vectors[0])
    # a new text is encoded (loading the model then) and added for the next one
    again.embed(["A text nobody has seen."])
    assert again.encoded == 1 and len(again.disk) == 4


def test_the_cached_scores_equal_the_models_own(tmp_path):
    fresh = SbertScorer(disk_cache=False)
    SbertScorer(disk_cache=tmp_path).embed(EXPLANATIONS)
    cached = SbertScorer(disk_cache=tmp_path)
    a, b = EXPLANATIONS, EXPLANATIONS[1:] + EXPLANATIONS[:1]
    np.testing.assert_allclose(cached.clipped(a, b), fresh.clipped(a, b), atol=1e-6)
    assert cached.encoded == 0 and fresh.encoded == 3


def test_a_changed_model_folder_gets_a_cache_of_its_own(tmp_path):
    """Same name, other content (here: inputs cut to 8 tokens): other vectors, other file."""
    packaged = _resolve("all-MiniLM-L6-v2")
    copy = tmp_path / "all-MiniLM-L6-v2"
    for path in packaged.rglob("*"):
        target = copy / path.relative_to(packaged)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    config = copy / "sentence_bert_config.json"
    settings = json.loads(config.read_text())
    config.unlink()
    config.write_text(json.dumps({**settings, "max_seq_length": 8}))
    root = tmp_path / "cache"
    original = SbertScorer(disk_cache=root)
    short = SbertScorer(str(copy), disk_cache=root)
    assert original.disk.path != short.disk.path
    long_text = EXPLANATIONS[0]
    assert float(original.embed([long_text])[0] @ short.embed([long_text])[0]) < 0.99
    assert short.encoded == 1  # not served the packaged model's vector


def test_processes_share_one_cache_while_writing_at_once(tmp_path):
    """Two processes encode overlapping texts into the same file at the same time."""
    texts = [f"Nothing in the video shows a {thing} at all." for thing in range(40)]
    script = textwrap.dedent(
        """
        import json, sys
        from benchmark.scorers import SbertScorer
        texts = json.loads(sys.argv[2])
        scorer = SbertScorer(disk_cache=sys.argv[1])
        for k in range(0, len(texts), 4):
            scorer.embed(texts[k : k + 4])
        print(json.dumps(scorer.embed(texts).round(6).tolist()))
        """
    )
    jobs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), json.dumps(part)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in (texts[:30], texts[10:])
    ]
    outputs = [job.communicate(timeout=300) for job in jobs]
    assert all(job.returncode == 0 for job in jobs), [err for _, err in outputs]
    assert "warning" not in "".join(err for _, err in outputs)
    first, second = (np.array(json.loads(out)) for out, _ in outputs)
    np.testing.assert_allclose(first[10:], second[:20], atol=1e-6)  # the shared texts agree
    (path,) = tmp_path.glob("*.sqlite")
    assert len(EmbeddingCache(path)) == 40


def test_an_unwritable_cache_is_a_warning_and_scoring_goes_on(tmp_path, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    scorer = SbertScorer(disk_cache=blocked / "embeddings")
    assert scorer.disk is None
    assert "warning: embeddings are not cached on disk" in capsys.readouterr().err
    assert scorer.embed(EXPLANATIONS).shape == (3, 384)


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("REFUSAL_BENCH_CACHE", str(tmp_path))
    monkeypatch.setenv("REFUSAL_BENCH_EMBEDDINGS", "none")
    assert SbertScorer().disk is None
    monkeypatch.delenv("REFUSAL_BENCH_EMBEDDINGS")
    scorer = SbertScorer()
    scorer.embed(EXPLANATIONS[:1])
    assert scorer.disk.path.parent == tmp_path / "embeddings"


def test_validating_a_scored_run_does_not_load_sentence_transformers(tmp_path):
    """run -> validate: the second command reads every embedding from disk (the session's cache,
    which holds the synthetic split)."""
    env = dict(os.environ)
    out = tmp_path / "run"
    subprocess.run(
        [sys.executable, "-m", "benchmark", "run", "--model", "random", "--tasks",
         "synth_hivtg", "--output", str(out), "--no-progress", "--bootstrap", "0"],
        env=env, check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    scored = [json.loads(line) for line in (out / "samples" / "synth_hivtg.jsonl").open()]
    assert any(r.get("sbert") is not None for r in scored)  # SBERT did score this run
    check = textwrap.dedent(
        f"""
        import sys
        from benchmark.cli import main
        code = main(["validate", {str(out)!r}])
        print(code, "sentence_transformers" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.stdout.split()[-2:] == ["0", "False"], result.stderr


def test_a_damaged_cache_is_a_warning_and_scoring_goes_on(tmp_path, capsys):
    scorer = SbertScorer(disk_cache=tmp_path)
    expected = scorer.embed(EXPLANATIONS[:1])
    path = scorer.disk.path
    scorer.disk._db.execute("DROP TABLE vectors")  # what a damaged or foreign file looks like
    scorer._cache.clear()
    np.testing.assert_allclose(scorer.embed(EXPLANATIONS[:1]), expected, atol=1e-6)
    assert scorer.disk is None and "could not be read" in capsys.readouterr().err
    path.write_bytes(b"not a database at all" * 100)
    for extra in path.parent.glob("*.sqlite-*"):
        extra.unlink()  # its WAL files, so SQLite reads only the damaged main file
    again = SbertScorer(disk_cache=tmp_path)
    assert again.disk is None and "not cached on disk" in capsys.readouterr().err
    np.testing.assert_allclose(again.embed(EXPLANATIONS[:1]), expected, atol=1e-6)


def _open_and_store(path: str, start, results) -> None:
    start.wait()
    try:
        EmbeddingCache(path).put_many([(f"text {os.getpid()}", np.ones(4, np.float32))])
        results.put("ok")
    except Exception as exc:  # what a user would have seen
        results.put(repr(exc))


def test_processes_opening_a_new_cache_at_the_same_moment_all_get_it(tmp_path):
    """SQLite answers "database is locked" at once (no waiting) to the processes that lose the
    race to set a new file up; before that step was retried, about 1 in 6 of these trials lost
    a process's cache."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for trial in range(20):
        path = tmp_path / f"trial-{trial}.sqlite"
        start, results = context.Barrier(6), context.Queue()
        workers = [
            context.Process(target=_open_and_store, args=(str(path), start, results))
            for _ in range(6)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join()
        assert outcomes == ["ok"] * 6, (trial, outcomes)
        assert len(EmbeddingCache(path)) == 6
