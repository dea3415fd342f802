"""The bridge mode end to end on both stores: the indexer writes the retrieval layer, queries
rank through it, deletes and replacements leave no sentence behind, re-indexing is a no-op."""

from __future__ import annotations

from pathlib import Path

from hippo.memory import Memory
from tests.support.lifecycle_corpus import DOC_IDS, document
from tests.support.lifecycle_fixtures import *  # noqa: F403
from tests.support.lifecycle_fixtures import MemoryFactory

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample"


def layer_passages(memory: Memory) -> set[str]:
    return set(memory.store.export_sentences(memory.namespace).sentence_passages)


def test_the_layer_follows_the_documents(make_memory: MemoryFactory) -> None:
    m = make_memory()
    m.add_documents([document(d, 0) for d in DOC_IDS])
    passages = set(m.store.export(m.namespace).passage_ids)
    assert layer_passages(m) == passages  # every passage has sentences, no sentence lacks a passage
    before = m.fingerprint()
    m.add_documents([document(d, 0) for d in DOC_IDS])
    assert m.fingerprint() == before

    result = m.query("Who wrote The Glass Orchard?", top_k=3, mode="bridge")
    assert result.hits and result.explanation.mode == "bridge"
    assert result.explanation.top_sentences and result.explanation.seed_entities

    gone = {p.id for p in m.store.get_passages(m.namespace, sorted(passages)) if p.doc_id == "orchard"}
    m.delete(["orchard"])
    layer = m.store.export_sentences(m.namespace)
    assert not gone & set(layer.sentence_passages)
    assert {e for _, e in layer.mentions} <= set(m.store.export(m.namespace).entity_ids)
    assert all(h.doc_id != "orchard" for h in m.query("Who wrote The Glass Orchard?", top_k=5, mode="bridge").hits)

    m.add_documents([document("tolvik", 1)], replace=True)
    assert layer_passages(m) == set(m.store.export(m.namespace).passage_ids)


def test_bridge_reaches_the_hop_dense_misses(tmp_path: Path) -> None:
    question = "In which town was the author of The Glass Orchard born?"
    with Memory(store=f"sqlite:///{tmp_path / 'h.db'}", namespace="sample") as m:
        m.index([SAMPLE / "corpus.jsonl"])
        dense = [h.doc_id for h in m.query(question, top_k=5, mode="dense").hits]
        bridge = m.query(question, top_k=5, mode="bridge")
    assert "maren-tolvik" not in dense
    assert "maren-tolvik" in [h.doc_id for h in bridge.hits]
    assert any("Maren Tolvik" == e.name for e in bridge.explanation.seed_entities or [])


def test_without_the_layer_nothing_is_embedded_for_it_and_bridge_says_dense(tmp_path: Path) -> None:
    with Memory(store=f"sqlite:///{tmp_path / 'h.db'}", namespace="sample", retrieval_layer=False) as m:
        m.index([SAMPLE / "corpus.jsonl"])
        assert m.stats()["sentences"] == 0 and m.stats()["passages"] == 16
        result = m.query("Who wrote The Glass Orchard?", top_k=3, mode="bridge")
    assert (result.explanation.fallback or "").startswith("dense")
    assert len(result.hits) == 3


def test_the_dense_guard_holds_in_bridge_mode(tmp_path: Path) -> None:
    # with no slack, dense's two most confident passages keep their places at the top
    question = "In which town was the author of The Glass Orchard born?"
    with Memory(store=f"sqlite:///{tmp_path / 'h.db'}", namespace="sample", dense_guard=2, dense_guard_slack=0) as m:
        m.index([SAMPLE / "corpus.jsonl"])
        dense = [h.passage_id for h in m.query(question, top_k=5, mode="dense").hits]
        bridge = [h.passage_id for h in m.query(question, top_k=5, mode="bridge").hits]
    assert bridge[:2] == dense[:2]
    assert bridge != dense  # the graph still reorders below them


def test_a_new_process_opens_the_bridge_layout_from_disk(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'h.db'}"
    question = "In which town was the author of The Glass Orchard born?"
    with Memory(store=store, namespace="sample") as m:
        m.index([SAMPLE / "corpus.jsonl"])
        first = m.query(question, top_k=5, mode="bridge")
    with Memory(store=store, namespace="sample") as m:
        def no_layer_read(ns: str) -> None:
            raise AssertionError("the retrieval layer was read from the store again")

        m.store.export_sentences = no_layer_read  # type: ignore[method-assign,assignment]
        again = m.query(question, top_k=5, mode="bridge")
    assert [h.passage_id for h in again.hits] == [h.passage_id for h in first.hits]
    assert again.explanation.top_sentences == first.explanation.top_sentences
