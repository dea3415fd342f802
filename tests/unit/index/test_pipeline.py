"""The indexer on a real SQLite store with the bundled embedding model. Extractions are given
through the OpenIE importer (the extractor that reads extractions from a file), so each test says
exactly which entities and triples a passage yields and checks the rows the indexer writes. The
retrieval layer (sentences and the names a passage reader finds) is off here: it adds entities of
its own and has its own tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hippo.config import Settings
from hippo.embed import CACHE_OFF, Embedder
from hippo.index.extract.openie_import import NOT_IN_FILE, ImportedExtractor
from hippo.index.pipeline import MAX_PHRASE_CHARS, Indexer, IndexReport, fact_text
from hippo.store.sqlite import SQLiteStore
from hippo.text import alnum_count, entity_id, entity_key, fact_id, normalize_phrase, passage_id
from hippo.types import Document

NS = "ns"
Extractions = dict[str, tuple[list[str], list[list[str]]]]  # passage text -> (entities, triples)

ADA = Document("ada", "Ada", "Ada Lovelace was born in London. She wrote notes on the Analytical Engine.")
ENGINE = Document("engine", "Engine", "Charles Babbage designed the Analytical Engine in London.")
GIVEN: Extractions = {
    ADA.text: (["Ada Lovelace", "London", "Analytical Engine"],
               [["Ada Lovelace", "born in", "London"], ["Ada Lovelace", "wrote notes on", "Analytical Engine"]]),
    ENGINE.text: (["Charles Babbage", "Analytical Engine", "London"],
                  [["Charles Babbage", "designed", "Analytical Engine"], ["Analytical Engine", "designed in", "London"]]),
}


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(disk_cache=CACHE_OFF)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "hippo.db")
    yield s
    s.close()


def _index(store: SQLiteStore, embedder: Embedder, tmp_path: Path, docs: list[Document], given: Extractions,
           *, replace: bool = False, settings: Settings | None = None) -> IndexReport:
    path = tmp_path / f"openie-{len(list(tmp_path.glob('openie-*')))}.json"
    path.write_text(json.dumps({"docs": [
        {"idx": i, "passage": text, "extracted_entities": ents, "extracted_triples": triples}
        for i, (text, (ents, triples)) in enumerate(given.items())
    ]}), encoding="utf-8")
    indexer = Indexer(store, embedder, ImportedExtractor(str(path)), settings or Settings(retrieval_layer=False))
    return indexer.index(NS, docs, replace=replace)


def _facts(store: SQLiteStore) -> dict[str, tuple[str, str, str, str]]:
    export = store.export(NS)
    facts = store.get_facts(NS, list(export.fact_ids))
    return {f.id: (f.subject_id, f.predicate, f.object_id, f.text) for f in facts}


def test_rows_come_from_the_given_extractions(store: SQLiteStore, embedder: Embedder, tmp_path: Path) -> None:
    report = _index(store, embedder, tmp_path, [ADA, ENGINE], GIVEN)
    assert (report.documents_added, report.passages, report.failed_passages) == (2, 2, {})

    names = ["Ada Lovelace", "London", "Analytical Engine", "Charles Babbage"]
    export = store.export(NS)
    assert sorted(export.entity_ids) == sorted(entity_id(n) for n in names)
    assert sorted(export.entity_names) == sorted(names)
    assert report.entities_new == 4 and report.facts_new == 4

    triples = [t for _, ts in GIVEN.values() for t in ts]
    expected = {}
    for s, p, o in triples:
        s_id, o_id = entity_id(s), entity_id(o)
        expected[fact_id(s_id, p, o_id)] = (s_id, p, o_id, fact_text(s, p, o))
    assert _facts(store) == expected

    ada_psg, engine_psg = passage_id(ADA.title, ADA.text), passage_id(ENGINE.title, ENGINE.text)
    assert sorted(export.passage_ids) == sorted([ada_psg, engine_psg])
    # every named entity and every triple end is mentioned by its passage; every triple is supported by it
    assert sorted(export.mentions) == sorted(
        [(ada_psg, entity_id(n)) for n in GIVEN[ADA.text][0]] + [(engine_psg, entity_id(n)) for n in GIVEN[ENGINE.text][0]]
    )
    assert sorted(export.fact_support) == sorted(
        [(ada_psg, fact_id(entity_id(s), p, entity_id(o))) for s, p, o in GIVEN[ADA.text][1]]
        + [(engine_psg, fact_id(entity_id(s), p, entity_id(o))) for s, p, o in GIVEN[ENGINE.text][1]]
    )
    # embeddings: an entity by its key, a fact by its text, a passage by title and text
    row = export.entity_ids.index(entity_id("Analytical Engine"))
    assert np.allclose(export.entity_emb[row], embedder.embed([entity_key("Analytical Engine")])[0], atol=1e-5)
    assert store.pending_synonyms(NS) == []


@pytest.mark.parametrize("ann", ["off", "on"])
def test_synonym_edges_are_the_pairs_above_the_threshold(store: SQLiteStore, embedder: Embedder, tmp_path: Path,
                                                         ann: str) -> None:
    doc = Document("names", "Names", "Maren Tolvik, also written Maren Tolvick, met the UK envoy and Ostravel.")
    names = ["Maren Tolvik", "Maren Tolvick", "UK", "Ostravel", "UK envoy"]
    settings = Settings(synonym_threshold=0.8, retrieval_layer=False, ann=ann)
    report = _index(store, embedder, tmp_path, [doc], {doc.text: (names, [])}, settings=settings)

    keys = [entity_key(n) for n in names]
    vecs = embedder.embed(keys)
    eligible = [alnum_count(normalize_phrase(n)) > 2 for n in names]  # "UK" is too short to compare
    expected = set()
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if eligible[i] and eligible[j] and float(vecs[i] @ vecs[j]) >= settings.synonym_threshold:
                a, b = sorted((entity_id(names[i]), entity_id(names[j])))
                expected.add((a, b))
    stored = {(e.a, e.b) for e in store.export(NS).synonyms}
    assert stored == expected and report.synonyms_new == len(expected)
    assert (min(entity_id("Maren Tolvik"), entity_id("Maren Tolvick")),
            max(entity_id("Maren Tolvik"), entity_id("Maren Tolvick"))) in stored  # the spelling variant
    assert all(entity_id("UK") not in pair for pair in stored)
    # with the index forced on, the search went through an HNSW file beside the snapshot
    assert bool(list(tmp_path.glob("**/ann/entity.faiss"))) == (ann == "on")


class _CountingExports:
    """A real store that counts whole-namespace exports (everything else passes through)."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store
        self.exports = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def export(self, ns: str) -> object:
        self.exports += 1
        return self._store.export(ns)

    def export_with_cursor(self, ns: str) -> object:
        self.exports += 1
        return self._store.export_with_cursor(ns)


