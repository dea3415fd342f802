"""The retrieval layer (sentences, the entities they name, aliases) under the store contract, on
every backend: written with its documents, exported consistently, gone with its passages."""

from __future__ import annotations

import numpy as np

from hippo.index.sentence_layer import sentence_id
from hippo.store.base import GraphStore
from hippo.text import entity_id, passage_id
from tests.contract.builders import embedding, make_write
from tests.contract.test_store_contract import ADA, BABBAGE, TURING

GANDHI = [
    ("Mahatma Gandhi led the Salt March; Gandhi was born in Porbandar.",
     [("Mahatma Gandhi", "led", "Salt March"), ("Mahatma Gandhi", "born in", "Porbandar")]),
]


def test_the_layer_round_trips(store: GraphStore, ns: str) -> None:
    w = make_write("gandhi", GANDHI, aliases=[("Gandhi", "Mahatma Gandhi")])
    store.write_documents(ns, [w])
    layer = store.export_sentences(ns)
    pid = passage_id("gandhi", GANDHI[0][0])
    ids = [sentence_id(pid, 0), sentence_id(pid, 1)]
    assert layer.version == store.version(ns)
    assert layer.sentence_ids == sorted(ids)
    row = {sid: i for i, sid in enumerate(layer.sentence_ids)}
    assert layer.sentence_passages == [pid, pid]
    assert layer.sentence_texts[row[ids[1]]] == "Gandhi was born in Porbandar."
    assert layer.sentence_positions[row[ids[1]]] == 1
    assert np.allclose(layer.sentence_emb[row[ids[0]]], embedding("gandhi: Mahatma Gandhi led the Salt March"))
    assert layer.mentions == sorted([
        (ids[0], entity_id("Mahatma Gandhi")), (ids[0], entity_id("Salt March")), (ids[1], entity_id("Porbandar")),
    ])
    assert layer.aliases == [(pid, entity_id("Gandhi"), entity_id("Mahatma Gandhi"))]
    assert store.stats(ns).sentences == 2


def test_rewriting_the_same_text_is_a_no_op_for_the_layer(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("gandhi", GANDHI, aliases=[("Gandhi", "Mahatma Gandhi")]),
                               make_write("turing", TURING)])
    before, layer = store.fingerprint(ns), store.export_sentences(ns)
    store.write_documents(ns, [make_write("gandhi", GANDHI, aliases=[("Gandhi", "Mahatma Gandhi")])])
    again = store.export_sentences(ns)
    assert store.fingerprint(ns) == before
    assert (again.sentence_ids, again.mentions, again.aliases) == (layer.sentence_ids, layer.mentions, layer.aliases)


def test_deleting_a_document_leaves_no_sentence_edge_or_alias(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("gandhi", GANDHI, aliases=[("Gandhi", "Mahatma Gandhi")]),
                               make_write("ada", ADA), make_write("babbage", BABBAGE)])
    assert store.delete_documents(ns, ["gandhi", "ada"]) == 2
    layer = store.export_sentences(ns)
    pid = passage_id("babbage", BABBAGE[0][0])
    assert layer.sentence_passages == [pid, pid]
    assert layer.aliases == []
    alive = set(store.export(ns).entity_ids)
    assert {e for _, e in layer.mentions} <= alive
    assert {s for s, _ in layer.mentions} <= set(layer.sentence_ids)
    assert entity_id("Gandhi") not in alive and entity_id("Salt March") not in alive
    assert store.stats(ns).sentences == 2
    store.delete_documents(ns, ["babbage"])
    empty = store.export_sentences(ns)
    assert (empty.sentence_ids, empty.mentions, empty.aliases) == ([], [], [])


def test_replacing_keeps_the_sentences_of_passages_the_new_version_has(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("ada", ADA)])
    kept = passage_id("ada", ADA[1][0])
    store.write_documents(ns, [make_write("ada", [ADA[1], ("Ada wrote notes; she met Babbage.", [])])])
    layer = store.export_sentences(ns)
    dropped = passage_id("ada", ADA[0][0])
    assert kept in layer.sentence_passages and dropped not in layer.sentence_passages
    assert len(layer.sentence_ids) == 3
    assert {e for _, e in layer.mentions} <= set(store.export(ns).entity_ids)


def test_an_alias_edge_lives_with_the_passage_that_attested_it(store: GraphStore, ns: str) -> None:
    other = [("Gandhi walked to Dandi.", [("Gandhi", "walked to", "Dandi")])]
    store.write_documents(ns, [make_write("gandhi", GANDHI, aliases=[("Gandhi", "Mahatma Gandhi")]),
                               make_write("march", other)])
    assert len(store.export_sentences(ns).aliases) == 1
    store.delete_documents(ns, ["gandhi"])
    assert store.export_sentences(ns).aliases == []
    assert entity_id("Gandhi") in store.export(ns).entity_ids  # still named by the other passage
