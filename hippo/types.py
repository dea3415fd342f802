"""Plain data types shared by every part of Hippo.

Ids are stable content hashes (see :mod:`hippo.text`), so the same text always maps to the same
node in every store and every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Document:
    """A unit the user adds, replaces or deletes as a whole."""

    id: str
    title: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    """A chunk of a document; the unit that retrieval ranks."""

    id: str
    doc_id: str
    title: str
    text: str
    position: int = 0


@dataclass(frozen=True)
class Triple:
    """A raw subject–predicate–object statement as an extractor produced it (surface text)."""

    subject: str
    predicate: str
    object: str


@dataclass
class Extraction:
    """What OpenIE produced for one passage. ``error`` set means the passage failed."""

    passage_id: str
    entities: list[str] = field(default_factory=list)
    triples: list[Triple] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class Entity:
    id: str
    name: str


@dataclass(frozen=True)
class Fact:
    """A normalised triple: a relation edge between two entity nodes, with its predicate text."""

    id: str
    subject_id: str
    predicate: str
    object_id: str
    text: str  # "subject predicate object", what is embedded and shown


# --- records written to a store -------------------------------------------------------------


@dataclass
class PassageRecord:
    passage: Passage
    embedding: np.ndarray


@dataclass
class EntityRecord:
    entity: Entity
    embedding: np.ndarray | None  # None: the entity already exists in the store


@dataclass
class FactRecord:
    fact: Fact
    embedding: np.ndarray | None  # None: the fact already exists in the store


@dataclass
class DocumentWrite:
    """Everything one document contributes to the graph, written in one transaction.

    ``mentions`` are (passage_id, entity_id) context edges; ``fact_support`` are
    (passage_id, fact_id) pairs saying which passage states a fact. Entities and facts are
    shared between documents: a store keeps them while any passage still supports them.
    """

    document: Document
    content_hash: str
    passages: list[PassageRecord]
    entities: list[EntityRecord]
    facts: list[FactRecord]
    mentions: list[tuple[str, str]]
    fact_support: list[tuple[str, str]]
    failures: dict[str, str] = field(default_factory=dict)  # passage_id -> extraction error


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    content_hash: str
    n_passages: int
    failures: dict[str, str]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class SynonymEdge:
    a: str  # entity id, a < b
    b: str
    weight: float  # cosine similarity


# --- what the graph snapshot is built from ---------------------------------------------------


@dataclass
class GraphExport:
    """A namespace's whole retrieval graph as flat arrays (what igraph and the linker need).

    Row i of each embedding matrix belongs to the i-th id of the matching list.
    """

    version: int
    passage_ids: list[str]
    passage_emb: np.ndarray  # (n_passages, dim) float32
    entity_ids: list[str]
    entity_names: list[str]
    entity_emb: np.ndarray  # (n_entities, dim) float32
    fact_ids: list[str]
    fact_subjects: list[str]  # entity id per fact
    fact_objects: list[str]
    fact_texts: list[str]
    fact_emb: np.ndarray  # (n_facts, dim) float32
    fact_support: list[tuple[str, str]]  # (passage_id, fact_id)
    mentions: list[tuple[str, str]]  # (passage_id, entity_id)
    synonyms: list[SynonymEdge]


@dataclass(frozen=True)
class StoreStats:
    documents: int
    passages: int
    entities: int
    facts: int
    mentions: int
    synonyms: int
    failed_passages: int


# --- query results ---------------------------------------------------------------------------


@dataclass
class Hit:
    passage_id: str
    doc_id: str
    title: str
    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "passage_id": self.passage_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "text": self.text,
            "score": self.score,
        }


@dataclass
class QueryResult:
    query: str
    mode: str
    hits: list[Hit]
    explanation: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "mode": self.mode,
            "hits": [h.to_dict() for h in self.hits],
            "explanation": self.explanation,
        }