def test_synonymy_after_an_addition_reads_only_the_appended_rows(store: SQLiteStore, embedder: Embedder,
                                                                 tmp_path: Path) -> None:
    _index(store, embedder, tmp_path, [ADA], GIVEN)
    counting = _CountingExports(store)
    path = tmp_path / "openie-engine.json"
    path.write_text(json.dumps({"docs": [{"idx": 0, "passage": ENGINE.text, "extracted_entities": GIVEN[ENGINE.text][0],
                                          "extracted_triples": GIVEN[ENGINE.text][1]}]}), encoding="utf-8")
    indexer = Indexer(counting, embedder, ImportedExtractor(str(path)), Settings(retrieval_layer=False))
    report = indexer.index(NS, [ENGINE])
    assert report.documents_added == 1 and store.pending_synonyms(NS) == []
    # the snapshot the synonymy searched was the first run's, extended with the new rows
    assert counting.exports == 0
    assert indexer.snapshots.get(store, NS).n_entities == 4


def test_noise_is_dropped_not_written(store: SQLiteStore, embedder: Embedder, tmp_path: Path) -> None:
    long_name = "x" * (MAX_PHRASE_CHARS + 1)
    given: Extractions = {ADA.text: (
        ["Ada Lovelace", "!!!", long_name, "  London  "],
        [["Ada Lovelace", "born in", "London"], ["Ada Lovelace", "is", "Ada Lovelace"],  # a loop
         ["Ada Lovelace", "---", "London"], ["Ada Lovelace", "wrote", long_name]],  # no predicate; a noise end
    )}
    _index(store, embedder, tmp_path, [ADA], given)
    export = store.export(NS)
    assert sorted(export.entity_names) == ["Ada Lovelace", "London"]
    assert [f[1] for f in _facts(store).values()] == ["born in"]


