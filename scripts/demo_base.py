"""Predictions of an eager base model for the demo's paired UVQA view: it answers every question
of synth_qa and synth_uvqa, the answerable ones right, and never refuses. UVQA's paired scores
(S_ex-ref against S_disc) compare an aligned run with such a base; none of the demo's reference
models answers an answerable question right, so without it S_ex-ref is undefined.

    python scripts/demo_base.py OUT.jsonl     # then: refusal-bench run --model replay ...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmark.task_loading import load_task


def main(out: Path) -> None:
    predictions: dict[str, str] = {}
    for task in ("synth_qa", "synth_uvqa"):  # ids repeat across the two: the first answer counts
        for sample in load_task(task).samples:
            predictions.setdefault(sample.id, sample.answer or "Yes, it is clearly shown.")
    with out.open("w", encoding="utf-8") as file:
        file.writelines(json.dumps({"id": i, "response": r}) + "\n" for i, r in predictions.items())
    print(f"{len(predictions)} predictions in {out}", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
