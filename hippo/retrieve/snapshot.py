"""The igraph snapshot of a namespace and Personalized PageRank over it.

igraph is the compute engine, not the store: a snapshot is rebuilt from ``store.export`` when
the namespace's version changes. Vertices are entities (first) then passages; callers map
through stable ids (``vertex_of``), never through positions kept across snapshots.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import igraph as ig
import numpy as np
from threadpoolctl import ThreadpoolController

from hippo.retrieve.specificity import passage_counts
from hippo.store.base import GraphStore
from hippo.types import GraphExport

RELATION, SYNONYM, CONTEXT = "relation", "synonym", "context"

_openmp: ThreadpoolController | None = None
_openmp_lock = threading.Lock()


def _openmp_pools() -> ThreadpoolController:
    """The OpenMP runtimes loaded in this process, found once: ``threadpool_limits`` walks every
    loaded library on each call (~0.5 ms, as much as a whole PageRank on a small graph)."""
    global _openmp
    with _openmp_lock:
        if _openmp is None:
            _openmp = ThreadpoolController().select(user_api="openmp")
        return _openmp


def _merge_edges(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Undirected edges with parallel copies summed into one: (pairs (m, 2), weights (m,))."""
    if src.size == 0:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float64)
    lo = np.minimum(src, dst).astype(np.int64)
    hi = np.maximum(src, dst).astype(np.int64)
    keep = lo != hi
    keys = lo[keep] * n + hi[keep]
    unique, inverse = np.unique(keys, return_inverse=True)
    summed = np.bincount(inverse, weights=weight[keep].astype(np.float64), minlength=unique.size)
    return np.stack([unique // n, unique % n], axis=1), summed


@dataclass
class GraphSnapshot:
    export: GraphExport
    graph: ig.Graph
    vertex_of: dict[str, int]
    n_entities: int
    n_passages: int
    fact_subject: np.ndarray  # vertex index of each fact's subject
    fact_object: np.ndarray
    entity_passage_count: np.ndarray  # passages each entity stands for (node specificity, hippo.retrieve.specificity)
    edge_counts: dict[str, int] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.export.version

    @classmethod
    def build(cls, export: GraphExport) -> GraphSnapshot:
        n_e, n_p = len(export.entity_ids), len(export.passage_ids)
        n = n_e + n_p
        vertex_of = {eid: i for i, eid in enumerate(export.entity_ids)}
        vertex_of.update({pid: n_e + i for i, pid in enumerate(export.passage_ids)})

        def lookup(ids: list[str]) -> np.ndarray:
            return np.fromiter((vertex_of.get(i, -1) for i in ids), dtype=np.int64, count=len(ids))

        fact_s, fact_o = lookup(export.fact_subjects), lookup(export.fact_objects)
        ok = (fact_s >= 0) & (fact_o >= 0)
        rel_s, rel_o = fact_s[ok], fact_o[ok]
        # weight of a relation edge = number of facts joining the pair (summed in the merge)
        rel_w = np.ones(rel_s.size)

        syn_s = lookup([e.a for e in export.synonyms])
        syn_o = lookup([e.b for e in export.synonyms])
        syn_w = np.array([e.weight for e in export.synonyms], dtype=np.float64)
        ok = (syn_s >= 0) & (syn_o >= 0)
        syn_s, syn_o, syn_w = syn_s[ok], syn_o[ok], syn_w[ok]

        men_p = lookup([p for p, _ in export.mentions])
        men_e = lookup([e for _, e in export.mentions])
        ok = (men_p >= 0) & (men_e >= 0)
        men_p, men_e = men_p[ok], men_e[ok]

        pairs, weights = _merge_edges(
            max(n, 1),
            np.concatenate([rel_s, syn_s, men_p]),
            np.concatenate([rel_o, syn_o, men_e]),
            np.concatenate([rel_w, syn_w, np.ones(men_p.size)]),
        )
        graph = ig.Graph(n=n, edges=pairs, directed=False)
        graph.es["weight"] = weights.tolist()
        graph.vs["id"] = export.entity_ids + export.passage_ids
        graph.vs["kind"] = ["entity"] * n_e + ["passage"] * n_p
        graph.vs["name"] = export.entity_names + export.passage_ids

        specificity = passage_counts(export.entity_names, men_e, men_p - n_e)
        return cls(
            export=export,
            graph=graph,
            vertex_of=vertex_of,
            n_entities=n_e,
            n_passages=n_p,
            fact_subject=fact_s,
            fact_object=fact_o,
            entity_passage_count=specificity,
            edge_counts={RELATION: int(rel_s.size), SYNONYM: int(syn_s.size), CONTEXT: int(men_p.size),
                         "merged": int(pairs.shape[0])},
        )

    def ppr(self, reset: np.ndarray, damping: float) -> np.ndarray:
        """Personalized PageRank (igraph's prpack) with the given reset vector over all vertices.
        ``damping`` is the probability of following an edge (HippoRAG 2 uses 0.5)."""
        if self.graph.vcount() == 0 or not np.any(reset > 0):
            return np.zeros(self.graph.vcount())
        # prpack's OpenMP threads spin against each other (and against the embedder's) on a busy
        # machine: one thread is several times faster at our graph sizes, measured in benchmarks/
        with _openmp_pools().limit(limits=1):
            scores = self.graph.personalized_pagerank(
                directed=False,
                damping=damping,
                reset=np.asarray(reset, dtype=np.float64).tolist(),
                weights="weight",
                implementation="prpack",
            )
        return np.asarray(scores, dtype=np.float64)


class SnapshotCache:
    """One snapshot per (store, namespace), rebuilt only when the store's version moved."""

    def __init__(self) -> None:
        self._snapshots: dict[str, GraphSnapshot] = {}
        self._lock = threading.Lock()

    def get(self, store: GraphStore, ns: str) -> GraphSnapshot:
        key = f"{store.uri}\x00{ns}"
        version = store.version(ns)
        with self._lock:
            cached = self._snapshots.get(key)
            if cached is not None and cached.version == version:
                return cached
            snapshot = GraphSnapshot.build(store.export(ns))
            self._snapshots[key] = snapshot
            return snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._snapshots.clear()
