"""Plain data types shared by every part of Hippo.

Ids are stable content hashes (see :mod:`hippo.text`), so the same text always maps to the same
node in every store and every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hippo.retrieve.explanation import RetrievalExplanation


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
class Sentence:
    """A sentence of a passage: the retrieval graph's unit of evidence (it lives and dies with
    its passage; its id is the passage's id and its place)."""

    id: str
    passage_id: str
    position: int
    text: str


@dataclass(frozen=True)
class Triple:
    """A raw subject–predicate–object statement as an extractor produced it (surface text)."""

    subject: str
    predicate: str
    object: str


@dataclass
class SentenceEntities:
    """One sentence of a passage's retrieval layer and the (canonical) entity names it names."""

    position: int
    text: str
    entities: list[str]


@dataclass
class PassageLayer:
    """A passage's retrieval layer as read from its text (hippo.index.sentence_layer)."""

    sentences: list[SentenceEntities] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (short form, canonical name)


@dataclass
class Extraction:
    """What OpenIE produced for one passage. ``error`` set means the passage failed.

    ``layer``: the passage's retrieval layer, when the extractor parsed the passage anyway (the
    spaCy extractor); otherwise the indexer reads it itself."""

    passage_id: str
    entities: list[str] = field(default_factory=list)
    triples: list[Triple] = field(default_factory=list)
    error: str | None = None
    layer: PassageLayer | None = None


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
class SentenceRecord:
    sentence: Sentence
    embedding: np.ndarray


@dataclass
class DocumentWrite:
    """Everything one document contributes to the graph, written in one transaction.

    ``mentions`` are (passage_id, entity_id) context edges; ``fact_support`` are
    (passage_id, fact_id) pairs saying which passage states a fact. Entities and facts are
    shared between documents: a store keeps them while any passage still supports them.

    The retrieval layer: ``sentences`` of the passages, ``sentence_mentions`` (sentence_id,
    entity_id) saying which entities a sentence names, and ``aliases`` (passage_id, alias
    entity_id, canonical entity_id) a passage attests ("Gandhi" -> "Mahatma Gandhi"). Every
    entity they name is also in ``mentions`` of the same passage, so entity lifetime stays the
    passage's.
    """

    document: Document
    content_hash: str
    passages: list[PassageRecord]
    entities: list[EntityRecord]
    facts: list[FactRecord]
    mentions: list[tuple[str, str]]
    fact_support: list[tuple[str, str]]
    failures: dict[str, str] = field(default_factory=dict)  # passage_id -> extraction error
    sentences: list[SentenceRecord] = field(default_factory=list)
    sentence_mentions: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)


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


@dataclass
class SentenceExport:
    """A namespace's retrieval layer as flat arrays: row i of ``sentence_emb`` is the i-th id."""

    version: int
    sentence_ids: list[str]
    sentence_passages: list[str]  # passage id per sentence
    sentence_positions: list[int]
    sentence_texts: list[str]
    sentence_emb: np.ndarray  # (n_sentences, dim) float32
    mentions: list[tuple[str, str]]  # (sentence_id, entity_id)
    aliases: list[tuple[str, str, str]]  # (passage_id, alias entity_id, canonical entity_id)


@dataclass(frozen=True)
class StoreStats:
    documents: int
    passages: int
    entities: int
    facts: int
    mentions: int
    synonyms: int
    failed_passages: int
    sentences: int = 0


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
    explanation: RetrievalExplanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "mode": self.mode,
            "hits": [h.to_dict() for h in self.hits],
            "explanation": self.explanation.to_dict(),
        }
