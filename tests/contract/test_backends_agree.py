"""SQLite and Neo4j given the same writes end with the same graph (equal fingerprints)."""

from __future__ import annotations

import uuid
from pathlib import Path

from hippo.store.base import GraphStore
from hippo.store.sqlite import SQLiteStore
from hippo.text import entity_id
from hippo.types import SynonymEdge
from tests.contract.builders import make_write
from tests.contract.test_store_contract import ADA, BABBAGE, TURING


def _same_history(store: GraphStore, ns: str) -> str:
    store.write_documents(ns, [make_write("ada", ADA), make_write("turing", TURING)])
    store.write_documents(ns, [make_write("babbage", BABBAGE, failures={0: "timeout"})])
    store.add_synonyms(ns, [SynonymEdge(entity_id("London"), entity_id("Manchester"), 0.8312),
                            SynonymEdge(entity_id("Ada Lovelace"), entity_id("Alan Turing"), 0.8)])
    store.delete_documents(ns, ["ada"])
    store.write_documents(ns, [make_write("turing", TURING + [("Turing was born in London.", [
        ("Alan Turing", "born in", "London")])])])
    return store.fingerprint(ns)


def test_sqlite_and_neo4j_fingerprints_match(neo4j_store: GraphStore, tmp_path: Path) -> None:
    ns = f"agree-{uuid.uuid4().hex[:12]}"
    sqlite_store = SQLiteStore(tmp_path / "agree.db")
    try:
        expected = _same_history(sqlite_store, ns)
        assert _same_history(neo4j_store, ns) == expected
        assert neo4j_store.stats(ns) == sqlite_store.stats(ns)
        assert neo4j_store.pending_synonyms(ns) == sqlite_store.pending_synonyms(ns)
    finally:
        neo4j_store.drop_namespace(ns)
        sqlite_store.close()
