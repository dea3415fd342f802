"""A persistent, content-addressed cache of embeddings, shared by every store and namespace.

Vectors are keyed by the embedder's identity (model, backend, the model files' sizes and times)
and the SHA-256 of the text, so re-indexing a corpus into a fresh store, or after an extractor
change, embeds only the texts this machine has never embedded with this model. One SQLite file
(WAL, so several processes read and write it at once); a damaged or unwritable cache is skipped
with a warning, never fatal — it only ever saves time.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID
"""
# SQLite's default limit on bound parameters is 32766; stay well below it
_CHUNK = 900


def text_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def model_identity(name: str, backend: str, path: str | None) -> str:
    """What makes two embedders give the same vectors: the model, the inference backend and,
    for a model folder, its files' sizes and modification times (a replaced model is a new one)."""
    parts = [name, backend]
    if path and Path(path).is_dir():
        for file in sorted(Path(path).rglob("*")):
            if file.is_file():
                stat = file.stat()
                parts.append(f"{file.relative_to(path)}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class EmbeddingCache:
    """``get`` and ``put`` float32 vectors of one dimension for one model identity."""

    def __init__(self, path: str | Path, model: str, dim: int) -> None:
        self.path = Path(path).expanduser()
        self.model = model
        self.dim = dim
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._conn = conn
        except (OSError, sqlite3.Error) as exc:
            log.warning("embedding cache %s unavailable (%s); embedding without it", self.path, exc)

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those texts that have one."""
        if self._conn is None or not texts:
            return {}
        by_hash = {text_hash(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        hashes = list(by_hash)
        try:
            with self._lock:
                for start in range(0, len(hashes), _CHUNK):
                    chunk = hashes[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = self._conn.execute(
                        f"SELECT text_hash, vector FROM vectors WHERE model = ? AND text_hash IN ({marks})",
                        (self.model, *chunk),
                    ).fetchall()
                    for key, blob in rows:
                        vec = np.frombuffer(blob, dtype=np.float32)
                        if vec.shape[0] == self.dim:
                            found[by_hash[bytes(key)]] = vec
        except sqlite3.Error as exc:
            log.warning("embedding cache read failed (%s); embedding without it", exc)
            return {}
        self.hits += len(found)
        self.misses += len(by_hash) - len(found)
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self._conn is None or not texts:
            return
        rows = [
            (self.model, text_hash(t), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        try:
            with self._lock:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", rows)
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            log.warning("embedding cache write failed (%s); continuing without caching", exc)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
