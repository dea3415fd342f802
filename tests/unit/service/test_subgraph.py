"""The one subgraph drawer on a hand-built graph in a real SQLite store: hops, the passage
ranking, truncation, and the explorer's provenance drawing with missing ids."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.errors import NotFound
from hippo.memory import Memory
from hippo.service.subgraph import neighbourhood, provenance_drawing
from hippo.store.sqlite import SQLiteStore
from hippo.text import entity_id
from hippo.types import SynonymEdge
from tests.contract.builders import make_fact, make_write

CHAIN = [("Ada", "born in", "Ostravel"), ("Ostravel", "lies in", "Veldmark"), ("Veldmark", "borders", "Hask")]


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[Memory]:
    store = SQLiteStore(tmp_path / "hippo.db")
    store.write_documents("ns", [
        make_write("d1", [("Ada was born in Ostravel.", [CHAIN[0]])]),
        make_write("d2", [("Ostravel lies in Veldmark.", [CHAIN[1]]), ("Veldmark borders Hask.", [CHAIN[2]])]),
    ])
    a, b = sorted((entity_id("Veldmark"), entity_id("Hask")))
    store.add_synonyms("ns", [SynonymEdge(a, b, 0.81234)])
    m = Memory(store=store, namespace="ns")
    yield m
    store.close()


def _names(sub: dict[str, object]) -> set[str]:
    return {e["name"] for e in sub["entities"]}  # type: ignore[attr-defined,index]


def test_hops_widen_the_neighbourhood_along_relations(memory: Memory) -> None:
    one = neighbourhood(memory, entity=entity_id("Ada"), hops=1)
    assert _names(one) == {"Ada", "Ostravel"} and [f["predicate"] for f in one["facts"]] == ["born in"]
    three = neighbourhood(memory, entity=entity_id("Ada"), hops=3)
    assert _names(three) == {"Ada", "Ostravel", "Veldmark", "Hask"} and len(three["facts"]) == 3
    assert three["synonyms"] == [{"a": min(entity_id("Veldmark"), entity_id("Hask")),
                                  "b": max(entity_id("Veldmark"), entity_id("Hask")), "weight": 0.8123}]
    assert not three["truncated"]
    # the passage mentioning two of the entities comes before those mentioning one
    texts = [p["text"] for p in neighbourhood(memory, entity=entity_id("Ostravel"), hops=1)["passages"]]
    assert sorted(texts[:2]) == ["Ada was born in Ostravel.", "Ostravel lies in Veldmark."]
    assert texts[2:] == ["Veldmark borders Hask."]


def test_a_passage_centre_starts_from_what_it_mentions_and_comes_first(memory: Memory) -> None:
    pid = next(iter(memory.store.passages_of_entities("ns", [entity_id("Ada")]).values()))[0]
    sub = neighbourhood(memory, passage=pid, hops=1)
    assert sub["center"] == pid and sub["passages"][0]["id"] == pid
    assert _names(sub) == {"Ada", "Ostravel", "Veldmark"}


def test_a_capped_read_says_it_was_truncated(memory: Memory) -> None:
    sub = neighbourhood(memory, entity=entity_id("Ostravel"), hops=1, max_entities=2)
    assert sub["truncated"] and len(sub["entities"]) == 2


def test_unknown_centres_are_not_found(memory: Memory) -> None:
    with pytest.raises(NotFound, match="no entity"):
        neighbourhood(memory, entity="ent-nope")
    with pytest.raises(NotFound, match="no passage"):
        neighbourhood(memory, passage=entity_id("Ada"))  # an entity id is not a passage


def test_a_provenance_drawing_marks_its_path_and_lists_what_is_gone(memory: Memory) -> None:
    fact = make_fact(*CHAIN[1])
    path = [entity_id("Ostravel"), entity_id("Veldmark")]
    drawing = provenance_drawing(memory.retriever, "ns", [], [fact.id, "fact-gone"], [], path)
    assert drawing["missing"] == ["fact-gone"]
    relation = [e for e in drawing["edges"] if e["kind"] == "relation"]
    assert [(e["label"], e["marked"]) for e in relation] == [("lies in", True)]
    assert {n["label"] for n in drawing["nodes"]} == {"Ostravel", "Veldmark"}