def test_indexing_again_is_a_no_op(store: SQLiteStore, embedder: Embedder, tmp_path: Path) -> None:
    _index(store, embedder, tmp_path, [ADA, ENGINE], GIVEN)
    before, version = store.fingerprint(NS), store.version(NS)
    again = _index(store, embedder, tmp_path, [ADA, ENGINE], GIVEN)
    assert (again.documents_unchanged, again.documents_added, again.entities_new, again.facts_new) == (2, 0, 0, 0)
    assert again.embedded_texts == 0
    assert store.fingerprint(NS) == before and store.version(NS) == version


def test_a_second_document_embeds_only_what_is_new(store: SQLiteStore, embedder: Embedder, tmp_path: Path) -> None:
    _index(store, embedder, tmp_path, [ADA], GIVEN)
    second = _index(store, embedder, tmp_path, [ENGINE], GIVEN)
    # London and Analytical Engine exist: only Charles Babbage and the two facts are new
    assert (second.entities_new, second.facts_new) == (1, 2)
    assert second.embedded_texts == 1 + 1 + 2  # the passage, the new entity, the new facts


def test_a_replace_writes_the_new_version_and_collects_what_only_the_old_one_had(
    store: SQLiteStore, embedder: Embedder, tmp_path: Path
) -> None:
    _index(store, embedder, tmp_path, [ADA, ENGINE], GIVEN)
    new_ada = Document("ada", "Ada", "Ada Lovelace lived in Marylebone.")
    new_given: Extractions = {new_ada.text: (["Ada Lovelace", "Marylebone"], [["Ada Lovelace", "lived in", "Marylebone"]])}

    refused = _index(store, embedder, tmp_path, [new_ada], new_given)
    assert refused.documents_conflicting == ["ada"] and "use --replace" in refused.problems[0]
    assert entity_id("Marylebone") not in store.export(NS).entity_ids  # nothing written

    replaced = _index(store, embedder, tmp_path, [new_ada], new_given, replace=True)
    assert replaced.documents_replaced == 1
    export = store.export(NS)
    assert sorted(export.entity_names) == sorted(["Ada Lovelace", "Marylebone", "Charles Babbage",
                                                  "Analytical Engine", "London"])  # London: the engine's
    predicates = sorted(f[1] for f in _facts(store).values())
    assert predicates == ["designed", "designed in", "lived in"]  # "born in", "wrote notes on" are gone
    info = store.get_document(NS, "ada")
    assert info is not None and info.n_passages == 1
    assert store.get_passages(NS, [passage_id(ADA.title, ADA.text)]) == []


def test_a_failed_extraction_is_recorded_and_retried(store: SQLiteStore, embedder: Embedder, tmp_path: Path) -> None:
    first = _index(store, embedder, tmp_path, [ADA, ENGINE], {ADA.text: GIVEN[ADA.text]})  # the engine is missing
    engine_psg = passage_id(ENGINE.title, ENGINE.text)
    assert first.failed_passages == {engine_psg: NOT_IN_FILE}
    info = store.get_document(NS, "engine")
    assert info is not None and info.failures == {engine_psg: NOT_IN_FILE}
    assert entity_id("Charles Babbage") not in store.export(NS).entity_ids

    retried = _index(store, embedder, tmp_path, [ADA, ENGINE], GIVEN)  # same content, failures retried
    assert (retried.documents_unchanged, retried.documents_replaced, retried.failed_passages) == (1, 1, {})
    info = store.get_document(NS, "engine")
    assert info is not None and info.failures == {}
    assert entity_id("Charles Babbage") in store.export(NS).entity_ids
