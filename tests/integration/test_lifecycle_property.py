"""Equivalence property: any sequence of add / replace / delete ends in the same graph as a fresh
index of the documents that survive it — on SQLite and on Neo4j."""

from __future__ import annotations

import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hippo.embed import Embedder
from hippo.index.extract.openie_import import ImportedExtractor
from hippo.memory import Memory
from hippo.store.base import GraphStore
from tests.support.lifecycle_corpus import DOC_IDS, document
from tests.support.lifecycle_fixtures import *  # noqa: F403

Op = tuple[str, tuple[tuple[str, int], ...]]

_docs = st.lists(st.tuples(st.sampled_from(DOC_IDS), st.integers(0, 1)), min_size=1, max_size=3)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), _docs),
        st.tuples(st.just("replace"), _docs),
        st.tuples(st.just("delete"), _docs),
    ),
    min_size=1,
    max_size=8,
)


def apply(memory: Memory, ops: list[Op]) -> dict[str, int]:
    """Run the operations and return the model of what must survive: doc id -> version."""
    alive: dict[str, int] = {}
    for kind, items in ops:
        if kind == "delete":
            ids = [d for d, _ in items]
            assert memory.delete(ids) == len({d for d in ids if d in alive})
            for d in ids:
                alive.pop(d, None)
            continue
        # within one call the last copy of an id wins
        last = dict(items)
        report = memory.add_documents([document(d, v) for d, v in last.items()], replace=kind == "replace")
        for d, v in last.items():
            if kind == "replace" or d not in alive:
                alive[d] = v
            elif alive[d] != v:
                assert d in report.documents_conflicting
    return alive


def check_equivalence(store: GraphStore, embedder: Embedder, openie: Path, ops: list[Op]) -> None:
    ns_a, ns_b = f"prop-{uuid.uuid4().hex[:10]}", f"prop-{uuid.uuid4().hex[:10]}"
    try:
        incremental = Memory(store=store, namespace=ns_a, embedder=embedder, extractor=ImportedExtractor(str(openie)))
        alive = apply(incremental, ops)
        fresh = Memory(store=store, namespace=ns_b, embedder=embedder, extractor=ImportedExtractor(str(openie)))
        if alive:
            fresh.add_documents([document(d, v) for d, v in sorted(alive.items())])
        assert {d.id for d in store.list_documents(ns_a)} == set(alive)
        assert incremental.stats() | {"namespace": "", "version": 0} == fresh.stats() | {"namespace": "", "version": 0}
        assert incremental.fingerprint() == fresh.fingerprint(), f"surviving {alive} after {ops}"
    finally:
        store.drop_namespace(ns_a)
        store.drop_namespace(ns_b)


def test_equivalence_property(lifecycle_store: GraphStore, embedder: Embedder, pool_openie: Path) -> None:
    # Neo4j round trips cost ~10x SQLite's; fewer examples keep both under a minute
    examples = 50 if lifecycle_store.uri.startswith("sqlite") else 10

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(ops=_ops)
    def run(ops: list[Op]) -> None:
        check_equivalence(lifecycle_store, embedder, pool_openie, ops)

    run()


def test_surface_form_order_does_not_change_the_graph(
    lifecycle_store: GraphStore, embedder: Embedder, pool_openie: Path
) -> None:
    """'St. Petersburg' and 'St Petersburg' are one entity; which spelling came first must not
    change its synonym edges (a regression the property found)."""
    check_equivalence(lifecycle_store, embedder, pool_openie, [
        ("add", (("petersburg", 0),)),
        ("replace", (("petersburg", 1),)),
    ])
    check_equivalence(lifecycle_store, embedder, pool_openie, [
        ("add", (("petersburg", 1),)),
        ("add", (("copy", 0),)),
        ("replace", (("petersburg", 0),)),
    ])
