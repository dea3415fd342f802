"""Fixtures for the lifecycle, crash and concurrency tests: both real stores, one shared
embedder, the pool's OpenIE file, and Memory objects in fresh namespaces.

Import into a test module: ``from tests.support.lifecycle_fixtures import *  # noqa: F403``
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hippo.embed import Embedder, shared_embedder
from hippo.index.extract.openie_import import ImportedExtractor
from hippo.memory import Memory
from hippo.store.base import GraphStore, StoreError
from hippo.store.sqlite import SQLiteStore
from tests.conftest import neo4j_target_from_env
from tests.support.lifecycle_corpus import write_openie_file

__all__ = ["embedder", "pool_openie", "lifecycle_store", "make_memory", "MemoryFactory", "open_neo4j_store"]

MemoryFactory = Callable[..., Memory]


def open_neo4j_store() -> GraphStore:
    """The configured test server; fails (never skips) when it is configured but unusable."""
    target = neo4j_target_from_env()
    if target is None:
        pytest.skip("HIPPO_TEST_NEO4J_URI is not set")
    from hippo.store.neo4j import Neo4jStore

    try:
        return Neo4jStore(target.uri, target.user, target.password)
    except StoreError as exc:
        pytest.fail(f"HIPPO_TEST_NEO4J_URI is set but the server cannot be used: {exc}")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return shared_embedder()


@pytest.fixture(scope="module")
def pool_openie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_openie_file(tmp_path_factory.mktemp("openie") / "pool_openie.json")


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def lifecycle_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store: GraphStore
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path_factory.mktemp("lifecycle") / "lifecycle.db")
    else:
        store = open_neo4j_store()
    yield store
    store.close()


@pytest.fixture
def make_memory(lifecycle_store: GraphStore, embedder: Embedder, pool_openie: Path) -> Iterator[MemoryFactory]:
    """``make_memory()`` -> a Memory on the store in a new namespace, dropped after the test."""
    made: list[str] = []

    def factory(openie: Path | None = None) -> Memory:
        ns = f"life-{uuid.uuid4().hex[:12]}"
        made.append(ns)
        extractor = ImportedExtractor(str(openie or pool_openie))
        return Memory(store=lifecycle_store, namespace=ns, embedder=embedder, extractor=extractor)

    yield factory
    for ns in made:
        lifecycle_store.drop_namespace(ns)
