"""Snapshots on disk, over both backends: written once per store version, opened by a fresh cache
(another process) without exporting the store, extended from appended rows where the backend can
tell, rebuilt after deletions, and never confused with a dropped and recreated namespace."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest

from hippo.retrieve.snapshot import GraphSnapshot
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.store.base import GraphStore
from tests.contract.builders import make_write


class _CountingExports:
    """Counts full exports of a real store (everything else passes through)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.exports = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def export_with_cursor(self, ns: str) -> object:
        self.exports += 1
        return self._store.export_with_cursor(ns)


def _doc(i: int) -> object:
    return make_write(f"doc-{i}", [(f"Person {i} met Person {i + 1} in City {i % 3}.",
                                    [(f"Person {i}", "met", f"Person {i + 1}"), (f"Person {i}", "visited", f"City {i % 3}")])])


def _same(a: GraphSnapshot, b: GraphSnapshot) -> None:
    """Equal graphs whatever the vertex order: same ids, same weighted edges, same PPR by id."""
    assert sorted(a.ids) == sorted(b.ids)
    assert sorted(a.fact_ids) == sorted(b.fact_ids)

    def edges(s: GraphSnapshot) -> set[tuple[str, str, float]]:
        rows = np.repeat(np.arange(s.n_vertices), np.diff(s.indptr))
        return {(s.ids[int(u)], s.ids[int(v)], round(float(w), 6))
                for u, v, w in zip(rows, s.indices, s.weights, strict=True)}

    assert edges(a) == edges(b)
    for s in (a, b):
        row = s.vertex_of[a.entity_ids[0]]
        assert s.entity_ids[row] == a.entity_ids[0]
    ra, rb = np.zeros(a.n_vertices), np.zeros(b.n_vertices)
    ra[a.vertex_of[a.entity_ids[0]]] = 1.0
    rb[b.vertex_of[a.entity_ids[0]]] = 1.0
    ma, mb = a.ppr(ra, 0.5), b.ppr(rb, 0.5)
    for vid in a.ids:
        assert abs(ma[a.vertex_of[vid]] - mb[b.vertex_of[vid]]) < 1e-9
    ea = {a.entity_ids[i]: float(a.entity_passage_count[i]) for i in range(a.n_entities)}
    eb = {b.entity_ids[i]: float(b.entity_passage_count[i]) for i in range(b.n_entities)}
    assert ea == eb
    for k in ("entity", "passage", "fact"):
        order_a = np.argsort([*(a.entity_ids if k == "entity" else a.passage_ids if k == "passage" else a.fact_ids)])
        order_b = np.argsort([*(b.entity_ids if k == "entity" else b.passage_ids if k == "passage" else b.fact_ids)])
        assert np.array_equal(np.asarray(a.embeddings[k])[order_a], np.asarray(b.embeddings[k])[order_b])


@pytest.fixture
def ns(store: GraphStore) -> object:
    name = f"snap-{uuid.uuid4().hex[:8]}"
    yield name
    store.drop_namespace(name)


def test_a_second_process_opens_the_snapshot_without_exporting(store: GraphStore, ns: str, tmp_path: Path) -> None:
    store.write_documents(ns, [_doc(i) for i in range(4)])
    first = SnapshotCache(tmp_path)
    built = first.get(store, ns)
    assert built.source == "built"
    counting = _CountingExports(store)
    opened = SnapshotCache(tmp_path).get(counting, ns)  # type: ignore[arg-type]
    assert counting.exports == 0 and opened.source == "disk"
    assert isinstance(opened.indptr, np.memmap)
    _same(opened, GraphSnapshot.build(store.export(ns)))


def test_appends_extend_the_snapshot_where_the_store_can_tell(store: GraphStore, ns: str, tmp_path: Path) -> None:
    store.write_documents(ns, [_doc(i) for i in range(4)])
    SnapshotCache(tmp_path).get(store, ns)
    store.write_documents(ns, [_doc(i) for i in range(4, 7)])
    counting = _CountingExports(store)
    snap = SnapshotCache(tmp_path).get(counting, ns)  # type: ignore[arg-type]
    expected = "extended" if store.export_appended(ns, snap.cursor) is not None else "built"
    assert snap.source == expected
    assert counting.exports == (0 if expected == "extended" else 1)
    _same(snap, GraphSnapshot.build(store.export(ns)))
    assert snap.version == store.version(ns)


def test_deletes_rebuild_and_match(store: GraphStore, ns: str, tmp_path: Path) -> None:
    store.write_documents(ns, [_doc(i) for i in range(5)])
    cache = SnapshotCache(tmp_path)
    cache.get(store, ns)
    store.delete_documents(ns, ["doc-2"])
    store.write_documents(ns, [_doc(9)])
    snap = cache.get(store, ns)
    assert snap.source == "built"
    _same(snap, GraphSnapshot.build(store.export(ns)))


def test_a_recreated_namespace_never_opens_the_old_snapshot(store: GraphStore, ns: str, tmp_path: Path) -> None:
    store.write_documents(ns, [_doc(0)])
    old = SnapshotCache(tmp_path).get(store, ns)
    store.drop_namespace(ns)
    store.write_documents(ns, [_doc(5)])
    assert store.version(ns) > old.version
    fresh = SnapshotCache(tmp_path).get(store, ns)
    _same(fresh, GraphSnapshot.build(store.export(ns)))
