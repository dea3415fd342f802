"""The GraphStore contract, run against every backend (see conftest: sqlite, and neo4j when
HIPPO_TEST_NEO4J_URI is set). Data is built by hand; ids are the real content hashes."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from hippo.store.base import GraphStore, StoreError
from hippo.text import entity_id, passage_id
from hippo.types import SynonymEdge
from tests.contract.builders import embedding, make_fact, make_write

ADA = [
    ("Ada Lovelace wrote the first program for the Analytical Engine.",
     [("Ada Lovelace", "wrote program for", "Analytical Engine")]),
    ("Charles Babbage designed the Analytical Engine in London.",
     [("Charles Babbage", "designed", "Analytical Engine"), ("Charles Babbage", "worked in", "London")]),
]
TURING = [
    ("Alan Turing worked in London and Manchester.",
     [("Alan Turing", "worked in", "London"), ("Alan Turing", "worked in", "Manchester")]),
]
# shares the entity London and the fact "Charles Babbage worked in London" with ADA
BABBAGE = [
    ("Babbage lived in London; Charles Babbage worked in London.",
     [("Charles Babbage", "worked in", "London")]),
]


def eid(name: str) -> str:
    return entity_id(name)


def test_empty_namespace(store: GraphStore, ns: str) -> None:
    assert store.version(ns) == 0
    assert store.list_documents(ns) == []
    assert store.get_document(ns, "nope") is None
    stats = store.stats(ns)
    assert (stats.documents, stats.passages, stats.entities, stats.facts, stats.mentions, stats.synonyms) == (0,) * 6
    g = store.export(ns)
    assert g.passage_ids == [] and g.entity_ids == [] and g.fact_ids == [] and g.synonyms == []
    assert store.pending_synonyms(ns) == []


def test_write_read_round_trip(store: GraphStore, ns: str) -> None:
    w = make_write("ada", ADA, extra_entities=["Mathematics"], failures={1: "json broken"})
    store.write_documents(ns, [w])

    info = store.get_document(ns, "ada")
    assert info is not None
    assert (info.title, info.content_hash, info.n_passages) == ("ada", w.content_hash, 2)
    assert info.metadata == {"source": "ada.txt"}
    assert info.failures == {w.passages[1].passage.id: "json broken"}
    assert [d.id for d in store.list_documents(ns)] == ["ada"]

    pids = [p.passage.id for p in w.passages]
    got = store.get_passages(ns, [pids[1], "psg-unknown", pids[0]])
    assert [p.id for p in got] == [pids[1], pids[0]]
    assert got[0].text == ADA[1][0] and got[0].doc_id == "ada" and got[0].position == 1
    assert got[1].title == "ada" and got[1].position == 0

    names = ["Ada Lovelace", "Analytical Engine", "Charles Babbage", "London", "Mathematics"]
    ids = [eid(n) for n in names]
    assert store.existing_entity_ids(ns, ids + ["ent-missing"]) == set(ids)
    assert [e.name for e in store.get_entities(ns, [ids[3], ids[0]])] == ["London", "Ada Lovelace"]
    facts = [make_fact(*t) for _, triples in ADA for t in triples]
    assert store.existing_fact_ids(ns, [f.id for f in facts] + ["fact-x"]) == {f.id for f in facts}
    assert store.get_facts(ns, [facts[2].id]) == [facts[2]]
    assert store.existing_passage_ids(ns, pids + ["psg-x"]) == set(pids)

    around = store.facts_of_entities(ns, [eid("Analytical Engine")])
    assert {f.id for f in around} == {facts[0].id, facts[1].id}
    assert [f.id for f in around] == sorted(f.id for f in around)

    by_entity = store.passages_of_entities(ns, [eid("London"), eid("Mathematics"), "ent-missing"])
    assert by_entity == {eid("London"): [pids[1]], eid("Mathematics"): [pids[0]], "ent-missing": []}
    assert store.passages_of_facts(ns, [facts[1].id]) == {facts[1].id: [pids[1]]}

    batches = list(store.iter_passages(ns, batch_size=1))
    assert [len(b) for b in batches] == [1, 1]
    assert sorted(p.id for b in batches for p in b) == sorted(pids)

    stats = store.stats(ns)
    assert (stats.documents, stats.passages, stats.entities, stats.facts) == (1, 2, 5, 3)
    assert (stats.mentions, stats.synonyms, stats.failed_passages) == (6, 0, 1)


def test_export_matches_what_was_written(store: GraphStore, ns: str) -> None:
    writes = [make_write("ada", ADA), make_write("turing", TURING)]
    store.write_documents(ns, writes)
    store.add_synonyms(ns, [SynonymEdge(eid("London"), eid("Manchester"), 0.83)])
    g = store.export(ns)

    assert g.version == store.version(ns)
    assert g.passage_ids == sorted(g.passage_ids) and len(g.passage_ids) == 3
    assert g.entity_ids == sorted(g.entity_ids) and len(g.entity_ids) == 6
    assert g.passage_emb.shape == (3, 384) and g.entity_emb.shape == (6, 384) and g.fact_emb.shape == (5, 384)
    assert g.passage_emb.dtype == np.float32
    texts = {p.passage.id: p.passage.text for w in writes for p in w.passages}
    for i, pid in enumerate(g.passage_ids):
        np.testing.assert_allclose(g.passage_emb[i], embedding(texts[pid]), rtol=1e-6)
    for i, name in enumerate(g.entity_names):
        assert g.entity_ids[i] == eid(name)
        np.testing.assert_allclose(g.entity_emb[i], embedding(name), rtol=1e-6)
    for i, text in enumerate(g.fact_texts):
        np.testing.assert_allclose(g.fact_emb[i], embedding(text), rtol=1e-6)
    expected_facts = {make_fact(*t).id: make_fact(*t) for w in (ADA, TURING) for _, ts in w for t in ts}
    for fid, s, o in zip(g.fact_ids, g.fact_subjects, g.fact_objects, strict=True):
        assert (expected_facts[fid].subject_id, expected_facts[fid].object_id) == (s, o)
    assert sorted(g.mentions) == sorted({m for w in writes for m in w.mentions})
    assert sorted(g.fact_support) == sorted({s for w in writes for s in w.fact_support})
    a, b = sorted([eid("London"), eid("Manchester")])
    assert [(e.a, e.b, round(e.weight, 4)) for e in g.synonyms] == [(a, b, 0.83)]


def test_rewriting_the_same_document_changes_nothing_but_the_version(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("ada", ADA), make_write("turing", TURING)])
    store.add_synonyms(ns, [SynonymEdge(eid("London"), eid("Manchester"), 0.9)])
    before, stats, version = store.fingerprint(ns), store.stats(ns), store.version(ns)
    store.write_documents(ns, [make_write("ada", ADA)])
    assert store.fingerprint(ns) == before
    assert store.stats(ns) == stats
    assert store.version(ns) > version


def test_replace_keeps_what_the_new_version_still_uses(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("ada", ADA)])
    store.add_synonyms(ns, [SynonymEdge(eid("Charles Babbage"), eid("London"), 0.81),
                            SynonymEdge(eid("Ada Lovelace"), eid("London"), 0.85)])
    new = [("Charles Babbage lived in London.", [("Charles Babbage", "lived in", "London")])]
    store.write_documents(ns, [make_write("ada", new)])

    info = store.get_document(ns, "ada")
    assert info is not None and info.n_passages == 1
    old_pids = [passage_id("ada", text) for text, _ in ADA]
    assert store.existing_passage_ids(ns, old_pids) == set()
    assert store.existing_entity_ids(ns, [eid(n) for n in ("Ada Lovelace", "Analytical Engine")]) == set()
    assert store.existing_entity_ids(ns, [eid("Charles Babbage"), eid("London")]) == {
        eid("Charles Babbage"), eid("London")}
    # the surviving pair keeps its synonym edge; the edge to the dead entity is gone
    assert [(e.a, e.b) for e in store.export(ns).synonyms] == [tuple(sorted([eid("Charles Babbage"), eid("London")]))]
    assert {f.text for f in store.facts_of_entities(ns, [eid("London")])} == {"Charles Babbage lived in London"}
    stats = store.stats(ns)
    assert (stats.passages, stats.entities, stats.facts, stats.mentions, stats.synonyms) == (1, 2, 1, 2, 1)


def test_delete_cascades_but_spares_what_others_support(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("ada", ADA), make_write("babbage", BABBAGE)])
    shared_fact = make_fact("Charles Babbage", "worked in", "London")
    store.add_synonyms(ns, [
        SynonymEdge(eid("Ada Lovelace"), eid("Charles Babbage"), 0.8),  # dies with Ada Lovelace
        SynonymEdge(eid("Charles Babbage"), eid("London"), 0.82),  # both ends survive
    ])
    store.set_unit_scores(ns, "loss", {eid("Ada Lovelace"): 1.5, eid("London"): 0.5})

    assert store.delete_documents(ns, ["ada", "never-written"]) == 1
    assert store.get_document(ns, "ada") is None
    assert store.existing_entity_ids(ns, [eid(n) for n in ("Ada Lovelace", "Analytical Engine")]) == set()
    assert store.existing_entity_ids(ns, [eid("Charles Babbage"), eid("London")]) == {
        eid("Charles Babbage"), eid("London")}
    assert store.existing_fact_ids(ns, [shared_fact.id]) == {shared_fact.id}
    g = store.export(ns)
    assert g.fact_ids == [shared_fact.id]
    assert [(e.a, e.b) for e in g.synonyms] == [tuple(sorted([eid("Charles Babbage"), eid("London")]))]
    assert all(e in g.entity_ids for _, e in g.mentions)
    assert store.get_unit_scores(ns, "loss") == {eid("London"): 0.5}

    assert store.delete_documents(ns, ["babbage"]) == 1
    stats = store.stats(ns)
    assert (stats.documents, stats.passages, stats.entities, stats.facts, stats.mentions, stats.synonyms) == (0,) * 6
    assert store.get_unit_scores(ns, "loss") == {}
    assert store.pending_synonyms(ns) == []


def test_a_passage_shared_by_two_documents_lives_while_one_has_it(store: GraphStore, ns: str) -> None:
    one, two = make_write("one", TURING, title="same"), make_write("two", TURING, title="same")
    store.write_documents(ns, [one, two])
    pid = one.passages[0].passage.id
    assert store.stats(ns).passages == 1
    assert store.get_passages(ns, [pid])[0].doc_id == "one"
    store.delete_documents(ns, ["one"])
    assert store.get_passages(ns, [pid])[0].doc_id == "two"
    assert store.existing_entity_ids(ns, [eid("Alan Turing")]) == {eid("Alan Turing")}


def test_add_synonyms_dedupes_and_ignores_missing_entities(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("turing", TURING)])
    london, manchester, turing = eid("London"), eid("Manchester"), eid("Alan Turing")
    assert store.add_synonyms(ns, [SynonymEdge(min(london, manchester), max(london, manchester), 0.9)]) == 1
    # the same pair again, reversed, with another weight: kept as is, not duplicated
    assert store.add_synonyms(ns, [SynonymEdge(max(london, manchester), min(london, manchester), 0.5)]) == 0
    assert store.add_synonyms(ns, [
        SynonymEdge(turing, "ent-not-there", 0.95),
        SynonymEdge(turing, turing, 1.0),
        SynonymEdge(turing, london, 0.8),
        SynonymEdge(london, turing, 0.8),
    ]) == 1
    g = store.export(ns)
    assert len(g.synonyms) == 2
    assert {(e.a, e.b): round(e.weight, 4) for e in g.synonyms}[tuple(sorted([london, manchester]))] == 0.9


def test_pending_synonyms_are_recorded_with_the_write_and_resolved(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("turing", TURING)])
    names = ("Alan Turing", "London", "Manchester")
    assert store.pending_synonyms(ns) == sorted(eid(n) for n in names)
    version = store.version(ns)
    assert store.add_synonyms(ns, [], resolved=[eid("London"), eid("Manchester")]) == 0
    assert store.version(ns) == version  # nothing in the graph changed
    assert store.pending_synonyms(ns) == [eid("Alan Turing")]
    # an entity that already existed is not pending again when another document mentions it
    store.write_documents(ns, [make_write("babbage", BABBAGE)])
    assert store.pending_synonyms(ns) == sorted([eid("Alan Turing"), eid("Charles Babbage")])


def test_known_records_must_exist_and_a_failed_write_leaves_nothing(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("turing", TURING)])
    reuse = make_write("babbage", BABBAGE, known_entities=frozenset({"London"}))
    store.write_documents(ns, [reuse])  # London exists: fine
    assert store.get_document(ns, "babbage") is not None

    before, version = store.fingerprint(ns), store.version(ns)
    bad = make_write("ada", ADA, known_entities=frozenset({"Ada Lovelace"}))  # never written
    with pytest.raises(StoreError):
        store.write_documents(ns, [make_write("other", [("Some other text.", [])]), bad])
    assert store.fingerprint(ns) == before
    assert store.version(ns) == version
    assert store.get_document(ns, "other") is None


def test_namespaces_are_isolated(store: GraphStore, ns: str, ns2: str) -> None:
    store.write_documents(ns, [make_write("ada", ADA)])
    store.write_documents(ns2, [make_write("ada", ADA), make_write("turing", TURING)])
    store.add_synonyms(ns2, [SynonymEdge(eid("London"), eid("Manchester"), 0.9)])
    store.set_unit_scores(ns2, "loss", {eid("London"): 2.0})
    theirs = store.fingerprint(ns2)

    assert store.stats(ns).documents == 1 and store.stats(ns).synonyms == 0
    assert store.existing_entity_ids(ns, [eid("Alan Turing")]) == set()
    assert store.get_passages(ns, [passage_id("turing", TURING[0][0])]) == []
    assert store.passages_of_entities(ns, [eid("London")]) == {eid("London"): [passage_id("ada", ADA[1][0])]}
    assert store.get_unit_scores(ns, "loss") == {}
    assert {ns, ns2} <= set(store.namespaces())

    store.delete_documents(ns, ["ada"])  # same ids in the other namespace: untouched
    assert store.fingerprint(ns2) == theirs
    store.write_documents(ns, [make_write("turing", [("Different text in the first namespace.", [])])])
    store.drop_namespace(ns)
    assert store.fingerprint(ns2) == theirs
    assert store.version(ns) == 0 and store.list_documents(ns) == []
    assert ns not in store.namespaces()
    assert store.get_unit_scores(ns2, "loss") == {eid("London"): 2.0}


def test_version_changes_on_every_graph_write(store: GraphStore, ns: str) -> None:
    seen = [store.version(ns)]
    store.write_documents(ns, [make_write("turing", TURING)])
    seen.append(store.version(ns))
    store.add_synonyms(ns, [SynonymEdge(eid("London"), eid("Manchester"), 0.9)])
    seen.append(store.version(ns))
    store.delete_documents(ns, ["turing"])
    seen.append(store.version(ns))
    assert len(set(seen)) == 4 and seen == sorted(seen)
    # nothing happened: no bump
    store.delete_documents(ns, ["turing"])
    store.add_synonyms(ns, [SynonymEdge(eid("London"), eid("Manchester"), 0.9)])
    assert store.version(ns) == seen[-1]


def test_unit_scores_by_kind(store: GraphStore, ns: str) -> None:
    store.write_documents(ns, [make_write("turing", TURING)])
    fact = make_fact(*TURING[0][1][0])
    store.set_unit_scores(ns, "loss", {eid("London"): 0.25, fact.id: 1.0})
    store.set_unit_scores(ns, "loss", {fact.id: 2.0})
    store.set_unit_scores(ns, "other", {fact.id: 7.0})
    assert store.get_unit_scores(ns, "loss") == {eid("London"): 0.25, fact.id: 2.0}
    assert store.get_unit_scores(ns, "other") == {fact.id: 7.0}
    assert store.get_unit_scores(ns, "missing") == {}


def test_a_known_record_may_come_from_an_earlier_write_of_the_same_call(store: GraphStore, ns: str) -> None:
    first = make_write("turing", TURING)
    second = make_write("babbage", BABBAGE, known_entities=frozenset({"London"}))
    store.write_documents(ns, [first, second])
    assert store.passages_of_entities(ns, [eid("London")])[eid("London")] == sorted(
        [first.passages[0].passage.id, second.passages[0].passage.id])


def test_a_call_mixing_new_and_existing_documents_ends_as_a_fresh_write(store: GraphStore, ns: str, ns2: str) -> None:
    # Neo4j takes a CREATE-only path for what the call finds absent and the MERGE path for what
    # exists: both must give the graph a fresh write of the final documents gives.
    store.write_documents(ns, [make_write("ada", ADA), make_write("one", TURING, title="same")])
    replaced = make_write("ada", [("Charles Babbage lived in London.", [("Charles Babbage", "lived in", "London")])])
    call = [replaced, make_write("babbage", BABBAGE), make_write("one", TURING, title="same"),
            make_write("two", TURING, title="same"), make_write("three", TURING, title="same"),
            make_write("four", BABBAGE, title="pair"), make_write("five", BABBAGE, title="pair")]
    store.write_documents(ns, call)
    store.write_documents(ns2, call)
    assert store.fingerprint(ns) == store.fingerprint(ns2)
    assert store.stats(ns) == store.stats(ns2)
    assert store.passages_of_entities(ns, [eid("London")]) == store.passages_of_entities(ns2, [eid("London")])
    expected = {w.document.id: len(w.passages) for w in call}
    assert {d.id: d.n_passages for d in store.list_documents(ns)} == expected
    assert {d.id: d.n_passages for d in store.list_documents(ns2)} == expected

    before = store.fingerprint(ns)
    store.write_documents(ns, call)  # a re-run changes nothing
    assert store.fingerprint(ns) == before
    store.delete_documents(ns, ["one", "two", "four"])  # shared passages live on with the others
    assert store.get_passages(ns, [passage_id("same", TURING[0][0])])[0].doc_id == "three"
    assert store.get_passages(ns, [passage_id("pair", BABBAGE[0][0])])[0].doc_id == "five"


def test_job_records_are_kept_replaced_and_dropped_with_their_namespace(store: GraphStore, ns: str, ns2: str) -> None:
    job_id = uuid.uuid4().hex
    version = store.version(ns)
    assert store.get_job(job_id) is None
    store.save_job(job_id, ns, '{"status": "queued"}')
    store.save_job(job_id, ns, '{"status": "succeeded", "result": {"documents_added": 1}}')
    assert store.get_job(job_id) == (ns, '{"status": "succeeded", "result": {"documents_added": 1}}')
    other = uuid.uuid4().hex
    store.save_job(other, ns2, '{"status": "running"}')
    assert store.version(ns) == version  # a job record is not a write to the graph
    store.drop_namespace(ns)
    assert store.get_job(job_id) is None and store.get_job(other) == (ns2, '{"status": "running"}')
