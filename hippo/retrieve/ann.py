"""Top-k inner-product search over the rows of one embedding matrix: an exact scan, or an HNSW
graph (faiss) above a size threshold, persisted beside the snapshot and updated, not rebuilt,
when the store only appended rows.

Rows are the snapshot's rows of one kind (entities, passages or facts); an HNSW key is a row.
Scores handed back are always exact dot products of the rows found (the graph only proposes
candidates), so callers see the same numbers either way and differ only in a missed neighbour.
On disk: ``<dir>/<kind>.faiss`` with ``<kind>.json`` saying how many rows it holds and a digest
of their ids; a file whose digest matches a prefix of the current rows is extended with the rest
(appends keep row positions: ``hippo.retrieve.snapshot_delta``), anything else is rebuilt.
Files are written under a temporary name and renamed, so a process that maps the old one keeps it.

faiss, not usearch: usearch 2.26 crashed the process when onnxruntime (the embedder) was imported
after it, and built its graph 3x slower on one thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hippo.retrieve.columns import StringColumn
from hippo.retrieve.ranking import min_max, top_k_stable

if TYPE_CHECKING:
    from hippo.config import Settings

log = logging.getLogger(__name__)

MODES = ("auto", "on", "off")
# HNSW parameters (M, efConstruction, efSearch). With MuSiQue's questions against its own MiniLM
# fact and entity vectors, efSearch 64 found 94-97 % of the exact top 5 and 256 found 99.6-100 %
# at under 0.5 ms a query (benchmarks/results/ann/); questions sit far from entity names, so the
# search has to look wider than near-duplicate vectors would need. At 1M synthetic vectors (real
# ones plus noise) efSearch 256 found 86 % and 512 found 94 % of the exact top 5 (1.5 ms a query),
# hence the wider search from LARGE_ROWS on.
CONNECTIVITY = 16
EXPANSION_ADD = 80
EXPANSION_SEARCH = 256
EXPANSION_SEARCH_LARGE = 512
LARGE_ROWS = 500_000
# Passages scored exactly per query when passages go through HNSW: the reset of PageRank and the
# dense guard only use the head of the dense ranking (HippoRAG 2's passage seed is 0.05 x the
# min-max score, so a passage below the top thousand carries almost nothing), and a query returns
# far fewer.
PASSAGE_CANDIDATES = 1000
FORMAT = 1


@dataclass(frozen=True)
class AnnConfig:
    """``mode``: ``off`` = always scan, ``on`` = always HNSW, ``auto`` = HNSW from ``min_rows`` rows
    of a kind. Below 100k rows a scan costs a few milliseconds a query (26 ms at 100k, 240 ms at 1M
    at load 6, against under 1 ms through HNSW), while building the graph costs about 0.6 ms a row
    on one thread, paid again whenever the rows are not a mere append."""

    mode: str = "auto"
    min_rows: int = 100_000

    @classmethod
    def of(cls, settings: Settings) -> AnnConfig:
        return cls(settings.ann, settings.ann_min_rows)

    def wants(self, n_rows: int) -> bool:
        if n_rows == 0 or self.mode == "off":
            return False
        return self.mode == "on" or n_rows >= self.min_rows


def ids_digest(ids: StringColumn, n: int) -> str:
    """A digest of the first ``n`` ids (ids are content hashes, so equal ids mean equal rows)."""
    return hashlib.blake2b(bytes(np.asarray(ids.blob[: int(ids.offsets[n])])), digest_size=16).hexdigest()


class VectorIndex:
    """Search over ``matrix`` (rows unit-normalised float32); ``hnsw`` None = exact scan."""

    def __init__(self, matrix: np.ndarray, hnsw: Any = None) -> None:
        self.matrix = matrix
        self.hnsw = hnsw

    @property
    def approximate(self) -> bool:
        return self.hnsw is not None

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows with the largest dot product for each query (``queries`` 1-D or 2-D), best
        first (ties by row), and their scores: int64 rows and float32 scores of shape (q, k), padded
        with -1 / -inf where fewer rows qualify. ``allowed`` (bool per row) restricts the rows; the
        HNSW path fetches more candidates to make up for the ones it filters out."""
        q = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        n = len(self)
        k = min(k, n)
        rows = np.full((q.shape[0], max(k, 0)), -1, dtype=np.int64)
        scores = np.full(rows.shape, -np.inf, dtype=np.float32)
        if k <= 0 or q.shape[0] == 0:
            return rows, scores
        if self.hnsw is None:
            sims = q @ np.asarray(self.matrix).T
            if allowed is not None:
                sims[:, ~allowed] = -np.inf
            for i in range(q.shape[0]):
                top = top_k_stable(sims[i], k)
                rows[i, : top.size], scores[i, : top.size] = top, sims[i, top]
            rows[~np.isfinite(scores)] = -1
            return rows, scores
        # a few more than k: rows tied at the k-th score (equal texts give equal vectors) are then
        # settled by row, as the scan settles them, instead of by the graph's visiting order
        fetch = min(n, k + 16) if allowed is None else min(n, 2 * k + 16)
        _, found = self.hnsw.search(q, fetch)
        keys = np.asarray(found, dtype=np.int64)
        for i in range(q.shape[0]):
            cand = keys[i][(keys[i] >= 0) & (keys[i] < n)]
            if allowed is not None:
                cand = cand[allowed[cand]]
            cand = np.sort(cand)  # sorted rows read the memory map in order
            exact = np.asarray(self.matrix[cand]) @ q[i]
            order = np.lexsort((cand, -exact))[:k]
            rows[i, : order.size], scores[i, : order.size] = cand[order], exact[order]
        return rows, scores

    def all_scores(self, query: np.ndarray, candidates: int) -> np.ndarray:
        """Every row's score for one query, as float32. Exact scan: the dot products. HNSW: the
        ``candidates`` nearest rows get their exact dot products and every other row the lowest
        score of all rows (the nearest neighbour of the negated query), so a min-max over the
        result equals the exact one on the rows found and gives the rest 0. Costs a search and
        one array fill instead of a pass over every row's vector."""
        if self.hnsw is None:
            return np.asarray(np.asarray(self.matrix) @ query, dtype=np.float32)
        rows, scores = self.search(query, candidates)
        keep = rows[0] >= 0
        floor = min(self._lowest_score(query), float(scores[0][keep].min())) if keep.any() else 0.0
        out = np.full(len(self), floor, dtype=np.float32)
        out[rows[0][keep]] = scores[0][keep]
        return out

    def _lowest_score(self, query: np.ndarray) -> float:
        """The lowest dot product of any row with ``query``: the nearest neighbour of the negated
        query, so no row is scanned."""
        _, lowest = self.search(-np.asarray(query, dtype=np.float32), 1)
        return -float(lowest[0, 0])

    def top_min_max(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best rows for one query and their min-max normalised scores over *all* rows
        (what HippoRAG 2 does with fact scores). The HNSW path finds the lowest score as the
        nearest neighbour of the negated query instead of scoring every row."""
        if self.hnsw is None:
            normalised = min_max(np.asarray(self.matrix) @ query)
            top = top_k_stable(normalised, k)
            return top, normalised[top]
        rows, scores = self.search(query, k)
        keep = rows[0] >= 0
        rows, raw = rows[0][keep], scores[0][keep].astype(np.float64)
        if rows.size == 0:
            return rows, raw
        lo, hi = self._lowest_score(query), float(raw[0])
        if hi - lo < 1e-12:
            return rows, np.ones_like(raw) if hi > 0 else np.zeros_like(raw)
        return rows, (raw - lo) / (hi - lo)


def _faiss() -> Any:
    import faiss

    # one thread: the machine is shared, builds happen once per store version and a query's
    # search is far below a millisecond (OpenMP workers would only spin against other jobs)
    faiss.omp_set_num_threads(1)
    return faiss


def _mapped_read_flags(faiss: Any) -> int:
    """Read flags that map the file instead of reading it: ``IO_FLAG_MMAP`` alone maps only
    inverted lists, so an HNSW index's vectors were copied into the process (549 MB of anonymous
    memory for 341k facts, 0.3 s to open); with ``IO_FLAG_MMAP_IFC`` (faiss >= 1.10) they stay in
    the page cache, shared by every process that maps the file (6 MB, 0.02 s)."""
    return int(faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY | getattr(faiss, "IO_FLAG_MMAP_IFC", 0))


def _new_hnsw(ndim: int) -> Any:
    faiss = _faiss()
    hnsw = faiss.IndexHNSWFlat(ndim, CONNECTIVITY, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = EXPANSION_ADD
    return hnsw


def _ready(hnsw: Any) -> Any:
    # not kept in the file
    hnsw.hnsw.efSearch = EXPANSION_SEARCH_LARGE if hnsw.ntotal >= LARGE_ROWS else EXPANSION_SEARCH
    return hnsw


def _add(hnsw: Any, matrix: np.ndarray, start: int, chunk: int = 65_536) -> None:
    """Rows ``start..`` in order: faiss numbers vectors by insertion, so keys stay rows."""
    for lo in range(start, int(matrix.shape[0]), chunk):
        hi = min(lo + chunk, int(matrix.shape[0]))
        hnsw.add(np.ascontiguousarray(matrix[lo:hi], dtype=np.float32))


def build(matrix: np.ndarray) -> VectorIndex:
    """An HNSW index over every row, in memory."""
    hnsw = _new_hnsw(int(matrix.shape[1]))
    _add(hnsw, matrix, 0)
    return VectorIndex(matrix, _ready(hnsw))


def open_index(matrix: np.ndarray, ids: StringColumn, config: AnnConfig, directory: Path | None,
               kind: str, version: int = 0) -> VectorIndex:
    """The index for one kind's rows at store ``version``: exact when ``config`` says so, else the
    HNSW file in ``directory`` (mapped read-only when it holds exactly these rows, extended when it
    holds a prefix of them, rebuilt otherwise; left alone, and the rows scanned, when a later
    version wrote it); ``directory`` None keeps a built index in memory only."""
    n = int(matrix.shape[0])
    if not config.wants(n) or matrix.ndim != 2 or matrix.shape[1] == 0:
        return VectorIndex(matrix)
    if directory is None:
        return build(matrix)
    faiss = _faiss()
    path, meta_path = directory / f"{kind}.faiss", directory / f"{kind}.json"
    meta = _read_meta(meta_path)
    held = int(meta.get("rows", -1)) if meta else -1
    if meta and held == n and meta.get("digest") == ids_digest(ids, n):
        try:
            hnsw = faiss.read_index(str(path), _mapped_read_flags(faiss))
            if hnsw.ntotal == n:
                return VectorIndex(matrix, _ready(hnsw))
        except (OSError, RuntimeError) as exc:
            log.warning("ANN index %s unusable (%s); rebuilding", path, exc)
    if meta and int(meta.get("version", 0)) > version:
        # a process on a later version wrote it: leave it to them, scan here
        return VectorIndex(matrix)
    hnsw, start = None, 0
    if meta and 0 < held < n and meta.get("digest") == ids_digest(ids, held):
        try:
            hnsw = faiss.read_index(str(path))
            start = held if hnsw.ntotal == held else 0
        except (OSError, RuntimeError):
            hnsw = None
    if hnsw is None or start == 0:
        hnsw, start = _new_hnsw(int(matrix.shape[1])), 0
    _add(hnsw, matrix, start)
    _save(faiss, hnsw, path, meta_path, {"format": FORMAT, "version": version, "rows": n, "digest": ids_digest(ids, n),
                                         "extended_from": start, "connectivity": CONNECTIVITY})
    return VectorIndex(matrix, _ready(hnsw))


def _read_meta(path: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


def _save(faiss: Any, hnsw: Any, path: Path, meta_path: Path, meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex
    tmp, tmp_meta = path.with_name(f".{path.name}.{tag}"), meta_path.with_name(f".{meta_path.name}.{tag}")
    try:
        faiss.write_index(hnsw, str(tmp))
        tmp_meta.write_text(json.dumps(meta))
        # the index first, its meta second: a reader that sees the new meta finds the new index
        os.replace(tmp, path)
        os.replace(tmp_meta, meta_path)
    finally:
        for leftover in (tmp, tmp_meta):
            leftover.unlink(missing_ok=True)
