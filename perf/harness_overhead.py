"""Harness overhead: `refusal-bench run` against lm-eval's `simple_evaluate`, same task and model.

Both evaluate `always-answer` on `synth_hivtg` with the same rules judge (lm-eval through the
task YAMLs' `process_results`), lm-eval with sample logging on. Each side runs once to warm up
(imports, data cache) and is then timed over `--repeat` runs; the best time counts. Prints the
per-sample wall time of each, their ratio (target ≤ 1.0), and our per-sample time beyond scoring
(target < 5 ms).

    python perf/harness_overhead.py [--task synth_hivtg] [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("REFUSAL_BENCH_SBERT", "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="synth_hivtg")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from lm_eval import simple_evaluate
    from lm_eval.tasks import TaskManager

    import benchmark.lmeval  # noqa: F401  (registers rb-* models for lm-eval)
    from benchmark import tasks_dir
    from benchmark.runner import RunConfig, run
    from benchmark.scorers import load_judge
    from benchmark.task_loading import load_task

    logging.getLogger("lm_eval").setLevel(logging.ERROR)
    n = len(load_task(args.task).samples)  # builds the synthetic split if needed
    manager = TaskManager(include_path=str(tasks_dir()), include_defaults=False)

    def ours() -> tuple[float, float]:
        judge = load_judge("rules[sbert=none]")
        judged = [0.0]
        inner = judge.judge

        def timed_judge(items):
            start = time.perf_counter()
            out = inner(items)
            judged[0] += time.perf_counter() - start
            return out

        judge.judge = timed_judge
        with tempfile.TemporaryDirectory() as out:
            config = RunConfig(
                model="always-answer",
                tasks=args.task,
                output=Path(out),
                sbert="none",
                progress=False,
            )
            start = time.perf_counter()
            run(config, judge=judge)
            return time.perf_counter() - start, judged[0]

    def theirs() -> float:
        start = time.perf_counter()
        simple_evaluate(
            model="rb-always-answer",
            tasks=[args.task],
            task_manager=manager,
            log_samples=True,
            bootstrap_iters=0,
        )
        return time.perf_counter() - start

    ours(), theirs()  # warm-up
    our_runs = [ours() for _ in range(args.repeat)]
    their_best = min(theirs() for _ in range(args.repeat))
    our_best, judge_time = min(our_runs)
    print(
        f"task {args.task}: {n} samples, always-answer, rules judge without SBERT, "
        f"best of {args.repeat}"
    )
    print(f"{'harness':<34}{'total s':>9}{'ms/sample':>11}")
    print(f"{'refusal-bench run':<34}{our_best:>9.3f}{1000 * our_best / n:>11.2f}")
    print(
        f"{'lm-eval simple_evaluate (logged)':<34}{their_best:>9.3f}{1000 * their_best / n:>11.2f}"
    )
    print(f"ratio ours / lm-eval: {our_best / their_best:.2f}  (target <= 1.0)")
    print(f"ours beyond scoring: {1000 * (our_best - judge_time) / n:.2f} ms/sample  (target < 5)")


if __name__ == "__main__":
    main()
