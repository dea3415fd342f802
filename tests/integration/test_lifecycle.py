"""Delete, replace and re-index through the Python API, on both stores: what goes, what stays,
and that doing the same thing twice changes nothing."""

from __future__ import annotations

from hippo.memory import Memory
from hippo.text import entity_id, fact_id
from tests.support.lifecycle_corpus import DOC_IDS, document
from tests.support.lifecycle_fixtures import *  # noqa: F403
from tests.support.lifecycle_fixtures import MemoryFactory

ORCHARD = entity_id("The Glass Orchard")
ADAPTATION = entity_id("The Glass Orchard adaptation")
TOLVIK = entity_id("Maren Tolvik")
BERGEN = entity_id("Bergen")
PETERSBURG = entity_id("St. Petersburg")
TRONDHEIM = entity_id("Trondheim")
WRITTEN_BY = fact_id(ORCHARD, "written by", TOLVIK)
PUBLISHED_IN = fact_id(ORCHARD, "published in", BERGEN)
HOLDS = fact_id(entity_id("Bergen Public Library"), "holds", ORCHARD)


def graph(memory: Memory) -> tuple[set[str], set[str], set[str], set[tuple[str, str]]]:
    """(passage ids, entity ids, fact ids, synonym pairs) as the store exports them."""
    g = memory.store.export(memory.namespace)
    return set(g.passage_ids), set(g.entity_ids), set(g.fact_ids), {(e.a, e.b) for e in g.synonyms}


def test_delete_cascades_to_orphans_only(make_memory: MemoryFactory) -> None:
    m = make_memory()
    m.add_documents([document(d, 0) for d in ("orchard", "tolvik", "bergen", "petersburg")])
    passages, entities, facts, synonyms = graph(m)
    assert (min(ORCHARD, ADAPTATION), max(ORCHARD, ADAPTATION)) in synonyms
    assert {WRITTEN_BY, PUBLISHED_IN, HOLDS} <= facts

    assert m.delete(["orchard"]) == 1
    passages2, entities2, facts2, synonyms2 = graph(m)
    assert len(passages2) == len(passages) - 1
    # only the orchard document stated these two facts
    assert WRITTEN_BY not in facts2 and PUBLISHED_IN not in facts2
    # ... but the entities live on: other documents mention them
    assert {ORCHARD, TOLVIK, BERGEN} <= entities2
    assert HOLDS in facts2 and synonyms2 == synonyms

    assert m.delete(["petersburg"]) == 1
    _, entities3, facts3, synonyms3 = graph(m)
    # the adaptation and St. Petersburg were only in that document: gone with their synonym edge
    assert ADAPTATION not in entities3 and PETERSBURG not in entities3
    assert ORCHARD in entities3
    assert not any(ADAPTATION in pair for pair in synonyms3)
    assert not m.store.pending_synonyms(m.namespace)

    # everything that is left is what a fresh index of the survivors gives
    fresh = make_memory()
    fresh.add_documents([document("tolvik", 0), document("bergen", 0)])
    assert m.fingerprint() == fresh.fingerprint()


def test_delete_every_document_leaves_an_empty_graph(make_memory: MemoryFactory) -> None:
    m = make_memory()
    m.add_documents([document(d, 0) for d in DOC_IDS])
    assert m.delete(list(DOC_IDS)) == len(DOC_IDS)
    stats = m.stats()
    assert all(stats[k] == 0 for k in ("documents", "passages", "entities", "facts", "context_edges",
                                       "synonym_edges", "failed_passages", "pending_synonymy", "sentences"))
    assert m.fingerprint() == make_memory().fingerprint()


def test_delete_unknown_and_repeated_ids(make_memory: MemoryFactory) -> None:
    m = make_memory()
    m.add_documents([document("orchard", 0), document("tolvik", 0)])
    before = m.fingerprint()
    version = m.store.version(m.namespace)
    assert m.delete(["no-such-doc"]) == 0
    assert m.fingerprint() == before and m.store.version(m.namespace) == version
    assert m.delete(["orchard", "orchard", "no-such-doc"]) == 1
    assert m.delete(["orchard"]) == 0


