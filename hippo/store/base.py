"""The GraphStore contract: what every backend (SQLite, Neo4j) must do, and nothing above it
needs to know which one it talks to.

Model (per namespace):
- Document --has--> Passage (a passage may belong to several documents when texts repeat)
- Passage --mentions--> Entity (context edges)
- Passage --supports--> Fact; Fact joins subject Entity and object Entity (relation edge)
- Entity --synonym {weight}-- Entity (undirected, stored once with a < b)
- Passage --has--> Sentence --names--> Entity; Entity --alias of {passage}--> Entity (the
  retrieval layer: sentences with embeddings and the entities they name, aliases a passage attests)

Replacing a document keeps entities and facts that the new version still uses (with their
synonym edges): orphans are collected after the new version is in, within the same transaction.

Lifetime rule shared by every backend: a passage lives while a document has it, a fact while a
passage supports it, an entity while a passage mentions it or a fact uses it; synonym edges die
with either end; sentences, their entity edges and the aliases a passage attests die with the
passage (and a sentence or alias edge never outlives an entity it names). ``write_documents`` replaces earlier versions of the same document ids, and
each call is one transaction: readers see all of it or none of it.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from hippo.errors import StoreError as StoreError  # importable from here too
from hippo.types import (
    DocumentInfo,
    DocumentWrite,
    Entity,
    Fact,
    GraphExport,
    Passage,
    SentenceExport,
    StoreStats,
    SynonymEdge,
)


class GraphStore(ABC):
    """A namespaced knowledge-graph store. Every method takes the namespace explicitly."""

    uri: str

    # --- lifecycle ---------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreError when the store cannot be reached."""

    # --- writes ------------------------------------------------------------------------------
    @abstractmethod
    def write_documents(self, ns: str, writes: list[DocumentWrite]) -> None:
        """Add or replace documents, all in one transaction. Entities/facts whose record has
        ``embedding=None`` must already exist (the indexer checked with ``existing_*``)."""

    @abstractmethod
    def delete_documents(self, ns: str, doc_ids: list[str]) -> int:
        """Delete documents and everything only they supported; one transaction. Returns how
        many of the ids existed."""

    @abstractmethod
    def add_synonyms(self, ns: str, edges: list[SynonymEdge], resolved: Iterable[str] = ()) -> int:
        """Insert synonym edges (a < b); an edge that exists is kept, never duplicated. Edges
        naming a missing entity are ignored. In the same transaction, the entity ids in
        ``resolved`` leave the pending-synonymy list. Returns the number of edges now new."""

    @abstractmethod
    def pending_synonyms(self, ns: str) -> list[str]:
        """Ids of entities added by ``write_documents`` whose synonym edges are not computed yet.
        Recorded in the write's own transaction, so a crash between the write and the synonymy
        step leaves work to resume, not a silently incomplete graph."""

    @abstractmethod
    def drop_namespace(self, ns: str) -> None: ...

    @abstractmethod
    def set_unit_scores(self, ns: str, kind: str, scores: dict[str, float]) -> None:
        """Persist per-unit scores (e.g. synthesis blind-spot loss) keyed by entity/fact id."""

    @abstractmethod
    def save_job(self, job_id: str, ns: str, record: str) -> None:
        """Keep an API job's record (a JSON text), replacing the one saved before, so polling it
        outlives the server process. Does not change the namespace's version."""

    @abstractmethod
    def get_job(self, job_id: str) -> tuple[str, str] | None:
        """(namespace, record) of a saved job, or None. ``drop_namespace`` drops its jobs too."""

    # --- reads -------------------------------------------------------------------------------
    @abstractmethod
    def version(self, ns: str) -> int:
        """A counter that changes on every write to the namespace (snapshot invalidation)."""

    @abstractmethod
    def namespaces(self) -> list[str]: ...

    @abstractmethod
    def get_document(self, ns: str, doc_id: str) -> DocumentInfo | None: ...

    @abstractmethod
    def list_documents(self, ns: str) -> list[DocumentInfo]: ...

    @abstractmethod
    def existing_entity_ids(self, ns: str, ids: Iterable[str]) -> set[str]: ...

    @abstractmethod
    def existing_fact_ids(self, ns: str, ids: Iterable[str]) -> set[str]: ...

    @abstractmethod
    def existing_passage_ids(self, ns: str, ids: Iterable[str]) -> set[str]: ...

    @abstractmethod
    def export(self, ns: str) -> GraphExport:
        """The whole retrieval graph of a namespace (embeddings included), read consistently."""

    @abstractmethod
    def export_sentences(self, ns: str) -> SentenceExport:
        """The namespace's retrieval layer (sentences with embeddings, their entity edges,
        aliases), read consistently; ``version`` says which write it reflects."""

    @abstractmethod
    def get_passages(self, ns: str, ids: list[str]) -> list[Passage]:
        """Passages in the order of ``ids``; unknown ids are skipped."""

    @abstractmethod
    def iter_passages(self, ns: str, batch_size: int = 1000) -> Iterator[list[Passage]]: ...

    @abstractmethod
    def get_entities(self, ns: str, ids: list[str]) -> list[Entity]: ...

    @abstractmethod
    def get_facts(self, ns: str, ids: list[str]) -> list[Fact]: ...

    @abstractmethod
    def facts_of_entities(self, ns: str, entity_ids: list[str]) -> list[Fact]:
        """Facts whose subject or object is one of the entities (a subgraph read)."""

    @abstractmethod
    def passages_of_entities(self, ns: str, entity_ids: list[str]) -> dict[str, list[str]]:
        """entity id -> ids of passages that mention it."""

    @abstractmethod
    def passages_of_facts(self, ns: str, fact_ids: list[str]) -> dict[str, list[str]]:
        """fact id -> ids of passages that support it."""

    @abstractmethod
    def get_unit_scores(self, ns: str, kind: str) -> dict[str, float]: ...

    @abstractmethod
    def stats(self, ns: str) -> StoreStats: ...

    # --- snapshots (hippo.retrieve.snapshot_cache) ----------------------------------------------
    def instance_id(self) -> str:
        """Names this store's data for snapshots on disk; a backend that can tell one database
        from a recreated one at the same address says so here."""
        return self.uri

    def default_snapshot_dir(self) -> Path | None:
        """Where snapshots live when no directory is configured; None = the store has no local place."""
        return None

    def export_with_cursor(self, ns: str) -> tuple[GraphExport, dict[str, Any] | None]:
        """``export`` plus a cursor that ``export_appended`` can continue from (None: no appends)."""
        return self.export(ns), None

    def export_appended(self, ns: str, cursor: dict[str, Any] | None) -> tuple[GraphExport, dict[str, Any]] | None:
        """The rows written since ``cursor`` (as an export of only those rows, version = now) and
        the new cursor; None when anything was deleted or replaced since, or the backend cannot
        tell (then the caller exports everything)."""
        return None

    # --- derived -----------------------------------------------------------------------------
    def fingerprint(self, ns: str) -> str:
        """A stable hash of the namespace's nodes, edges and weights, independent of write
        order and backend: equal graphs give equal fingerprints."""
        g = self.export(ns)
        docs = self.list_documents(ns)
        h = hashlib.sha256()

        def feed(tag: str, rows: Iterable[str]) -> None:
            h.update(tag.encode())
            for row in sorted(rows):
                h.update(row.encode())
                h.update(b"\n")

        feed("D", (f"{d.id}\t{d.content_hash}\t{sorted(d.failures)}" for d in docs))
        feed("P", g.passage_ids)
        feed("E", g.entity_ids)
        feed(
            "F",
            (f"{f}\t{s}\t{o}" for f, s, o in zip(g.fact_ids, g.fact_subjects, g.fact_objects, strict=True)),
        )
        feed("M", (f"{p}\t{e}" for p, e in g.mentions))
        feed("S", (f"{p}\t{f}" for p, f in g.fact_support))
        feed("Y", (f"{e.a}\t{e.b}\t{e.weight:.4f}" for e in g.synonyms))
        layer = self.export_sentences(ns)
        feed("T", (f"{i}\t{p}\t{k}\t{t}" for i, p, k, t in zip(
            layer.sentence_ids, layer.sentence_passages, layer.sentence_positions, layer.sentence_texts, strict=True)))
        feed("N", (f"{s}\t{e}" for s, e in layer.mentions))
        feed("A", ("\t".join(a) for a in layer.aliases))
        return h.hexdigest()
