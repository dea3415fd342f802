"""The indexing pipeline (job 1): documents → passages → OpenIE → embeddings → graph records →
one transaction per batch of documents → synonymy edges for the entities that are new.

Costs are proportional to what is new: unchanged documents are skipped by content hash, entities
and facts already in the store are not embedded again, and synonymy searches only new entities
(against all).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hippo.config import Settings
from hippo.embed import Embedder
from hippo.index.chunk import chunk_document
from hippo.index.extract.base import Extractor, Progress, no_progress
from hippo.retrieve.ann import AnnConfig
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.store.base import GraphStore
from hippo.text import alnum_count, content_hash, entity_id, entity_key, fact_id, normalize_phrase
from hippo.types import (
    Document,
    DocumentWrite,
    Entity,
    EntityRecord,
    Extraction,
    Fact,
    FactRecord,
    Passage,
    PassageLayer,
    PassageRecord,
    Sentence,
    SentenceRecord,
    SynonymEdge,
)

log = logging.getLogger(__name__)

MAX_PHRASE_CHARS = 120  # longer "entities" are extraction noise, not names


@dataclass
class IndexReport:
    documents_seen: int = 0
    documents_added: int = 0
    documents_replaced: int = 0
    documents_unchanged: int = 0
    documents_conflicting: list[str] = field(default_factory=list)
    passages: int = 0
    failed_passages: dict[str, str] = field(default_factory=dict)  # passage id -> reason
    entities_new: int = 0
    facts_new: int = 0
    synonyms_new: int = 0
    problems: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    embedded_texts: int = 0  # texts the embedding stage asked for
    embedded_computed: int = 0  # of those, texts neither cache had (run through the model)

    def time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents_seen": self.documents_seen,
            "documents_added": self.documents_added,
            "documents_replaced": self.documents_replaced,
            "documents_unchanged": self.documents_unchanged,
            "documents_conflicting": self.documents_conflicting,
            "passages": self.passages,
            "failed_passages": self.failed_passages,
            "entities_new": self.entities_new,
            "facts_new": self.facts_new,
            "synonyms_new": self.synonyms_new,
            "problems": self.problems,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "embedding": {
                "texts": self.embedded_texts,
                "computed": self.embedded_computed,
                "cache_hit_rate": round(1 - self.embedded_computed / self.embedded_texts, 4)
                if self.embedded_texts else None,
            },
        }


class RunProgress:
    """Run-wide counts for the extract and embed stages, which work one batch of documents at a
    time: extract counts passages of the whole run; embed counts texts, its total projected from
    the texts per passage seen so far (refined with every batch), so the rate and the ETA shown are
    the run's, not the batch's."""

    def __init__(self, progress: Progress, passages: int) -> None:
        self.progress = progress
        self.passages = passages
        self.passages_done = 0  # passages whose extraction is finished
        self.embedded = 0  # texts done (computed or found in a cache)
        self.texts_known = 0  # texts of the batches seen so far
        self._batch_end = 0

    def extract_progress(self) -> Progress:
        base = self.passages_done

        def report(stage: str, done: int, total: int) -> None:
            if stage == "extract":
                self.progress(stage, base + done, self.passages)
            else:
                self.progress(stage, done, total)

        return report

    def _embed_total(self) -> int:
        if not self.passages_done:
            return self.texts_known
        per_passage = self.texts_known / self.passages_done
        return max(self.texts_known, round(per_passage * self.passages))

    def embed_progress(self, batch_texts: int) -> Callable[[int], None]:
        self.texts_known += batch_texts
        self._batch_end = self.embedded + batch_texts
        self.progress("embed", self.embedded, self._embed_total())

        def advance(n: int) -> None:
            self.embedded += n
            self.progress("embed", self.embedded, self._embed_total())

        return advance

    def embed_finished(self) -> None:
        self.embedded = self._batch_end  # texts found in a cache never pass through the model
        self.progress("embed", self.embedded, self._embed_total())


def passage_embedding_text(p: Passage) -> str:
    return f"{p.title}\n{p.text}" if p.title else p.text


def document_hash(doc: Document) -> str:
    """What decides whether a stored document is unchanged."""
    return content_hash(doc.title + "\n" + doc.text)


def fact_text(subject: str, predicate: str, obj: str) -> str:
    return f"{subject} {predicate} {obj}"


@dataclass
class _PassageGraph:
    """What one passage contributes: entities by id (display name) and facts."""

    entities: dict[str, str]
    facts: dict[str, Fact]


def passage_graph(extraction: Extraction) -> _PassageGraph:
    """Turn raw extractor output into normalised entity and fact nodes for one passage."""
    entities: dict[str, str] = {}
    facts: dict[str, Fact] = {}

    def add_entity(name: str) -> str | None:
        name = " ".join(name.split())
        if not name or len(name) > MAX_PHRASE_CHARS or not normalize_phrase(name):
            return None
        eid = entity_id(name)
        entities.setdefault(eid, name)
        return eid

    for name in extraction.entities:
        add_entity(name)
    for t in extraction.triples:
        s_id, o_id = add_entity(t.subject), add_entity(t.object)
        predicate = " ".join(t.predicate.split())
        if s_id is None or o_id is None or s_id == o_id or not normalize_phrase(predicate):
            continue
        fid = fact_id(s_id, predicate, o_id)
        facts.setdefault(
            fid,
            Fact(id=fid, subject_id=s_id, predicate=predicate, object_id=o_id,
                 text=fact_text(entities[s_id], predicate, entities[o_id])),
        )
    return _PassageGraph(entities=entities, facts=facts)


class Indexer:
    def __init__(self, store: GraphStore, embedder: Embedder, extractor: Extractor, settings: Settings,
                 snapshots: SnapshotCache | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.extractor = extractor
        self.settings = settings
        # the synonymy search reads the snapshot (and its entity index) this cache hands out
        self.snapshots = snapshots or SnapshotCache(ann=AnnConfig.of(settings))

    # --- planning ------------------------------------------------------------------------------
    def _plan(
        self, ns: str, docs: Sequence[Document], replace: bool, report: IndexReport
    ) -> tuple[list[Document], set[str]]:
        """Which documents need work (new ones, changed ones with ``replace``, ones whose
        extraction failed last time), and the ids the store already has."""
        known = {d.id: d for d in self.store.list_documents(ns)}
        todo: dict[str, Document] = {}
        for doc in docs:
            report.documents_seen += 1
            if doc.id in todo:
                report.problems.append(f"document id {doc.id!r} appears twice in the input; the last copy wins")
            info = known.get(doc.id)
            digest = document_hash(doc)
            if info is None:
                todo[doc.id] = doc
            elif info.content_hash == digest and not info.failures:
                report.documents_unchanged += 1
            elif info.content_hash == digest or replace:
                todo[doc.id] = doc
            else:
                report.documents_conflicting.append(doc.id)
                report.problems.append(
                    f"document {doc.id!r} exists with different content; use --replace to update it"
                )
        return list(todo.values()), set(known)

    # --- the pipeline --------------------------------------------------------------------------
    def index(
        self,
        ns: str,
        docs: Sequence[Document],
        *,
        replace: bool = False,
        progress: Progress = no_progress,
        batch_docs: int = 64,
    ) -> IndexReport:
        report = IndexReport()
        todo, existing_docs = self._plan(ns, docs, replace, report)
        total = len(todo)
        # chunked up front so the extract and embed stages know their run-wide totals (progress
        # with a rate and an ETA); chunking is the cheapest stage
        t0 = time.perf_counter()
        passages_by_doc = {
            d.id: chunk_document(d, self.settings.chunk_tokens, self.settings.chunk_overlap) for d in todo
        }
        report.time("chunk", time.perf_counter() - t0)
        run = RunProgress(progress, sum(len(ps) for ps in passages_by_doc.values()))
        for start in range(0, total, batch_docs):
            batch = todo[start : start + batch_docs]
            writes = self._build_writes(ns, batch, {d.id: passages_by_doc[d.id] for d in batch}, report, run)
            t0 = time.perf_counter()
            self.store.write_documents(ns, writes)
            report.time("write", time.perf_counter() - t0)
            for w in writes:
                if w.document.id in existing_docs:
                    report.documents_replaced += 1
                else:
                    report.documents_added += 1
            progress("write", min(start + batch_docs, total), total)
        self.resolve_synonyms(ns, report, progress)
        return report

    def build_writes(self, ns: str, docs: Sequence[Document]) -> list[DocumentWrite]:
        """The records ``index`` would write for ``docs`` (every one, as with replace), without
        writing them: lets a fault test aim at the write transaction itself."""
        passages_by_doc = {
            d.id: chunk_document(d, self.settings.chunk_tokens, self.settings.chunk_overlap) for d in docs
        }
        run = RunProgress(no_progress, sum(len(ps) for ps in passages_by_doc.values()))
        return self._build_writes(ns, list(docs), passages_by_doc, IndexReport(), run)

    def _build_writes(
        self, ns: str, batch: list[Document], passages_by_doc: dict[str, list[Passage]], report: IndexReport,
        run: RunProgress,
    ) -> list[DocumentWrite]:
        all_passages = [p for ps in passages_by_doc.values() for p in ps]
        t0 = time.perf_counter()
        extractions = self.extractor.extract(all_passages, run.extract_progress())
        run.passages_done += len(all_passages)
        report.time("extract", time.perf_counter() - t0)
        if len(extractions) != len(all_passages):
            raise RuntimeError(f"extractor {self.extractor.name} returned {len(extractions)} results for "
                               f"{len(all_passages)} passages")
        graphs = {p.id: passage_graph(x) for p, x in zip(all_passages, extractions, strict=True)}
        failures = {p.id: x.error for p, x in zip(all_passages, extractions, strict=True) if x.error}
        report.failed_passages.update(failures)
        t0 = time.perf_counter()
        layers = self._layers(all_passages, extractions)
        report.time("layer", time.perf_counter() - t0)
        # imported here: the layer module loads spaCy (seconds), which a query process never needs
        from hippo.index.sentence_layer import layer_names, sentence_embedding_text, sentence_id

        for p in all_passages:
            for name in layer_names(layers[p.id]):
                eid = entity_id(name)
                graphs[p.id].entities.setdefault(eid, name)

        # embed only what the store does not have yet
        t0 = time.perf_counter()
        entity_names: dict[str, str] = {}
        facts: dict[str, Fact] = {}
        for g in graphs.values():
            for eid, name in g.entities.items():
                entity_names.setdefault(eid, name)
            facts.update(g.facts)
        known_entities = self.store.existing_entity_ids(ns, entity_names)
        known_facts = self.store.existing_fact_ids(ns, facts)
        new_entity_ids = [e for e in entity_names if e not in known_entities]
        new_fact_ids = [f for f in facts if f not in known_facts]
        report.time("lookup", time.perf_counter() - t0)

        t0 = time.perf_counter()
        computed_before = self.embedder.computed
        # an entity is embedded by its key, the text its id is a hash of: spellings
        # that share an id ("St. Petersburg" / "St Petersburg") would otherwise give the entity
        # whichever vector came first, and synonym edges would depend on indexing order.
        # One call for passages, entities, facts and sentences: duplicates across them are
        # computed once and the backend sorts all of them by length into its batches
        sentences = {p.id: [Sentence(sentence_id(p.id, s.position), p.id, s.position, s.text)
                            for s in layers[p.id].sentences] for p in all_passages}
        flat = [(p.title, s) for p in all_passages for s in sentences[p.id]]
        texts = ([passage_embedding_text(p) for p in all_passages]
                 + [entity_key(entity_names[e]) for e in new_entity_ids]
                 + [facts[f].text for f in new_fact_ids]
                 + [sentence_embedding_text(title, s.text) for title, s in flat])
        vectors = self.embedder.embed(texts, progress=run.embed_progress(len(texts)))
        run.embed_finished()
        n_p, n_e, n_f = len(all_passages), len(new_entity_ids), len(new_fact_ids)
        passage_vecs = vectors[:n_p]
        entity_vecs = dict(zip(new_entity_ids, vectors[n_p : n_p + n_e], strict=True))
        fact_vecs = dict(zip(new_fact_ids, vectors[n_p + n_e : n_p + n_e + n_f], strict=True))
        sentence_vecs = vectors[n_p + n_e + n_f :]
        sentence_vec = {s.id: sentence_vecs[i] for i, (_, s) in enumerate(flat)}
        report.time("embed", time.perf_counter() - t0)
        report.embedded_texts += len(texts)
        report.embedded_computed += self.embedder.computed - computed_before
        report.entities_new += len(new_entity_ids)
        report.facts_new += len(new_fact_ids)

        passage_vec = {p.id: passage_vecs[i] for i, p in enumerate(all_passages)}
        writes = []
        for doc in batch:
            passages = passages_by_doc[doc.id]
            doc_entities: dict[str, str] = {}
            doc_facts: dict[str, Fact] = {}
            mentions: set[tuple[str, str]] = set()
            support: set[tuple[str, str]] = set()
            doc_sentences: dict[str, SentenceRecord] = {}
            names: set[tuple[str, str]] = set()
            aliases: set[tuple[str, str, str]] = set()
            for p in passages:
                g = graphs[p.id]
                doc_entities.update(g.entities)
                doc_facts.update(g.facts)
                mentions.update((p.id, e) for e in g.entities)
                support.update((p.id, f) for f in g.facts)
                for sent, read in zip(sentences[p.id], layers[p.id].sentences, strict=True):
                    doc_sentences.setdefault(sent.id, SentenceRecord(sent, sentence_vec[sent.id]))
                    names.update((sent.id, entity_id(n)) for n in read.entities)
                aliases.update((p.id, entity_id(a), entity_id(c)) for a, c in layers[p.id].aliases)
            report.passages += len(passages)
            writes.append(DocumentWrite(
                document=doc,
                content_hash=document_hash(doc),
                passages=[PassageRecord(p, passage_vec[p.id]) for p in {q.id: q for q in passages}.values()],
                entities=[EntityRecord(Entity(e, entity_names[e]), entity_vecs.get(e)) for e in doc_entities],
                facts=[FactRecord(doc_facts[f], fact_vecs.get(f)) for f in doc_facts],
                mentions=sorted(mentions),
                fact_support=sorted(support),
                failures={p.id: failures[p.id] for p in passages if p.id in failures},
                sentences=list(doc_sentences.values()),
                sentence_mentions=sorted(names),
                aliases=sorted(aliases),
            ))
        return writes

    def _layers(self, passages: list[Passage], extractions: list[Extraction]) -> dict[str, PassageLayer]:
        """Each passage's retrieval layer: the extractor's when it parsed the passage, else read
        here with spaCy (imported or LLM triples still get sentences and entities)."""
        if not self.settings.retrieval_layer:
            return {p.id: PassageLayer() for p in passages}
        layers = {p.id: x.layer for p, x in zip(passages, extractions, strict=True) if x.layer is not None}
        todo = list({p.id: p for p in passages if p.id not in layers}.values())
        if todo:
            from hippo.index.extract.spacy_extractor import load_spacy
            from hippo.index.sentence_layer import read_layers

            layers.update(zip((p.id for p in todo), read_layers(load_spacy(self.settings.spacy_model), todo),
                              strict=True))
        return layers

    # --- synonymy -------------------------------------------------------------------------------
    def resolve_synonyms(self, ns: str, report: IndexReport, progress: Progress = no_progress) -> None:
        """Synonym edges for every entity still pending (new in this run, or left by a crash),
        searched in the entity index of the snapshot at this version: that snapshot extends the
        last one with what the store appended (SQLite reads only the new rows), and above the ANN
        threshold its HNSW index is extended too, so a small addition reads no other embedding."""
        pending = self.store.pending_synonyms(ns)
        if not pending:
            return
        t0 = time.perf_counter()
        snap = self.snapshots.get(self.store, ns)
        index = snap.entity_index
        n_e = snap.n_entities
        eligible = np.array([alnum_count(normalize_phrase(n)) > 2 for n in snap.entity_names], dtype=bool)
        threshold, top_k = self.settings.synonym_threshold, self.settings.synonym_top_k
        chunk = 512
        for start in range(0, len(pending), chunk):
            ids = [e for e in pending[start : start + chunk]]
            rows = [int(r) for r in snap.vertex_of.rows(ids) if 0 <= r < n_e and eligible[r]]
            edges: list[SynonymEdge] = []
            if rows and n_e > 1:
                # one more than top_k: the entity finds itself
                found, sims = index.search(np.asarray(snap.entity_emb[rows]), top_k + 1, allowed=eligible)
                for r, row in enumerate(rows):
                    keep = (found[r] >= 0) & (found[r] != row) & (sims[r] >= threshold)
                    a = snap.entity_ids[row]
                    for c, sim in zip(found[r][keep][:top_k], sims[r][keep][:top_k], strict=True):
                        b = snap.entity_ids[int(c)]
                        edges.append(SynonymEdge(min(a, b), max(a, b), round(float(sim), 6)))
            report.synonyms_new += self.store.add_synonyms(ns, edges, resolved=ids)
            progress("synonymy", min(start + chunk, len(pending)), len(pending))
        report.time("synonymy", time.perf_counter() - t0)
