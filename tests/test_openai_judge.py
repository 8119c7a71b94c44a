"""The openai: judge against a real chat-completions server on 127.0.0.1."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from openai_server import FakeOpenAI

from benchmark.errors import UsageError
from benchmark.families import QA
from benchmark.metrics import summarize_task
from benchmark.openai_client import ResponseCache
from benchmark.records import Response, Sample, VideoRef, read_json, read_run_file
from benchmark.scorers.openai_judge import OpenAIJudge


@pytest.fixture
def server():
    with FakeOpenAI() as s:
        yield s


def make_judge(server, tmp_path, **kw):
    options = {
        "base_url": server.base_url,
        "api_key": "test-key",
        "cache": str(tmp_path / "cache.sqlite"),
        "timeout": 0.5,
        "backoff": 0.01,
        "max_retries": 3,
    }
    return OpenAIJudge("judge-model", **(options | kw))


def grounding(i, kind, **gold):
    return Sample(
        id=f"g{i}",
        task="t",
        video=VideoRef(f"v{i}.mp4"),
        question="A man opens a door.",
        kind=kind,
        duration=30.0,
        **gold,
    )


def qa(i, kind, **gold):
    return Sample(
        id=f"q{i}",
        task="t",
        video=VideoRef(f"v{i}.mp4"),
        question="What colour is the belt?",
        kind=kind,
        **gold,
    )


def judged(judge, pairs):
    return judge.judge([(s, Response(s.id, "m", text=t)) for s, t in pairs])


def test_good_answers_become_judgments(server, tmp_path):
    judge = make_judge(server, tmp_path)
    rel = grounding(0, "relevant", span=(1.0, 5.0))
    irr = grounding(
        1,
        "irrelevant",
        refusal="There is no door; the man opens a window.",
        categories=("Object/ObjectExistence",),
    )
    ans = qa(2, "answerable", answer="red")
    una = qa(3, "unanswerable", altered="belt", refusal="There is no belt in the video.")
    j = judged(
        judge,
        [
            (rel, "<answer>2.0 to 40.0</answer>"),
            (irr, "<answer>The video does not show a door.</answer>"),
            (ans, "It is red."),
            (una, "It cannot be answered: there is no belt."),
        ],
    )
    assert (j[0].verdict, j[0].span) == ("relevant", (2.0, 30.0))  # clipped to the duration
    assert (j[1].verdict, j[1].categories, j[1].consistency) == (
        "irrelevant",
        ("Object/ObjectExistence",),
        4.0,
    )
    assert [j[2].verdict, j[3].verdict] == ["correct", "refused_right_reason"]
    assert all(
        x.ok
        and x.judge == "openai:judge-model[sbert=none]"
        and x.prompt_version == "openai_judge_v1"
        for x in j
    )
    usage = judge.usage()
    assert (
        usage["requests"] == server.chat_requests == 6
    )  # relevance x2, categories, consistency, qa x2
    assert usage["prompt_tokens"] > 0 and usage["cost_usd"] is None


def test_429_honours_retry_after(server, tmp_path):
    judge = make_judge(server, tmp_path)
    started = time.monotonic()
    (j,) = judged(judge, [(qa(0, "answerable", answer="red"), "It is red. [[429]]")])
    assert j.verdict == "correct"
    assert time.monotonic() - started >= 0.95  # waited the server's Retry-After: 1
    assert judge.usage()["retries"] == 1
    (j,) = judged(judge, [(qa(1, "answerable", answer="red"), "red [[429ms]]")])
    assert j.ok and judge.usage()["retries"] == 2


def test_5xx_and_timeouts_are_retried(server, tmp_path):
    judge = make_judge(server, tmp_path)
    j = judged(
        judge,
        [
            (qa(0, "answerable", answer="red"), "red [[500]]"),
            (qa(1, "answerable", answer="red"), "red [[slow]]"),
        ],
    )
    assert all(x.ok for x in j)
    assert judge.usage()["retries"] == 3  # two 500s and one timeout


def test_persistent_failures_are_recorded_never_scored(server, tmp_path):
    judge = make_judge(server, tmp_path)
    samples = [
        qa(0, "answerable", answer="red"),
        qa(1, "answerable", answer="red"),
        qa(2, "answerable", answer="red"),
    ]
    j = judged(
        judge,
        [(samples[0], "red [[truncated]]"), (samples[1], "red [[garbage]]"), (samples[2], "red")],
    )
    assert [x.status for x in j] == ["api_error", "api_error", "ok"]
    assert j[0].verdict is None and j[0].error
    result = summarize_task(samples, j, family=QA, judge=judge.name, n_resamples=0)
    assert (result.n, result.failures, result.metrics["answer_acc"]) == (1, 2, 1.0)
    assert result.failure_rate == pytest.approx(2 / 3)
    assert judge.usage()["failures"] == 2


def test_non_json_replies_get_one_repair_then_parse_error(server, tmp_path):
    judge = make_judge(server, tmp_path)
    before = server.chat_requests
    (bad,) = judged(judge, [(qa(0, "answerable", answer="red"), "red [[nonjson]]")])
    assert bad.status == "parse_error" and "after one repair request" in bad.error
    assert server.chat_requests - before == 2
    (fixed,) = judged(judge, [(qa(1, "answerable", answer="red"), "red [[nonjson-once]]")])
    assert fixed.verdict == "correct"


def test_a_second_run_makes_zero_requests(server, tmp_path):
    items = [
        (grounding(i, "irrelevant", refusal="No door."), f"<answer>no door {i}</answer>")
        for i in range(5)
    ]
    first = judged(make_judge(server, tmp_path), items)
    count = server.chat_requests
    again = make_judge(server, tmp_path)
    second = judged(again, items)
    assert server.chat_requests == count
    assert again.usage()["cache_hits"] == count and again.usage()["requests"] == 0
    assert [x.verdict for x in first] == [x.verdict for x in second]


def _write_many(path, start):
    cache = ResponseCache(path)
    for i in range(start, start + 200):
        cache.put(f"k{i}", f"v{i}")


def test_the_cache_is_safe_under_concurrent_writers(tmp_path):
    path = tmp_path / "shared.sqlite"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_write_many, args=(path, 200 * k)) for k in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    cache = ResponseCache(path)
    assert len(cache) == 600 and cache.get("k599") == "v599"


def test_a_missing_or_rejected_key_stops_before_the_first_sample(server, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(UsageError, match="OPENAI_API_KEY is not set"):
        OpenAIJudge("judge-model", base_url=server.base_url, cache="none")
    with pytest.raises(UsageError, match="the API key was rejected"):
        OpenAIJudge("judge-model", base_url=server.base_url, api_key="wrong", cache="none")
    assert server.chat_requests == 0


def test_run_with_the_openai_judge_accounts_usage_and_failures(
    server, tmp_path, monkeypatch, capsys
):
    from benchmark.cli import main

    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    preds = tmp_path / "p.jsonl"
    from benchmark.task_loading import load_task

    samples = load_task("synth_qa", limit=6).samples
    import json

    preds.write_text(
        "".join(
            json.dumps(
                {
                    "id": s.id,
                    "response": f"It is {s.answer}." + (" [[truncated]]" if k == 0 else ""),
                }
            )
            + "\n"
            for k, s in enumerate(samples)
        )
    )
    out = tmp_path / "run"
    code = main(
        [
            "run",
            "--model",
            "replay",
            "--model-name",
            "my-model",
            "--model-args",
            f"path={preds}",
            "--tasks",
            "synth_qa",
            "--limit",
            "6",
            "--output",
            str(out),
            "--judge",
            "openai:judge-model",
            "--judge-cache",
            str(tmp_path / "c.sqlite"),
            "--judge-retries",
            "1",
            "--judge-timeout",
            "5",
            "--sbert",
            "none",
            "--no-progress",
            "--bootstrap",
            "0",
        ]
    )
    assert code == 1
    printed = capsys.readouterr().out
    assert "failures=1" in printed and "with 1 failed samples" in printed
    usage = read_json(out / "run.json")["judge_usage"]["openai:judge-model[sbert=none]"]
    assert usage["failures"] == 1 and usage["requests"] >= 6
    results = read_json(out / "results.json")["tasks"]["synth_qa"]
    assert (results["failures"], results["n"], results["judge"]) == (
        1,
        5,
        "openai:judge-model[sbert=none]",
    )
    # judging the same run again with the rules judge keeps both judges' lines side by side
    assert main(["score", str(out), "--sbert", "none", "--no-progress", "--bootstrap", "0"]) == 0
    _, judgments = read_run_file(out / "samples" / "synth_qa.jsonl")
    assert {j.judge for j in judgments} == {"openai:judge-model[sbert=none]", "rules[sbert=none]"}
    assert read_json(out / "results.json")["tasks"]["synth_qa"]["judge"] == "rules[sbert=none]"
