"""Neo4j unreachable in the middle of a write: the link to the real server is cut by a loopback
proxy while ``write_documents`` runs. A lasting outage gives one clear StoreError and no partial
document; a brief one is retried and the write lands exactly once; the rerun completes."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from hippo.embed import Embedder
from hippo.index.extract.openie_import import ImportedExtractor
from hippo.index.pipeline import Indexer, IndexReport
from hippo.memory import Memory
from hippo.store.base import GraphStore, StoreError
from hippo.text import content_hash
from hippo.types import Document, DocumentWrite
from tests.conftest import Neo4jTarget
from tests.support.crash_proxy import FaultyProxy
from tests.support.lifecycle_corpus import document
from tests.support.lifecycle_fixtures import embedder, open_neo4j_store, pool_openie  # noqa: F401

BEFORE = [document("orchard", 0), document("tolvik", 0)]
BATCH = [document("orchard", 1), document("bergen", 0), document("petersburg", 0)]
AFTER = [document("orchard", 1), document("tolvik", 0), document("bergen", 0), document("petersburg", 0)]


@pytest.fixture(scope="module")
def direct() -> Iterator[GraphStore]:
    store = open_neo4j_store()
    yield store
    store.close()


@pytest.fixture
def proxy(neo4j_target: Neo4jTarget) -> Iterator[FaultyProxy]:
    parts = urlsplit(neo4j_target.uri)
    with FaultyProxy(parts.hostname or "127.0.0.1", parts.port or 7687) as p:
        yield p


@pytest.fixture
def proxied(proxy: FaultyProxy, neo4j_target: Neo4jTarget) -> Iterator[GraphStore]:
    from hippo.store.neo4j import Neo4jStore

    store = Neo4jStore(f"bolt://127.0.0.1:{proxy.port}", neo4j_target.user, neo4j_target.password)
    yield store
    store.close()


@pytest.fixture
def namespaces(direct: GraphStore) -> Iterator[tuple[str, str]]:
    pair = (f"fault-{uuid.uuid4().hex[:10]}", f"fault-clean-{uuid.uuid4().hex[:10]}")
    yield pair
    for ns in pair:
        direct.drop_namespace(ns)


def memory(store: GraphStore, ns: str, embedder: Embedder, openie: object) -> Memory:  # noqa: F811
    return Memory(store=store, namespace=ns, embedder=embedder, extractor=ImportedExtractor(str(openie)))


def build_writes(m: Memory, docs: list[Document]) -> list[DocumentWrite]:
    """The records ``add_documents(replace=True)`` would write, built ahead so the fault can be
    aimed at the write transaction itself."""
    return Indexer(m.store, m.embedder, m.extractor, m.settings).build_writes(m.namespace, docs)


@pytest.mark.neo4j
def write_size(direct: GraphStore, proxied: GraphStore, proxy: FaultyProxy, writes: list[DocumentWrite],
               embedder: Embedder, openie: object) -> int:  # noqa: F811
    """Bytes the driver sends for this write, measured on a scratch namespace in the same state."""
    scratch = f"fault-scratch-{uuid.uuid4().hex[:10]}"
    try:
        memory(direct, scratch, embedder, openie).add_documents(BEFORE)
        start = proxy.sent_upstream
        proxied.write_documents(scratch, writes)
        return proxy.sent_upstream - start
    finally:
        direct.drop_namespace(scratch)


@pytest.mark.parametrize("cut_at", [0.02, 0.5, 0.95])
def test_lasting_outage_mid_write_fails_cleanly_and_the_rerun_completes(
    direct: GraphStore, proxied: GraphStore, proxy: FaultyProxy, namespaces: tuple[str, str],
    embedder: Embedder, pool_openie: object, neo4j_target: Neo4jTarget, cut_at: float,  # noqa: F811
) -> None:
    ns, clean_ns = namespaces
    live = memory(direct, ns, embedder, pool_openie)
    live.add_documents(BEFORE)
    before = live.fingerprint()
    writes = build_writes(live, BATCH)
    size = write_size(direct, proxied, proxy, writes, embedder, pool_openie)

    proxy.cut_after(max(1, int(size * cut_at)))  # early, middle or just before the commit
    started = time.monotonic()
    with pytest.raises(StoreError) as failure:
        proxied.write_documents(ns, writes)
    assert proxy.cuts == 1, "the fault did not hit the write"
    message = str(failure.value)
    assert "\n" not in message and f"127.0.0.1:{proxy.port}" in message
    assert "unreachable or the connection was lost" in message
    assert neo4j_target.password not in message
    assert time.monotonic() - started < 60

    # nothing of the batch is visible: the old orchard version, no bergen, no petersburg
    assert live.fingerprint() == before
    orchard_v0 = BEFORE[0]
    assert {d.id: d.content_hash for d in direct.list_documents(ns)}["orchard"] == \
        content_hash(orchard_v0.title + "\n" + orchard_v0.text)
    assert {d.id for d in direct.list_documents(ns)} == {"orchard", "tolvik"}

    # the link comes back: the same command, re-run, finishes the job
    proxy.restore()
    memory(proxied, ns, embedder, pool_openie).add_documents(AFTER, replace=True)
    clean = memory(direct, clean_ns, embedder, pool_openie)
    clean.add_documents(AFTER)
    assert live.fingerprint() == clean.fingerprint()


@pytest.mark.neo4j
def test_brief_outage_mid_write_is_retried_and_lands_once(
    direct: GraphStore, proxied: GraphStore, proxy: FaultyProxy, namespaces: tuple[str, str],
    embedder: Embedder, pool_openie: object,  # noqa: F811
) -> None:
    ns, clean_ns = namespaces
    live = memory(direct, ns, embedder, pool_openie)
    live.add_documents(BEFORE)
    writes = build_writes(live, BATCH)

    def heal() -> None:
        while proxy.cuts == 0:
            time.sleep(0.01)
        time.sleep(0.5)
        proxy.restore()

    healer = threading.Thread(target=heal, daemon=True)
    healer.start()
    proxy.cut_after(write_size(direct, proxied, proxy, writes, embedder, pool_openie) // 2)
    proxied.write_documents(ns, writes)  # the driver retries the whole transaction
    healer.join(timeout=5)
    assert proxy.cuts == 1

    # the synonymy step of the same run, then compare with a clean build
    Indexer(direct, embedder, live.extractor, live.settings).resolve_synonyms(ns, IndexReport())
    clean = memory(direct, clean_ns, embedder, pool_openie)
    clean.add_documents(AFTER)
    assert live.fingerprint() == clean.fingerprint()
