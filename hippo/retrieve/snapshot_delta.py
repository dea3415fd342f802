"""Extend a snapshot with rows a store appended since it was built, without re-reading the rest.

What is reused: every id, name, text and embedding row of the old snapshot (copied from its
memory-mapped files, not read from the store). What is rebuilt in memory from those arrays plus
the new rows: the id index, the merged CSR adjacency and node specificity (all numpy/C except the
specificity's pass over entity names). Deletions or replacements make the store refuse a delta
(``export_appended`` returns None) and the caller exports everything.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hippo.retrieve.columns import IdIndex
from hippo.retrieve.snapshot import (
    CONTEXT,
    ENTITY,
    PASSAGE,
    RELATION,
    SYNONYM,
    EdgeArrays,
    GraphSnapshot,
    NodeBlock,
)
from hippo.types import GraphExport


def extend(base: GraphSnapshot, appended: tuple[GraphExport, dict[str, Any]]) -> GraphSnapshot | None:
    """``base`` plus the appended rows; None when base has a layout this cannot extend."""
    delta, cursor = appended
    if base.kinds != (ENTITY, PASSAGE):
        return None
    n_e = base.n_entities
    new_e, new_p = len(delta.entity_ids), len(delta.passage_ids)

    def moved(v: np.ndarray) -> np.ndarray:
        """Old vertex indices in the new layout (new entities go in before the passages)."""
        v = np.asarray(v, dtype=np.int64)
        return np.where(v >= n_e, v + new_e, v)

    ids = base.ids.tolist()
    names = base.names.tolist()
    entity_ids = ids[:n_e] + list(delta.entity_ids)
    passage_ids = ids[n_e:] + list(delta.passage_ids)
    vertex = IdIndex.of(entity_ids + passage_ids)
    fact_ids = base.fact_ids.tolist() + list(delta.fact_ids)
    fact_row = IdIndex.of(fact_ids)

    new_s, new_o = vertex.rows(delta.fact_subjects), vertex.rows(delta.fact_objects)
    fact_s = np.concatenate([moved(base.fact_subject), new_s])
    fact_o = np.concatenate([moved(base.fact_object), new_o])
    ok = (new_s >= 0) & (new_o >= 0)

    def old(kind: str) -> EdgeArrays:
        e = base.edges.get(kind)
        if e is None:
            return EdgeArrays.of(np.zeros(0), np.zeros(0))
        return EdgeArrays(moved(e.src), moved(e.dst), np.asarray(e.weight, dtype=np.float64))

    def joined(a: EdgeArrays, b: EdgeArrays) -> EdgeArrays:
        keep = (b.src >= 0) & (b.dst >= 0)
        return EdgeArrays(np.concatenate([a.src, b.src[keep]]), np.concatenate([a.dst, b.dst[keep]]),
                          np.concatenate([a.weight, b.weight[keep]]))

    edges = {
        RELATION: joined(old(RELATION), EdgeArrays.of(new_s[ok], new_o[ok])),
        SYNONYM: joined(old(SYNONYM), EdgeArrays.of(
            vertex.rows([e.a for e in delta.synonyms]), vertex.rows([e.b for e in delta.synonyms]),
            np.array([e.weight for e in delta.synonyms], dtype=np.float64))),
        CONTEXT: joined(old(CONTEXT), EdgeArrays.of(
            vertex.rows([p for p, _ in delta.mentions]), vertex.rows([e for _, e in delta.mentions]))),
    }
    support = joined(
        EdgeArrays(moved(base.fact_support.src), np.asarray(base.fact_support.dst, dtype=np.int64),
                   np.ones(len(base.fact_support))),
        EdgeArrays.of(vertex.rows([p for p, _ in delta.fact_support]), fact_row.rows([f for _, f in delta.fact_support])),
    )

    def rows(old_rows: np.ndarray, new_rows: np.ndarray, n_new: int) -> np.ndarray:
        if n_new == 0:
            return np.asarray(old_rows)
        new = np.asarray(new_rows, dtype=np.float32)
        if len(old_rows) == 0:  # an empty kind is saved as shape (0, 0): it has no width to match
            return new
        return np.concatenate([np.asarray(old_rows, dtype=np.float32), new])

    snapshot = GraphSnapshot.from_parts(
        delta.version,
        [NodeBlock(ENTITY, entity_ids, names[:n_e] + list(delta.entity_names), rows(base.entity_emb, delta.entity_emb, new_e)),
         NodeBlock(PASSAGE, passage_ids, names[n_e:] + list(delta.passage_ids), rows(base.passage_emb, delta.passage_emb, new_p))],
        edges, fact_ids=fact_ids, fact_texts=base.fact_texts.tolist() + list(delta.fact_texts),
        fact_subject=fact_s, fact_object=fact_o,
        fact_emb=rows(base.fact_emb, delta.fact_emb, len(delta.fact_ids)), fact_support=support,
    )
    snapshot.source = "extended"
    snapshot.cursor = cursor
    return snapshot