def test_a_passage_shared_by_two_documents_lives_while_either_does(make_memory: MemoryFactory) -> None:
    m = make_memory()
    m.add_documents([document("orchard", 0), document("copy", 0)])
    assert m.stats()["passages"] == 1 and m.stats()["documents"] == 2
    m.delete(["orchard"])
    (pid,) = graph(m)[0]
    assert [p.doc_id for p in m.store.get_passages(m.namespace, [pid])] == ["copy"]
    assert WRITTEN_BY in graph(m)[2]
    hits = m.query("Who wrote The Glass Orchard?", top_k=3).hits
    assert [h.doc_id for h in hits] == ["copy"]
    m.delete(["copy"])
    assert graph(m) == (set(), set(), set(), set())


def test_replace_is_delete_plus_add(make_memory: MemoryFactory) -> None:
    m = make_memory()
    m.add_documents([document("orchard", 0), document("tolvik", 0)])
    report = m.add_documents([document("orchard", 1)], replace=True)
    assert report.documents_replaced == 1 and report.documents_added == 0
    _, entities, facts, _ = graph(m)
    assert PUBLISHED_IN not in facts and WRITTEN_BY in facts
    assert TRONDHEIM in entities and BERGEN not in entities
    texts = {p.text for batch in m.store.iter_passages(m.namespace) for p in batch}
    assert document("orchard", 1).text in texts and document("orchard", 0).text not in texts

    by_hand = make_memory()
    by_hand.add_documents([document("orchard", 0), document("tolvik", 0)])
    by_hand.delete(["orchard"])
    by_hand.add_documents([document("orchard", 1)])
    assert m.fingerprint() == by_hand.fingerprint()


def test_changed_content_without_replace_is_refused_and_kept(make_memory: MemoryFactory) -> None:
    m = make_memory()
    m.add_documents([document("orchard", 0)])
    before = m.fingerprint()
    report = m.add_documents([document("orchard", 1), document("tolvik", 0)])
    assert report.documents_conflicting == ["orchard"]
    assert any("--replace" in p and "orchard" in p for p in report.problems)
    assert report.documents_added == 1
    m.delete(["tolvik"])
    assert m.fingerprint() == before


def test_reindexing_changes_nothing(make_memory: MemoryFactory) -> None:
    m = make_memory()
    docs = [document(d, 0) for d in DOC_IDS]
    m.add_documents(docs)
    stats, fingerprint = m.stats(), m.fingerprint()
    for replace in (False, True):
        report = m.add_documents(docs, replace=replace)
        # the document whose passage failed extraction is retried; the rest is skipped
        assert report.documents_unchanged == len(DOC_IDS) - 1
        assert report.entities_new == report.facts_new == report.synonyms_new == 0
        assert m.fingerprint() == fingerprint
        assert m.stats() | {"version": 0} == stats | {"version": 0}


def test_a_failed_passage_is_recorded_and_a_fixed_version_clears_it(make_memory: MemoryFactory) -> None:
    m = make_memory()
    report = m.add_documents([document("failing", 0), document("tolvik", 0)])
    assert list(report.failed_passages.values()) == ["not in OpenIE file"]
    assert m.stats()["failed_passages"] == 1
    m.add_documents([document("failing", 1)], replace=True)
    assert m.stats()["failed_passages"] == 0
    fresh = make_memory()
    fresh.add_documents([document("failing", 1), document("tolvik", 0)])
    assert m.fingerprint() == fresh.fingerprint()


def test_namespaces_do_not_see_each_others_deletes(make_memory: MemoryFactory) -> None:
    a, b = make_memory(), make_memory()
    a.add_documents([document("orchard", 0), document("tolvik", 0)])
    b.add_documents([document("orchard", 0), document("tolvik", 0)])
    assert a.fingerprint() == b.fingerprint()
    a.delete(["orchard", "tolvik"])
    assert b.stats()["documents"] == 2 and WRITTEN_BY in graph(b)[2]
