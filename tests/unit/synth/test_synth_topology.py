"""Topology and units of a small hand-built graph, on SQLite and (when configured) Neo4j.
``build_graph`` is shared by the other synth tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.store.base import GraphStore
from hippo.store.sqlite import SQLiteStore
from hippo.synth.topology import Topology
from hippo.synth.units import UnitReader
from hippo.text import entity_id
from tests.contract.builders import make_fact, make_write
from tests.contract.conftest import neo4j_store  # noqa: F401  (the one Neo4j fixture, reused)

# (doc id, [(passage text, triples)])
DOCS = [
    ("tolvik", [("Maren Tolvik wrote The Glass Orchard in 1974. Maren Tolvik was born in Ostravel.",
                 [("Maren Tolvik", "wrote", "The Glass Orchard"), ("Maren Tolvik", "was born in", "Ostravel")])]),
    ("ostravel", [("Ostravel lies in Veldmark. The Ostravel Lighthouse stands in Ostravel.",
                   [("Ostravel", "lies in", "Veldmark"), ("Ostravel Lighthouse", "stands in", "Ostravel")])]),
    ("brannock", [("Edda Brannock founded Brannock and Sons in 1861. Brannock and Sons built the Ostravel Lighthouse.",
                   [("Edda Brannock", "founded", "Brannock and Sons"), ("Brannock and Sons", "built", "Ostravel Lighthouse")])]),
    ("roe", [("Anselm Roe wrote The Orchard Keeper's Daughter. Anselm Roe was born in Pellin.",
              [("Anselm Roe", "wrote", "The Orchard Keeper's Daughter"), ("Anselm Roe", "was born in", "Pellin")])]),
    ("pellin", [("Pellin is a mill town on the Skarn River.", [("Pellin", "is on", "Skarn River")])]),
]


def build_graph(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write(doc, passages) for doc, passages in DOCS])


def fid(s: str, p: str, o: str) -> str:
    return make_fact(s, p, o).id


@pytest.fixture(params=["sqlite", "neo4j"])
def graph_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[GraphStore, str]]:
    ns = f"synth-{uuid.uuid4().hex[:10]}"
    if request.param == "sqlite":
        store: GraphStore = SQLiteStore(tmp_path / "g.db")
    else:
        store = request.getfixturevalue("neo4j_store")
    build_graph(store, ns)
    yield store, ns
    store.drop_namespace(ns)
    if request.param == "sqlite":
        store.close()


def test_topology_links_entities_by_facts(graph_store: tuple[GraphStore, str]) -> None:
    store, ns = graph_store
    topo = Topology.from_store(store, ns)
    assert len(topo.fact_ends) == 9
    assert topo.degree(entity_id("Ostravel")) == 3
    assert topo.shortest_hops(entity_id("Maren Tolvik"), entity_id("Veldmark")) == 2
    assert topo.shortest_hops(entity_id("Edda Brannock"), entity_id("Maren Tolvik")) == 4
    assert topo.shortest_hops(entity_id("Maren Tolvik"), entity_id("Pellin")) is None


def test_units_carry_descriptions_and_source_sentences(graph_store: tuple[GraphStore, str]) -> None:
    store, ns = graph_store
    born = fid("Maren Tolvik", "was born in", "Ostravel")
    units = UnitReader(store, ns).read([entity_id("Edda Brannock")], [born])
    fact = units.facts[born]
    # the sentence that states the fact, not the other sentence of the same passage
    assert fact.sentence == "Maren Tolvik was born in Ostravel."
    assert fact.subject == "Maren Tolvik" and fact.object == "Ostravel"
    assert units.entities[entity_id("Edda Brannock")].description.startswith("Edda Brannock founded")
    # only the passages these units need were read
    assert len(units.passages) == 2
