"""Why a query ranked its passages the way it did: the typed explanation every retrieval returns.

Readers (the CLI, the extractive reader, the explorer, the benchmark) read its attributes; the API,
MCP and ``--json`` print ``to_dict()``. A field that is ``None`` did not apply to the mode that ran
(dense mode links no facts, HippoRAG 1 mode links entities instead) and is left out of the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LinkedFact:
    """A fact the query was linked to, with its min-max normalised similarity to the query."""

    fact_id: str
    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"fact_id": self.fact_id, "text": self.text, "score": self.score}


@dataclass(frozen=True)
class LinkedEntity:
    """A phrase of the query and the entity node nearest to it (HippoRAG 1 linking)."""

    phrase: str
    entity: str
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "entity": self.entity, "similarity": self.similarity}


@dataclass(frozen=True)
class SeedEntity:
    """An entity in PageRank's reset vector and the weight it was given there."""

    entity_id: str
    name: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "name": self.name, "weight": self.weight}


@dataclass(frozen=True)
class EntityMass:
    """An entity and the PageRank mass it ended with."""

    entity_id: str
    name: str
    mass: float

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "name": self.name, "mass": self.mass}


@dataclass(frozen=True)
class PageRankRun:
    """Which Personalized PageRank ran (exact or seed-local) and on how much of the graph."""

    mode: str  # exact | local
    vertices: int
    hops: int | None = None  # local only
    leaked: float | None = None  # local only: reset mass whose walks left the neighbourhood

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("mode", self.mode), ("vertices", self.vertices), ("hops", self.hops),
                                  ("leaked", self.leaked)) if v is not None}


@dataclass(frozen=True)
class RetrievalExplanation:
    mode: str | None = None  # None only when nothing ran (an empty namespace; see ``reason``)
    reason: str | None = None
    fallback: str | None = None  # why a graph mode answered with the dense ranking
    linked_facts: list[LinkedFact] | None = None
    linked_entities: list[LinkedEntity] | None = None
    top_sentences: list[str] | None = None  # the sentences the query was linked through (bridge mode)
    seed_entities: list[SeedEntity] | None = None
    passage_seed_weight: float | None = None
    damping: float | None = None
    pagerank: PageRankRun | None = None
    top_entities_by_ppr: list[EntityMass] | None = None
    dense_fusion: float | None = None
    # bridge mode: the shares of PageRank's mass, dense and BM25 in the final score
    score_mix: dict[str, float] | None = None
    graph_version: int | None = None

    @property
    def ran_pagerank(self) -> bool:
        return self.damping is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: fields that apply, in declaration order, lists as lists of objects."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, list):
                out[name] = [item if isinstance(item, str) else item.to_dict() for item in value]
            elif isinstance(value, PageRankRun):
                out[name] = value.to_dict()
            else:
                out[name] = value
        return out
