"""The snapshot of a namespace: flat arrays (typed nodes, typed edges, merged CSR adjacency,
embeddings, ids) that PageRank and linking run on, and Personalized PageRank over it.

igraph is the compute engine, not the store. A snapshot is built from ``store.export`` once per
store version (or extended from the previous one with what a write appended), written to disk as
memory-mapped arrays (:mod:`hippo.retrieve.snapshot_files`) and opened from there by every later
process. Vertices are grouped by kind (entities first, then passages, then any further kinds a
layout adds); callers map through stable ids (``vertex_of``), never through positions kept across
snapshots. The whole-graph igraph object is built only when exact global PageRank asks for it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import ThreadpoolController

from hippo.retrieve.ann import AnnConfig, VectorIndex, open_index
from hippo.retrieve.columns import IdIndex, StringColumn
from hippo.retrieve.specificity import passage_counts
from hippo.types import GraphExport, SentenceExport, SynonymEdge

if TYPE_CHECKING:
    from hippo.retrieve.bridge import BridgeIndex

if TYPE_CHECKING:  # igraph imports matplotlib (seconds): only processes that run exact PageRank load it
    import igraph as ig

RELATION, SYNONYM, CONTEXT = "relation", "synonym", "context"
ENTITY, PASSAGE, FACT = "entity", "passage", "fact"
SENTENCE = "sentence"  # the bridge layout's sentences: their embeddings live in its part, not in ``embeddings``
BRIDGE_PART = "bridge"  # the bridge mode's layout, inside the snapshot's version directory

_pools: dict[bool, ThreadpoolController] = {}
_pools_lock = threading.Lock()


class StaleSnapshot(RuntimeError):
    """The store moved on after the snapshot was built; take a fresh snapshot and try again."""


def one_thread() -> Any:
    """A context with BLAS and OpenMP held to one thread. On a busy machine their worker threads
    spin against each other (and against the embedder's): a 10k x 384 mat-vec took 75 ms with
    the default pools and 0.6 ms with one thread at load 20; prpack likewise (benchmarks/). The
    runtimes are listed once (listing walks every loaded library, ~0.5 ms), again after igraph
    brings its own OpenMP runtime."""
    key = "igraph" in sys.modules
    with _pools_lock:
        controller = _pools.get(key)
        if controller is None:
            controller = _pools[key] = ThreadpoolController()
    return controller.limit(limits=1)


@dataclass(frozen=True)
class EdgeArrays:
    """Edges of one kind as parallel arrays of vertex indices and weights (parallel copies allowed)."""

    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray

    @classmethod
    def of(cls, src: np.ndarray, dst: np.ndarray, weight: np.ndarray | None = None) -> EdgeArrays:
        src = np.asarray(src, dtype=np.int64)
        w = np.ones(src.size) if weight is None else np.asarray(weight, dtype=np.float64)
        return cls(src, np.asarray(dst, dtype=np.int64), w)

    def __len__(self) -> int:
        return int(self.src.shape[0])


@dataclass(frozen=True)
class NodeBlock:
    """The vertices of one kind, in vertex order: ids, display names, embeddings (rows = ids)."""

    kind: str
    ids: Sequence[str]
    names: Sequence[str]
    emb: np.ndarray


def merged_csr(n: int, edges: Sequence[EdgeArrays]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Undirected adjacency with parallel copies summed and self-loops dropped, as a symmetric
    CSR (indptr int64, indices int32/64, weights float64; each row's neighbours sorted) plus
    each vertex's weighted degree."""
    src = np.concatenate([np.asarray(e.src, dtype=np.int64) for e in edges]) if edges else np.zeros(0, np.int64)
    dst = np.concatenate([np.asarray(e.dst, dtype=np.int64) for e in edges]) if edges else np.zeros(0, np.int64)
    w = np.concatenate([np.asarray(e.weight, dtype=np.float64) for e in edges]) if edges else np.zeros(0)
    keep = (src != dst) & (src >= 0) & (dst >= 0)
    lo, hi, w = np.minimum(src, dst)[keep], np.maximum(src, dst)[keep], w[keep]
    keys = lo * max(n, 1) + hi
    unique, inverse = np.unique(keys, return_inverse=True)
    summed = np.bincount(inverse, weights=w, minlength=unique.size)
    lo, hi = unique // max(n, 1), unique % max(n, 1)
    rows = np.concatenate([lo, hi])
    cols = np.concatenate([hi, lo])
    vals = np.concatenate([summed, summed])
    order = np.lexsort((cols, rows))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    index_type = np.int32 if n < 2**31 else np.int64
    strength = np.bincount(rows, weights=vals, minlength=n).astype(np.float64)
    return indptr, cols[order].astype(index_type), vals[order], strength


@dataclass
class GraphSnapshot:
    version: int
    kinds: tuple[str, ...]  # node kinds in vertex order; entities first, passages second
    kind_counts: tuple[int, ...]
    ids: StringColumn  # every vertex
    names: StringColumn  # every vertex (a passage's name is its id)
    vertex_of: IdIndex  # vertex id -> vertex index
    embeddings: dict[str, np.ndarray]  # node kind or "fact" -> rows
    fact_ids: StringColumn
    fact_texts: StringColumn
    fact_subject: np.ndarray  # vertex index of each fact's subject (-1: not in the graph)
    fact_object: np.ndarray
    fact_support: EdgeArrays  # (passage vertex, fact row)
    edges: dict[str, EdgeArrays]  # typed edges as written (relation, synonym, context, …)
    indptr: np.ndarray  # merged symmetric CSR over all edge kinds
    indices: np.ndarray
    weights: np.ndarray
    strength: np.ndarray  # weighted degree per vertex
    entity_passage_count: np.ndarray  # passages each entity stands for (hippo.retrieve.specificity)
    edge_counts: dict[str, int] = field(default_factory=dict)
    source: str = "built"  # built | disk | extended: how this process got it (for reports)
    cursor: dict[str, Any] | None = None  # where the store's appends continue (GraphStore.export_appended)
    # reads the namespace's retrieval layer (sentences); set by the cache that handed the snapshot out
    layer_source: Callable[[], SentenceExport] | None = None
    # the snapshot's directory on disk when it has one: layouts built later are stored inside it
    disk_path: Path | None = None
    _bridge: BridgeIndex | None = None
    _bridge_lock: threading.Lock = field(default_factory=threading.Lock)
    # nearest-neighbour search per embedding kind (hippo.retrieve.ann); set by the cache that handed
    # the snapshot out: where its HNSW files live (None: memory only) and when to use them
    ann_dir: Path | None = None
    ann_config: AnnConfig = field(default_factory=AnnConfig)
    _vector_indexes: dict[str, VectorIndex] = field(default_factory=dict)
    _vector_lock: threading.Lock = field(default_factory=threading.Lock)

    def vector_index(self, kind: str) -> VectorIndex:
        """Top-k search over the embeddings of ``kind`` (entity, passage, fact, or the bridge
        layout's sentences): an exact scan or HNSW as ``ann_config`` decides, opened (or built and
        saved) on first use."""
        with self._vector_lock:
            index = self._vector_indexes.get(kind)
            if index is None:
                if kind == SENTENCE:
                    layout = self.bridge()
                    matrix = layout.sentence_emb
                    # the layout keeps no sentence ids; a sentence's row is its text's embedding,
                    # so the texts in row order say whether an index file holds these rows
                    ids = layout.sentence_texts
                else:
                    matrix = self.embeddings[kind]
                    ids = self.fact_ids if kind == FACT else self._of_kind(self.ids, kind)
                index = open_index(matrix, ids, self.ann_config, self.ann_dir, kind, self.version)
                self._vector_indexes[kind] = index
            return index

    @property
    def entity_index(self) -> VectorIndex:
        return self.vector_index(ENTITY)

    @property
    def fact_index(self) -> VectorIndex:
        return self.vector_index(FACT)

    def bridge(self) -> BridgeIndex:
        """The bridge mode's layout over this snapshot's entity and passage vertices: from the
        snapshot's directory when an earlier process wrote it there, else built from the store's
        retrieval layer at the same version (and written there for the next process)."""
        from hippo.retrieve import snapshot_files
        from hippo.retrieve.bridge import bridge_arrays, bridge_from_arrays, bridge_index

        with self._bridge_lock:
            if self._bridge is not None:
                return self._bridge
            part = self.disk_path / BRIDGE_PART if self.disk_path is not None else None
            if part is not None and (part / "meta.json").is_file():
                try:
                    self._bridge = bridge_from_arrays(self, snapshot_files.read(part)[0])
                    return self._bridge
                except (OSError, ValueError, KeyError):  # unreadable: rebuild from the store
                    pass
            if self.layer_source is None:
                raise StaleSnapshot("this snapshot has no store to read its retrieval layer from")
            layer = self.layer_source()
            if layer.version != self.version:
                raise StaleSnapshot(f"retrieval layer at version {layer.version}, snapshot at {self.version}")
            self._bridge = bridge_index(self, layer)
            if self.disk_path is not None and self.disk_path.is_dir():
                try:
                    snapshot_files.write_part(self.disk_path, BRIDGE_PART, bridge_arrays(self._bridge), {})
                except OSError:  # a read-only snapshot directory: this process keeps its copy
                    pass
            return self._bridge

    # --- shape ----------------------------------------------------------------------------------
    def kind_range(self, kind: str) -> range:
        start = 0
        for k, count in zip(self.kinds, self.kind_counts, strict=True):
            if k == kind:
                return range(start, start + count)
            start += count
        return range(start, start)

    @property
    def n_vertices(self) -> int:
        return sum(self.kind_counts)

    @property
    def n_entities(self) -> int:
        return len(self.kind_range(ENTITY))

    @property
    def n_passages(self) -> int:
        return len(self.kind_range(PASSAGE))

    @property
    def n_edges(self) -> int:
        return int(self.indices.shape[0]) // 2

    @property
    def entity_emb(self) -> np.ndarray:
        return self.embeddings[ENTITY]

    @property
    def passage_emb(self) -> np.ndarray:
        return self.embeddings[PASSAGE]

    @property
    def fact_emb(self) -> np.ndarray:
        return self.embeddings[FACT]

    def _of_kind(self, column: StringColumn, kind: str) -> StringColumn:
        rows = self.kind_range(kind)
        return column.rows(rows.start, rows.stop)

    @cached_property
    def entity_ids(self) -> StringColumn:
        return self._of_kind(self.ids, ENTITY)

    @cached_property
    def passage_ids(self) -> StringColumn:
        return self._of_kind(self.ids, PASSAGE)

    @cached_property
    def entity_names(self) -> StringColumn:
        return self._of_kind(self.names, ENTITY)

    # --- building -------------------------------------------------------------------------------
    @classmethod
    def from_parts(
        cls, version: int, nodes: Sequence[NodeBlock], edges: dict[str, EdgeArrays], *,
        fact_ids: Sequence[str], fact_texts: Sequence[str], fact_subject: np.ndarray, fact_object: np.ndarray,
        fact_emb: np.ndarray, fact_support: EdgeArrays,
    ) -> GraphSnapshot:
        """A snapshot from typed node blocks and typed edge arrays (vertex indices in block order).
        Any layout builds through here; ``build`` is the store export's layout."""
        kinds = tuple(b.kind for b in nodes)
        if kinds[:2] != (ENTITY, PASSAGE):
            raise ValueError(f"the first node kinds must be entity, passage; got {kinds}")
        all_ids = StringColumn.of([i for b in nodes for i in b.ids])
        names = StringColumn.of([s for b in nodes for s in b.names])
        n = len(all_ids)
        indptr, indices, weights, strength = merged_csr(n, list(edges.values()))
        n_e = len(nodes[0].ids)
        context = edges.get(CONTEXT, EdgeArrays.of(np.zeros(0), np.zeros(0)))
        # context edges run passage -> entity
        specificity = passage_counts(list(nodes[0].names), context.dst, context.src - n_e)
        embeddings = {b.kind: np.asarray(b.emb, dtype=np.float32) for b in nodes}
        embeddings[FACT] = np.asarray(fact_emb, dtype=np.float32)
        counts = {k: len(e) for k, e in edges.items()}
        counts["merged"] = int(indices.shape[0]) // 2
        return cls(
            version=version, kinds=kinds, kind_counts=tuple(len(b.ids) for b in nodes), ids=all_ids, names=names,
            vertex_of=IdIndex.of(all_ids.tolist()), embeddings=embeddings,
            fact_ids=StringColumn.of(fact_ids), fact_texts=StringColumn.of(fact_texts),
            fact_subject=np.asarray(fact_subject, dtype=np.int64), fact_object=np.asarray(fact_object, dtype=np.int64),
            fact_support=fact_support, edges=edges, indptr=indptr, indices=indices, weights=weights,
            strength=strength, entity_passage_count=specificity, edge_counts=counts,
        )

    @classmethod
    def build(cls, export: GraphExport) -> GraphSnapshot:
        n_e = len(export.entity_ids)
        vertex = IdIndex.of(list(export.entity_ids) + list(export.passage_ids))
        fact_s = vertex.rows(export.fact_subjects)
        fact_o = vertex.rows(export.fact_objects)
        ok = (fact_s >= 0) & (fact_o >= 0)
        fact_row = IdIndex.of(export.fact_ids)
        edges = {
            # weight of a relation edge = number of facts joining the pair (summed in the merge)
            RELATION: EdgeArrays.of(fact_s[ok], fact_o[ok]),
            SYNONYM: _valid(EdgeArrays.of(vertex.rows([e.a for e in export.synonyms]),
                                          vertex.rows([e.b for e in export.synonyms]),
                                          np.array([e.weight for e in export.synonyms], dtype=np.float64))),
            CONTEXT: _valid(EdgeArrays.of(vertex.rows([p for p, _ in export.mentions]),
                                          vertex.rows([e for _, e in export.mentions]))),
        }
        support = _valid(EdgeArrays.of(vertex.rows([p for p, _ in export.fact_support]),
                                       fact_row.rows([f for _, f in export.fact_support])))
        return cls.from_parts(
            export.version,
            [NodeBlock(ENTITY, export.entity_ids, export.entity_names, _rows(export.entity_emb, n_e)),
             NodeBlock(PASSAGE, export.passage_ids, export.passage_ids,
                       _rows(export.passage_emb, len(export.passage_ids)))],
            edges, fact_ids=export.fact_ids, fact_texts=export.fact_texts, fact_subject=fact_s,
            fact_object=fact_o, fact_emb=_rows(export.fact_emb, len(export.fact_ids)), fact_support=support,
        )

    # --- persistence ----------------------------------------------------------------------------
    def arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Everything as named arrays plus a small meta dict (what snapshot_files writes)."""
        out: dict[str, np.ndarray] = {
            "ids_blob": self.ids.blob, "ids_offsets": self.ids.offsets,
            "names_blob": self.names.blob, "names_offsets": self.names.offsets,
            "id_keys": self.vertex_of.keys, "id_rows": self.vertex_of.rows_of_keys,
            "fact_ids_blob": self.fact_ids.blob, "fact_ids_offsets": self.fact_ids.offsets,
            "fact_texts_blob": self.fact_texts.blob, "fact_texts_offsets": self.fact_texts.offsets,
            "fact_subject": self.fact_subject, "fact_object": self.fact_object,
            "support_src": self.fact_support.src, "support_dst": self.fact_support.dst,
            "indptr": self.indptr, "indices": self.indices, "weights": self.weights, "strength": self.strength,
            "entity_passage_count": self.entity_passage_count,
        }
        for kind, emb in self.embeddings.items():
            out[f"emb_{kind}"] = emb
        for kind, e in self.edges.items():
            out[f"edge_{kind}_src"], out[f"edge_{kind}_dst"], out[f"edge_{kind}_weight"] = e.src, e.dst, e.weight
        meta = {"kinds": list(self.kinds), "kind_counts": list(self.kind_counts), "edge_kinds": list(self.edges),
                "edge_counts": self.edge_counts, "embedding_kinds": list(self.embeddings), "cursor": self.cursor}
        return out, meta

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], meta: dict[str, Any], source: str = "disk") -> GraphSnapshot:
        support = a["support_src"]
        return cls(
            version=int(meta["version"]), kinds=tuple(meta["kinds"]), kind_counts=tuple(meta["kind_counts"]),
            ids=StringColumn(a["ids_blob"], a["ids_offsets"]), names=StringColumn(a["names_blob"], a["names_offsets"]),
            vertex_of=IdIndex(a["id_keys"], a["id_rows"]),
            embeddings={k: a[f"emb_{k}"] for k in meta["embedding_kinds"]},
            fact_ids=StringColumn(a["fact_ids_blob"], a["fact_ids_offsets"]),
            fact_texts=StringColumn(a["fact_texts_blob"], a["fact_texts_offsets"]),
            fact_subject=a["fact_subject"], fact_object=a["fact_object"],
            fact_support=EdgeArrays(support, a["support_dst"], np.ones(support.shape[0])),
            edges={k: EdgeArrays(a[f"edge_{k}_src"], a[f"edge_{k}_dst"], a[f"edge_{k}_weight"])
                   for k in meta["edge_kinds"]},
            indptr=a["indptr"], indices=a["indices"], weights=a["weights"], strength=a["strength"],
            entity_passage_count=a["entity_passage_count"], edge_counts=dict(meta["edge_counts"]), source=source,
            cursor=meta.get("cursor"),
        )

    # --- views for callers that want whole-graph objects -----------------------------------------
    @cached_property
    def graph(self) -> ig.Graph:
        """The whole graph in igraph (built on first use: exact global PageRank, subgraph views)."""
        import igraph as ig

        n = self.n_vertices
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.indptr))
        cols = np.asarray(self.indices, dtype=np.int64)
        upper = cols > rows
        graph = ig.Graph(n=n, edges=np.stack([rows[upper], cols[upper]], axis=1), directed=False)
        graph.es["weight"] = np.asarray(self.weights)[upper].tolist()
        graph.vs["id"] = self.ids.tolist()
        graph.vs["kind"] = [k for k, c in zip(self.kinds, self.kind_counts, strict=True) for _ in range(c)]
        graph.vs["name"] = self.names.tolist()
        return graph

    @cached_property
    def export(self) -> SnapshotExport:
        return SnapshotExport(self)

    def neighbours(self, vertex: int) -> np.ndarray:
        return np.asarray(self.indices[self.indptr[vertex] : self.indptr[vertex + 1]], dtype=np.int64)

    # --- PageRank -------------------------------------------------------------------------------
    def ppr(self, reset: np.ndarray, damping: float) -> np.ndarray:
        """Exact Personalized PageRank (igraph's prpack) with the given reset vector over all
        vertices. ``damping`` is the probability of following an edge (HippoRAG 2 uses 0.5)."""
        n = self.n_vertices
        if n == 0 or not np.any(reset > 0):
            return np.zeros(n)
        graph = self.graph  # built (and igraph loaded) before the OpenMP runtimes are looked up
        with one_thread():
            scores = graph.personalized_pagerank(
                directed=False, damping=damping, reset=np.asarray(reset, dtype=np.float64).tolist(),
                weights="weight", implementation="prpack",
            )
        return np.asarray(scores, dtype=np.float64)


class SnapshotExport:
    """The snapshot seen with GraphExport's field names, for callers written against the export.
    Columns and embeddings are views; edge lists (mentions, synonyms, fact support, fact ends)
    are materialised on first use only."""

    def __init__(self, snap: GraphSnapshot) -> None:
        self._snap = snap
        self.version = snap.version
        self.passage_ids = snap.passage_ids
        self.entity_ids = snap.entity_ids
        self.entity_names = snap.entity_names
        self.fact_ids = snap.fact_ids
        self.fact_texts = snap.fact_texts
        self.passage_emb = snap.passage_emb
        self.entity_emb = snap.entity_emb
        self.fact_emb = snap.fact_emb

    def _vertex_ids(self, vertices: np.ndarray) -> list[str]:
        ids = self._snap.ids
        return [ids[int(v)] if v >= 0 else "" for v in vertices]

    @cached_property
    def fact_subjects(self) -> list[str]:
        return self._vertex_ids(self._snap.fact_subject)

    @cached_property
    def fact_objects(self) -> list[str]:
        return self._vertex_ids(self._snap.fact_object)

    @cached_property
    def mentions(self) -> list[tuple[str, str]]:
        e = self._snap.edges.get(CONTEXT)
        if e is None:
            return []
        return sorted(zip(self._vertex_ids(e.src), self._vertex_ids(e.dst), strict=True))

    @cached_property
    def fact_support(self) -> list[tuple[str, str]]:
        s = self._snap.fact_support
        facts = self._snap.fact_ids
        return sorted(zip(self._vertex_ids(s.src), [facts[int(f)] for f in s.dst], strict=True))

    @cached_property
    def synonyms(self) -> list[SynonymEdge]:
        e = self._snap.edges.get(SYNONYM)
        if e is None:
            return []
        edges = (SynonymEdge(min(a, b), max(a, b), float(w))
                 for a, b, w in zip(self._vertex_ids(e.src), self._vertex_ids(e.dst), e.weight, strict=True))
        return sorted(edges, key=lambda s: (s.a, s.b))


def _valid(e: EdgeArrays) -> EdgeArrays:
    ok = (e.src >= 0) & (e.dst >= 0)
    return EdgeArrays(e.src[ok], e.dst[ok], e.weight[ok])


def _rows(emb: np.ndarray, n: int) -> np.ndarray:
    """An embedding matrix, (0, 0) from an empty export made (0, dim)-compatible."""
    return emb if emb.shape[0] == n else np.zeros((n, emb.shape[1] if emb.ndim == 2 else 0), dtype=np.float32)
