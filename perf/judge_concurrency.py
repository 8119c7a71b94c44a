"""The openai: judge against a local chat-completions server with 50 ms latency.

200 QA judgments (one request each): 8 concurrent requests vs 1 (target ≥ 6× faster), then a
re-run that the cache answers (target: 0 requests, ≥ 50× faster than the first run).

    python perf/judge_concurrency.py [--items 200] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from openai_server import FakeOpenAI

from benchmark.records import Response, Sample, VideoRef
from benchmark.scorers.openai_judge import OpenAIJudge


def question(i: int) -> Sample:
    return Sample(
        id=f"q{i}",
        task="t",
        video=VideoRef("v.mp4"),
        question=f"What colour is shape {i}?",
        kind="answerable",
        answer="red",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    items = [
        (question(i), Response(f"q{i}", "m", text=f"It is red, shape {i}."))
        for i in range(args.items)
    ]
    with FakeOpenAI(latency=args.latency) as server, tempfile.TemporaryDirectory() as tmp:

        def timed(concurrency: int, cache: str) -> tuple[float, int]:
            judge = OpenAIJudge("judge-model", base_url=server.base_url, api_key="test-key",
                                concurrency=concurrency, cache=cache)  # fmt: skip
            before = server.chat_requests
            start = time.perf_counter()
            judgments = judge.judge(items)
            assert all(j.ok for j in judgments)
            return time.perf_counter() - start, server.chat_requests - before

        sequential, _ = timed(1, "none")
        concurrent, requests = timed(8, str(Path(tmp) / "cache.sqlite"))
        cached, cached_requests = timed(8, str(Path(tmp) / "cache.sqlite"))
    print(f"{args.items} judgments, server latency {1000 * args.latency:.0f} ms")
    print(f"{'mode':<22}{'seconds':>9}{'requests':>10}")
    print(f"{'sequential (1)':<22}{sequential:>9.3f}{args.items:>10}")
    print(f"{'concurrent (8)':<22}{concurrent:>9.3f}{requests:>10}")
    print(f"{'cached re-run':<22}{cached:>9.3f}{cached_requests:>10}")
    print(f"concurrent vs sequential: {sequential / concurrent:.1f}x faster  (target >= 6)")
    print(
        f"cached vs first run: {concurrent / cached:.0f}x faster, {cached_requests} requests  "
        "(target >= 50, 0)"
    )


if __name__ == "__main__":
    main()
