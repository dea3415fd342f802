"""With vector_index=True the Neo4j store fills the vector indexes and can answer nearest-entity
queries from Cypher; by default it does not write the float lists at all."""

from __future__ import annotations

import uuid

from hippo.store.neo4j import Neo4jStore
from hippo.text import entity_id
from tests.conftest import Neo4jTarget
from tests.contract.builders import embedding, make_write
from tests.contract.test_store_contract import ADA, TURING


def test_nearest_entities_through_the_vector_index(neo4j_target: Neo4jTarget) -> None:
    ns = f"vector-{uuid.uuid4().hex[:12]}"
    with Neo4jStore(neo4j_target.uri, neo4j_target.user, neo4j_target.password, vector_index=True) as store:
        try:
            store.write_documents(ns, [make_write("ada", ADA), make_write("turing", TURING)])
            hits = store.nearest_entities(ns, embedding("Manchester"), k=3)
            assert hits[0][0] == entity_id("Manchester") and hits[0][1] > 0.99
            assert len(hits) == 3 and all(h[1] < 0.9 for h in hits[1:])
        finally:
            store.drop_namespace(ns)


def test_default_store_leaves_the_vector_index_alone(neo4j_target: Neo4jTarget) -> None:
    ns = f"novector-{uuid.uuid4().hex[:12]}"
    with Neo4jStore(neo4j_target.uri, neo4j_target.user, neo4j_target.password) as store:
        try:
            store.write_documents(ns, [make_write("turing", TURING)])
            assert store.nearest_entities(ns, embedding("Manchester"), k=3) == []
            assert store.export(ns).entity_emb.shape == (3, 384)  # the snapshot still has them
        finally:
            store.drop_namespace(ns)
