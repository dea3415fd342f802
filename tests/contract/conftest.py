"""The ``store`` fixture: every contract test runs against SQLite and, when HIPPO_TEST_NEO4J_URI
is set, against that Neo4j server — each in a fresh namespace that is dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.store.base import GraphStore, StoreError
from hippo.store.sqlite import SQLiteStore
from tests.conftest import neo4j_target_from_env


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[GraphStore]:
    target = neo4j_target_from_env()
    if target is None:
        pytest.skip("HIPPO_TEST_NEO4J_URI is not set")
    from hippo.store.neo4j import Neo4jStore

    try:
        store = Neo4jStore(target.uri, target.user, target.password)
    except StoreError as exc:
        pytest.fail(f"HIPPO_TEST_NEO4J_URI is set but the server cannot be used: {exc}")
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "sqlite":
        sqlite_store = SQLiteStore(tmp_path / "contract.db")
        yield sqlite_store
        sqlite_store.close()
    else:
        yield request.getfixturevalue("neo4j_store")


def _fresh_namespace(store: GraphStore) -> Iterator[str]:
    ns = f"contract-{uuid.uuid4().hex[:12]}"
    yield ns
    store.drop_namespace(ns)


@pytest.fixture
def ns(store: GraphStore) -> Iterator[str]:
    yield from _fresh_namespace(store)


@pytest.fixture
def ns2(store: GraphStore) -> Iterator[str]:
    yield from _fresh_namespace(store)
