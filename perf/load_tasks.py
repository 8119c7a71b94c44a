"""Loading released tasks: time to samples vs. a bare `json.load` of the same file.

The target is under a second for the largest released file; the ratio shows what validation and
Sample construction cost on top of parsing.

    python perf/load_tasks.py [--data-root ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmark.data import pick_recipe
from benchmark.data.sources import locate
from benchmark.registry import load_registry
from benchmark.task_loading import load_task


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data-root", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"{'source':<20}{'MB':>6}{'samples':>9}{'json.load s':>13}{'load s':>9}{'ratio':>7}")
    for source in ("hi_tvgbench", "hi_charades", "ss_charades", "ss_qvhighlights", "uvqa_object"):
        recipe = pick_recipe(load_registry().tasks[source].data, args.data_root)
        path = locate(recipe.files[0], args.data_root)
        bare = min(_timed(lambda p=path: json.loads(p.read_text())) for _ in range(args.repeat))
        ours = min(
            _timed(lambda s=source: load_task(s, data_root=args.data_root))
            for _ in range(args.repeat)
        )
        n = len(load_task(source, data_root=args.data_root).samples)
        size = path.stat().st_size / 1e6
        print(f"{source:<20}{size:>6.2f}{n:>9}{bare:>13.3f}{ours:>9.3f}{ours / bare:>7.1f}")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
