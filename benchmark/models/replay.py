"""Replaying predictions made elsewhere: a JSONL file of `{"id": ..., "response": "..."}`.

Any external system can be scored this way. A sample whose id is not in the file gets no output:
its generation is recorded as an error naming the id and the file (and counted in the results),
never invented.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.errors import RecordError, UsageError
from benchmark.models.base import Model, Request
from benchmark.records import iter_jsonl


class MissingPrediction(LookupError):
    pass


class Replay(Model):
    name = "replay"
    batch_size = 256

    def __init__(self, path: str) -> None:
        if not path:
            raise UsageError("the replay model needs a predictions file: --model-args path=FILE")
        self.path = Path(path).expanduser()
        if not self.path.is_file():
            raise UsageError(f"{self.path}: predictions file not found")
        self.predictions: dict[str, str] = {}
        for n, row in iter_jsonl(self.path):
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise RecordError(
                    f'{self.path}:{n}: expected {{"id": ..., "response": ...}} with a string id'
                )
            response = row.get("response")
            if not isinstance(response, str):
                raise RecordError(
                    f"{self.path}:{n}: field 'response' must be a string (sample {row['id']!r})"
                )
            self.predictions[row["id"]] = response

    def generate(self, requests: list[Request]) -> list[str]:
        missing = [r.sample_id for r in requests if r.sample_id not in self.predictions]
        if missing:
            raise MissingPrediction(f"no prediction for id {missing[0]!r} in {self.path}")
        return [self.predictions[r.sample_id] for r in requests]

    def describe(self) -> dict:
        return {"name": self.name, "path": self.path.name, "predictions": len(self.predictions)}

    def card(self) -> dict:
        return {}  # whose predictions these are only the user knows: `--model-name` is required
