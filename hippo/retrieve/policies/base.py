"""The declared shape of a retrieval mode.

A policy gets the snapshot and the query (its text, its embedding and the dense similarity of every
passage, computed once by the retriever) and returns a ranking with its explanation. Graph policies
only decide the seeds; running PageRank and explaining its mass is shared (``GraphPolicy``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from hippo.retrieve.explanation import EntityMass, LinkedEntity, LinkedFact, RetrievalExplanation, SeedEntity
from hippo.retrieve.ranking import Ranking, bounded_demotion, min_max, top_k_stable

if TYPE_CHECKING:
    from hippo.config import Settings
    from hippo.embed import Embedder
    from hippo.retrieve.snapshot import GraphSnapshot

# filter(query, candidate fact texts) -> indices of the facts to keep (HippoRAG 2's recognition memory)
FactFilter = Callable[[str, list[str]], list[int]]

TOP_ENTITIES_EXPLAINED = 10


@dataclass(frozen=True)
class Query:
    text: str
    vector: np.ndarray  # the query's embedding
    dense: np.ndarray  # cosine similarity of every passage row of the snapshot to the query


def link_facts(snap: GraphSnapshot, query: Query, k: int) -> tuple[np.ndarray, dict[int, float]]:
    """(the ``k`` facts most similar to the query, best first; their scores min-max normalised over
    every fact), through the snapshot's fact index: an HNSW search above the ANN threshold, which
    finds the lowest score as the nearest neighbour of the negated query instead of scoring all."""
    top, scores = snap.fact_index.top_min_max(query.vector, k)
    return top, dict(zip(top.tolist(), scores.tolist(), strict=True))


def linked_fact_list(snap: GraphSnapshot, facts: np.ndarray, scores: Mapping[int, float]) -> list[LinkedFact]:
    exp = snap.export
    return [LinkedFact(exp.fact_ids[f], exp.fact_texts[f], round(float(scores[int(f)]), 4)) for f in facts]


class RetrievalPolicy(ABC):
    """One retrieval mode. ``name`` is what users pass as ``--mode`` / ``mode``."""

    name: ClassVar[str]
    summary: ClassVar[str]  # one line for help texts
    uses_graph: ClassVar[bool] = True  # False for a mode that never reads the graph (dense)

    def __init__(self, settings: Settings, embedder: Embedder, fact_filter: FactFilter | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.fact_filter = fact_filter

    @abstractmethod
    def rank(self, snap: GraphSnapshot, query: Query) -> Ranking: ...

    def dense_ranking(self, query: Query, fallback: str | None = None) -> Ranking:
        return Ranking.by_scores(query.dense, RetrievalExplanation(mode=self.name, fallback=fallback))

    def guard_dense_top(self, ranking: Ranking, query: Query, passage_mass: np.ndarray) -> None:
        """Robustness: where dense is confident the graph may reorder, but not bury — dense's top
        ``dense_guard`` passages end at most ``dense_guard_slack`` places below their dense rank."""
        s = self.settings
        if s.dense_guard <= 0:
            return
        protected = top_k_stable(query.dense, s.dense_guard)
        ranking.rows = bounded_demotion(ranking.rows, protected, s.dense_guard_slack)
        # scores stay non-increasing down the ranking: a passage the guard lifts shares the score
        # of the best-scored passage it was lifted above
        ranking.scores = np.maximum.accumulate(passage_mass[ranking.rows][::-1])[::-1]


@dataclass
class Seeds:
    """PageRank's reset vector (over every vertex, entities first) and what it was made from."""

    reset: np.ndarray
    entities: np.ndarray  # seed entity rows, in the order the explanation lists them
    entity_weight: np.ndarray  # weight per entity row (what the explanation reports per seed)
    passage_weight: float = 0.0  # scale of the dense passage seeds; 0 when passages are not seeded
    linked_facts: list[LinkedFact] | None = None
    linked_entities: list[LinkedEntity] | None = None
    notes: dict[str, str] = field(default_factory=dict)


class GraphPolicy(RetrievalPolicy):
    """A mode that seeds Personalized PageRank and ranks passages by the mass they end with."""

    # whether the final passage score blends in dense similarity (share: ``settings.dense_fusion``)
    fuses_dense: ClassVar[bool] = False

    @abstractmethod
    def seed(self, snap: GraphSnapshot, query: Query) -> Seeds | str:
        """The seeds, or the reason to fall back to the dense ranking."""

    def rank(self, snap: GraphSnapshot, query: Query) -> Ranking:
        seeds = self.seed(snap, query)
        if isinstance(seeds, str):
            return self.dense_ranking(query, seeds)
        s = self.settings
        exp = snap.export
        # imported here: the settings read this package's registry, and ppr reads the settings
        from hippo.retrieve import ppr

        pagerank = ppr.pagerank(snap, seeds.reset, s)
        mass = pagerank.mass
        passage_mass = mass[snap.n_entities :]
        entity_mass = mass[: snap.n_entities]
        top_entities = top_k_stable(entity_mass, TOP_ENTITIES_EXPLAINED)
        fusion = s.dense_fusion if self.fuses_dense and s.dense_fusion > 0 else None
        explanation = RetrievalExplanation(
            mode=self.name,
            linked_facts=seeds.linked_facts,
            linked_entities=seeds.linked_entities,
            seed_entities=[
                SeedEntity(exp.entity_ids[v], exp.entity_names[v], round(float(seeds.entity_weight[v]), 6))
                for v in seeds.entities
            ],
            passage_seed_weight=seeds.passage_weight,
            damping=s.damping,
            pagerank=pagerank.info,
            top_entities_by_ppr=[
                EntityMass(exp.entity_ids[v], exp.entity_names[v], round(float(entity_mass[v]), 6))
                for v in top_entities if entity_mass[v] > 0
            ],
            dense_fusion=fusion,
        )
        if fusion is not None:
            # graph evidence from noisy offline triples is strong but sparse; dense similarity
            # orders the passages the graph leaves undecided
            ranking = Ranking.by_scores((1 - fusion) * min_max(passage_mass) + fusion * min_max(query.dense), explanation)
        else:
            ranking = Ranking.by_scores(passage_mass, explanation)
        self.guard_dense_top(ranking, query, passage_mass)
        ranking.mass = mass
        return ranking
