"""Retrieval for reading: the ranked hits plus what the extractive reader needs from the graph
(the PPR mass of every entity), from one PageRank run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from hippo.errors import UserError
from hippo.retrieve.explanation import RetrievalExplanation
from hippo.retrieve.policies.registry import MODES, unknown_mode_message
from hippo.retrieve.snapshot import GraphSnapshot
from hippo.types import Hit

if TYPE_CHECKING:
    from hippo.memory import Memory


@dataclass
class Retrieval:
    query: str
    mode: str
    hits: list[Hit]
    explanation: RetrievalExplanation
    snapshot: GraphSnapshot
    entity_mass: np.ndarray  # PPR mass per entity row of the snapshot; zeros when no PageRank ran

    @property
    def passage_ids(self) -> list[str]:
        return [h.passage_id for h in self.hits]


def retrieve(memory: Memory, query: str, top_k: int, mode: str | None = None) -> Retrieval:
    if not query.strip():
        raise UserError("the question is empty")
    if top_k < 1:
        raise UserError("top_k must be at least 1")
    mode = mode or memory.settings.retrieval_mode
    if mode not in MODES:
        raise UserError(f"unknown retrieval {unknown_mode_message(mode)}")
    retriever = memory.retriever
    # the retriever's own query path (with its re-rank when a write races the passage read)
    result, snap, ranking = retriever.query_ranked(memory.namespace, query, top_k=top_k, mode=mode)
    if snap is None or ranking is None:
        empty = retriever.snapshot(memory.namespace)
        return Retrieval(query, mode, [], result.explanation, empty, np.zeros(empty.n_entities))
    mass = ranking.mass[: snap.n_entities] if ranking.mass is not None else np.zeros(snap.n_entities)
    return Retrieval(query, mode, result.hits, result.explanation, snap, mass)
